package receipt

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// CallbackName is the callback route of delivery receipts:
// /cb/<CALLBACK_TOKEN>/sms-status (configure it in 短信控制台 → 应用管理 →
// 基础配置 → 事件回调配置 → 短信状态回调).
const CallbackName = "sms-status"

// reply is the answer Tencent expects ({"result":0,"errmsg":"OK"}); errors
// add the project's error and message fields.
type reply struct {
	Result  int    `json:"result"`
	ErrMsg  string `json:"errmsg"`
	Error   string `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
}

// PushHandler takes status callbacks into the inbox: one object write per
// POST, whatever the number of reports in it.
type PushHandler struct {
	Inbox *Inbox
	Log   *slog.Logger
}

func (h *PushHandler) answer(w http.ResponseWriter, status int, rep reply) {
	b, _ := json.Marshal(rep)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (h *PushHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		h.answer(w, http.StatusMethodNotAllowed, reply{1, "method not allowed", "method_not_allowed", "回调只接受 POST。"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPushBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.answer(w, http.StatusRequestEntityTooLarge, reply{1, "body too large", "too_large", "回调内容过大。"})
			return
		}
		h.answer(w, http.StatusBadRequest, reply{1, "unreadable body", "bad_request", "无法读取回调内容。"})
		return
	}
	rs, bad, err := ParsePush(body)
	if err != nil {
		// The message says where the JSON broke, never what it held.
		h.Log.WarnContext(ctx, "receipt: callback body rejected", "bytes", len(body), "err", err)
		h.answer(w, http.StatusBadRequest, reply{1, "bad body", "bad_request",
			"回调内容不是短信状态报告的 JSON 数组；请在短信控制台的事件回调配置中只把「短信状态回调」指向此地址。"})
		return
	}
	if bad > 0 {
		h.Log.WarnContext(ctx, "receipt: callback items skipped", "skipped", bad, "kept", len(rs))
	}
	if len(rs) > 0 {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		key, err := h.Inbox.Put(wctx, "push", rs)
		if err != nil {
			// Tencent retries a callback that fails; nothing is lost.
			h.Log.ErrorContext(ctx, "receipt: inbox write failed", "receipts", len(rs), "err", err)
			h.answer(w, http.StatusServiceUnavailable, reply{1, "storage unavailable", "unavailable", "暂时无法保存回执，请稍后重试。"})
			return
		}
		h.Log.InfoContext(ctx, "receipt: callback stored", "receipts", len(rs), "skipped", bad, "key", key)
	}
	h.answer(w, http.StatusOK, reply{Result: 0, ErrMsg: "OK"})
}
