package blob_test

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/smsjump/smsjump/shared/cos/costest"
)

func wrongSecret(s costest.Server) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(s.Access, s.Secret+"-wrong", "")
}
