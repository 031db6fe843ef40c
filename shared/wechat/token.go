package wechat

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Token is an access token and the moment it stops working.
type Token struct {
	AccessToken string
	ExpiresAt   time.Time
}

// String hides the token so that printing a Token by accident leaks nothing.
func (t Token) String() string {
	return fmt.Sprintf("wechat.Token{%d chars, expires %s}", len(t.AccessToken), t.ExpiresAt.Format(time.RFC3339))
}

// LogValue keeps the token out of structured logs.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("chars", len(t.AccessToken)), slog.Time("expires_at", t.ExpiresAt))
}

type tokenRequest struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh"`
}

type tokenReply struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

func (r *tokenReply) check() error {
	if r.AccessToken == "" || r.ExpiresIn <= 0 {
		return errIncomplete
	}
	return nil
}

// StableToken calls cgi-bin/stable_token. With forceRefresh false any number
// of instances get the same token while it is valid; forceRefresh true
// invalidates the current token for everyone (20 a day, 30 s apart) and is
// only for a token known to be compromised or rejected. ExpiresAt counts
// from the moment the request started, so it is never later than WeChat's.
func (c *Client) StableToken(ctx context.Context, forceRefresh bool) (Token, error) {
	switch {
	case c.appID == "":
		return Token{}, configError(opToken, "no AppID", "set WECHAT_APPID")
	case c.secret == "":
		return Token{}, configError(opToken, "no AppSecret", "set WECHAT_SECRET")
	}
	start := c.now()
	var out tokenReply
	err := c.post(ctx, opToken, "/cgi-bin/stable_token", "", tokenRequest{
		GrantType:    "client_credential",
		AppID:        c.appID,
		Secret:       c.secret,
		ForceRefresh: forceRefresh,
	}, &out)
	if err != nil {
		return Token{}, err
	}
	return Token{AccessToken: out.AccessToken, ExpiresAt: start.Add(time.Duration(out.ExpiresIn) * time.Second)}, nil
}
