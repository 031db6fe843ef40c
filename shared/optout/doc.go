// Package optout feeds the account's suppression list: stop replies (pulled
// by the send-sms timer and received by the reply callback) and numbers
// SendSms refused as blacklisted. Operators' suppress/*.csv and
// unsuppress/*.csv uploads are package listupload's.
package optout
