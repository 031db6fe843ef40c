// Package setup builds the clients every function's main needs from the
// configuration (logger, store, WeChat client, token source), so that each
// main.go stays a few readable lines.
package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/jssdk"
	"github.com/smsjump/smsjump/shared/logging"
	"github.com/smsjump/smsjump/shared/scf/serve"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/token"
	"github.com/smsjump/smsjump/shared/wechat"
)

// Logger installs and returns the process logger: JSON on SCF, where the log
// service indexes fields, text elsewhere.
func Logger(cfg *config.Config) *slog.Logger {
	l := logging.New(os.Stdout, cfg == nil || cfg.OnSCF, slog.LevelInfo)
	slog.SetDefault(l)
	return l
}

// Init starts every function's main: it reads the configuration (asking
// only for needs), installs the logger and sizes the Go heap to the
// function's memory. The logger is usable even when err is not nil.
func Init(needs ...config.Need) (*config.Config, *slog.Logger, error) {
	cfg, err := config.Load(os.Getenv, needs...)
	log := Logger(cfg)
	LimitMemory(log)
	return cfg, log, err
}

// Store opens STORE_URL; a cos:// store follows COS_ENDPOINT/COS_PATH_STYLE.
func Store(ctx context.Context, cfg *config.Config, log *slog.Logger) (store.Store, error) {
	u := store.FillCOSEndpoint(cfg.StoreURL, cfg.COS.Endpoint, cfg.COS.PathStyle)
	st, err := store.Open(ctx, u, store.WithLogger(log))
	if err != nil {
		// store's errors show the URL's parts with the password masked.
		return nil, fmt.Errorf("open STORE_URL: %w", err)
	}
	return st, nil
}

// WeChat returns the WeChat API client.
func WeChat(cfg *config.Config, log *slog.Logger) *wechat.Client {
	c := wechat.New(cfg.WeChat.APIBase, cfg.WeChat.AppID, cfg.WeChat.Secret, nil)
	c.Logger = log
	return c
}

// Tokens returns the shared access-token source.
func Tokens(cfg *config.Config, wc *wechat.Client, st store.Store, log *slog.Logger) *token.Source {
	return token.New(wc, st, token.Options{AppID: cfg.WeChat.AppID, Margin: cfg.Token.RefreshMargin, Logger: log})
}

// StartFailed serves a function whose configuration is broken: every
// invocation fails with the configuration error, so the operator sees what
// to fix in the invocation log instead of an opaque start-up failure.
func StartFailed(log *slog.Logger, err error) {
	log.Error("function cannot start", "err", err)
	serve.Start(serve.JSON(func(context.Context, json.RawMessage) (json.RawMessage, error) {
		return nil, err
	}))
}

// Signer returns the JS-SDK page signer of the configured service account
// (WECHAT_OA_APPID), or nil when none is configured.
func Signer(cfg *config.Config, st store.Store, log *slog.Logger) *jssdk.Signer {
	if cfg.WeChat.OAAppID == "" {
		return nil
	}
	c := wechat.New(cfg.WeChat.APIBase, cfg.WeChat.OAAppID, cfg.WeChat.OASecret, nil)
	c.Logger = log
	return jssdk.New(c, st, cfg.Token.RefreshMargin, nil, log)
}
