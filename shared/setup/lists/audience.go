// Package lists builds the account's suppression list and frequency cap
// from configuration. It is apart from setup because token-refresh has no
// use for the lists (audience, optout and what they link).
package lists

import (
	"fmt"
	"log/slog"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/optout"
	"github.com/smsjump/smsjump/shared/store"
)

// Audience builds the suppression list and frequency cap (FREQUENCY_CAP,
// OPT_OUT_WORDS) over st: the gate send-sms jobs consult and the service
// that feeds the list. It warns when the store cannot keep the cap well.
func Audience(cfg *config.Config, st store.Store, log *slog.Logger) (*audience.Gate, *optout.Service, error) {
	if log == nil {
		log = slog.Default()
	}
	c, err := audience.ParseCap(cfg.Audience.FrequencyCap)
	if err != nil {
		return nil, nil, fmt.Errorf("FREQUENCY_CAP: %w", err)
	}
	if len(c) > 0 {
		if advice := audience.StoreAdvice(cfg.StoreURL); advice != "" {
			log.Warn(advice, "frequency_cap", c.String())
		}
	}
	aud := audience.New(st, nil)
	return audience.NewGate(aud, c, log), optout.New(aud, audience.NewStopWords(cfg.Audience.OptOutWords), log), nil
}
