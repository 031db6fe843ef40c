package config

import (
	"slices"
	"strings"
	"testing"
)

func TestAudienceVariables(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Audience.FrequencyCap != "off" || c.Audience.OptOutWords != nil {
		t.Errorf("defaults: %+v", c.Audience)
	}
	c, err = Load(env(map[string]string{"FREQUENCY_CAP": "1/24h, 3/7d", "OPT_OUT_WORDS": "R，退订, stop ,,"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Audience.FrequencyCap != "1/24h, 3/7d" || !slices.Equal(c.Audience.OptOutWords, []string{"R", "退订", "stop"}) {
		t.Errorf("parsed: %+v", c.Audience)
	}
	for _, bad := range []string{"1 per day", "1/24", "daily", "1/24h;3/7d"} {
		if _, err := Load(env(map[string]string{"FREQUENCY_CAP": bad})); err == nil || !strings.Contains(err.Error(), "FREQUENCY_CAP") {
			t.Errorf("FREQUENCY_CAP=%q: %v", bad, err)
		}
	}
}
