package scf

import (
	"errors"
	"testing"
	"time"
)

func TestParseTimer(t *testing.T) {
	tests := []struct {
		file string
		want TimerEvent
		err  error
	}{
		{file: "timer_doc.json", want: TimerEvent{TriggerName: "EveryDay", Time: time.Date(2019, 2, 21, 11, 49, 0, 0, time.UTC), Message: "<argument>"}},
		{file: "timer_no_message.json", want: TimerEvent{TriggerName: "resume-jobs", Time: time.Date(2026, 1, 1, 0, 5, 0, 0, time.UTC)}},
		{file: "timer_bad_time.json", err: ErrMalformed},
		{file: "cos_doc.json", err: ErrWrongKind},
		{file: "http_function_url_doc.json", err: ErrWrongKind},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseTimer(readTestdata(t, tt.file))
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if _, err := ParseTimer([]byte(`{"Type":"Timer",`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("truncated JSON: %v", err)
	}
}
