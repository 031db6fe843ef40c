package wxapi

import (
	"net/http"
	"time"
)

// ticketTTL is the documented validity of a jsapi_ticket.
const ticketTTL = 7200 * time.Second

// ticketState is the service account's current jsapi_ticket: like WeChat,
// the sandbox hands out the same ticket while it is valid.
type ticketState struct {
	ticket  string
	expires time.Time
}

type ticketReply struct {
	ErrCode   int    `json:"errcode"`
	ErrMsg    string `json:"errmsg"`
	Ticket    string `json:"ticket"`
	ExpiresIn int64  `json:"expires_in"`
}

// getTicket answers GET cgi-bin/ticket/getticket?access_token=…&type=jsapi
// for the account the sandbox plays (a 服务号 when a test starts one as such).
func (s *Server) getTicket(r *http.Request) (int, any) {
	q := r.URL.Query()
	if code := s.checkToken(q.Get("access_token")); code != 0 {
		return http.StatusOK, apiError(PathGetTicket, code)
	}
	if q.Get("type") != "jsapi" {
		return http.StatusOK, apiError(PathGetTicket, 40097)
	}
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ticket.ticket == "" || !now.Before(s.ticket.expires) {
		s.ticket = ticketState{ticket: randomString(86, alnum+"-_"), expires: now.Add(ticketTTL)}
	}
	return http.StatusOK, ticketReply{ErrMsg: "ok", Ticket: s.ticket.ticket, ExpiresIn: int64(s.ticket.expires.Sub(now).Seconds())}
}

// Ticket returns the current jsapi_ticket ("" before the first getticket).
func (s *Server) Ticket() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ticket.ticket
}
