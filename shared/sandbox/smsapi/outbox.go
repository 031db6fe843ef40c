package smsapi

import (
	"maps"
	"slices"
	"time"
)

// Message is one accepted SMS as the recipient would see it.
type Message struct {
	Phone          string // E.164
	SdkAppID       string
	SignName       string
	TemplateID     string
	Params         []string // shared by the messages of one request: do not modify
	Text           string   // rendered, with 【sign】 for mainland messages
	SerialNo       string
	Fee            int // billed messages
	SessionContext string
	IsoCode        string
	RequestID      string
	Time           time.Time // Options.Now at acceptance
}

// Stats counts what the sandbox saw since Start or Reset.
type Stats struct {
	Requests      int            // HTTP requests received
	RequestErrors map[string]int // request-level error code → count
	NumberCodes   map[string]int // per-number code (including "Ok") → count
	Accepted      int            // numbers accepted
	Billed        int            // billed messages (sum of Fee)
}

// outbox holds the counters and, with KeepMessages, the messages. Guarded by
// Server.mu.
type outbox struct {
	phones      map[uint64]phoneState
	messages    []Message
	accepted    int
	billed      int
	requests    int
	requestErrs map[string]int
	numberCodes map[string]int
	serial      uint64
	app         appDaily
}

func newOutbox() outbox {
	return outbox{
		phones:      make(map[uint64]phoneState),
		requestErrs: make(map[string]int),
		numberCodes: make(map[string]int),
	}
}

// Messages returns a copy of the accepted messages in acceptance order
// (empty unless Options.KeepMessages).
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.box.messages)
}

// Count returns how many numbers were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.box.accepted
}

// CountFor returns how many messages phone (E.164) received.
func (s *Server) CountFor(phone string) int {
	p := parsePhone(phone)
	if !p.valid {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return int(s.box.phones[p.key].total)
}

// Counts returns messages received per phone (E.164), for every number that
// received at least one.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.box.phones))
	for k, st := range s.box.phones {
		if st.total > 0 {
			out[keyString(k)] = int(st.total)
		}
	}
	return out
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Requests:      s.box.requests,
		RequestErrors: maps.Clone(s.box.requestErrs),
		NumberCodes:   maps.Clone(s.box.numberCodes),
		Accepted:      s.box.accepted,
		Billed:        s.box.billed,
	}
}

// Reset forgets messages, counters and per-number limits (a new day for
// every number), keeping configuration and faults.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	serial := s.box.serial
	s.box = newOutbox()
	s.box.serial = serial // serial numbers stay unique across resets
}

// subscriber is one Subscribe callback; the list of them is copy-on-write so
// the hot path only loads a pointer.
type subscriber struct{ fn func(Message) }

// Subscribe calls fn with every message accepted from now on, in acceptance
// order within a request, concurrently across requests, after the request's
// numbers were decided and before the reply is written (a slow fn slows the
// sandbox, it loses nothing). The returned func unsubscribes.
func (s *Server) Subscribe(fn func(Message)) (cancel func()) {
	sub := &subscriber{fn: fn}
	s.subsMu.Lock()
	next := append(slices.Clone(*s.subsView.Load()), sub)
	s.subsView.Store(&next)
	s.subsMu.Unlock()
	return func() {
		s.subsMu.Lock()
		defer s.subsMu.Unlock()
		cur := *s.subsView.Load()
		next := slices.DeleteFunc(slices.Clone(cur), func(x *subscriber) bool { return x == sub })
		s.subsView.Store(&next)
	}
}
