package smsapi

import (
	"errors"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	smsv "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

func sdkCode(err error) string {
	var e *tcerr.TencentCloudSDKError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestDescribeTemplateList(t *testing.T) {
	s := startServer(t, nil)
	s.SubmitTemplate("1005", Template{Text: "审核中{1}"}, Submission{StatusCode: StatusInReview})
	c := sdkClient(t, s.URL(), testID, testKey, "")

	req := smsv.NewDescribeSmsTemplateListRequest()
	req.International = common.Uint64Ptr(0)
	req.TemplateIdSet = common.Uint64Ptrs([]uint64{1002, 1005, 2001})
	resp, err := c.DescribeSmsTemplateList(req)
	if err != nil {
		t.Fatal(err)
	}
	set := resp.Response.DescribeTemplateStatusSet
	// 2001 is international: not in the domestic list.
	if len(set) != 2 || *set[0].TemplateId != 1002 || *set[0].StatusCode != 0 || *set[0].TemplateContent != testOptions().Templates[tplMarket].Text ||
		*set[1].TemplateId != 1005 || *set[1].StatusCode != 1 || resp.Response.RequestId == nil {
		t.Fatalf("set %s", resp.ToJsonString())
	}

	req = smsv.NewDescribeSmsTemplateListRequest()
	req.International = common.Uint64Ptr(0)
	req.Limit = common.Uint64Ptr(2)
	req.Offset = common.Uint64Ptr(1)
	resp, err = c.DescribeSmsTemplateList(req)
	if err != nil || len(resp.Response.DescribeTemplateStatusSet) != 2 || *resp.Response.DescribeTemplateStatusSet[0].TemplateId != 1002 {
		t.Fatalf("page: %v %s", err, resp.ToJsonString())
	}

	for name, mutate := range map[string]func(*smsv.DescribeSmsTemplateListRequest){
		"MissingParameter":                      func(r *smsv.DescribeSmsTemplateListRequest) { r.International = nil },
		"InvalidParameterValue.LimitVerifyFail": func(r *smsv.DescribeSmsTemplateListRequest) { r.Limit = common.Uint64Ptr(101) },
		"InvalidParameterValue.InvalidInternational": func(r *smsv.DescribeSmsTemplateListRequest) {
			r.International = common.Uint64Ptr(2)
		},
	} {
		req := smsv.NewDescribeSmsTemplateListRequest()
		req.International = common.Uint64Ptr(0)
		mutate(req)
		if _, err := c.DescribeSmsTemplateList(req); sdkCode(err) != name {
			t.Errorf("want %s, got %v", name, err)
		}
	}
}

func TestDescribeSignList(t *testing.T) {
	s := startServer(t, nil)
	s.SubmitSign("被拒签名", Submission{StatusCode: StatusRejected, ReviewReply: "资质不符"})
	c := sdkClient(t, s.URL(), testID, testKey, "")
	req := smsv.NewDescribeSmsSignListRequest()
	req.International = common.Uint64Ptr(0)
	req.Limit = common.Uint64Ptr(100)
	resp, err := c.DescribeSmsSignList(req)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	var rejectedID uint64
	for _, st := range resp.Response.DescribeSignListStatusSet {
		got[*st.SignName] = *st.StatusCode
		if *st.SignName == "被拒签名" {
			rejectedID = *st.SignId
		}
	}
	if len(got) != 2 || got[testSign] != 0 || got["被拒签名"] != -1 {
		t.Fatalf("signs %s", resp.ToJsonString())
	}
	req = smsv.NewDescribeSmsSignListRequest()
	req.International = common.Uint64Ptr(0)
	req.SignIdSet = common.Uint64Ptrs([]uint64{rejectedID})
	resp, err = c.DescribeSmsSignList(req)
	if err != nil || len(resp.Response.DescribeSignListStatusSet) != 1 || *resp.Response.DescribeSignListStatusSet[0].ReviewReply != "资质不符" {
		t.Fatalf("by id: %v %s", err, resp.ToJsonString())
	}
	// A rejected signature still cannot send.
	send := smsv.NewSendSmsRequest()
	send.PhoneNumberSet = common.StringPtrs([]string{"+8613800138000"})
	send.SmsSdkAppId, send.TemplateId, send.SignName = common.StringPtr(testApp), common.StringPtr(tplNoParam), common.StringPtr("被拒签名")
	if _, err := c.SendSms(send); sdkCode(err) != CodeSignatureUnapproved {
		t.Errorf("send with a rejected signature: %v", err)
	}
}

func TestSendStatusStatistics(t *testing.T) {
	s := startServer(t, nil)
	c := sdkClient(t, s.URL(), testID, testKey, "")
	req := smsv.NewSendStatusStatisticsRequest()
	req.SmsSdkAppId, req.BeginTime, req.EndTime = common.StringPtr(testApp), common.StringPtr("2026112800"), common.StringPtr("2026112812")
	req.Limit, req.Offset = common.Uint64Ptr(0), common.Uint64Ptr(0)
	if resp, err := c.SendStatusStatistics(req); err != nil || resp.Response.SendStatusStatistics == nil {
		t.Fatalf("%v", err)
	}
	req.SmsSdkAppId = common.StringPtr("1400999999")
	if _, err := c.SendStatusStatistics(req); sdkCode(err) != CodeSdkAppIDNotExist {
		t.Errorf("unknown app: %v", err)
	}
	req.SmsSdkAppId, req.EndTime = common.StringPtr(testApp), common.StringPtr("2026112700")
	if _, err := c.SendStatusStatistics(req); sdkCode(err) != "InvalidParameterValue.EndTimeVerifyFail" {
		t.Errorf("end before begin: %v", err)
	}
}
