package config

import (
	"strings"
	"testing"
	"time"
)

func TestReceiptSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Receipts != (Receipts{Window: 72 * time.Hour}) {
		t.Errorf("defaults: %+v", c.Receipts)
	}
	tok := "0123456789abcdef0123456789abcdef"
	c, err = Load(env(map[string]string{"CALLBACK_TOKEN": tok, "RECEIPT_WINDOW": "24h", "SMS_RECEIPT_PULL": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Receipts != (Receipts{CallbackToken: tok, Window: 24 * time.Hour, Pull: true}) {
		t.Errorf("values: %+v", c.Receipts)
	}
	// A weak token is refused, and the error does not echo it.
	_, err = Load(env(map[string]string{"CALLBACK_TOKEN": "guessable/x", "RECEIPT_WINDOW": "5m"}))
	if err == nil || !strings.Contains(err.Error(), "CALLBACK_TOKEN") || !strings.Contains(err.Error(), "RECEIPT_WINDOW") ||
		strings.Contains(err.Error(), "guessable") {
		t.Fatalf("err = %v", err)
	}
}
