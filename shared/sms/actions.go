package sms

// Requests and replies of the actions other than SendSms, mirroring
// tencentcloud-sdk-go's sms/v20210111 types: the same field order (the body
// is signed), names and JSON types (a reply the SDK cannot decode must fail
// here too; omitempty as the SDK's tags, so that tests can compare the two
// as JSON). Optional request fields that are always sent are plain values.

type pullRequest struct {
	Limit       uint64 `json:"Limit"`
	SmsSdkAppID string `json:"SmsSdkAppId"`
}

type pullSendStatusReply struct {
	Response *struct {
		PullSmsSendStatusSet []*struct {
			UserReceiveTime  *uint64 `json:"UserReceiveTime,omitempty"`
			CountryCode      *string `json:"CountryCode,omitempty"`
			SubscriberNumber *string `json:"SubscriberNumber,omitempty"`
			PhoneNumber      *string `json:"PhoneNumber,omitempty"`
			SerialNo         *string `json:"SerialNo,omitempty"`
			ReportStatus     *string `json:"ReportStatus,omitempty"`
			Description      *string `json:"Description,omitempty"`
			SessionContext   *string `json:"SessionContext,omitempty"`
		} `json:"PullSmsSendStatusSet,omitempty"`
		RequestID *string `json:"RequestId,omitempty"`
	} `json:"Response"`
}

type pullReplyStatusReply struct {
	Response *struct {
		PullSmsReplyStatusSet []*struct {
			ExtendCode       *string `json:"ExtendCode,omitempty"`
			CountryCode      *string `json:"CountryCode,omitempty"`
			PhoneNumber      *string `json:"PhoneNumber,omitempty"`
			SignName         *string `json:"SignName,omitempty"`
			ReplyContent     *string `json:"ReplyContent,omitempty"`
			ReplyTime        *uint64 `json:"ReplyTime,omitempty"`
			SubscriberNumber *string `json:"SubscriberNumber,omitempty"`
		} `json:"PullSmsReplyStatusSet,omitempty"`
		RequestID *string `json:"RequestId,omitempty"`
	} `json:"Response"`
}

type describeSignsRequest struct {
	International uint64 `json:"International"`
	Limit         uint64 `json:"Limit"`
	Offset        uint64 `json:"Offset"`
}

type describeSignsReply struct {
	Response *struct {
		DescribeSignListStatusSet []*struct {
			SignID                  *uint64 `json:"SignId,omitempty"`
			International           *uint64 `json:"International,omitempty"`
			StatusCode              *int64  `json:"StatusCode,omitempty"`
			ReviewReply             *string `json:"ReviewReply,omitempty"`
			SignName                *string `json:"SignName,omitempty"`
			CreateTime              *uint64 `json:"CreateTime,omitempty"`
			QualificationID         *uint64 `json:"QualificationId,omitempty"`
			QualificationName       *string `json:"QualificationName,omitempty"`
			QualificationStatusCode *int64  `json:"QualificationStatusCode,omitempty"`
		} `json:"DescribeSignListStatusSet,omitempty"`
		RequestID *string `json:"RequestId,omitempty"`
	} `json:"Response"`
}

type describeTemplatesRequest struct {
	International uint64   `json:"International"`
	TemplateIDSet []uint64 `json:"TemplateIdSet"`
}

type describeTemplatesReply struct {
	Response *struct {
		DescribeTemplateStatusSet []*struct {
			TemplateID      *uint64 `json:"TemplateId,omitempty"`
			International   *uint64 `json:"International,omitempty"`
			StatusCode      *int64  `json:"StatusCode,omitempty"`
			ReviewReply     *string `json:"ReviewReply,omitempty"`
			TemplateName    *string `json:"TemplateName,omitempty"`
			CreateTime      *uint64 `json:"CreateTime,omitempty"`
			TemplateContent *string `json:"TemplateContent,omitempty"`
		} `json:"DescribeTemplateStatusSet,omitempty"`
		RequestID *string `json:"RequestId,omitempty"`
	} `json:"Response"`
}

type statisticsRequest struct {
	BeginTime   string `json:"BeginTime"`
	EndTime     string `json:"EndTime"`
	SmsSdkAppID string `json:"SmsSdkAppId"`
	Limit       uint64 `json:"Limit"`
	Offset      uint64 `json:"Offset"`
}

type statisticsReply struct {
	Response *struct {
		SendStatusStatistics *struct {
			FeeCount            *uint64 `json:"FeeCount,omitempty"`
			RequestCount        *uint64 `json:"RequestCount,omitempty"`
			RequestSuccessCount *uint64 `json:"RequestSuccessCount,omitempty"`
		} `json:"SendStatusStatistics,omitempty"`
		RequestID *string `json:"RequestId,omitempty"`
	} `json:"Response"`
}
