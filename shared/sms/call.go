package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// call makes one signed call of action (API 2021-01-11) with params as its
// JSON body and decodes the reply into reply, a pointer to a struct with a
// Response field. It serves the rarely called actions (pulls, describes);
// SendSms has its own one-pass path. params must encode as the SDK encodes
// the action's request (TestActionsMatchSDK), reply must mirror the SDK's
// response type (FuzzActionRepliesMatchSDK).
//
// Errors are what the SDK returned for the same exchange: a
// *tcerr.TencentCloudSDKError for an answer, a transport error otherwise,
// or an *Error when the client could not be built.
func (t *Tencent) call(ctx context.Context, action string, params, reply any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return &Error{Code: "ClientError.BuildRequestError", Class: Fatal, Err: err}
	}
	c, err := t.current()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	hr, err := t.httpRequest(ctx, c, action, body, t.now().Unix())
	if err != nil {
		return &Error{Code: "ClientError.BuildRequestError", Class: Fatal, Err: err}
	}
	resp, err := t.httpc.Do(hr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	size := 4 << 10
	if n := resp.ContentLength; n > 0 && n <= maxReplyBytes {
		size = int(n) + 1
	}
	raw, err := readAll(nil, resp.Body, size)
	if err != nil {
		return err
	}
	return judgeJSON(resp.StatusCode, resp.Status, raw, reply)
}

// judgeJSON reaches the SDK's verdict on a reply (TryReadErr, then
// ParseFromHttpResponse): unreadable JSON or the error envelope, the
// deprecated envelope, the HTTP status, then the result decoded into reply.
// The SDK's JSON package is a fork of encoding/json; the fuzz targets hold
// the two to the same answers on these shapes.
func judgeJSON(code int, status string, body []byte, reply any) error {
	parseErr := func(cause error) error {
		return tcerr.NewTencentCloudSDKError("ClientError.ParseJsonError",
			fmt.Sprintf("Fail to parse json content: %s, because: %s", truncate(string(body), 512), cause), "")
	}
	var env struct {
		Response struct {
			Error struct {
				Code    string `json:"Code"`
				Message string `json:"Message"`
			} `json:"Error"`
			RequestID string `json:"RequestId"`
		} `json:"Response"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return parseErr(err)
	}
	if e := env.Response.Error; e.Code != "" {
		return tcerr.NewTencentCloudSDKError(e.Code, e.Message, env.Response.RequestID)
	}
	var dep struct {
		Code     int    `json:"code"`
		Message  string `json:"message"`
		CodeDesc string `json:"codeDesc"`
	}
	if err := json.Unmarshal(body, &dep); err != nil {
		return parseErr(err)
	}
	if dep.Code != 0 {
		return tcerr.NewTencentCloudSDKError(dep.CodeDesc, dep.Message, "")
	}
	if code != http.StatusOK {
		return tcerr.NewTencentCloudSDKError("ClientError.HttpStatusCodeError",
			fmt.Sprintf("Request fail with http status code: %s, with body: %s", status, truncate(string(body), 512)), "")
	}
	if err := json.Unmarshal(body, reply); err != nil {
		return parseErr(err)
	}
	return nil
}
