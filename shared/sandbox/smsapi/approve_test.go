package smsapi

import (
	"errors"
	"strings"
	"testing"
)

func TestApproveWhileRunning(t *testing.T) {
	s, err := New(Options{SdkAppIDs: []string{"1400000001"}, SignNames: []string{"示例"}, Credentials: map[string]Credential{"AKIDtest": {SecretKey: "k"}}})
	if err != nil {
		t.Fatal(err)
	}
	if tpl, ok := s.approved("42", "新签名"); tpl != nil || ok {
		t.Fatalf("unknown template or sign approved: %v %v", tpl, ok)
	}
	if err := s.Approve("42", Template{Text: "验证码{1}，5分钟内有效", Type: Notification}); err != nil {
		t.Fatal(err)
	}
	s.ApproveSign("新签名")
	tpl, ok := s.approved("42", "新签名")
	if tpl == nil || tpl.Params != 1 || !ok {
		t.Fatalf("after Approve: %+v %v", tpl, ok)
	}
	if err := s.Approve("43", Template{Text: "{1}和{3}", Params: 2, Type: Notification}); err == nil {
		t.Fatal("a template using {3} with 2 declared parameters was accepted")
	}
}

// TestApproveKeepsFirstText: a template id is approved with the first text
// seen; a later different text is refused, and a send delivers the approved
// text, as in production.
func TestApproveKeepsFirstText(t *testing.T) {
	s := startServer(t, nil)
	const id = "777001"
	first := Template{Text: "{1}您好，活动已开始，详情见 https://h5.example.cn/?c=a", Type: Notification}
	if err := s.Approve(id, first); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(id, first); err != nil {
		t.Fatalf("approving the same text again: %v", err)
	}
	changed := []Template{
		{Text: "{1}您好，活动已结束，详情见 https://h5.example.cn/?c=a", Type: Notification},
		{Text: first.Text, Type: Marketing},
	}
	for _, c := range changed {
		err := s.Approve(id, c)
		if !errors.Is(err, ErrTemplateChanged) || !strings.Contains(err.Error(), id) {
			t.Fatalf("Approve(%q, %v) = %v, want ErrTemplateChanged naming %s", c.Text, c.Type, err, id)
		}
	}
	c := sdkClient(t, s.URL(), testID, testKey, "")
	resp, code := send(t, c, newRequest(id, []string{"张三"}, "+8613800138000"))
	if code != "" || codes(resp)[0] != "Ok" {
		t.Fatalf("send: %s %v", code, resp)
	}
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].Text != "【"+testSign+"】张三您好，活动已开始，详情见 https://h5.example.cn/?c=a" {
		t.Fatalf("delivered %+v, want the first approved text", msgs)
	}
}
