package scf

import (
	"encoding/json"
	"fmt"
	"time"
)

// TimerEvent is what a timer trigger sends:
//
//	{"Type":"Timer","TriggerName":"EveryDay","Time":"2019-02-21T11:49:00Z","Message":"<argument>"}
type TimerEvent struct {
	TriggerName string
	Time        time.Time // when the trigger fired, UTC
	Message     string    // the trigger's configured argument
}

// ParseTimer decodes a timer event. It fails with ErrWrongKind when Type is
// not "Timer" and with ErrMalformed on invalid JSON or a bad Time.
func ParseTimer(raw []byte) (TimerEvent, error) {
	var e struct {
		Type        string `json:"Type"`
		TriggerName string `json:"TriggerName"`
		Time        string `json:"Time"`
		Message     string `json:"Message"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return TimerEvent{}, malformed("timer event: %v", err)
	}
	if e.Type != "Timer" {
		return TimerEvent{}, fmt.Errorf("%w: Type %q is not Timer", ErrWrongKind, e.Type)
	}
	t, err := time.Parse(time.RFC3339, e.Time)
	if err != nil {
		return TimerEvent{}, malformed("timer event: Time: %v", err)
	}
	return TimerEvent{TriggerName: e.TriggerName, Time: t.UTC(), Message: e.Message}, nil
}
