package setup

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/sms"
	"github.com/smsjump/smsjump/shared/tccred"
)

// BucketURL is the campaign bucket as a blob URL: SEND_BUCKET_URL, else
// cos://BUCKET?region=COS_REGION.
func BucketURL(cfg *config.Config) string {
	if cfg.Send.BucketURL != "" {
		return cfg.Send.BucketURL
	}
	return "cos://" + cfg.COS.Bucket + "/?region=" + url.QueryEscape(cfg.COS.Region)
}

// BucketPrefix is the key prefix of a cos:// SEND_BUCKET_URL ("" otherwise):
// COS events name keys from the bucket's root.
func BucketPrefix(cfg *config.Config) string {
	u, err := url.Parse(cfg.Send.BucketURL)
	if err != nil || u.Scheme != "cos" {
		return ""
	}
	p := strings.Trim(u.Path, "/")
	if p == "" {
		return ""
	}
	return p + "/"
}

// Bucket opens the campaign bucket; COS requests are signed with the
// function's TENCENTCLOUD_* credentials, read at every request.
func Bucket(ctx context.Context, cfg *config.Config) (*blob.Bucket, error) {
	b, err := blob.Open(ctx, BucketURL(cfg),
		blob.WithCOSEndpoint(cfg.COS.Endpoint, cfg.COS.PathStyle),
		blob.WithCOSCredentials(tccred.AWSProvider()))
	if err != nil {
		return nil, fmt.Errorf("open bucket: %w", err)
	}
	return b, nil
}

// SMS returns the Tencent Cloud SMS sender (SMS_REGION, SMS_ENDPOINT, SMS_TIMEOUT).
func SMS(cfg *config.Config, log *slog.Logger) (*sms.Tencent, error) {
	s, err := sms.NewTencent(sms.TencentConfig{
		Region: cfg.SMS.Region, Endpoint: cfg.SMS.Endpoint, Timeout: cfg.SMS.Timeout, Logger: log,
	})
	if err != nil {
		return nil, fmt.Errorf("sms client: %w", err)
	}
	return s, nil
}
