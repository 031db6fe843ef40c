package sdkclient

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/smsjump/smsjump/shared/cos"
)

// TestChecksumSettings pins the settings themselves: in this SDK version
// s3.New treats "unset" like WhenRequired, but the SDK's documented default
// (and config.LoadDefaultConfig's) is WhenSupported, which COS rejects.
func TestChecksumSettings(t *testing.T) {
	c, err := New(cos.Config{Bucket: "campaigns-1250000000", Region: "ap-guangzhou",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	o := c.Options()
	if o.RequestChecksumCalculation != aws.RequestChecksumCalculationWhenRequired {
		t.Errorf("RequestChecksumCalculation = %v, want WhenRequired (COS rejects aws-chunked CRC32 uploads)", o.RequestChecksumCalculation)
	}
	if o.ResponseChecksumValidation != aws.ResponseChecksumValidationWhenRequired {
		t.Errorf("ResponseChecksumValidation = %v, want WhenRequired", o.ResponseChecksumValidation)
	}
}
