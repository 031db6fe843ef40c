package report

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The report page, written directly rather than through html/template:
// text/template finds methods by name at run time, which makes the linker
// keep every exported method of every type in send-sms (12 MB). The text
// and the escaping are html/template's: TestPageMatchesTemplate renders
// the former template (testdata/report.html.tmpl) beside this code and
// compares the bytes.

const pageHead = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>活动报告 `

const pageStyle = `</title>
<style>
body{margin:0;font:15px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2329;background:#f5f6f7}
main{max-width:860px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:0 0 10px}
.meta{color:#646a73;font-size:13px;margin-bottom:12px}
section{background:#fff;border-radius:10px;padding:14px 16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:10px}
.card{background:#f0f5ff;border-radius:8px;padding:10px}.card b{display:block;font-size:22px}.card span{color:#646a73;font-size:13px}
svg{display:block;width:100%;height:auto}
svg.bars{max-width:560px}svg.hours{max-width:720px}
svg text{font-size:14px;fill:#1f2329}
.note{color:#646a73;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{text-align:left;padding:4px 6px;border-bottom:1px solid #eee}
.pending{color:#b26a00}
</style>
</head>
<body>
<main>
<h1>短信活动报告：`

func writePage(b *bytes.Buffer, v view) {
	f := v.F
	b.WriteString(pageHead)
	esc(b, f.Campaign)
	b.WriteString(pageStyle)
	esc(b, f.Campaign)
	b.WriteString("</h1>\n<div class=\"meta\">任务 ")
	esc(b, f.JobID)
	b.WriteString(" · 名单 ")
	esc(b, f.Upload)
	b.WriteString(" · 生成于 ")
	esc(b, f.Generated.In(beijing).Format("2006-01-02 15:04"))
	b.WriteString("（北京时间）\n")
	if f.Settled {
		b.WriteString(" · 回执已收齐，数字不再变化")
	} else {
		b.WriteString(` · <span class="pending">仍在收集回执，数字会更新</span>`)
	}
	b.WriteString("</div>\n\n<section>\n<h2>概览</h2>\n<div class=\"cards\">\n")
	card := func(n string, label string) {
		b.WriteString(`<div class="card"><b>`)
		b.WriteString(n)
		b.WriteString(`</b><span>`)
		b.WriteString(label)
		b.WriteString("</span></div>\n")
	}
	card(strconv.Itoa(f.Sent), "已发送")
	b.WriteString(`<div class="card"><b>`)
	b.WriteString(strconv.Itoa(f.Delivered))
	b.WriteString(`</b><span>已送达（`)
	esc(b, pctOf(f.Rates.Delivered))
	b.WriteString("）</span></div>\n")
	card(strconv.Itoa(f.DeliveryFailed), "送达失败")
	card(strconv.Itoa(f.NotReported), "未收到回执")
	card(strconv.FormatInt(f.Opened, 10), "打开链接")
	card(strconv.FormatInt(f.Jumped, 10), "跳转小程序")
	b.WriteString("</div>\n<p class=\"note\">已送达 + 送达失败 + 未收到回执 = 已发送。打开 = H5 页成功取得 scheme 的次数；跳转 = 页面尝试拉起小程序（自动跳转、开放标签或 URL Link）的次数。</p>\n</section>\n\n<section>\n<h2>转化漏斗</h2>\n")
	writeBars(b, v.Steps)
	b.WriteString("\n</section>\n\n<section>\n<h2>每小时打开（北京时间）</h2>\n")
	if len(v.Hours) > 0 {
		b.WriteString("<svg class=\"hours\" viewBox=\"0 0 600 130\" role=\"img\" aria-label=\"每小时打开\">\n<line x1=\"0\" y1=\"110\" x2=\"600\" y2=\"110\" stroke=\"#ccc\"/>\n")
		for _, h := range v.Hours {
			b.WriteString(`<rect x="`)
			b.WriteString(f1(h.X))
			b.WriteString(`" y="`)
			b.WriteString(f1(h.Y))
			b.WriteString(`" width="`)
			b.WriteString(f1(h.W))
			b.WriteString(`" height="`)
			b.WriteString(f1(h.H))
			b.WriteString(`" fill="#9fc1ff"><title>`)
			esc(b, h.Label)
			b.WriteString("：打开 ")
			b.WriteString(strconv.FormatInt(h.Opened, 10))
			b.WriteString("，跳转 ")
			b.WriteString(strconv.FormatInt(h.Jumped, 10))
			b.WriteString("</title></rect>\n")
		}
		b.WriteString(`<text x="0" y="126">`)
		esc(b, v.Hours[0].Label)
		b.WriteString(`</text><text x="600" y="126" text-anchor="end">`)
		esc(b, v.Hours[len(v.Hours)-1].Label)
		b.WriteString("</text>\n<text x=\"598\" y=\"12\" text-anchor=\"end\">最多 ")
		b.WriteString(strconv.FormatInt(v.HourMax, 10))
		b.WriteString(" 次/小时</text>\n</svg>")
	} else {
		b.WriteString(`<p class="note">还没有人打开链接。</p>`)
	}
	b.WriteString("\n</section>\n\n<section>\n<h2>访问平台（打开次数）</h2>\n")
	if len(v.Plats) > 0 {
		writeBars(b, v.Plats)
	} else {
		b.WriteString(`<p class="note">还没有人打开链接。</p>`)
	}
	b.WriteString("\n</section>\n\n<section>\n<h2>送达失败原因</h2>\n")
	if len(v.Fails) > 0 {
		writeBars(b, v.Fails)
		b.WriteString(`<p class="note">运营商状态码，如 UNDELIV（未送达）、EXPIRED（关机或不在服务区过久）、REJECTD（被拒）。</p>`)
	} else {
		b.WriteString(`<p class="note">没有送达失败的回执。</p>`)
	}
	b.WriteString("\n</section>\n\n<section>\n<h2>页面事件</h2>\n")
	if len(v.Events) > 0 {
		writeBars(b, v.Events)
	} else {
		b.WriteString(`<p class="note">还没有页面事件。</p>`)
	}
	b.WriteString("\n</section>\n\n")
	if len(f.NotSent) > 0 {
		b.WriteString("<section>\n<h2>未发送的行</h2>\n<table><tr><th>原因</th><th>行数</th></tr>")
		keys := make([]string, 0, len(f.NotSent))
		for k := range f.NotSent {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString("<tr><td>")
			esc(b, k)
			b.WriteString("</td><td>")
			b.WriteString(strconv.Itoa(f.NotSent[k]))
			b.WriteString("</td></tr>")
		}
		b.WriteString("</table>\n</section>")
	}
	b.WriteString("\n\n<section>\n<h2>回执</h2>\n<table>\n<tr><td>匹配到本任务的回执</td><td>")
	b.WriteString(strconv.Itoa(f.Receipts.Matched))
	b.WriteString("</td></tr>\n<tr><td>重复回执（已忽略）</td><td>")
	b.WriteString(strconv.Itoa(f.Receipts.Duplicates))
	b.WriteString("</td></tr>\n<tr><td>回执窗口结束后到达（已忽略）</td><td>")
	b.WriteString(strconv.Itoa(f.Receipts.Late))
	b.WriteString("</td></tr>\n<tr><td>个人短码行中打开过的行</td><td>")
	b.WriteString(strconv.Itoa(f.PersonalOpened))
	b.WriteString("</td></tr>\n</table>\n</section>\n</main>\n</body>\n</html>\n\n")
}

// writeBars is a horizontal bar chart: labels take the first 110 of 420
// units, a bar at most 190, its number follows it.
func writeBars(b *bytes.Buffer, bars []bar) {
	b.WriteString(`<svg class="bars" viewBox="0 0 420 `)
	b.WriteString(strconv.Itoa(len(bars)*30 + 4))
	b.WriteString("\" role=\"img\">\n")
	for _, r := range bars {
		w := r.Width * 1.9
		b.WriteString(`<g transform="translate(0,`)
		b.WriteString(strconv.Itoa(r.Y))
		b.WriteString(`)"><text x="0" y="18">`)
		esc(b, r.Label)
		b.WriteString(`</text><rect x="110" y="5" width="`)
		b.WriteString(f1(w))
		b.WriteString(`" height="18" rx="3" fill="#3370ff"/><text x="`)
		b.WriteString(f1(114 + w))
		b.WriteString(`" y="18">`)
		esc(b, r.Text)
		b.WriteString("</text></g>\n")
	}
	b.WriteString("</svg>")
}

func f1(x float64) string { return fmt.Sprintf("%.1f", x) }

// esc escapes text and attribute values as html/template does in this
// page's contexts (element text, RCDATA title, quoted attributes).
var esc = func() func(*bytes.Buffer, string) {
	r := strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")
	return func(b *bytes.Buffer, s string) { _, _ = r.WriteString(b, s) }
}()
