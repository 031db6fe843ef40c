package smsapi

import "testing"

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
