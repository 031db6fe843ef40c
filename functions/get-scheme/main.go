// Command get-scheme is the SCF HTTP function (Function URL or legacy API
// Gateway) that answers the H5 page with a WeChat URL Scheme for a link,
// counts opens and page beacons, and takes delivery receipt and reply callbacks.
package main

import (
	"context"
	"os"
	"time"

	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/scf"
	"github.com/smsjump/smsjump/shared/scf/serve"
	"github.com/smsjump/smsjump/shared/scheme"
	"github.com/smsjump/smsjump/shared/setup"
)

func main() {
	cfg, log, err := setup.Init(needs(os.Getenv, scheme.ConfigNeeds(os.Getenv))...)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	ctx := context.Background()
	st, err := setup.Store(ctx, cfg, log)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	rec, err := funnel.NewRecorder(st)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	wc := setup.WeChat(cfg, log)
	links := link.NewRegistry(st, cfg.Campaigns, link.Options{})
	opts := scheme.FromConfig(cfg, log)
	opts.OnOpen = rec.OnOpen(time.Now, log)
	if sg := setup.Signer(cfg, st, log); sg != nil {
		opts.Signer = sg
	}
	svc, err := scheme.New(links, st, wc, setup.Tokens(cfg, wc, st, log), opts)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	h, err := routes(ctx, cfg, log, st, rec, svc)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	serve.Start(scf.HTTPInvoker(h))
}
