package wechat

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

type ticketReply struct {
	Ticket    string `json:"ticket"`
	ExpiresIn int64  `json:"expires_in"`
}

func (r *ticketReply) check() error {
	if r.Ticket == "" || r.ExpiresIn <= 0 {
		return errIncomplete
	}
	return nil
}

// JSAPITicket calls cgi-bin/ticket/getticket?type=jsapi with the access
// token of a service account (服务号), whose JS-SDK then signs pages for
// the open tag off CloudBase hosting. The ticket is valid 7200 s and, like
// the token, must be cached: the call is limited per day. It is returned
// as a Token so that a token source can keep it.
func (c *Client) JSAPITicket(ctx context.Context, accessToken string) (Token, error) {
	if accessToken == "" {
		return Token{}, configError(opTicket, "no access token", "pass the service account's token")
	}
	start := c.now()
	var out ticketReply
	if err := c.call(ctx, http.MethodGet, opTicket, "/cgi-bin/ticket/getticket", accessToken, "type=jsapi", nil, &out); err != nil {
		return Token{}, err
	}
	return Token{AccessToken: out.Ticket, ExpiresAt: start.Add(time.Duration(out.ExpiresIn) * time.Second)}, nil
}

// JSAPISignature is the JS-SDK signature of pageURL (without its #
// fragment, exactly as the page sees it): the SHA-1 of
// jsapi_ticket=…&noncestr=…&timestamp=…&url=… in that order.
func JSAPISignature(ticket, nonce string, timestamp time.Time, pageURL string) string {
	s := "jsapi_ticket=" + ticket + "&noncestr=" + nonce + "&timestamp=" + strconv.FormatInt(timestamp.Unix(), 10) + "&url=" + pageURL
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}
