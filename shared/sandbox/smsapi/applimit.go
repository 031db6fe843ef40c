package smsapi

// The SMS console lets an account cap what one SMS application sends per
// Beijing day (应用管理 → 基础配置 → 发送量上限). Once reached, SendSms
// answers every further number with LimitExceeded.AppDailyLimit until
// midnight Beijing time.

// CodeAppDailyLimit is the per-number code once the application's daily
// total is reached.
const CodeAppDailyLimit = "LimitExceeded.AppDailyLimit"

func init() {
	messages[CodeAppDailyLimit] = "the number of sms messages sent by the application every day exceeds the upper limit"
}

// appDaily counts the numbers accepted per Beijing day across the
// application (guarded by Server.mu).
type appDaily struct {
	day   int32
	count int
}

// full reports whether the day's total is reached (limit <= 0: no limit).
func (a *appDaily) full(today int32, limit int) bool {
	if a.day != today {
		a.day, a.count = today, 0
	}
	return limit > 0 && a.count >= limit
}

func (a *appDaily) accept() { a.count++ }
