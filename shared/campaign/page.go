package campaign

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Page is the manifest's page block: what the H5 page shows for this
// campaign besides the jump. Every field is optional.
type Page struct {
	// Title is shown above the button, e.g. 春季会员日 (at most 32 characters).
	Title string `json:"title,omitempty"`
	// Poster is an https URL of an image shown as the page's poster
	// (跳转中间页面海报); keep it small, the page loads it after the jump starts.
	Poster string `json:"poster,omitempty"`
	// Fallback is the page offered when the campaign has not started or has
	// ended, e.g. the home page; default FALLBACK_PATH.
	Fallback *PageFallback `json:"fallback,omitempty"`
}

// PageFallback is a mini-program page with a fixed query.
type PageFallback struct {
	Path  string `json:"path"`
	Query string `json:"query,omitempty"`
}

// Limits of the page block (the page's layout and get-scheme's checks).
const (
	MaxPageTitle = 32
	maxPosterURL = 512
)

func (m Manifest) validatePage(ps *problems) {
	p := m.Page
	if n := utf8.RuneCountInString(p.Title); n > MaxPageTitle {
		ps.add("page.title", fmt.Sprintf("is %d characters; at most %d fit the page", n, MaxPageTitle))
	}
	if p.Poster != "" {
		u, err := url.Parse(p.Poster)
		if len(p.Poster) > maxPosterURL || err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			ps.add("page.poster", fmt.Sprintf("%q must be an https:// image URL of at most %d bytes, e.g. https://h5.example.cn/poster.jpg", p.Poster, maxPosterURL))
		}
	}
	if f := p.Fallback; f != nil {
		switch {
		case f.Path == "":
			ps.add("page.fallback.path", "missing; name a page, e.g. pages/index/index")
		case strings.HasPrefix(f.Path, "/") || strings.ContainsAny(f.Path, "?#"):
			ps.add("page.fallback.path", "must be a page without a leading / or a query, e.g. pages/index/index")
		}
		if q, err := parseQueryTemplate(f.Query); err != nil {
			ps.add("page.fallback.query", err.Error())
		} else if len(q.columns()) > 0 {
			ps.add("page.fallback.query", "must be the same for everyone; {{column}} has no row to take a value from")
		}
	}
}
