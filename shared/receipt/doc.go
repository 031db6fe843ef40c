// Package receipt takes Tencent Cloud SMS delivery receipts from both ways
// Tencent offers — the status callback (pushed to get-scheme) and
// PullSmsSendStatus (pulled by the send-sms timer) — into one inbox in the
// campaign bucket, and matches them to the rows of each job by SerialNo.
// Duplicate, late and unknown receipts are counted and otherwise ignored.
// Phone numbers in receipts are never kept or logged: SerialNo is the match.
package receipt
