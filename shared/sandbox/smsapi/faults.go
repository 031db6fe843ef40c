package smsapi

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Faults are failures injected on demand. Rates are probabilities in [0, 1].
type Faults struct {
	// Latency delays every reply; Jitter adds a uniform random [0, Jitter).
	// Messages are accepted before the delay, as on the real service.
	Latency time.Duration
	Jitter  time.Duration

	// RequestErrors fails whole requests with an error envelope, by code.
	RequestErrors map[string]float64
	// NumberErrors fails single numbers with a SendStatus code.
	NumberErrors map[string]float64

	// TimeoutRate is the share of requests that are accepted and delivered
	// but whose reply never comes (the "maybe sent" case): the handler holds
	// the connection until the client gives up, Hang passes, or the server
	// closes.
	TimeoutRate float64
	// Hang bounds a timed-out reply; default 5 minutes.
	Hang time.Duration

	// BalanceAfter, when positive, is the SMS package balance in billed
	// messages: once that many have been accepted, further numbers fail with
	// FailedOperation.InsufficientBalanceInSmsPackage.
	BalanceAfter int
}

// faultPlan is Faults with the rate maps turned into sorted slices, so that
// draws are reproducible for a given random sequence.
type faultPlan struct {
	Faults
	request []codeRate
	number  []codeRate
}

type codeRate struct {
	code string
	rate float64
}

func newFaultPlan(f Faults) (*faultPlan, error) {
	if f.Hang <= 0 {
		f.Hang = 5 * time.Minute
	}
	p := &faultPlan{Faults: f}
	var err error
	if p.request, err = rates("RequestErrors", f.RequestErrors); err != nil {
		return nil, err
	}
	if p.number, err = rates("NumberErrors", f.NumberErrors); err != nil {
		return nil, err
	}
	if f.TimeoutRate < 0 || f.TimeoutRate > 1 {
		return nil, fmt.Errorf("smsapi: TimeoutRate %v is not in [0, 1]", f.TimeoutRate)
	}
	if f.Latency < 0 || f.Jitter < 0 {
		return nil, fmt.Errorf("smsapi: Latency and Jitter must not be negative")
	}
	return p, nil
}

func rates(name string, m map[string]float64) ([]codeRate, error) {
	var out []codeRate
	sum := 0.0
	for code, r := range m {
		if code == "" || r < 0 || r > 1 {
			return nil, fmt.Errorf("smsapi: %s[%q] = %v: need a code and a rate in [0, 1]", name, code, r)
		}
		sum += r
		out = append(out, codeRate{code, r})
	}
	if sum > 1+1e-9 {
		return nil, fmt.Errorf("smsapi: %s rates add up to %v > 1", name, sum)
	}
	slices.SortFunc(out, func(a, b codeRate) int {
		if a.code < b.code {
			return -1
		}
		return 1
	})
	return out, nil
}

// draw picks at most one code: the rates are disjoint slices of [0, 1).
func draw(rs []codeRate) string {
	if len(rs) == 0 {
		return ""
	}
	x := rand.Float64()
	for _, r := range rs {
		if x < r.rate {
			return r.code
		}
		x -= r.rate
	}
	return ""
}

func (p *faultPlan) delay() time.Duration {
	d := p.Latency
	if p.Jitter > 0 {
		d += rand.N(p.Jitter)
	}
	return d
}

func (p *faultPlan) timesOut() bool {
	return p.TimeoutRate > 0 && rand.Float64() < p.TimeoutRate
}
