package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// timerSpec is one timer trigger of serverless.yml.
type timerSpec struct {
	function string
	name     string // TriggerName
	cron     string // SCF's 7 fields: sec min hour day month weekday year
	argument string // Message
}

// timerSpecs mirror serverless.yml's timer triggers (TestSpecsMatchServerless
// keeps them equal).
var timerSpecs = []timerSpec{
	{function: fnSendSMS, name: "send-sms-resume", cron: "0 */2 * * * * *", argument: "resume"},
	{function: fnTokenRefresh, name: "token-refresh-5min", cron: "0 */5 * * * * *", argument: "refresh"},
}

// timerEvent encodes what a timer trigger sends:
// {"Type":"Timer","TriggerName":…,"Time":"2019-02-21T11:49:00Z","Message":…}.
func timerEvent(t timerSpec, at time.Time) ([]byte, error) {
	return json.Marshal(map[string]string{
		"Type":        "Timer",
		"TriggerName": t.name,
		"Time":        at.UTC().Format(time.RFC3339),
		"Message":     t.argument,
	})
}

// cronSpec turns SCF's 7-field expression into robfig/cron's 6 fields
// (seconds first) by dropping the year, which must be "*": a timer limited to
// some years cannot be emulated faithfully, so it is refused.
func cronSpec(scf string) (string, error) {
	if strings.HasPrefix(scf, "@every ") {
		return scf, nil // --resume-every
	}
	f := strings.Fields(scf)
	if len(f) != 7 {
		return "", fmt.Errorf("cron %q: SCF expects 7 fields (sec min hour day month weekday year), got %d", scf, len(f))
	}
	if f[6] != "*" {
		return "", fmt.Errorf("cron %q: only year * is supported by the emulator", scf)
	}
	return strings.Join(f[:6], " "), nil
}
