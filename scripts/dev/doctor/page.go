package doctor

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

const pageDomainFix = "把 LINK_BASE_URL 的已备案域名绑定到页面：COS 托管时由 static/serverless.yml 的 hosts 绑定为 CDN 加速域名" +
	"（CDN 控制台 → 域名管理，HTTPS 证书在 SSL 证书控制台申请，证书 ID 设为 H5_CERT_ID），或在 COS 控制台 → 存储桶 → 域名与传输管理 → 自定义源站域名 绑定；" +
	"2024-01-01 后创建的桶，默认域名（含静态网站域名）一律以附件下载"

// checkPage: the page answers inline HTML over HTTPS on LINK_BASE_URL, and
// the Function URL answers the page's origin with CORS.
func checkPage(ctx context.Context, s Settings) []Result {
	page, err := url.Parse(s.LinkBaseURL)
	if s.LinkBaseURL == "" || err != nil || page.Host == "" {
		return []Result{fail("export LINK_BASE_URL（H5 页地址，如 https://h5.example.cn/）", "LINK_BASE_URL 未设置")}
	}
	var out []Result
	if s.Live && page.Scheme != "https" {
		out = append(out, fail("LINK_BASE_URL 用 https://：在 CDN 控制台为域名配置 HTTPS 证书", "页面 %s 不是 HTTPS", s.LinkBaseURL))
	}
	out = append(out, checkPageServes(ctx, s, page.String()))
	origin := strings.ToLower(page.Scheme + "://" + page.Host)
	return append(out, checkCORS(ctx, s, origin))
}

func checkPageServes(ctx context.Context, s Settings, pageURL string) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return fail("改正 LINK_BASE_URL", "页面地址：%v", err)
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return fail("确认域名已解析到 CDN / 静态托管（DNS 控制台添加 CNAME），证书有效", "打不开页面 %s：%v", pageURL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	disp, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	switch {
	case resp.StatusCode != http.StatusOK:
		return fail("部署页面（scripts/deploy.sh），确认 LINK_BASE_URL 指向 index.html 所在目录", "页面 %s 返回 HTTP %d", pageURL, resp.StatusCode)
	case disp == "attachment":
		return fail(pageDomainFix, "页面 %s 以附件下载（Content-Disposition: attachment），手机上不会显示", pageURL)
	case mt != "text/html":
		return fail(pageDomainFix, "页面 %s 的类型是 %q，不是 text/html", pageURL, resp.Header.Get("Content-Type"))
	}
	return ok("页面 %s 以 text/html 直接显示", pageURL)
}

func checkCORS(ctx context.Context, s Settings, origin string) Result {
	if s.APIURL == "" {
		return warn("部署后 scripts/deploy.sh 会从 scf info 读出函数 URL；单独运行时 export SMSJUMP_API_URL=<get-scheme 的函数 URL>",
			"SMSJUMP_API_URL 未设置：不检查函数 URL 的跨域")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodOptions, s.APIURL, nil)
	if err != nil {
		return fail("改正 SMSJUMP_API_URL", "函数 URL：%v", err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", http.MethodGet)
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return fail("在 SCF 控制台 → 函数服务 → get-scheme → 函数 URL 中确认公网访问已开启", "访问函数 URL %s 失败：%v", s.APIURL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != origin && got != "*" {
		return fail("get-scheme 默认放行 LINK_BASE_URL 的来源：确认函数环境变量 LINK_BASE_URL 与页面地址一致"+
			"（SCF 控制台 → 函数配置 → 环境变量），其他来源写进 ALLOWED_ORIGINS，然后重新部署",
			"函数 URL 不允许页面的来源 %s 跨域（Access-Control-Allow-Origin: %q）：用户会看到「网络连接失败」", origin, got)
	}
	return ok("函数 URL 允许页面的来源 %s 跨域", origin)
}
