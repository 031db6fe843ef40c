package config

import (
	"strings"
	"testing"
	"time"
)

func TestSendVariables(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Send.WindowMargin != 2*time.Minute || c.Send.ManifestWait != 30*time.Minute {
		t.Errorf("defaults: %+v", c.Send)
	}
	if c.Send.SafetyMargin != 30*time.Second || c.Send.LeaseTTL != time.Minute || c.SMS.Timeout != 10*time.Second || c.Send.BucketURL != "" {
		t.Errorf("defaults: %+v %+v", c.Send, c.SMS)
	}
	c, err = Load(env(map[string]string{
		"SEND_BUCKET_URL": "file:///srv/b", "SEND_SAFETY_MARGIN": "5s", "SEND_LEASE_TTL": "10s",
		"SEND_WINDOW_MARGIN": "5m", "SEND_MANIFEST_WAIT": "2h",
		"SMS_TIMEOUT": "3s", "SMS_TEMPLATE_TEXT": "您好{1}",
		"SMS_SDK_APP_ID": "1400000001", "SMS_SIGN_NAME": "s", "SMS_TEMPLATE_ID": "1",
	}), NeedBucket, NeedSMS)
	if err != nil {
		t.Fatal(err) // SEND_BUCKET_URL stands in for BUCKET and COS_REGION
	}
	if c.Send.SafetyMargin != 5*time.Second || c.Send.LeaseTTL != 10*time.Second || c.SMS.Timeout != 3*time.Second || c.SMS.TemplateText != "您好{1}" ||
		c.Send.WindowMargin != 5*time.Minute || c.Send.ManifestWait != 2*time.Hour {
		t.Errorf("parsed: %+v %+v", c.Send, c.SMS)
	}
	_, err = Load(env(map[string]string{"SEND_SAFETY_MARGIN": "forever", "SEND_LEASE_TTL": "1ms",
		"SEND_WINDOW_MARGIN": "2", "SEND_MANIFEST_WAIT": "1s"}))
	if err == nil || !strings.Contains(err.Error(), "SEND_SAFETY_MARGIN") || !strings.Contains(err.Error(), "SEND_LEASE_TTL") ||
		!strings.Contains(err.Error(), "SEND_WINDOW_MARGIN") || !strings.Contains(err.Error(), "SEND_MANIFEST_WAIT") {
		t.Errorf("bad values: %v", err)
	}
	if _, err := Load(env(nil), NeedBucket); err == nil || !strings.Contains(err.Error(), "BUCKET") {
		t.Errorf("missing bucket: %v", err)
	}
}
