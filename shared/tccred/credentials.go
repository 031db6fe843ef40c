// Package tccred reads Tencent Cloud credentials from the environment, where
// SCF injects the temporary keys of the function's execution role, and hands
// them to the SDKs without ever letting a secret reach a log line.
package tccred

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// Names of the variables SCF sets from the function's execution role. Users
// cannot set names starting with TENCENTCLOUD_ on SCF; local runs export them.
const (
	EnvSecretID     = "TENCENTCLOUD_SECRETID"
	EnvSecretKey    = "TENCENTCLOUD_SECRETKEY"
	EnvSessionToken = "TENCENTCLOUD_SESSIONTOKEN"
)

// ErrMissing is the kind of error FromEnv returns when a required variable is
// unset or empty; the error text names the variables.
var ErrMissing = errors.New("tccred: credentials missing")

// MissingError names the variables that were absent.
type MissingError struct {
	Vars []string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("tencent cloud credentials: set %s (on SCF, give the function an execution role)",
		strings.Join(e.Vars, " and "))
}

// Is makes errors.Is(err, ErrMissing) true.
func (e *MissingError) Is(target error) bool { return target == ErrMissing }

// Credentials is one snapshot of a key pair and its optional session token
// (temporary credentials always have one, permanent keys never).
//
// Every way of printing it masks the secrets: fmt verbs, slog, JSON.
type Credentials struct {
	SecretID     string
	SecretKey    string
	SessionToken string
}

// FromEnv reads the credentials anew at every call, so that values rotated by
// the platform between invocations are picked up. SecretID and SecretKey are
// required; the session token is optional.
func FromEnv() (Credentials, error) {
	return fromLookup(os.Getenv)
}

func fromLookup(getenv func(string) string) (Credentials, error) {
	c := Credentials{
		SecretID:     strings.TrimSpace(getenv(EnvSecretID)),
		SecretKey:    strings.TrimSpace(getenv(EnvSecretKey)),
		SessionToken: strings.TrimSpace(getenv(EnvSessionToken)),
	}
	var missing []string
	if c.SecretID == "" {
		missing = append(missing, EnvSecretID)
	}
	if c.SecretKey == "" {
		missing = append(missing, EnvSecretKey)
	}
	if missing != nil {
		return Credentials{}, &MissingError{Vars: missing}
	}
	return c, nil
}

// Temporary reports whether these are session credentials.
func (c Credentials) Temporary() bool { return c.SessionToken != "" }

// String shows the first characters of the SecretID (enough to tell two keys
// apart in a log) and only whether the other two fields are set.
func (c Credentials) String() string {
	return fmt.Sprintf("{SecretID:%s SecretKey:%s SessionToken:%s}",
		maskID(c.SecretID), redacted(c.SecretKey), redacted(c.SessionToken))
}

// Format routes every fmt verb (%v, %+v, %#v, %s, %d, %x…) through String, so
// no verb prints the raw fields.
func (c Credentials) Format(f fmt.State, verb rune) {
	_, _ = f.Write([]byte(c.String()))
}

// LogValue implements slog.LogValuer with the same masking as String.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("secret_id", maskID(c.SecretID)),
		slog.String("secret_key", redacted(c.SecretKey)),
		slog.String("session_token", redacted(c.SessionToken)),
	)
}

// MarshalJSON masks too: a struct that embeds Credentials and is dumped as JSON
// must not leak them.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"secret_id":     maskID(c.SecretID),
		"secret_key":    redacted(c.SecretKey),
		"session_token": redacted(c.SessionToken),
	})
}

// maskID keeps a prefix short enough that it identifies a key without
// weakening it (SecretIDs are public identifiers, but keep the habit).
func maskID(id string) string {
	const keep = 6
	if id == "" {
		return "<unset>"
	}
	if len(id) <= keep {
		return "****"
	}
	return id[:keep] + "****"
}

func redacted(s string) string {
	if s == "" {
		return "<unset>"
	}
	return "<redacted>"
}
