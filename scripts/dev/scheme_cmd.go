package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

// runScheme is `scheme --path P [--query Q] [--env-version V] [--days N] [--live]`:
// one generatescheme call through the real client, against the sandbox or
// (--live) WeChat, plus the plaintext scheme of the same target.
func runScheme(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("scheme", flag.ContinueOnError)
	path := fs.String("path", "", "mini-program page, e.g. pages/index/index (empty: home page)")
	query := fs.String("query", "", "query passed to the page, e.g. from=sms&id=1")
	envVersion := fs.String("env-version", wechat.EnvRelease, "release, trial or develop")
	days := fs.Int("days", 30, "validity of the encrypted scheme in days (1–30)")
	live := fs.Bool("live", false, "ask WeChat (WECHAT_APPID, WECHAT_SECRET, optional WECHAT_API_BASE)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("scheme takes no arguments, got %q", pos[0])
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	appID, secret, base := os.Getenv("WECHAT_APPID"), os.Getenv("WECHAT_SECRET"), envOr("WECHAT_API_BASE", "https://api.weixin.qq.com")
	if *live {
		var missing []string
		for _, v := range []struct{ name, val string }{{"WECHAT_APPID", appID}, {"WECHAT_SECRET", secret}} {
			if v.val == "" {
				missing = append(missing, v.name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("scheme --live needs %v in the environment", missing)
		}
	} else {
		appID, secret = sandboxAppID, randomHex(16)
		sb, err := wxapi.Start(wxapi.Options{AppID: appID, Secret: secret, Logger: log})
		if err != nil {
			return err
		}
		defer sb.Close()
		base = sb.URL()
	}

	wc := wechat.New(base, appID, secret, nil)
	wc.Logger = log
	req := wechat.SchemeRequest{Path: *path, Query: *query, EnvVersion: *envVersion, ExpireInterval: *days}
	if err := req.Validate(time.Now()); err != nil {
		return err
	}
	tok, err := wc.StableToken(ctx, false)
	if err != nil {
		return fmt.Errorf("access token: %w", err)
	}
	s, err := wc.GenerateScheme(ctx, tok.AccessToken, req)
	if err != nil {
		return fmt.Errorf("generate scheme: %w", err)
	}
	source := "sandbox (not openable on a phone)"
	if *live {
		source = "WeChat"
	}
	fmt.Printf("encrypted: %s\n  expires %s, from %s\n", s.OpenLink, s.ExpiresAt.Format(time.RFC3339), source)
	if err := wechat.ValidatePlaintextTarget(appID, *path, *query, *envVersion); err == nil {
		fmt.Printf("plaintext: %s\n  needs the page declared in the MP admin (明文 scheme 拉起此小程序)\n",
			wechat.PlaintextScheme(appID, *path, *query, *envVersion))
	} else {
		fmt.Printf("plaintext: not possible: %v\n", err)
	}
	return nil
}
