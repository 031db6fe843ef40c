package scf

import (
	"bytes"
	"encoding/json"
)

// EventKind says which trigger an event came from.
type EventKind int

// The kinds Kind tells apart.
const (
	KindUnknown EventKind = iota
	KindHTTP              // Function URL or API Gateway
	KindCOS               // COS trigger
	KindTimer             // timer trigger
)

func (k EventKind) String() string {
	switch k {
	case KindHTTP:
		return "http"
	case KindCOS:
		return "cos"
	case KindTimer:
		return "timer"
	}
	return "unknown"
}

// Kind sniffs raw so that a function with several triggers (send-sms has COS
// and a timer) can route it. It looks only at the top-level markers of each
// shape and does not validate the rest; the Parse functions do.
func Kind(raw []byte) EventKind {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return KindUnknown
	}
	var e struct {
		Type           string            `json:"Type"`
		Records        []json.RawMessage `json:"Records"`
		HTTPMethod     string            `json:"httpMethod"`
		Path           *string           `json:"path"`
		RequestContext *json.RawMessage  `json:"requestContext"`
	}
	if json.Unmarshal(raw, &e) != nil {
		return KindUnknown
	}
	switch {
	case e.Type == "Timer":
		return KindTimer
	case len(e.Records) > 0:
		// CMQ and CKafka events also have Records; a COS record has "cos".
		var r struct {
			COS json.RawMessage `json:"cos"`
		}
		if json.Unmarshal(e.Records[0], &r) == nil && len(r.COS) > 0 && string(r.COS) != "null" {
			return KindCOS
		}
	case e.HTTPMethod != "" || e.Path != nil || e.RequestContext != nil:
		return KindHTTP
	}
	return KindUnknown
}
