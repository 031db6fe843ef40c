// Command send-sms is the SCF function behind the COS triggers on uploads/,
// suppress/ and unsuppress/ and the resume timer: it turns an uploaded CSV
// into an SMS campaign, keeps the suppression list and pulls replies.
package main

import (
	"context"
	"encoding/json"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/optout/listupload"
	"github.com/smsjump/smsjump/shared/scf/serve"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/setup"
	"github.com/smsjump/smsjump/shared/setup/lists"
	"github.com/smsjump/smsjump/shared/store"
)

func main() {
	cfg, log, err := setup.Init(config.NeedStore, config.NeedBucket, config.NeedSMS)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	ctx := context.Background()
	st, err := setup.Store(ctx, cfg, log)
	if err == nil {
		var svc *send.Service
		svc, err = service(ctx, cfg, st)
		if err == nil {
			serve.Start(serve.JSON(func(ctx context.Context, event json.RawMessage) (send.Reply, error) {
				return svc.Handle(ctx, event)
			}))
			return
		}
	}
	setup.StartFailed(log, err)
}

func service(ctx context.Context, cfg *config.Config, st store.Store) (*send.Service, error) {
	bucket, err := setup.Bucket(ctx, cfg)
	if err != nil {
		return nil, err
	}
	sender, err := setup.SMS(cfg, nil)
	if err != nil {
		return nil, err
	}
	gate, optOuts, err := lists.Audience(cfg, st, nil)
	if err != nil {
		return nil, err
	}
	links := link.NewRegistry(st, cfg.Campaigns, link.Options{})
	return send.New(send.Options{
		Bucket: bucket, BucketName: cfg.COS.Bucket, KeyPrefix: setup.BucketPrefix(cfg), Store: st, Sender: sender,
		Links: send.Registry(links, nil),
		Defaults: campaign.Defaults{
			SDKAppID: cfg.SMS.SdkAppID, SignName: cfg.SMS.SignName, TemplateID: cfg.SMS.TemplateID,
			TemplateText: cfg.SMS.TemplateText, LinkBaseURL: cfg.Link.BaseURL, QPS: cfg.SMS.QPS,
			TargetPath: cfg.Link.TargetPath,
		},
		EnvVersion: cfg.WeChat.EnvVersion, QPS: cfg.SMS.QPS,
		SafetyMargin: cfg.Send.SafetyMargin, LeaseTTL: cfg.Send.LeaseTTL,
		WindowMargin: cfg.Send.WindowMargin, ManifestWait: cfg.Send.ManifestWait,
		Audience: gate, OnObject: listupload.New(optOuts.Audience(), nil).Hook(bucket),
		OnTimer: []send.TimerHook{func(ctx context.Context, _ *send.Service, _ []send.JobInfo) error {
			optOuts.Tick(ctx, sender, cfg.SMS.SdkAppID)
			return nil
		}, followupHook(cfg, sender, links)},
	})
}
