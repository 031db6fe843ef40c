// Package send is the send-sms job: it turns an upload (uploads/<name>.csv
// plus an optional manifest) into SendSms calls at the account's rate and a
// report that accounts for every row, resumably and at most once per number
// as far as the platform allows.
//
// How a job stays exactly-once-ish:
//
//   - Job id = hash(bucket, key, CSV ETag, manifest ETag). A lease (store
//     SetIfAbsent, TTL SEND_LEASE_TTL, renewed every quarter of it from the
//     moment it is taken; store errors retried until close to the TTL) keeps
//     a second invocation out; that invocation returns nil so SCF does not
//     retry it.
//   - Rows are read in order and finish out of order. A tracker keeps the
//     window between the watermark (every row up to it is final) and the
//     reader, and emits final rows in row order into part files of the
//     report. At least once a second a checkpoint commits the current part,
//     then writes the state (watermark, the CSV reader's byte offset after
//     it, counters) to the store.
//   - Before a row may be handed to a worker, the state must already record a
//     reservation that covers it (Reserved). After a crash the rows between
//     the watermark and the reservation may have been sent: they are sent
//     again on resume and flagged in_flight_at_crash in result.csv. They are
//     the only rows that can get two messages; a crash that repeats without
//     progress fails the job (crash_loop) after MaxStalledRuns resumes.
//   - Near the SCF deadline, outside the send window (marketing SMS only
//     08:00–22:00 Beijing time, with WindowMargin) or when the lease is
//     lost, the job stops reading, sends what it already took, and becomes
//     paused or deferred. A limit that lifts by itself met mid-run (the
//     window's end, a daily total: sms.Deferred) leaves that call's rows
//     open; rows finished past them are carried (carry.go), and the job
//     is deferred until sms.DeferUntil. control/<name>.stop stops it
//     (control.go); a newer upload of the name supersedes it and skips the
//     numbers it reached (supersede.go); a CSV whose manifest is required
//     waits for it (waiting.go). The send-sms timer lists reports/.jobs/
//     and resumes due jobs.
//   - All jobs of the account share SMS_QPS through the store's token
//     bucket where it has one (accountrate.go).
//
// The job is a state machine (status.go); each piece of moving state has one
// owner: the leaseKeeper the lease (renewed from acquisition to release),
// the checkpointer the State while rows are sent, the feeder the reader and
// the dispatch counters, the tracker the rows in flight, the stopper the
// decision to stop.
//
// Reports: reports/<name>/<job>/result.csv (UTF-8 with BOM, one row per
// input row in input order), summary.json and progress.json; the newest job
// of a name also writes reports/<name>/latest.json (where its report is)
// and copies of its summary.json and progress.json there. Parts live under
// reports/<name>/<job>/.parts/ until the job ends and are concatenated
// (each part holds a contiguous run of rows, parts are numbered in row
// order) into result.csv.
//
// Hooks for other concerns: Options.Audience leaves out numbers per row in
// the feed (suppression list, frequency cap) and records what was sent;
// Options.OnTimer runs on every timer tick with
// the unfinished jobs (receipts, funnels).
package send
