package send

import (
	"strconv"

	"github.com/smsjump/smsjump/shared/excelcsv"
)

// Row states in result.csv.
const (
	StateSent     = "sent"
	StateRejected = "rejected" // never sent: the row breaks a rule
	StateFailed   = "failed"   // the API refused the number
	StateUnknown  = "unknown"  // the call timed out after it may have been delivered; not retried
	StateNotSent  = "not_sent" // the job stopped (fatal error, invalid manifest) or dry run
)

// Reasons of non-sent rows besides campaign's rejection reasons.
const (
	ReasonDryRun          = "dry_run"
	ReasonInvalidManifest = "invalid_manifest"
	ReasonAPIRefused      = "api_refused"       // a final per-number code; see code
	ReasonRetriesExceeded = "retries_exhausted" // transient errors outlasted the retries
	ReasonMaybeSent       = "maybe_sent"        // timeout after sending: state unknown
	ReasonJobStopped      = "job_stopped"       // a fatal error stopped the job; see code
	ReasonCrashLoop       = "crash_loop"        // runs kept crashing at the same row; see the summary
	// ReasonOptedOut and ReasonFrequencyCapped (audience.Verdict.Reason):
	// the number is on the suppression list, or reached FREQUENCY_CAP.
	ReasonOptedOut        = "opted_out"
	ReasonFrequencyCapped = "frequency_capped"
)

// codeBlacklisted answers a send to a number on the console's 退订 or 免打扰
// list; the audience then lists it so later campaigns skip it.
const codeBlacklisted = "FailedOperation.PhoneNumberInBlacklist"

// Result is one line of result.csv.
type Result struct {
	Row      int
	Phone    string // E.164 when valid, else the raw cell
	State    string
	Reason   string
	Code     string // API code, or the rejection detail
	SerialNo string
	Fee      int
	Segments int
	// InFlightAtCrash: the row may have been sent by a crashed run and was
	// sent again.
	InFlightAtCrash bool
}

// resultHeader is the first line of result.csv.
var resultHeader = []string{"row", "phone", "state", "reason", "code", "serial_no", "fee", "segments", "in_flight_at_crash"}

// appendCSV appends r as one CSV line, quoting fields only when needed.
func (r *Result) appendCSV(b []byte) []byte {
	b = strconv.AppendInt(b, int64(r.Row), 10)
	b = append(b, ',')
	b = excelcsv.AppendField(b, r.Phone)
	b = append(b, ',')
	b = append(b, r.State...)
	b = append(b, ',')
	b = excelcsv.AppendField(b, r.Reason)
	b = append(b, ',')
	b = excelcsv.AppendField(b, r.Code)
	b = append(b, ',')
	b = excelcsv.AppendField(b, r.SerialNo)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Fee), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Segments), 10)
	b = append(b, ',')
	b = strconv.AppendBool(b, r.InFlightAtCrash)
	return append(b, '\r', '\n')
}
