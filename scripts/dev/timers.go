package main

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// scfZone is the zone SCF evaluates timer crons in (UTC+8), fixed so that
// the emulator needs no time zone database.
var scfZone = time.FixedZone("UTC+8", 8*3600)

// startTimers schedules every timer trigger whose function is built; the
// returned func stops them.
func startTimers(ctx context.Context, specs []timerSpec, built func(string) bool, fire func(context.Context, timerSpec, time.Time)) (stop func(), err error) {
	c := cron.New(
		cron.WithLocation(scfZone),
		cron.WithParser(cron.NewParser(cron.Second|cron.Minute|cron.Hour|cron.Dom|cron.Month|cron.Dow|cron.Descriptor)),
	)
	for _, s := range specs {
		if !built(s.function) {
			continue
		}
		spec, err := cronSpec(s.cron)
		if err != nil {
			return nil, err
		}
		s := s
		if _, err := c.AddFunc(spec, func() { fire(ctx, s, time.Now()) }); err != nil {
			return nil, fmt.Errorf("timer %s: %w", s.name, err)
		}
	}
	c.Start()
	return func() { <-c.Stop().Done() }, nil
}
