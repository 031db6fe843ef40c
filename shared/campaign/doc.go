// Package campaign is the pure input side of send-sms: the campaign manifest,
// a streaming and resumable CSV reader (UTF-8, UTF-8 with BOM, GB18030), and
// the per-row rendering of Tencent Cloud SMS template parameters with the
// platform's template, length and billing rules. It does no I/O of its own.
package campaign
