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
	ReasonScientific   = Reason(phone.ReasonScientific)
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
	ReasonScientific:       "Excel 科学计数法（如 1.38001E+10），号码后几位已丢失",
	ReasonNotMainland:      "非中国大陆号码（港澳台及国际号码需使用国际短信）",
	ReasonNotMobile:        "不是手机号（固话、400 等无法接收短信）",
	ReasonDuplicate:        "号码与前面的行重复，每个号码只发一次",
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
		ReasonEmptyPhone, ReasonScientific, ReasonInvalidPhone, ReasonNotMainland, ReasonNotMobile, ReasonDuplicate,
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

// reasonFix tells the operator what to change in the file for each reason.
var reasonFix = map[Reason]string{
	ReasonRowTooLong:       "检查该行及上一行的引号是否成对；单个单元格不要粘贴大段文字",
	ReasonBadQuote:         "在表格软件中重新另存为 CSV，不要手工编辑引号",
	ReasonBadFieldCount:    "删除多余的逗号或补齐缺少的列，使列数与表头一致",
	ReasonEmptyPhone:       "补上手机号，或删除该行",
	ReasonScientific:       "请将该列设为文本后重新导出（数字已丢失，无法恢复，需从原始数据重新导出）",
	ReasonInvalidPhone:     "核对号码：中国大陆手机号为 1 开头的 11 位数字",
	ReasonNotMainland:      "删除该行，或用国际/港澳台短信模板单独发送",
	ReasonNotMobile:        "改为该用户的手机号，或删除该行",
	ReasonDuplicate:        "无需处理：该号码只会收到一条；如需去重请删除重复行",
	ReasonMissingColumn:    "补上该列的值，或在清单 params 中为该变量设置 default",
	ReasonParamTooLong:     "缩短该单元格，或在清单中调大 param_max_len（以短信控制台模板变量长度限制为准）",
	ReasonParamContainsURL: "删除单元格中的网址；链接只能写在已审核的模板正文里",
	ReasonForbiddenSymbol:  "删除单元格中的【】¥★☞✓※ 等符号",
	ReasonTooLong:          "缩短模板变量的内容，使整条短信（含签名）不超过 500 字",
	ReasonQueryTooLong:     "缩短用于小程序页面参数的列内容",
}

// Fix is the Chinese hint telling the operator how to mend a rejected row.
func (r Reason) Fix() string { return reasonFix[r] }

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

// DetailOf is the detail a *RowError in err carries ("" if none): what a
// report prints beside the reason.
func DetailOf(err error) string {
	var re *RowError
	if errors.As(err, &re) {
		return re.Detail
	}
	return ""
}

// ReasonOf extracts the reason code from a row error, including the *phone.Error
// that numplan.Normalize returns.
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
