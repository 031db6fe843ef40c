// Package sms sends SMS through Tencent Cloud SMS (SendSms, API 2021-01-11)
// and tells callers what each outcome means for a campaign: sent, final for
// the number, worth a retry, slow down, stop the job, or maybe sent.
package sms
