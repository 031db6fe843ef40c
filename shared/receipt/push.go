package receipt

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// pushItem is one element of the status callback's JSON array (短信控制台 →
// 应用管理 → 基础配置 → 事件回调配置; doc 382/52077).
type pushItem struct {
	UserReceiveTime string          `json:"user_receive_time"`
	NationCode      json.RawMessage `json:"nationcode"`
	Mobile          json.RawMessage `json:"mobile"`
	ReportStatus    string          `json:"report_status"` // SUCCESS | FAIL
	ErrMsg          string          `json:"errmsg"`
	Description     string          `json:"description"`
	SID             string          `json:"sid"`
}

// MaxPushBody bounds a callback body; Tencent batches a few hundred at most.
const MaxPushBody = 1 << 20

// ErrBadBody: the body is not the documented JSON array.
var ErrBadBody = errors.New("receipt: callback body is not a JSON array of status reports")

// ParsePush decodes a status callback body. Items that are not status
// reports (no sid, an unknown report_status) are skipped and counted in bad;
// a body that is not a JSON array at all is ErrBadBody.
func ParsePush(body []byte) (rs []Receipt, bad int, err error) {
	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, 0, fmt.Errorf("%w: %s", ErrBadBody, jsonProblem(err))
	}
	rs = make([]Receipt, 0, len(items))
	for _, raw := range items {
		var it pushItem
		if json.Unmarshal(raw, &it) != nil || it.SID == "" || len(it.SID) > 128 {
			bad++
			continue
		}
		r := Receipt{SerialNo: it.SID, Code: it.ErrMsg, Detail: it.Description}
		switch strings.ToUpper(it.ReportStatus) {
		case "SUCCESS":
			r.Delivered = true
		case "FAIL":
		default:
			bad++
			continue
		}
		if t, err := time.ParseInLocation(receiveLayout, it.UserReceiveTime, beijing); err == nil {
			r.At = t
		}
		rs = append(rs, r)
	}
	return rs, bad, nil
}

// jsonProblem describes a decoding error without quoting the input, which
// may hold phone numbers.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("found a JSON %s where an array was expected", te.Value)
	}
	return "malformed JSON"
}
