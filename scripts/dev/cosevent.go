package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// cosShortRegions maps full regions to the short codes COS puts in
// cosBucket.region (PLATFORM.md "COS trigger").
var cosShortRegions = map[string]string{
	"ap-guangzhou": "gz", "ap-shanghai": "sh", "ap-beijing": "bj", "ap-chengdu": "cd",
	"ap-chongqing": "cq", "ap-nanjing": "nj", "ap-hongkong": "hk",
}

// cosObject is the object a COS event reports.
type cosObject struct {
	bucket string // name-appid
	region string // full region
	key    string // object key, e.g. uploads/x.csv
	size   int64
	etag   string // unquoted
	at     time.Time
	reqID  string
}

// cosEvent encodes the event a cos:ObjectCreated:Put trigger sends for obj,
// in the documented shape: key /<appid>/<name>/<key>, the virtual-hosted URL
// whose host names the full region, the ETag among the meta headers.
func cosEvent(obj cosObject) ([]byte, error) {
	name, appid := splitBucket(obj.bucket)
	escaped := (&url.URL{Path: "/" + obj.key}).EscapedPath()
	ev := map[string]any{"Records": []any{map[string]any{
		"cos": map[string]any{
			"cosSchemaVersion": "1.0",
			"cosObject": map[string]any{
				"url": "http://" + obj.bucket + ".cos." + obj.region + ".myqcloud.com" + escaped,
				"meta": map[string]string{
					"x-cos-request-id": obj.reqID,
					"Content-Type":     contentTypeOf(obj.key),
					"ETag":             `"` + obj.etag + `"`,
				},
				"vid":  "",
				"key":  "/" + appid + "/" + name + "/" + obj.key,
				"size": obj.size,
			},
			"cosBucket": map[string]any{
				"region": shortRegion(obj.region),
				"name":   name,
				"appid":  appid,
			},
			"cosNotificationId": "unkown", // sic: COS spells it so
		},
		"event": map[string]any{
			"eventName":    "cos:ObjectCreated:Put",
			"eventVersion": "1.0",
			"eventTime":    obj.at.Unix(),
			"eventSource":  "qcs::cos",
			"requestParameters": map[string]any{
				"requestSourceIP": "127.0.0.1",
				"requestHeaders":  map[string]string{},
			},
			"eventQueue":   "qcs:0:scf:" + obj.region + ":appid/" + appid + ":default.send-sms.$DEFAULT",
			"reservedInfo": "",
			"reqid":        obj.at.UnixNano() % 1e9,
		},
	}}}
	return json.Marshal(ev)
}

func splitBucket(b string) (name, appid string) {
	i := strings.LastIndexByte(b, '-')
	if i < 0 {
		return b, ""
	}
	return b[:i], b[i+1:]
}

func shortRegion(full string) string {
	if s, ok := cosShortRegions[full]; ok {
		return s
	}
	return full
}

func contentTypeOf(key string) string {
	switch {
	case strings.HasSuffix(key, ".csv"):
		return "text/csv"
	case strings.HasSuffix(key, ".json"):
		return "application/json"
	}
	return "application/octet-stream"
}
