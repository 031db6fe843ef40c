// Package costest connects tests to a local S3 server (versitygw in CI) named
// by environment variables, so that the COS code paths run against a server
// that really verifies SigV4.
package costest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/sdkclient"
	"github.com/smsjump/smsjump/shared/tccred"
)

// Variables naming the test server.
const (
	EnvEndpoint = "SMSJUMP_TEST_S3_ENDPOINT" // http://127.0.0.1:PORT
	EnvAccess   = "SMSJUMP_TEST_S3_ACCESS"
	EnvSecret   = "SMSJUMP_TEST_S3_SECRET"
	EnvBucket   = "SMSJUMP_TEST_S3_BUCKET" // created if absent
	// EnvRegion is optional; versitygw is started with ap-guangzhou.
	EnvRegion = "SMSJUMP_TEST_S3_REGION"
	// EnvRequire turns a missing server into a failure (CI sets it).
	EnvRequire = "SMSJUMP_REQUIRE_SERVERS"
)

// Server is the test server's coordinates.
type Server struct {
	Endpoint, Access, Secret, Bucket, Region string
}

// Lookup reads the server from the environment. When it is not configured
// the test is skipped, or fails if SMSJUMP_REQUIRE_SERVERS=1.
func Lookup(t testing.TB) Server {
	t.Helper()
	s := Server{
		Endpoint: os.Getenv(EnvEndpoint),
		Access:   os.Getenv(EnvAccess),
		Secret:   os.Getenv(EnvSecret),
		Bucket:   os.Getenv(EnvBucket),
		Region:   os.Getenv(EnvRegion),
	}
	if s.Region == "" {
		s.Region = "ap-guangzhou"
	}
	var missing []string
	for name, v := range map[string]string{EnvEndpoint: s.Endpoint, EnvAccess: s.Access, EnvSecret: s.Secret, EnvBucket: s.Bucket} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if missing != nil {
		msg := "no S3 test server: set " + strings.Join(missing, ", ") + " (see shared/cos/costest)"
		if os.Getenv(EnvRequire) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return s
}

// Config returns a client configuration for the test server, path style,
// with static credentials, and makes sure the bucket exists.
func Config(t testing.TB) cos.Config {
	t.Helper()
	s := Lookup(t)
	cfg := cos.Config{
		Bucket:      s.Bucket,
		Region:      s.Region,
		Endpoint:    s.Endpoint,
		PathStyle:   true,
		Credentials: credentials.NewStaticCredentialsProvider(s.Access, s.Secret, ""),
	}
	ensureBucket(t, cfg)
	return cfg
}

// SetEnvCredentials exports the server's keys as TENCENTCLOUD_* for the rest
// of the test, for code that takes its credentials from the environment as
// it does on SCF.
func SetEnvCredentials(t *testing.T, s Server) {
	t.Setenv(tccred.EnvSecretID, s.Access)
	t.Setenv(tccred.EnvSecretKey, s.Secret)
	t.Setenv(tccred.EnvSessionToken, "")
}

func ensureBucket(t testing.TB, cfg cos.Config) {
	t.Helper()
	c, err := sdkclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(cfg.Bucket)})
	if err = cos.MapError("CreateBucket", cfg.Bucket, "", err); err != nil && !errors.Is(err, cos.ErrExists) {
		var ce *cos.Error
		if !errors.As(err, &ce) || ce.Code != "BucketAlreadyExists" {
			t.Fatalf("create test bucket: %v", err)
		}
	}
}

var unsafeRE = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// Prefix returns a key prefix unique to this test run, ending in "/", and
// deletes every object under it when the test ends.
func Prefix(t testing.TB, cfg cos.Config) string {
	t.Helper()
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	name := unsafeRE.ReplaceAllString(t.Name(), "_")
	if len(name) > 60 {
		name = name[len(name)-60:]
	}
	p := "test/" + name + "-" + hex.EncodeToString(rnd[:]) + "/"
	t.Cleanup(func() { Clean(t, cfg, p) })
	return p
}

// Clean deletes every object under prefix.
func Clean(t testing.TB, cfg cos.Config, prefix string) {
	c, err := cos.NewClient(cfg)
	if err != nil {
		t.Error(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	token := ""
	for {
		objs, next, err := c.ListPage(ctx, prefix, token, 0)
		if err != nil {
			t.Errorf("clean %s: %v", prefix, err)
			return
		}
		for _, o := range objs {
			if err := c.Delete(ctx, o.Key); err != nil {
				t.Errorf("clean %s: %v", prefix, err)
				return
			}
		}
		if next == "" {
			return
		}
		token = next
	}
}
