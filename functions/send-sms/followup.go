package main

import (
	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/followup"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/sms"
)

// followupHook is the timer's receipts and reports work: receipts pulled
// when SMS_RECEIPT_PULL is on (pushed ones arrive through get-scheme), each
// job's funnel kept current for RECEIPT_WINDOW after its last send.
func followupHook(cfg *config.Config, sender *sms.Tencent, links *link.Registry) send.TimerHook {
	o := followup.Options{Window: cfg.Receipts.Window, CodeRow: followup.CodeRows(links)}
	if cfg.Receipts.Pull {
		o.Puller, o.SdkAppID = sender, cfg.SMS.SdkAppID
	}
	return followup.New(o).Hook()
}
