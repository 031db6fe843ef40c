package doctor

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/smsjump/smsjump/shared/store"
)

// checkStore opens STORE_URL and reads one absent key (nothing is written).
// TencentDB for Redis answers only inside its VPC, so from an operator's
// machine an unreachable private address is a warning, not a failure.
func checkStore(ctx context.Context, s Settings) []Result {
	if s.StoreURL == "" {
		return []Result{fail("export STORE_URL（redis://… 或 cos://桶/前缀?region=…，见 README「选择存储」）", "STORE_URL 未设置")}
	}
	scheme, _, _ := strings.Cut(s.StoreURL, "://")
	if s.Live && (scheme == "mem" || scheme == "bolt") {
		return []Result{fail("SCF 实例之间不共享内存和本地文件：改用 redis://（TencentDB for Redis，同一 VPC）或 cos://桶/前缀?region=…",
			"STORE_URL=%s:// 在 SCF 上不可用", scheme)}
	}
	st, err := store.Open(ctx, store.FillCOSEndpoint(s.StoreURL, s.COSEndpoint, s.COSPathStyle))
	if err == nil {
		defer st.Close()
		_, err = st.Get(ctx, "doctor/probe")
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
	}
	if err == nil {
		return []Result{ok("存储 %s:// 可访问", scheme)}
	}
	if (scheme == "redis" || scheme == "rediss") && privateHost(s.StoreURL) {
		return []Result{warn("TencentDB for Redis 只在它的 VPC 内可达：部署时设置 VPC_ID、SUBNET_ID（与 Redis 相同的私有网络和子网）；"+
			"要在部署前验证，请在同一 VPC 的云服务器上运行 doctor",
			"从本机连不上 Redis（%v）", err)}
	}
	return []Result{fail("核对 STORE_URL（地址、端口、密码）；Redis 须在函数的 VPC 内，cos:// 须有桶权限", "存储不可访问：%v", err)}
}

func privateHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsPrivate()
}
