package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/store"
)

// TestCheckCountsLocalLists: check reads the emulator's store: a number on
// the suppression list is reported as opted out, and --live without
// STORE_URL says what to set.
func TestCheckCountsLocalLists(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	ctx := context.Background()
	dir := t.TempDir()
	lay := layout{root: filepath.Join(dir, ".smsjump")}
	if err := os.MkdirAll(lay.root, 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, lay.storeURL())
	if err != nil {
		t.Fatal(err)
	}
	k, _ := phone.Key("+8613800138002")
	if _, err := audience.New(st, nil).List.Add(ctx, []audience.Entry{{Key: k, Source: audience.SourceReply}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	m, _ := os.ReadFile("check/testdata/manifest.json")
	mf := filepath.Join(dir, "m.json")
	// Marketing: opt-outs apply.
	if err := os.WriteFile(mf, []byte(strings.NewReplacer(`"notification"`, `"marketing"`, `进入小程序。`, `进入小程序，拒收请回复R`).Replace(string(m))), 0o644); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(csvPath, []byte("phone,name\n13800138001,a\n13800138002,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command(emulatorBinary(t), "check", csvPath, "--manifest", mf, "--out", out, "--dir", lay.root)
	cmd.Env = append(os.Environ(), "FREQUENCY_CAP=1/24h")
	if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "已退订") {
		t.Fatalf("check: %v\n%s", err, b)
	}
	var s struct {
		Valid    int  `json:"valid"`
		OptedOut int  `json:"opted_out"`
		Checked  bool `json:"audience_checked"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &s); err != nil || s.Valid != 1 || s.OptedOut != 1 || !s.Checked {
		t.Errorf("summary %s: %+v %v", b, s, err)
	}

	cmd = exec.Command(emulatorBinary(t), "check", csvPath, "--manifest", mf, "--out", out, "--live")
	cmd.Env = append(os.Environ(), "STORE_URL=")
	if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "STORE_URL") {
		t.Errorf("--live without STORE_URL: %v\n%s", err, b)
	}
}
