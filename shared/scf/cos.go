package scf

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// COSEvent is what a COS trigger sends. Records may hold several merged
// records, and not only creations.
type COSEvent struct {
	Records []COSRecord `json:"Records"`
}

// COSRecord is one change to one object.
type COSRecord struct {
	COS   COSEntity    `json:"cos"`
	Event COSEventInfo `json:"event"`
}

// COSEntity describes the bucket and the object.
type COSEntity struct {
	SchemaVersion  string    `json:"cosSchemaVersion"`
	Object         COSObject `json:"cosObject"`
	Bucket         COSBucket `json:"cosBucket"`
	NotificationID string    `json:"cosNotificationId"`
}

// COSObject is the object as the event reports it. Key is
// /<appid>/<bucket name without appid>/<object key>; URL is the object's
// virtual-hosted URL, whose host names the full region.
type COSObject struct {
	URL  string       `json:"url"`
	Meta MultiValues  `json:"meta"` // x-cos-request-id, Content-Type, ETag (quoted), x-cos-meta-*
	VID  string       `json:"vid"`
	Key  string       `json:"key"`
	Size LenientInt64 `json:"size"`
}

// COSBucket identifies the bucket. Region is a short code (cd, gz, bj…);
// captured events also carry the full region in cosRegion and s3Region.
type COSBucket struct {
	Region    string        `json:"region"`
	COSRegion string        `json:"cosRegion"`
	S3Region  string        `json:"s3Region"`
	Name      string        `json:"name"`
	AppID     LenientString `json:"appid"`
}

// COSEventInfo says what happened and when.
type COSEventInfo struct {
	Name              string       `json:"eventName"` // e.g. cos:ObjectCreated:Put
	Version           string       `json:"eventVersion"`
	Time              LenientInt64 `json:"eventTime"` // Unix seconds
	Source            string       `json:"eventSource"`
	Queue             string       `json:"eventQueue"`
	ReservedInfo      string       `json:"reservedInfo"`
	RequestID         LenientInt64 `json:"reqid"`
	RequestParameters struct {
		SourceIP string      `json:"requestSourceIP"`
		Headers  MultiValues `json:"requestHeaders"`
	} `json:"requestParameters"`
}

// ObjectCreated is a created object, ready for an S3/COS API call.
type ObjectCreated struct {
	Bucket    string    // <name>-<appid>, as the COS API wants it
	Region    string    // full region, e.g. ap-chengdu; "" if the event does not tell
	Key       string    // object key without the /<appid>/<name>/ prefix, percent-decoded
	Size      int64     // bytes
	ETag      string    // as COS reports it (quoted, like the HTTP header); "" if absent
	EventName string    // e.g. cos:ObjectCreated:Put
	EventTime time.Time // UTC
}

const objectCreatedPrefix = "cos:ObjectCreated:"

// ParseCOS decodes a COS trigger event and returns one ObjectCreated per
// cos:ObjectCreated:* record, in order. Other records (deletions, restores)
// are skipped with a log line on log (slog.Default() if nil). Invalid JSON
// fails with ErrMalformed, a bad record with a *RecordError naming its index,
// and an event without Records with ErrWrongKind.
func ParseCOS(raw []byte, log *slog.Logger) ([]ObjectCreated, error) {
	if log == nil {
		log = slog.Default()
	}
	var env struct {
		Records *[]json.RawMessage `json:"Records"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, malformed("COS event: %v", err)
	}
	if env.Records == nil {
		return nil, fmt.Errorf("%w: COS event has no Records", ErrWrongKind)
	}
	out := make([]ObjectCreated, 0, len(*env.Records))
	for i, rr := range *env.Records {
		var rec COSRecord
		if err := json.Unmarshal(rr, &rec); err != nil {
			return nil, &RecordError{Index: i, Err: err}
		}
		if !strings.HasPrefix(rec.Event.Name, objectCreatedPrefix) {
			log.Info("scf: skipping COS record that is not a creation",
				"index", i, "event", rec.Event.Name, "key", rec.COS.Object.Key)
			continue
		}
		obj, err := rec.objectCreated()
		if err != nil {
			return nil, &RecordError{Index: i, Err: err}
		}
		out = append(out, obj)
	}
	return out, nil
}

func (rec *COSRecord) objectCreated() (ObjectCreated, error) {
	o, b := &rec.COS.Object, &rec.COS.Bucket
	host := urlHost(o.URL)
	appid := string(b.AppID)

	bucket := b.Name
	switch {
	case bucket != "" && appid != "" && !strings.HasSuffix(bucket, "-"+appid):
		bucket += "-" + appid
	case bucket == "":
		bucket = bucketFromHost(host)
	}
	if bucket == "" {
		return ObjectCreated{}, errors.New("no bucket name")
	}

	key, err := objectKey(o.Key, appid, b.Name, o.URL)
	if err != nil {
		return ObjectCreated{}, err
	}

	var etag string
	for k, vs := range o.Meta {
		if strings.EqualFold(k, "ETag") && len(vs) > 0 {
			etag = vs[0]
			break
		}
	}
	var at time.Time
	if rec.Event.Time > 0 {
		at = time.Unix(int64(rec.Event.Time), 0).UTC()
	}
	return ObjectCreated{
		Bucket:    bucket,
		Region:    cosRegion(host, b.COSRegion, b.S3Region, b.Region),
		Key:       key,
		Size:      int64(o.Size),
		ETag:      etag,
		EventName: rec.Event.Name,
		EventTime: at,
	}, nil
}
