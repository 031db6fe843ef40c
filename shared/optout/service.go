package optout

import (
	"context"
	"log/slog"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sms"
)

// attributionWindow is how far back a reply looks for the campaign it
// answers.
const attributionWindow = 3 * 24 * time.Hour

// Service turns replies, uploads and blacklist answers into list entries.
type Service struct {
	aud  *audience.Audience
	stop *audience.StopWords
	log  *slog.Logger
}

// New returns a Service; stop nil means audience.DefaultStopWords.
func New(aud *audience.Audience, stop *audience.StopWords, log *slog.Logger) *Service {
	if stop == nil {
		stop = audience.NewStopWords(nil)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Service{aud: aud, stop: stop, log: log}
}

// Audience is the audience whose list the service feeds.
func (s *Service) Audience() *audience.Audience { return s.aud }

// Replies adds the senders of stop replies to the list and reports how
// many replies were stop replies. The campaign a reply answers is the last
// marketing campaign that messaged the number within three days, when the
// sent ledger knows one.
func (s *Service) Replies(ctx context.Context, replies []sms.Reply) (int, error) {
	var entries []audience.Entry
	for _, r := range replies {
		if !s.stop.IsStop(r.Text) {
			continue
		}
		// Mainland accepts exactly what the campaign's CSV reader accepts,
		// without libphonenumber: get-scheme's reply callback comes here.
		e164, ok := phone.Mainland(r.Phone)
		if !ok {
			s.log.Warn("optout: stop reply from an unusable number ignored", "phone", phone.Mask(r.Phone))
			continue
		}
		k, _ := phone.Key(e164)
		e := audience.Entry{Key: k, Source: audience.SourceReply}
		if !r.Time.IsZero() {
			e.Time = r.Time.Unix()
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		return 0, nil
	}
	keys := make([]uint64, len(entries))
	for i, e := range entries {
		keys[i] = e.Key
	}
	camps, err := s.aud.Ledger.LastCampaigns(ctx, keys, attributionWindow)
	if err != nil {
		// Attribution is a courtesy; the opt-out itself must not wait.
		s.log.Warn("optout: campaigns of replies unknown", "err", err)
	}
	for i := range entries {
		entries[i].Via = camps[entries[i].Key]
	}
	added, err := s.aud.List.Add(ctx, entries)
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		s.log.Info("optout: stop reply, number suppressed", "phone", phone.Mask(phone.E164(e.Key)), "campaign", e.Via)
	}
	s.log.Info("optout: stop replies processed", "stops", len(entries), "new", added)
	return len(entries), nil
}

// Pull drains the reply queue of sdkAppID (at most rounds calls of 100),
// processing each batch before taking the next, so a failure loses no more
// than the batch in hand.
func (s *Service) Pull(ctx context.Context, p sms.ReplyPuller, sdkAppID string, rounds int) (pulled, stops int, err error) {
	for range rounds {
		if ctx.Err() != nil {
			return pulled, stops, nil
		}
		batch, err := p.PullReplies(ctx, sdkAppID, sms.MaxPullReplies)
		if err != nil {
			return pulled, stops, err
		}
		pulled += len(batch)
		n, err := s.Replies(ctx, batch)
		stops += n
		if err != nil {
			return pulled, stops, err
		}
		if len(batch) < sms.MaxPullReplies {
			break
		}
	}
	return pulled, stops, nil
}

// Blacklisted adds numbers SendSms answered FailedOperation.PhoneNumberInBlacklist
// (the console's 退订 or 免打扰 lists), so later campaigns skip them
// without a call.
func (s *Service) Blacklisted(ctx context.Context, e164s []string, campaign string) error {
	var entries []audience.Entry
	for _, p := range e164s {
		if k, ok := phone.Key(p); ok {
			entries = append(entries, audience.Entry{Key: k, Source: audience.SourceBlacklist, Via: campaign})
		}
	}
	if len(entries) == 0 {
		return nil
	}
	_, err := s.aud.List.Add(ctx, entries)
	return err
}

// pullRounds bounds one timer tick's pulls: 2 000 replies every 2 minutes
// is far above what campaigns draw, and the queue keeps the rest.
const pullRounds = 20

// Tick is the send-sms timer's share: drain the reply queue. It logs and
// swallows errors: the next tick tries again, and a retried timer
// invocation would only resume jobs twice.
func (s *Service) Tick(ctx context.Context, p sms.ReplyPuller, sdkAppID string) {
	pulled, stops, err := s.Pull(ctx, p, sdkAppID, pullRounds)
	if err != nil {
		s.log.Warn("optout: replies not pulled; opt-outs still arrive through the reply callback if configured",
			"err", err, "pulled", pulled, "stops", stops)
		return
	}
	if pulled > 0 {
		s.log.Info("optout: replies pulled", "replies", pulled, "stops", stops)
	}
}
