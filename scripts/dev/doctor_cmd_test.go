package main

import (
	"os"
	"path/filepath"
	"testing"
)

// After the scf CLI's QR login the keys are only in .env: doctor --live
// finds them there, and never lets the file override the environment.
func TestDoctorReadsTheCLILoginKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(path, []byte("# written by scf\nTENCENT_APP_ID=1250000000\nTENCENT_SECRET_ID=AKIDfromfile\nTENCENT_SECRET_KEY='keyfromfile'\nTENCENT_TOKEN=\"tok\"\nSTORE_URL=ignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TENCENT_SECRET_KEY": "keyfromenv"}
	get := withDotEnv(func(k string) string { return env[k] }, path)
	for k, want := range map[string]string{
		"TENCENT_SECRET_ID": "AKIDfromfile", "TENCENT_SECRET_KEY": "keyfromenv", "TENCENT_TOKEN": "tok", "STORE_URL": "",
	} {
		if got := get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := withDotEnv(func(string) string { return "" }, filepath.Join(t.TempDir(), "none"))("TENCENT_SECRET_ID"); got != "" {
		t.Errorf("no file: %q", got)
	}
}
