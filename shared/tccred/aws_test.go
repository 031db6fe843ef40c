package tccred

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestAWSProviderFollowsRotation(t *testing.T) {
	env := map[string]string{EnvSecretID: "AKIDone", EnvSecretKey: "k1", EnvSessionToken: "t1"}
	p := &EnvProvider{getenv: func(k string) string { return env[k] }}
	// Wrapping in the SDK's cache must not freeze the first answer.
	cached := aws.NewCredentialsCache(p)
	ctx := context.Background()

	for _, prov := range []aws.CredentialsProvider{p, cached} {
		env[EnvSecretID], env[EnvSecretKey], env[EnvSessionToken] = "AKIDone", "k1", "t1"
		c1, err := prov.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		env[EnvSecretID], env[EnvSecretKey], env[EnvSessionToken] = "AKIDtwo", "k2", "t2"
		c2, err := prov.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c1.AccessKeyID != "AKIDone" || c1.SessionToken != "t1" {
			t.Errorf("%T first = %s/%s", prov, c1.AccessKeyID, c1.SessionToken)
		}
		if c2.AccessKeyID != "AKIDtwo" || c2.SecretAccessKey != "k2" || c2.SessionToken != "t2" {
			t.Errorf("%T did not follow rotation: got %s/%s", prov, c2.AccessKeyID, c2.SessionToken)
		}
	}
}

func TestAWSProviderMissing(t *testing.T) {
	p := &EnvProvider{getenv: func(string) string { return "" }}
	_, err := p.Retrieve(context.Background())
	if !errors.Is(err, ErrMissing) {
		t.Fatalf("err = %v, want ErrMissing", err)
	}
}

func TestAWSProviderReadsProcessEnv(t *testing.T) {
	t.Setenv(EnvSecretID, "AKIDprocess")
	t.Setenv(EnvSecretKey, "kp")
	t.Setenv(EnvSessionToken, "")
	c, err := AWSProvider().Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "AKIDprocess" || c.SessionToken != "" || c.Source != providerSource {
		t.Fatalf("got %+v", c)
	}
}

func BenchmarkAWSProviderRetrieve(b *testing.B) {
	b.Setenv(EnvSecretID, "AKIDbench")
	b.Setenv(EnvSecretKey, "kb")
	b.Setenv(EnvSessionToken, "tb")
	p := AWSProvider()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Retrieve(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
