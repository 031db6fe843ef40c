// Package jssdk signs pages for WeChat's JS-SDK with a service account's
// (服务号) jsapi_ticket, so that the open tag works on any JS-safe domain of
// that account, not only on CloudBase hosting.
package jssdk

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"log/slog"
	"time"

	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/token"
	"github.com/smsjump/smsjump/shared/wechat"
)

// Signature is what the page passes to wx.config.
type Signature struct {
	AppID     string `json:"appId"` // the service account's
	Timestamp int64  `json:"timestamp"`
	NonceStr  string `json:"nonceStr"`
	Signature string `json:"signature"`
}

// Signer is safe for concurrent use.
type Signer struct {
	appID   string
	tickets *token.Source
	now     func() time.Time
}

// ticketFetcher gets a jsapi_ticket with the service account's token; it
// lets a token.Source keep the ticket exactly like an access token (memory,
// shared store, single flight, refresh before expiry).
type ticketFetcher struct {
	client *wechat.Client
	tokens *token.Source
}

// StableToken ignores force: a ticket cannot be force-refreshed, a new
// access token is what gets a new ticket.
func (f ticketFetcher) StableToken(ctx context.Context, _ bool) (wechat.Token, error) {
	var t wechat.Token
	err := f.tokens.Do(ctx, func(tok string) error {
		var err error
		t, err = f.client.JSAPITicket(ctx, tok)
		return err
	})
	return t, err
}

// New returns a Signer for the service account of client (its AppID and
// AppSecret), keeping its access token and jsapi_ticket in st.
func New(client *wechat.Client, st store.Store, margin time.Duration, now func() time.Time, log *slog.Logger) *Signer {
	if now == nil {
		now = time.Now
	}
	opt := token.Options{AppID: client.AppID(), Margin: margin, Now: now, Logger: log}
	tokens := token.New(client, st, opt)
	opt.AppID = "jsapi-ticket/" + client.AppID()
	return &Signer{appID: client.AppID(), tickets: token.New(ticketFetcher{client, tokens}, st, opt), now: now}
}

// Sign signs pageURL, which must already be without its # fragment.
func (s *Signer) Sign(ctx context.Context, pageURL string) (Signature, error) {
	ticket, err := s.tickets.Token(ctx)
	if err != nil {
		return Signature{}, fmt.Errorf("jssdk: jsapi_ticket: %w", err)
	}
	var b [10]byte
	_, _ = rand.Read(b[:])
	nonce := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
	ts := s.now().Truncate(time.Second)
	return Signature{AppID: s.appID, Timestamp: ts.Unix(), NonceStr: nonce, Signature: wechat.JSAPISignature(ticket, nonce, ts, pageURL)}, nil
}
