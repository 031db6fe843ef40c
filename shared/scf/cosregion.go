package scf

import (
	"net/url"
	"strings"
)

// shortRegions maps the short region codes found in cosBucket.region to full
// regions. The first group is COS's own table of JSON-API (V4) codes against
// XML-API (V5) regions, from the SDK migration guides
// (cloud.tencent.com/document/product/436, "存储桶可用区域简称"). The second
// group is not in that table: cq and nj appear in SCF events, the rest are the
// Cloud Monitor abbreviations (cloud.tencent.com/document/product/248/50863)
// for regions COS serves. The map is only a fallback: the object URL and
// cosRegion name the region outright.
var shortRegions = map[string]string{
	// COS V4 → V5.
	"tj":  "ap-beijing-1",
	"bj":  "ap-beijing",
	"sh":  "ap-shanghai",
	"gz":  "ap-guangzhou",
	"cd":  "ap-chengdu",
	"hk":  "ap-hongkong",
	"sgp": "ap-singapore",
	"ca":  "na-toronto",
	"ger": "eu-frankfurt",
	// Seen elsewhere.
	"cq":    "ap-chongqing",
	"nj":    "ap-nanjing",
	"tokyo": "ap-tokyo",
	"jp":    "ap-tokyo",
	"kr":    "ap-seoul",
	"th":    "ap-bangkok",
	"in":    "ap-mumbai",
	"sg":    "ap-singapore",
	"usw":   "na-siliconvalley",
	"use":   "na-ashburn",
	"de":    "eu-frankfurt",
	"szjr":  "ap-shenzhen-fsi",
	"shjr":  "ap-shanghai-fsi",
}

// cosRegion picks the full region of a COS record: from the object URL host,
// then cosRegion / s3Region, then the short code. "" means unknown; callers
// fall back to their configured COS_REGION.
func cosRegion(host, full1, full2, short string) string {
	if r := regionFromHost(host); r != "" {
		return r
	}
	for _, r := range []string{full1, full2} {
		if r = strings.ToLower(strings.TrimSpace(r)); isFullRegion(r) {
			return r
		}
	}
	short = strings.ToLower(strings.TrimSpace(short))
	if isFullRegion(short) {
		return short
	}
	return shortRegions[short]
}

// regionFromHost reads the region out of
// <bucket>.cos.<region>.myqcloud.com (also tencentcos.cn) or the V4-era
// <bucket>.cos<code>.myqcloud.com.
func regionFromHost(host string) string {
	if i := strings.Index(host, ".cos."); i >= 0 {
		rest := host[i+len(".cos."):]
		if j := strings.IndexByte(rest, '.'); j > 0 && isFullRegion(rest[:j]) {
			return rest[:j]
		}
		return ""
	}
	if i := strings.Index(host, ".cos"); i >= 0 {
		rest := host[i+len(".cos"):]
		if j := strings.IndexByte(rest, '.'); j > 0 {
			return shortRegions[rest[:j]]
		}
	}
	return ""
}

// bucketFromHost returns <bucket> from a virtual-hosted COS URL host.
func bucketFromHost(host string) string {
	if i := strings.Index(host, ".cos"); i > 0 {
		return host[:i]
	}
	return ""
}

// urlHost returns the lower-cased host of a URL, or "".
func urlHost(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// isFullRegion reports whether r looks like ap-guangzhou or na-siliconvalley
// rather than a short code or a COS pseudo-region like "accelerate".
func isFullRegion(r string) bool {
	i := strings.IndexByte(r, '-')
	if i < 2 || i == len(r)-1 {
		return false
	}
	for _, c := range []byte(r) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
