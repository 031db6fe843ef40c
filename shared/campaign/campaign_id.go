package campaign

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// CampaignIDFromName derives a campaign id from an upload name
// (uploads/<name>.csv) for uploads without a manifest. A name that is already
// a valid id is kept; otherwise it is lower-cased, other characters become
// '-', and a hash of the original name is appended, so "春季活动.csv" and
// "秋季活动.csv" do not collide. The result always matches [a-z0-9_-]{1,32}.
func CampaignIDFromName(name string) string {
	if campaignIDPattern.MatchString(name) {
		return name
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-'
		switch {
		case ok:
			b.WriteRune(r)
			dash = r == '-'
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	sum := fmt.Sprintf("%08x", h.Sum32())
	base := strings.Trim(b.String(), "-")
	if len(base) > 32-1-len(sum) {
		base = strings.TrimRight(base[:32-1-len(sum)], "-")
	}
	if base == "" {
		return "c-" + sum
	}
	return base + "-" + sum
}
