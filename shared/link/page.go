package link

import (
	"fmt"
	"net/url"
	"unicode/utf8"
)

// Page is what the H5 page shows for a campaign besides the jump (the
// manifest's page block): a title, a poster image, and where a closed
// campaign's links lead instead of a dead end.
type Page struct {
	Title  string `json:"title,omitempty"`
	Poster string `json:"poster,omitempty"` // https URL of an image
	// Fallback is the page offered when the campaign has not started or
	// has ended (e.g. the mini-program's home page); nil means the
	// configured global one (FALLBACK_PATH), if any.
	Fallback *Target `json:"fallback,omitempty"`
}

// Limits of a page block.
const (
	MaxTitle     = 32  // characters
	MaxPosterURL = 512 // bytes
)

// Validate reports what the page cannot show, naming the manifest field.
func (p Page) Validate() error {
	if n := utf8.RuneCountInString(p.Title); n > MaxTitle {
		return fmt.Errorf("page.title is %d characters; at most %d", n, MaxTitle)
	}
	if p.Poster != "" {
		if err := ValidPosterURL(p.Poster); err != nil {
			return err
		}
	}
	if f := p.Fallback; f != nil {
		if f.Path == "" || f.Path[0] == '/' {
			return fmt.Errorf("page.fallback.path %q: name a page without a leading /, e.g. pages/index/index", f.Path)
		}
	}
	return nil
}

// ValidPosterURL accepts an absolute https URL without credentials: the
// page is served over https and must not load mixed content.
func ValidPosterURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case len(s) > MaxPosterURL:
		return fmt.Errorf("page.poster is %d bytes; at most %d", len(s), MaxPosterURL)
	case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil:
		return fmt.Errorf("page.poster %q must be an https:// image URL, e.g. https://h5.example.cn/poster.jpg", s)
	}
	return nil
}
