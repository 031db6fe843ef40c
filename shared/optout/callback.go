package optout

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/sms"
)

// CallbackName is the reply callback's route on get-scheme's Function URL:
// /cb/<CALLBACK_TOKEN>/sms-reply, set in the SMS console (应用管理 → 基础配置 →
// 事件回调配置 → 回复回调).
const CallbackName = "sms-reply"

// maxCallbackBody bounds a reply callback; one reply is a few hundred bytes.
const maxCallbackBody = 64 << 10

// callbackReply is what the reply callback POSTs (doc 382/59179). time is a
// number in the doc; a string is tolerated.
type callbackReply struct {
	Extend     string          `json:"extend"`
	Mobile     string          `json:"mobile"`
	Nationcode string          `json:"nationcode"`
	Sign       string          `json:"sign"`
	Text       string          `json:"text"`
	Time       json.RawMessage `json:"time"`
}

// CallbackHandler serves Tencent SMS's reply callback: one JSON object per
// reply (an array of them is accepted too). It answers {"result":0,
// "errmsg":"OK"} once the list is updated; otherwise a JSON error with a
// non-zero result, so the platform may try again.
func (s *Service) CallbackHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			answer(w, http.StatusMethodNotAllowed, "method_not_allowed", "回复回调只接受 POST")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallbackBody))
		if err != nil {
			answer(w, http.StatusRequestEntityTooLarge, "too_large", "回调内容过大")
			return
		}
		replies, ok := parseCallback(body)
		if !ok {
			answer(w, http.StatusBadRequest, "bad_request", "不是短信回复回调的 JSON（应为 {extend, mobile, nationcode, sign, text, time}）")
			return
		}
		if _, err := s.Replies(r.Context(), replies); err != nil {
			s.log.Error("optout: reply callback not stored", "err", err)
			answer(w, http.StatusServiceUnavailable, "unavailable", "退订名单暂时无法写入，请稍后重试")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, `{"result":0,"errmsg":"OK"}`)
	})
}

func answer(w http.ResponseWriter, status int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"result": 1, "errmsg": msg, "error": kind, "message": msg})
}

func parseCallback(body []byte) ([]sms.Reply, bool) {
	var list []callbackReply
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "[") {
		if json.Unmarshal(body, &list) != nil {
			return nil, false
		}
	} else {
		var one callbackReply
		if json.Unmarshal(body, &one) != nil {
			return nil, false
		}
		list = []callbackReply{one}
	}
	out := make([]sms.Reply, 0, len(list))
	for _, c := range list {
		if c.Mobile == "" {
			return nil, false
		}
		p := c.Mobile
		if cc := strings.TrimPrefix(c.Nationcode, "+"); cc != "" && !strings.HasPrefix(p, "+") {
			p = "+" + cc + p
		}
		rep := sms.Reply{Phone: p, Text: c.Text, SignName: c.Sign, ExtendCode: c.Extend}
		if ts := strings.Trim(string(c.Time), `"`); ts != "" {
			if n, err := strconv.ParseInt(ts, 10, 64); err == nil && n > 0 {
				rep.Time = time.Unix(n, 0)
			}
		}
		out = append(out, rep)
	}
	return out, true
}
