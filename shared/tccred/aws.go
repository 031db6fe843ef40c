package tccred

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// providerSource names the provider in aws.Credentials.Source.
const providerSource = "tccred.EnvProvider"

// EnvProvider is an aws.CredentialsProvider that reads the Tencent Cloud
// variables at every Retrieve. Reading three variables costs far less than
// one HTTP request, and it is the only way to never sign with a rotated-out
// session token.
type EnvProvider struct {
	// getenv is replaced in tests; nil means os.Getenv.
	getenv func(string) string
}

// AWSProvider returns a provider for aws-sdk-go-v2 clients (COS through its
// S3 API). The credentials it returns expire at once, so even when a caller
// wraps it in aws.NewCredentialsCache the cache asks again on the next
// request instead of keeping a stale token.
func AWSProvider() *EnvProvider { return &EnvProvider{} }

// Retrieve implements aws.CredentialsProvider.
func (p *EnvProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	var (
		c   Credentials
		err error
	)
	if p.getenv != nil {
		c, err = fromLookup(p.getenv)
	} else {
		c, err = FromEnv()
	}
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("retrieve credentials: %w", err)
	}
	return aws.Credentials{
		AccessKeyID:     c.SecretID,
		SecretAccessKey: c.SecretKey,
		SessionToken:    c.SessionToken,
		Source:          providerSource,
		CanExpire:       true,
		Expires:         time.Now(),
	}, nil
}
