package campaign

import (
	"errors"

	"github.com/smsjump/smsjump/shared/phone"
)

// Reason is the stable code of a rejected row. The report's reason column
// holds the code and the summary groups by it, so codes never change once
// released. A Reason is an error: errors.Is(err, campaign.ReasonTooLong).
type Reason string

// Row rejection reasons. The phone ones are the codes of package phone.
const (
	// Reading the CSV.
	ReasonRowTooLong    Reason = "row_too_long"
	ReasonBadQuote      Reason = "bad_quote"
	ReasonBadFieldCount Reason = "bad_field_count"

	// The phone number (see package phone).
	ReasonEmptyPhone   = Reason(phone.ReasonEmpty)
	ReasonInvalidPhone = Reason(phone.ReasonInvalid)
	ReasonNotMainland  = Reason(phone.ReasonNotMainland)
	ReasonNotMobile    = Reason(phone.ReasonNotMobile)
	// ReasonDuplicate is for the job: a number already taken from an earlier row.
	ReasonDuplicate Reason = "duplicate"

	// Rendering the message.
	ReasonMissingColumn    Reason = "missing_column"
	ReasonParamTooLong     Reason = "param_too_long"
	ReasonParamContainsURL Reason = "param_contains_url"
	ReasonForbiddenSymbol  Reason = "forbidden_symbol"
	ReasonTooLong          Reason = "too_long"
	ReasonQueryTooLong     Reason = "query_too_long"
)

var reasonText = map[Reason]string{
	ReasonRowTooLong:       "行过长，已跳过（检查是否有未闭合的引号）",
	ReasonBadQuote:         "引号不成对或引号后有多余字符",
	ReasonBadFieldCount:    "列数与表头不一致",
	ReasonEmptyPhone:       "手机号为空",
	ReasonInvalidPhone:     "不是有效的手机号",
	ReasonNotMainland:      "非中国大陆号码（港澳台及国际号码需使用国际短信）",
	ReasonNotMobile:        "不是手机号（固话、400 等无法接收短信）",
	ReasonDuplicate:        "号码重复，已在前面的行中发送",
	ReasonMissingColumn:    "模板变量对应的列为空",
	ReasonParamTooLong:     "模板变量超过允许长度",
	ReasonParamContainsURL: "模板变量中不能含有网址",
	ReasonForbiddenSymbol:  "模板变量含有禁用符号（【】¥★☞✓※）",
	ReasonTooLong:          "短信（含签名）超过 500 字",
	ReasonQueryTooLong:     "小程序页面参数（query）超过 1024 字符",
}

// Reasons lists every code in report order: reading, phone, rendering.
func Reasons() []Reason {
	return []Reason{
		ReasonRowTooLong, ReasonBadQuote, ReasonBadFieldCount,
		ReasonEmptyPhone, ReasonInvalidPhone, ReasonNotMainland, ReasonNotMobile, ReasonDuplicate,
		ReasonMissingColumn, ReasonParamTooLong, ReasonParamContainsURL, ReasonForbiddenSymbol,
		ReasonTooLong, ReasonQueryTooLong,
	}
}

// Description is the Chinese explanation shown beside the code in reports.
func (r Reason) Description() string {
	if s, ok := reasonText[r]; ok {
		return s
	}
	return string(r)
}

func (r Reason) Error() string { return string(r) + ": " + r.Description() }

// RowError rejects one row. Detail says which column or value, never a full
// phone number.
type RowError struct {
	Reason Reason
	Detail string
}

func (e *RowError) Error() string {
	if e.Detail == "" {
		return e.Reason.Error()
	}
	return string(e.Reason) + ": " + e.Detail
}

// Unwrap exposes the Reason to errors.Is.
func (e *RowError) Unwrap() error { return e.Reason }

// ReasonOf extracts the reason code from a row error, including the *phone.Error
// that phone.Normalize returns.
func ReasonOf(err error) (Reason, bool) {
	var re *RowError
	if errors.As(err, &re) {
		return re.Reason, true
	}
	var pe *phone.Error
	if errors.As(err, &pe) {
		return Reason(pe.Reason), true
	}
	var r Reason
	if errors.As(err, &r) {
		return r, true
	}
	return "", false
}

func reject(r Reason, detail string) *RowError { return &RowError{Reason: r, Detail: detail} }
