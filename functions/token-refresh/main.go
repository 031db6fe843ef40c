// Command token-refresh is the SCF timer function that keeps the shared
// WeChat access token fresh and reports the remaining daily scheme opens.
package main

import (
	"context"
	"encoding/json"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/scf"
	"github.com/smsjump/smsjump/shared/scf/serve"
	"github.com/smsjump/smsjump/shared/setup"
	"github.com/smsjump/smsjump/shared/tokenrefresh"
)

func main() {
	cfg, log, err := setup.Init(config.NeedWeChat, config.NeedStore)
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
	svc := &tokenrefresh.Service{
		Tokens:      setup.Tokens(cfg, wc, st, log),
		WeChat:      wc,
		ProbeScheme: cfg.Token.ProbeScheme,
		WarnBelow:   cfg.Token.QuotaWarnBelow,
		Logger:      log,
	}
	serve.Start(serve.JSON(func(ctx context.Context, event json.RawMessage) (tokenrefresh.Result, error) {
		// A manual test invocation from the console ({}) is not a timer event:
		// run it all the same.
		ev, _ := scf.ParseTimer(event)
		return svc.Handle(ctx, ev)
	}))
}
