package doctor

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/sdkclient"
)

const cosBuckets = "COS 控制台 → 存储桶列表"

func cosClient(s Settings) (*cos.Client, error) {
	return cos.NewClient(cos.Config{Bucket: s.Bucket, Region: s.COSRegion, Endpoint: s.COSEndpoint, PathStyle: s.COSPathStyle,
		Credentials: s.COSCredentials, RetryMaxAttempts: 1})
}

// checkCOS: the campaign bucket exists in COS_REGION and the key may use
// it; a cos:// store must live in a bucket that never had versioning, since
// COS then no longer guarantees create-if-absent (x-cos-forbid-overwrite).
func checkCOS(ctx context.Context, s Settings) []Result {
	if s.Bucket == "" || s.COSRegion == "" {
		return []Result{fail("export BUCKET（<名称>-<APPID>）和 COS_REGION（"+cosBuckets+"）", "活动桶未设置")}
	}
	var out []Result
	if r, reachable := bucketReachable(ctx, s, s.Bucket, s.COSRegion, s.COSEndpoint, s.COSPathStyle); reachable {
		out = append(out, ok("活动桶 %s 在 %s 可访问", s.Bucket, s.COSRegion))
	} else {
		out = append(out, r)
	}
	if !strings.HasPrefix(s.StoreURL, "cos://") {
		return out
	}
	u, err := url.Parse(s.StoreURL)
	if err != nil {
		return append(out, fail("改正 STORE_URL", "STORE_URL 不是 URL"))
	}
	cfg, _, err := cos.ParseURL(u)
	if err != nil {
		return append(out, fail("改正 STORE_URL，如 cos://smsjump-1250000000/state?region=ap-guangzhou", "STORE_URL：%v", err))
	}
	if cfg.Endpoint == "" && cfg.Bucket == s.Bucket {
		cfg.Endpoint, cfg.PathStyle = s.COSEndpoint, s.COSPathStyle
	}
	if cfg.Bucket != s.Bucket {
		r, reachable := bucketReachable(ctx, s, cfg.Bucket, cfg.Region, cfg.Endpoint, cfg.PathStyle)
		if !reachable {
			return append(out, r)
		}
	}
	cfg.Credentials, cfg.RetryMaxAttempts = s.COSCredentials, 1
	if err := cfg.Validate(); err != nil {
		return append(out, fail("改正 STORE_URL", "STORE_URL 的桶：%v", err))
	}
	c, err := sdkclient.New(cfg)
	if err != nil {
		return append(out, fail("改正 STORE_URL", "STORE_URL 的桶：%v", err))
	}
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: &cfg.Bucket})
	if err != nil {
		err = cos.MapError("GetBucketVersioning", cfg.Bucket, "", err)
		return append(out, fail(cosFix(err, s), "读取存储桶 %s 的版本控制状态：%v", cfg.Bucket, err))
	}
	if v.Status != "" {
		return append(out, fail("版本控制开启过的桶（"+cosBuckets+" → 该桶 → 版本控制，只能暂停不能关闭）不再保证 x-cos-forbid-overwrite："+
			"为 STORE_URL 另建一个从未开启版本控制的桶，或改用 redis://",
			"存储 %s 所在的桶开启过版本控制（%s）：创建即不覆盖无法保证，同一号码可能重复发送", cfg.Bucket, v.Status))
	}
	return append(out, ok("存储桶 %s 从未开启版本控制（创建即不覆盖可用）", cfg.Bucket))
}

func bucketReachable(ctx context.Context, s Settings, bucket, region, endpoint string, pathStyle bool) (Result, bool) {
	cfg := cos.Config{Bucket: bucket, Region: region, Endpoint: endpoint, PathStyle: pathStyle,
		Credentials: s.COSCredentials, RetryMaxAttempts: 1}
	if err := cfg.Validate(); err != nil {
		return fail("改正 BUCKET / COS_REGION", "存储桶 %s：%v", bucket, err), false
	}
	c, err := sdkclient.New(cfg)
	if err != nil {
		return fail("改正 BUCKET / COS_REGION", "存储桶 %s：%v", bucket, err), false
	}
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket})
	if err == nil {
		return Result{}, true
	}
	err = cos.MapError("HeadBucket", bucket, "", err)
	return fail(cosFix(err, s), "存储桶 %s（%s）不可用：%v", bucket, region, err), false
}

// cosFix names the console step for a COS error.
func cosFix(err error, s Settings) string {
	switch {
	case errors.Is(err, cos.ErrBucketNotFound), errors.Is(err, cos.ErrNotFound):
		return "在 " + cosBuckets + " 中创建私有读写的存储桶 " + s.Bucket + "（所属地域 " + s.COSRegion + "），或改正 BUCKET / COS_REGION"
	case errors.Is(err, cos.ErrAccessDenied):
		return "密钥无权访问该桶：在 CAM 控制台给运行 doctor 的子账号（部署后是函数的执行角色）授予 README 所列的 COS 权限；或核对 TENCENTCLOUD_SECRETID/SECRETKEY"
	}
	return "检查 COS_REGION / COS_ENDPOINT 和本机网络"
}
