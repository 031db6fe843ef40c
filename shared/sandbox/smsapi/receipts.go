package smsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"strings"
	"time"
)

// Delivery receipts (状态回执). For every accepted number the carrier later
// reports SUCCESS or FAIL, or never reports at all. The platform offers the
// reports two ways and the sandbox does both: a queue read with
// PullSmsSendStatus (each status once, ≤ 100 per call, 100 requests/s), and
// the console's status callback, which POSTs a JSON array of several
// reports and expects {"result":0,"errmsg":"OK"} (doc 382/52077).

// ReceiptPolicy decides the receipts of accepted numbers. Shares are of
// accepted numbers; what is left of 1 is never reported. The outcome of a
// number is a hash of its SerialNo, so runs are reproducible. The zero
// value produces no receipts (load runs keep no per-number state).
type ReceiptPolicy struct {
	Delivered float64 // e.g. 0.9
	Failed    float64 // e.g. 0.05
	// Delay is added to the send time for user_receive_time (default 3s).
	Delay time.Duration
}

func (p ReceiptPolicy) on() bool { return p.Delivered > 0 || p.Failed > 0 }

// failCodes are carrier statuses of undelivered messages, with the
// descriptions the console shows.
var failCodes = []struct{ code, desc string }{
	{"UNDELIV", "用户短信未送达"},
	{"EXPIRED", "短信过期，用户长时间关机或不在服务区"},
	{"REJECTD", "短信被运营商拒绝"},
	{"MK:0001", "空号"},
}

// pulledStatus mirrors PullSmsSendStatus of sms/v20210111.
type pulledStatus struct {
	UserReceiveTime  uint64
	CountryCode      string
	SubscriberNumber string
	PhoneNumber      string
	SerialNo         string
	ReportStatus     string
	Description      string
	SessionContext   string
}

// callbackStatus is one element of the status callback's array.
type callbackStatus struct {
	UserReceiveTime string `json:"user_receive_time"`
	Nationcode      string `json:"nationcode"`
	Mobile          string `json:"mobile"`
	ReportStatus    string `json:"report_status"`
	Errmsg          string `json:"errmsg"`
	Description     string `json:"description"`
	Sid             string `json:"sid"`
}

// SetReceiptPolicy changes the policy for numbers accepted from now on.
func (s *Server) SetReceiptPolicy(p ReceiptPolicy) {
	s.mu.Lock()
	s.receiptPolicy = p
	s.mu.Unlock()
}

// SetStatusCallback sets the status callback URL, as in the SMS console
// (应用管理 → 基础配置 → 事件回调配置 → 短信状态回调); empty turns it off.
func (s *Server) SetStatusCallback(url string) {
	s.mu.Lock()
	s.statusURL = url
	s.mu.Unlock()
}

// PendingStatuses is how many receipts wait in the pull queue of an app.
func (s *Server) PendingStatuses(sdkAppID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.statuses[sdkAppID])
}

// receiptFor decides the receipt of an accepted number; ok is false for a
// number the carrier never reports. s.mu must be held.
func (s *Server) receiptFor(sdkAppID, e164, serial, session string, now time.Time) (pulledStatus, bool) {
	p := s.receiptPolicy
	h := fnv.New64a()
	h.Write([]byte(serial))
	x := float64(h.Sum64()%1_000_000) / 1_000_000
	st := pulledStatus{
		CountryCode: "86", SubscriberNumber: strings.TrimPrefix(e164, "+86"), PhoneNumber: e164,
		SerialNo: serial, SessionContext: session,
	}
	delay := p.Delay
	if delay <= 0 {
		delay = 3 * time.Second
	}
	st.UserReceiveTime = uint64(now.Add(delay).Unix())
	switch {
	case x < p.Delivered:
		st.ReportStatus, st.Description = "SUCCESS", "DELIVRD"
	case x < p.Delivered+p.Failed:
		f := failCodes[int(x*1e6)%len(failCodes)]
		st.ReportStatus, st.Description = "FAIL", f.code
	default:
		return pulledStatus{}, false
	}
	s.statuses[sdkAppID] = append(s.statuses[sdkAppID], st)
	return st, true
}

// pushStatuses POSTs one call's receipts to the status callback, as the
// platform does a few seconds after sending. Failures are logged; the
// platform's own retry policy is not documented, so the sandbox does not retry.
func (s *Server) pushStatuses(url string, sts []pulledStatus) {
	body := make([]callbackStatus, len(sts))
	for i, st := range sts {
		desc := "用户短信送达成功"
		if st.ReportStatus == "FAIL" {
			for _, f := range failCodes {
				if f.code == st.Description {
					desc = f.desc
				}
			}
		}
		body[i] = callbackStatus{
			UserReceiveTime: time.Unix(int64(st.UserReceiveTime), 0).In(beijing).Format("2006-01-02 15:04:05"),
			Nationcode:      st.CountryCode, Mobile: st.SubscriberNumber, ReportStatus: st.ReportStatus,
			Errmsg: st.Description, Description: desc, Sid: st.SerialNo,
		}
	}
	b, _ := json.Marshal(body)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		s.opts.Logger.Warn("smsapi: status callback", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.opts.Logger.Warn("smsapi: status callback", "err", err)
		return
	}
	defer resp.Body.Close()
	var ack struct {
		Result *int `json:"result"`
	}
	if json.NewDecoder(resp.Body).Decode(&ack) != nil || resp.StatusCode != http.StatusOK || ack.Result == nil || *ack.Result != 0 {
		s.opts.Logger.Warn("smsapi: status callback not acknowledged", "status", resp.StatusCode)
	}
}

type pullStatusResponse struct {
	PullSmsSendStatusSet []pulledStatus
	RequestId            string
}

// pullStatuses serves PullSmsSendStatus: the oldest Limit receipts leave the queue.
func (s *Server) pullStatuses(body []byte) (*pullStatusResponse, *apiError) {
	set, e := takeOldest(s, body, &s.statusQPS, s.statuses)
	if e != nil {
		return nil, e
	}
	return &pullStatusResponse{PullSmsSendStatusSet: set}, nil
}

func (r *pullStatusResponse) appendJSON(b []byte, requestID string) []byte {
	r.RequestId = requestID
	j, _ := json.Marshal(struct{ Response *pullStatusResponse }{r})
	return append(append(b, j...), '\n')
}
