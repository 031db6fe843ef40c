package funnel

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// OpenTimeout bounds the store write of an open: the visitor already has
// the scheme, and a slow store must not hold the function's answer long.
const OpenTimeout = time.Second

// OnOpen returns the hook get-scheme calls after answering with a scheme
// (scheme.Options.OnOpen): it counts one Opened hit and logs, without the
// code, when the store refuses.
func (r *Recorder) OnOpen(now func() time.Time, log *slog.Logger) func(*http.Request, string, string) {
	return func(req *http.Request, campaign, code string) {
		ctx, cancel := context.WithTimeout(req.Context(), OpenTimeout)
		defer cancel()
		err := r.Record(ctx, Hit{Campaign: campaign, Code: code, Event: Opened, Platform: Classify(req.UserAgent()), At: now()})
		if err != nil {
			log.WarnContext(ctx, "funnel: open not counted", "campaign", campaign, "err", err)
		}
	}
}
