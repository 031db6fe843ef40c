package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Replies (上行): a recipient answers a message. The platform offers them two
// ways, and the sandbox does both for every reply: a queue read with
// PullSmsReplyStatus (each reply returned once, ≤ 100 per call), and the
// console's reply callback, which POSTs one JSON object per reply (doc
// 382/59179: {extend, mobile, nationcode, sign, text, time}).

// maxPullLimit is PullSmsReplyStatus's largest Limit.
const maxPullLimit = 100

// pullQPS is PullSmsReplyStatus's documented rate (100 requests/s).
const pullQPS = 100

// Reply is one recipient's answer.
type Reply struct {
	SdkAppID string
	Phone    string // E.164 or 11 digits
	Text     string
	// SignName defaults to the first approved signature.
	SignName   string
	ExtendCode string
	// Time defaults to Options.Now.
	Time time.Time
}

// pulledReply mirrors PullSmsReplyStatus of sms/v20210111.
type pulledReply struct {
	ExtendCode       string
	CountryCode      string
	PhoneNumber      string
	SignName         string
	ReplyContent     string
	ReplyTime        uint64
	SubscriberNumber string
}

// callbackReply is the body of the reply callback.
type callbackReply struct {
	Extend     string `json:"extend"`
	Mobile     string `json:"mobile"`
	Nationcode string `json:"nationcode"`
	Sign       string `json:"sign"`
	Text       string `json:"text"`
	Time       int64  `json:"time"`
}

// SetReplyCallback sets the reply callback URL, as in the SMS console
// (应用管理 → 基础配置 → 事件回调配置); empty turns it off.
func (s *Server) SetReplyCallback(url string) {
	s.mu.Lock()
	s.replyURL = url
	s.mu.Unlock()
}

// Blacklist puts numbers on the console's 退订 list: marketing sends to them
// answer FailedOperation.PhoneNumberInBlacklist.
func (s *Server) Blacklist(phones ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range phones {
		if pp := parsePhone(p); pp.valid {
			s.black[pp.key] = true
		}
	}
}

// Reply makes a recipient answer: the reply is queued for
// PullSmsReplyStatus and, when a callback is set, POSTed to it. The error
// is the callback's (not reachable, not 200, result ≠ 0).
func (s *Server) Reply(ctx context.Context, r Reply) error {
	p := parsePhone(r.Phone)
	if !p.valid || !p.mainland {
		return fmt.Errorf("smsapi: Reply: %q is not a mainland mobile number", r.Phone)
	}
	if r.SdkAppID == "" && len(s.opts.SdkAppIDs) > 0 {
		r.SdkAppID = s.opts.SdkAppIDs[0]
	}
	if !s.apps[r.SdkAppID] {
		return fmt.Errorf("smsapi: Reply: SdkAppId %q does not exist", r.SdkAppID)
	}
	if r.SignName == "" && len(s.opts.SignNames) > 0 {
		r.SignName = s.opts.SignNames[0]
	}
	if r.Time.IsZero() {
		r.Time = s.opts.Now()
	}
	sub := strings.TrimPrefix(p.e164, "+86")
	s.mu.Lock()
	s.replies[r.SdkAppID] = append(s.replies[r.SdkAppID], pulledReply{
		ExtendCode: r.ExtendCode, CountryCode: "86", PhoneNumber: p.e164, SignName: r.SignName,
		ReplyContent: r.Text, ReplyTime: uint64(r.Time.Unix()), SubscriberNumber: sub,
	})
	url := s.replyURL
	s.mu.Unlock()
	if url == "" {
		return nil
	}
	body, _ := json.Marshal(callbackReply{Extend: r.ExtendCode, Mobile: sub, Nationcode: "86", Sign: r.SignName, Text: r.Text, Time: r.Time.Unix()})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("smsapi: reply callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("smsapi: reply callback: %w", err)
	}
	defer resp.Body.Close()
	var ack struct {
		Result *int   `json:"result"`
		Errmsg string `json:"errmsg"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ack); err != nil || resp.StatusCode != http.StatusOK || ack.Result == nil || *ack.Result != 0 {
		return fmt.Errorf("smsapi: reply callback answered HTTP %d %+v (want 200 {\"result\":0,\"errmsg\":\"OK\"})", resp.StatusCode, ack)
	}
	return nil
}

// PendingReplies is how many replies wait in the pull queue of an app.
func (s *Server) PendingReplies(sdkAppID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.replies[sdkAppID])
}

type pullRequest struct {
	Limit       *uint64
	SmsSdkAppId string
}

type pullResponse struct {
	PullSmsReplyStatusSet []pulledReply
	RequestId             string
}

// decodePull reads the body of PullSmsReplyStatus and PullSmsSendStatus
// (same parameters) and checks it as the API does.
func decodePull(body []byte) (*pullRequest, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var in pullRequest
	if err := dec.Decode(&in); err != nil {
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, errorf(CodeUnknownParameter, "The parameter %s is not recognized.", field)
		}
		return nil, errorf(CodeJSONParseFail, "%s (%v)", messageFor(CodeJSONParseFail), err)
	}
	switch {
	case in.Limit == nil:
		return nil, errorf(CodeMissingParameter, "Limit is required")
	case *in.Limit == 0 || *in.Limit > maxPullLimit:
		return nil, errorf(CodeInvalidParameterValue, "Limit %d: must be 1–%d", *in.Limit, maxPullLimit)
	case in.SmsSdkAppId == "":
		return nil, errorf(CodeMissingParameter, "SmsSdkAppId is required")
	}
	return &in, nil
}

// pullReplies serves PullSmsReplyStatus: the oldest Limit replies leave the queue.
func (s *Server) pullReplies(body []byte) (*pullResponse, *apiError) {
	set, e := takeOldest(s, body, &s.pullQPS, s.replies)
	if e != nil {
		return nil, e
	}
	return &pullResponse{PullSmsReplyStatusSet: set}, nil
}

// takeOldest serves a pull (PullSmsReplyStatus, PullSmsSendStatus, which
// take the same parameters and have the same limits): the body is checked
// as the API does, the app must exist, qps holds the pull's own rate; then
// the oldest Limit items leave the app's queue in queues.
func takeOldest[T any](s *Server, body []byte, qps *qpsWindow, queues map[string][]T) ([]T, *apiError) {
	in, e := decodePull(body)
	if e != nil {
		return nil, e
	}
	if !s.apps[in.SmsSdkAppId] {
		return nil, errorf(CodeSdkAppIDNotExist, "SmsSdkAppId %s does not exist", in.SmsSdkAppId)
	}
	if !qps.allow(s.opts.Now(), pullQPS) {
		return nil, errorf(CodeRequestLimitExceeded, "Your current request times exceeds the frequency limit `%d` for a second.", pullQPS)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q := queues[in.SmsSdkAppId]
	n := min(len(q), int(*in.Limit))
	out := append([]T{}, q[:n]...)
	queues[in.SmsSdkAppId] = q[n:]
	return out, nil
}

func (r *pullResponse) appendJSON(b []byte, requestID string) []byte {
	r.RequestId = requestID
	j, _ := json.Marshal(struct{ Response *pullResponse }{r})
	return append(append(b, j...), '\n')
}
