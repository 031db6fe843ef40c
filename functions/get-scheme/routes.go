package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/smsjump/smsjump/shared/callback"
	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/optout"
	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/setup"
	"github.com/smsjump/smsjump/shared/setup/lists"
	"github.com/smsjump/smsjump/shared/store"
)

// routes puts the beacon endpoints and the callbacks beside the scheme
// service on the Function URL; everything else is the scheme service.
func routes(ctx context.Context, cfg *config.Config, log *slog.Logger, st store.Store, rec *funnel.Recorder, svc http.Handler) (http.Handler, error) {
	mux := http.NewServeMux()
	beacons := funnel.NewHandler(rec, funnel.HandlerOptions{AllowedOrigins: cfg.CORS.AllowedOrigins, Logger: log})
	mux.Handle(funnel.BeaconPath, beacons)
	mux.Handle(funnel.ArrivePath, beacons)
	cb, err := callback.New(cfg.Receipts.CallbackToken)
	if err != nil {
		return nil, err
	}
	if cfg.Receipts.CallbackToken != "" {
		bucket, err := setup.Bucket(ctx, cfg)
		if err != nil {
			return nil, err
		}
		cb.Handle(receipt.CallbackName, &receipt.PushHandler{Inbox: receipt.NewInbox(bucket, time.Now), Log: log})
		// Stop replies go straight onto the suppression list in the store.
		_, optOuts, err := lists.Audience(cfg, st, log)
		if err != nil {
			return nil, err
		}
		cb.Handle(optout.CallbackName, optOuts.CallbackHandler())
	}
	mux.Handle(callback.Prefix, cb)
	mux.Handle("/", svc)
	return mux, nil
}

// needs adds the bucket to the scheme service's needs when callbacks are
// on: receipts are kept there for the send-sms timer.
func needs(getenv func(string) string, base []config.Need) []config.Need {
	if getenv("CALLBACK_TOKEN") != "" {
		return append(base, config.NeedBucket)
	}
	return base
}
