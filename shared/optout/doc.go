// Package optout feeds the account's suppression list: stop replies (pulled
// by the send-sms timer and received by the reply callback), operators'
// suppress/*.csv and unsuppress/*.csv uploads, and numbers SendSms refused
// as blacklisted.
package optout
