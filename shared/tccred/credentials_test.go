package tccred

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const (
	testID     = "AKIDexampleSECRETID0123"
	testKey    = "topSecretKeyValue987"
	testToken  = "sessionTokenValue-abcdef"
	wantMasked = "AKIDex****"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name        string
		id, key, tk string
		wantMissing []string
		wantTemp    bool
	}{
		{name: "permanent keys", id: testID, key: testKey},
		{name: "temporary keys", id: testID, key: testKey, tk: testToken, wantTemp: true},
		{name: "surrounding spaces are trimmed", id: " " + testID + "\n", key: testKey + " ", wantTemp: false},
		{name: "no id", key: testKey, wantMissing: []string{EnvSecretID}},
		{name: "no key", id: testID, tk: testToken, wantMissing: []string{EnvSecretKey}},
		{name: "nothing", wantMissing: []string{EnvSecretID, EnvSecretKey}},
		{name: "blank counts as missing", id: "  ", key: "\t", wantMissing: []string{EnvSecretID, EnvSecretKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvSecretID, tt.id)
			t.Setenv(EnvSecretKey, tt.key)
			t.Setenv(EnvSessionToken, tt.tk)
			c, err := FromEnv()
			if tt.wantMissing != nil {
				if !errors.Is(err, ErrMissing) {
					t.Fatalf("err = %v, want ErrMissing", err)
				}
				var me *MissingError
				if !errors.As(err, &me) || strings.Join(me.Vars, ",") != strings.Join(tt.wantMissing, ",") {
					t.Fatalf("missing = %v, want %v", me, tt.wantMissing)
				}
				for _, v := range tt.wantMissing {
					if !strings.Contains(err.Error(), v) {
						t.Errorf("error %q does not name %s", err, v)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.SecretID != testID || c.SecretKey != testKey {
				t.Errorf("got %q/%q", c.SecretID, c.SecretKey)
			}
			if c.Temporary() != tt.wantTemp {
				t.Errorf("Temporary() = %v, want %v", c.Temporary(), tt.wantTemp)
			}
		})
	}
}

func TestFromEnvRereads(t *testing.T) {
	t.Setenv(EnvSecretID, "AKIDfirst")
	t.Setenv(EnvSecretKey, "k1")
	t.Setenv(EnvSessionToken, "t1")
	first, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvSecretID, "AKIDsecond")
	t.Setenv(EnvSecretKey, "k2")
	t.Setenv(EnvSessionToken, "t2")
	second, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if first == second || second.SessionToken != "t2" {
		t.Fatalf("rotation not picked up: %v then %v", first, second)
	}
}

// TestNoSecretInOutput prints the credentials every way a careless caller
// might and checks that neither secret appears.
func TestNoSecretInOutput(t *testing.T) {
	c := Credentials{SecretID: testID, SecretKey: testKey, SessionToken: testToken}
	type wrapper struct {
		Name  string
		Creds Credentials
	}
	var outputs = map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T%v"} {
		outputs["fmt "+verb] = fmt.Sprintf(verb, c)
		outputs["fmt wrapper "+verb] = fmt.Sprintf(verb, wrapper{"w", c})
		outputs["fmt pointer "+verb] = fmt.Sprintf(verb, &c)
	}
	outputs["String"] = c.String()
	j, err := json.Marshal(wrapper{"w", c})
	if err != nil {
		t.Fatal(err)
	}
	outputs["json"] = string(j)
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("creds", "creds", c, "any", any(c))
		outputs[name] = buf.String()
	}
	for name, out := range outputs {
		for _, secret := range []string{testKey, testToken, testID} {
			if strings.Contains(out, secret) {
				t.Errorf("%s leaks a secret: %s", name, out)
			}
			if strings.Contains(strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", secret))) {
				t.Errorf("%s leaks a hex-encoded secret: %s", name, out)
			}
		}
	}
	if !strings.Contains(outputs["String"], wantMasked) {
		t.Errorf("String() = %q, want the masked id %q so keys can be told apart", outputs["String"], wantMasked)
	}
	if !strings.Contains(outputs["slog json"], wantMasked) {
		t.Errorf("slog output %q lacks the masked id", outputs["slog json"])
	}
}

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "<unset>"},
		{"AKID", "****"},
		{"AKIDab", "****"},
		{"AKIDabc", "AKIDab****"},
	}
	for _, tt := range tests {
		if got := maskID(tt.in); got != tt.want {
			t.Errorf("maskID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
