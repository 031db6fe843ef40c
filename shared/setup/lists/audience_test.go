package lists

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/store"
)

// TestAudienceWarnsAboutLocalStores: a cap on an instance-local store is
// said at start-up, in Chinese, through the default logger when none is
// given (send-sms's main passes none).
func TestAudienceWarnsAboutLocalStores(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(old)
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := &config.Config{StoreURL: "bolt:///tmp/x.db", Audience: config.Audience{FrequencyCap: "1/24h"}}
	gate, lists, err := Audience(cfg, st, nil)
	if err != nil || gate == nil || lists == nil {
		t.Fatalf("Audience: %v %v %v", gate, lists, err)
	}
	if !strings.Contains(buf.String(), "redis://") || !strings.Contains(buf.String(), "FREQUENCY_CAP") {
		t.Errorf("no start-up warning: %q", buf.String())
	}
	cfg.Audience.FrequencyCap = "1/0h"
	if _, _, err := Audience(cfg, st, nil); err == nil || !strings.Contains(err.Error(), "FREQUENCY_CAP") {
		t.Errorf("bad cap: %v", err)
	}
}
