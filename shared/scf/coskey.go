package scf

import (
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"
)

// objectKey turns cosObject.key (/<appid>/<name>/<key>) into the object key.
// Whether COS percent-encodes non-ASCII keys in the event is not documented,
// and captured events show raw keys next to percent-encoded URLs, so both
// forms are accepted; decodeKey tells them apart.
func objectKey(key, appid, name, rawURL string) (string, error) {
	if prefix := "/" + appid + "/" + name + "/"; appid != "" && name != "" && strings.HasPrefix(key, prefix) {
		key = key[len(prefix):]
	} else {
		key = strings.TrimPrefix(key, "/")
	}
	if key == "" {
		return "", errors.New("no object key")
	}
	return decodeKey(key, rawURL), nil
}

// decodeKey returns key percent-decoded when it is in encoded form.
//
// The object URL settles it when present: the URL path is always encoded,
// so if its decoded path equals key, key is raw (and a '%' in it is literal);
// if its encoded path equals key, key is encoded. Without a usable URL, a key
// with non-ASCII bytes is raw (an encoder would have escaped them), and an
// ASCII key is decoded when it is valid percent-encoding.
func decodeKey(key, rawURL string) string {
	if strings.IndexByte(key, '%') < 0 {
		return key
	}
	if u, err := url.Parse(rawURL); err == nil && rawURL != "" {
		if strings.TrimPrefix(u.Path, "/") == key {
			return key
		}
		if strings.TrimPrefix(u.EscapedPath(), "/") == key {
			if d, err := url.PathUnescape(key); err == nil {
				return d
			}
			return key
		}
	}
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return key
		}
	}
	if d, err := url.PathUnescape(key); err == nil {
		return d
	}
	return key
}
