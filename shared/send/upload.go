package send

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// Upload identifies one version of an uploaded CSV.
type Upload struct {
	Bucket string `json:"bucket"` // name-appid, or "" for a local bucket
	Key    string `json:"key"`    // uploads/<name>.csv
	ETag   string `json:"etag"`   // of this version, unquoted
	// Manifest is the ETag of uploads/<name>.json when the job was made,
	// ManifestNone without one, "" when not looked up yet (an event).
	Manifest string `json:"manifest,omitempty"`
}

// ManifestNone marks a job made while the upload had no manifest.
const ManifestNone = "none"

// Name is <name> of uploads/<name>.csv; reports go to reports/<name>/.
func (u Upload) Name() string {
	k := strings.TrimPrefix(u.Key, uploadsPrefix)
	if strings.HasSuffix(strings.ToLower(k), csvSuffix) {
		k = k[:len(k)-len(csvSuffix)]
	}
	return k
}

// ManifestKey is uploads/<name>.json.
func (u Upload) ManifestKey() string { return uploadsPrefix + u.Name() + ".json" }

// ReportPrefix is reports/<name>/.
func (u Upload) ReportPrefix() string { return reportsPrefix + u.Name() + "/" }

// JobID is hash(bucket, key, CSV ETag, manifest ETag): the same upload
// processed twice is one job; the same CSV with a changed manifest is not.
func (u Upload) JobID() string {
	h := sha256.New()
	for _, s := range []string{u.Bucket, u.Key, u.ETag, u.Manifest} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

const (
	uploadsPrefix = "uploads/"
	reportsPrefix = "reports/"
	csvSuffix     = ".csv"
)

// IsUploadKey reports whether key is uploads/<name>.csv with a usable name.
func IsUploadKey(key string) bool {
	if !strings.HasPrefix(key, uploadsPrefix) || !strings.HasSuffix(strings.ToLower(key), csvSuffix) {
		return false
	}
	name := key[len(uploadsPrefix) : len(key)-len(csvSuffix)]
	return name != "" && !strings.HasPrefix(path.Base(name), ".") && path.Clean(name) == name
}

// normalizeETag drops the quotes COS puts around ETags so that an event's
// ETag and a Stat's compare equal.
func normalizeETag(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "W/")
	return strings.Trim(s, `"`)
}
