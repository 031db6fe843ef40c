// Package audience keeps send-sms from texting people who asked it to stop
// or who have had enough: the account's suppression list (opt-outs from
// replies, operator uploads, carrier blacklist answers) and the frequency
// cap counted across campaigns.
//
// Both live in the store and are loaded once per job run into flat tables
// (a million numbers cost a few hundred store reads and about 6 MB, not a
// million round-trips): the suppression list in 256 shards, the cap as a
// ledger of sent-number segments, one per committed report part of a job,
// so that a resumed job rewrites the segments of its crashed run instead of
// counting them twice.
package audience
