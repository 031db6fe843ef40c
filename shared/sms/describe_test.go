package sms

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/tccred"
)

func startDescribeSandbox(t *testing.T, signs int) (*smsapi.Server, *Account) {
	t.Helper()
	names := []string{"小程序助手"}
	for i := 1; i < signs; i++ {
		names = append(names, fmt.Sprintf("签名%03d", i))
	}
	s, err := smsapi.Start(smsapi.Options{
		Credentials: map[string]smsapi.Credential{"AKIDdescribe01": {SecretKey: "describeKey01"}},
		SdkAppIDs:   []string{"1400000001"},
		SignNames:   names,
		Templates: map[string]smsapi.Template{
			"1001": {Text: "您好{1}，活动已开始，点击 https://h5.example.cn/?c=spring 进入"},
			"1002": {Text: "{1}春季大促 https://h5.example.cn/?c=spring 拒收请回复R", Type: smsapi.Marketing},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	a, err := NewAccount(TencentConfig{Endpoint: s.URL(), Credentials: func() (tccred.Credentials, error) {
		return tccred.Credentials{SecretID: "AKIDdescribe01", SecretKey: "describeKey01"}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}

func TestAccountSignsPagesThroughEverySignature(t *testing.T) {
	s, a := startDescribeSandbox(t, 150)
	s.SubmitSign("审核中的签名", smsapi.Submission{StatusCode: smsapi.StatusInReview})
	signs, err := a.Signs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(signs) != 151 {
		t.Fatalf("got %d signatures, want 151 (two pages of 100)", len(signs))
	}
	byName := map[string]SignStatus{}
	for _, s := range signs {
		byName[s.Name] = s
	}
	if byName["小程序助手"].Status != StatusApproved || byName["审核中的签名"].Status != StatusInReview || byName["小程序助手"].ID == 0 {
		t.Errorf("statuses: %+v %+v", byName["小程序助手"], byName["审核中的签名"])
	}
}

func TestAccountTemplates(t *testing.T) {
	s, a := startDescribeSandbox(t, 1)
	s.SubmitTemplate("1003", smsapi.Template{Text: "退回的模板{1}"}, smsapi.Submission{StatusCode: smsapi.StatusRejected, ReviewReply: "含有营销内容"})
	got, err := a.Templates(context.Background(), []string{"1001", "1003", "9999"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %+v, want 1001 and 1003 (9999 does not exist)", got)
	}
	for _, tpl := range got {
		switch tpl.ID {
		case "1001":
			if tpl.Status != StatusApproved || !strings.HasPrefix(tpl.Content, "您好{1}") {
				t.Errorf("1001: %+v", tpl)
			}
		case "1003":
			if tpl.Status != StatusRejected || tpl.ReviewReply != "含有营销内容" {
				t.Errorf("1003: %+v", tpl)
			}
		}
	}
	if _, err := a.Templates(context.Background(), []string{"abc"}); err == nil {
		t.Error("a non-numeric template id must be refused before any call")
	}
}

func TestAccountCheckApp(t *testing.T) {
	_, a := startDescribeSandbox(t, 1)
	if err := a.CheckApp(context.Background(), "1400000001", time.Now()); err != nil {
		t.Fatal(err)
	}
	err := a.CheckApp(context.Background(), "1400999999", time.Now())
	if err == nil || !strings.Contains(err.Error(), "SdkAppIdNotExist") {
		t.Fatalf("unknown app: %v", err)
	}
}
