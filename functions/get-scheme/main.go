// Command get-scheme is the SCF HTTP function (Function URL or legacy API
// Gateway) that answers the H5 page with a WeChat URL Scheme for a link.
package main

import (
	"context"
	"os"

	"github.com/tencentyun/scf-go-lib/cloudfunction"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/scf"
	"github.com/smsjump/smsjump/shared/scheme"
	"github.com/smsjump/smsjump/shared/setup"
)

func main() {
	cfg, log, err := setup.Init(scheme.ConfigNeeds(os.Getenv)...)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	st, err := setup.Store(context.Background(), cfg, log)
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	wc := setup.WeChat(cfg, log)
	links := link.NewRegistry(st, cfg.Campaigns, link.Options{})
	svc, err := scheme.New(links, st, wc, setup.Tokens(cfg, wc, st, log), scheme.FromConfig(cfg, log))
	if err != nil {
		setup.StartFailed(log, err)
		return
	}
	cloudfunction.StartHandler(scf.HTTPInvoker(svc))
}
