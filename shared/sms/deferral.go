package sms

import "time"

// beijing is China Standard Time: the marketing window and the daily
// limits follow the Beijing calendar. China has no daylight saving time.
var beijing = time.FixedZone("CST", 8*3600)

// DeferUntil returns when the limit behind a Deferred code lifts: the next
// 08:00 Beijing time for the marketing window, the next Beijing midnight for
// the daily totals. Zero for codes that are not Deferred.
func DeferUntil(code string, now time.Time) time.Time {
	if Classify(code) != Deferred {
		return time.Time{}
	}
	b := now.In(beijing)
	midnight := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, beijing).AddDate(0, 0, 1)
	if code == "FailedOperation.MarketingSendTimeConstraint" {
		open := time.Date(b.Year(), b.Month(), b.Day(), 8, 0, 0, 0, beijing)
		if !open.After(b) {
			open = open.AddDate(0, 0, 1)
		}
		return open
	}
	return midnight
}
