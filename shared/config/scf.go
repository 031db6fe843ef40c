package config

import (
	"net/url"
	"path"
	"strings"
)

// onSCF tells whether the process is an SCF function instance. SCF sets
// TENCENTCLOUD_RUNENV=SCF and the SCF_* built-ins; either is enough, since a
// function must not be treated as a local run because one of them is missing.
func onSCF(getenv func(string) string) bool {
	return getenv("TENCENTCLOUD_RUNENV") == "SCF" || getenv("SCF_FUNCTIONNAME") != ""
}

// LocalHostEnv is set by shared/scf/host, which runs every instance of a
// function on one machine: a file there is shared by all instances. Real SCF
// never sets it, and nobody can set it on SCF (names starting SCF_ are
// reserved), so it cannot switch the check below off in production.
const LocalHostEnv = "SCF_LOCAL_HOST"

// instanceLocalStore explains why a store URL cannot work on SCF, or
// returns "". Instances share nothing but the network: a memory store or a
// bbolt file in an instance's /tmp is seen by that instance alone, so the
// "send each number once" claim and the resume of a paused job would
// silently fail as soon as a second instance runs.
func instanceLocalStore(storeURL string, getenv func(string) string) string {
	u, err := url.Parse(storeURL)
	if err != nil {
		return ""
	}
	switch u.Scheme {
	case "mem":
		return "=mem:// keeps state inside one instance; SCF runs many instances that must share it " +
			"(idempotency and resume would silently fail): use redis://… or cos://bucket-appid/prefix?region=…"
	case "bolt":
		p := path.Clean("/" + strings.TrimPrefix(u.Host+u.Path, "/"))
		if (p == "/tmp" || strings.HasPrefix(p, "/tmp/")) && getenv(LocalHostEnv) == "" {
			return "=bolt:///tmp/… is a file in one instance's own /tmp; other instances never see it " +
				"(idempotency and resume would silently fail): use redis://… or cos://bucket-appid/prefix?region=…"
		}
	}
	return ""
}
