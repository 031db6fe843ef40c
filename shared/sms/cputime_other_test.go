//go:build !unix

package sms

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
