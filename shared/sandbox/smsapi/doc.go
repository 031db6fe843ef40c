// Package smsapi is a local stand-in for the Tencent Cloud SMS API (version
// 2021-01-11): it verifies TC3-HMAC-SHA256 signatures, applies SendSms's
// documented rules and limits, injects faults on demand and records every
// accepted message, so tests and the local emulator can drive the real SDK
// client against loopback.
package smsapi
