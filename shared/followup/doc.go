// Package followup is what the send-sms timer does after a job has sent:
// it pulls delivery receipts (PullSmsSendStatus) into the receipt inbox,
// matches the inbox to each job's rows by SerialNo, and keeps each job's
// funnel.json, report.html and delivery.csv current until the receipt
// window (RECEIPT_WINDOW after the last send) is over.
//
// Per job, under reports/<name>/<job>/:
//
//	receipts.jsonl  the receipts matched to the job, one per SerialNo (the ledger)
//	funnel.json     rows → sent → delivered → opened → jumped → arrived
//	report.html     the same, for people (package report)
//	delivery.csv    result.csv plus delivery status and time, and opens and
//	                jumps of personal codes, per row (UTF-8 with BOM, for Excel)
//
// and receipts/stats.json counts receipts no job claimed (unknown).
package followup
