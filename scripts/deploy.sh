#!/usr/bin/env bash
# Builds and deploys smsjump with the Serverless Cloud Framework CLI (`scf`,
# npm package serverless-cloud-framework ≥ 1.2.0). The README (部署) lists the
# console steps and the variables to export; then:
#   scripts/deploy.sh [--force]
# 1. checks the CLI and the variables, and gives every ${env:X} that
#    serverless.yml or static/serverless.yml references a value (the CLI would
#    otherwise deploy the text "undefined"; empty means the default);
# 2. runs `go run ./scripts/dev doctor --live` on the account and stops on ✘
#    (--force deploys anyway);
# 3. builds and deploys the functions, reads get-scheme's Function URL from
#    `scf info` into SMSJUMP_API_URL, then builds and deploys the page
#    (H5_HOSTING=cos: static/serverless.yml; cloudbase: CloudBase hosting);
# 4. checks the deployed page and Function URL (doctor's page checks).
# CI never runs this; scripts/deploy_test.go runs it with stand-in tools.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "deploy.sh: $*" >&2; exit 1; }

force=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument $arg (usage: scripts/deploy.sh [--force])" ;;
  esac
done

# --- the CLI: serverless-cloud-framework ≥ 1.2.0 (Function URL triggers) ----
command -v scf >/dev/null || die "the Serverless Cloud Framework CLI is missing: npm install -g serverless-cloud-framework"
version_out=$(scf --version 2>&1 || true)
cli_version=$(printf '%s\n' "$version_out" | sed -n 's/.*serverless-cloud-framework version: *\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n 1)
[[ -n "$cli_version" ]] || die "'scf' on PATH ($(command -v scf)) is not the Serverless Cloud Framework CLI (scf --version printed: $(printf '%s' "$version_out" | head -n 1)). Install it with npm install -g serverless-cloud-framework and put it first on PATH."
IFS=. read -r major minor _ <<<"$cli_version"
if ((major < 1 || (major == 1 && minor < 2))); then
  die "serverless-cloud-framework $cli_version is too old: 1.2.0 or later deploys Function URL triggers (npm install -g serverless-cloud-framework@latest)"
fi

# --- required variables ------------------------------------------------------
H5_HOSTING=${H5_HOSTING:-cos}
FIXED_EGRESS_IP=${FIXED_EGRESS_IP:-true}
required=(STAGE COS_REGION BUCKET WECHAT_APPID WECHAT_SECRET STORE_URL SMS_SDK_APP_ID SMS_SIGN_NAME SMS_TEMPLATE_ID LINK_BASE_URL SCF_ROLE)
case "$H5_HOSTING" in
  cos) required+=(H5_BUCKET H5_CERT_ID) ;;
  cloudbase) required+=(CLOUDBASE_ENV_ID) ;;
  *) die "H5_HOSTING=$H5_HOSTING: use cos (COS website + CDN domain) or cloudbase (CloudBase static hosting, needed for the open tag inside WeChat)" ;;
esac
# TencentDB for Redis answers only inside its VPC.
[[ "${STORE_URL:-}" == redis://* || "${STORE_URL:-}" == rediss://* ]] && required+=(VPC_ID SUBNET_ID)
missing=()
for v in "${required[@]}"; do
  [[ -n "${!v:-}" ]] || missing+=("$v")
done
((${#missing[@]} == 0)) || die "set ${missing[*]} (README: 部署 / Deploy)"
case "$FIXED_EGRESS_IP" in
  true) scf_inputs=() ;;
  # The toolkit tests eip === true, so the YAML keeps a real boolean and the
  # CLI's --inputs (JSON, deep-merged into inputs) turns it off.
  false) scf_inputs=(--inputs 'functions={"get-scheme":{"eip":false},"token-refresh":{"eip":false}}') ;;
  *) die "FIXED_EGRESS_IP=$FIXED_EGRESS_IP: use true (default: get-scheme and token-refresh keep a fixed egress IP for WeChat's IP whitelist) or false" ;;
esac
[[ "$STAGE" =~ ^[a-z][a-z0-9]{0,15}$ ]] || die "STAGE=$STAGE: use a short lower-case word such as prod or dev (it is part of every function name)"
case "$STORE_URL" in
  mem://* | bolt://*) die "STORE_URL=$STORE_URL keeps state inside one SCF instance: use redis://… or cos://bucket-appid/prefix?region=… (README: 选择存储)" ;;
esac
[[ "$LINK_BASE_URL" =~ ^https://([^/?#:]+) ]] || die "LINK_BASE_URL=$LINK_BASE_URL must be https://<ICP-registered domain>/…"
export H5_HOSTING H5_DOMAIN="${H5_DOMAIN:-${BASH_REMATCH[1]}}"

# --- optional variables: empty means "use the default" ----------------------
# Every optional ${env:X} of serverless.yml and static/serverless.yml is
# listed here; the check below refuses to deploy if one is forgotten.
optional=(
  WECHAT_ENV_VERSION SCHEME_MODE SCHEME_TTL_DAYS SCHEME_FALLBACK_PLAINTEXT SCHEME_CACHE_MARGIN
  RATE_LIMIT_PER_IP RATE_LIMIT_BURST ALLOWED_ORIGINS TOKEN_REFRESH_MARGIN STATIC_CAMPAIGNS
  SMS_TEMPLATE_TEXT SMS_TIMEOUT SMS_REGION SMS_QPS TARGET_PATH SEND_SAFETY_MARGIN SEND_LEASE_TTL
  SEND_WINDOW_MARGIN SEND_MANIFEST_WAIT
  QUOTA_PROBE_SCHEME QUOTA_WARN_BELOW FALLBACK_PATH WECHAT_OA_APPID WECHAT_OA_SECRET VPC_ID SUBNET_ID H5_BUCKET H5_CERT_ID
)
for v in "${optional[@]}"; do
  export "$v=${!v-}"
done
# Optional settings whose default deploy.sh chooses itself.
export FREQUENCY_CAP="${FREQUENCY_CAP:-off}"
export OPT_OUT_WORDS="${OPT_OUT_WORDS:-R,TD,T,N,退订,拒收}"
# The receipt callback path's secret: stable across deploys (derived from
# WECHAT_SECRET, which it does not reveal) unless set explicitly. sha256sum
# is GNU coreutils; macOS has shasum.
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
: "${CALLBACK_TOKEN:=$(printf 'smsjump-callback:%s' "$WECHAT_SECRET" | sha256 | cut -c1-48)}"
: "${RECEIPT_WINDOW:=72h}" "${SMS_RECEIPT_PULL:=false}"
export CALLBACK_TOKEN RECEIPT_WINDOW SMS_RECEIPT_PULL
for v in "${required[@]}"; do
  export "$v"
done

# undefined-guard {
# YAML comments are not read by the CLI; neither are they here.
referenced=$(sed -e 's/^#.*//' -e 's/[[:space:]]#.*//' serverless.yml static/serverless.yml | grep -o '\${env:[A-Za-z_][A-Za-z0-9_]*}' | sed 's/^\${env:\(.*\)}$/\1/' | sort -u)
unset_vars=()
for v in $referenced; do
  [[ -n "${!v+set}" ]] || unset_vars+=("$v")
done
((${#unset_vars[@]} == 0)) ||
  die "serverless.yml references ${unset_vars[*]}, unset here: scf would deploy the text \"undefined\". Export them (empty means the default) or add them to the optional list in scripts/deploy.sh."
# } undefined-guard

# --- check the account before paying for anything ---------------------------
# doctor reads the account with the deploy keys: exported, or in the .env the
# CLI's QR login wrote on an earlier run.
if [[ -z "${TENCENT_SECRET_ID:-}${TENCENTCLOUD_SECRETID:-}" ]] && ! grep -qs '^TENCENT_SECRET_ID=' .env; then
  die "set TENCENT_SECRET_ID and TENCENT_SECRET_KEY (CAM 控制台 → 访问管理 → API 密钥, README 第 8 步): doctor checks the account with them before anything is deployed"
fi
if ! go run ./scripts/dev doctor --live --checks wechat,sms,cos,store; then
  $force || die "doctor found problems (✘ above; each line names the console step that fixes it). Fix them, or deploy anyway with --force."
  echo "deploy.sh: --force: deploying despite doctor's ✘" >&2
fi

# --- functions, then the page that calls them -------------------------------
scripts/build.sh --functions-only
scf deploy "${scf_inputs[@]+"${scf_inputs[@]}"}"
info=$(scf info 2>&1 | sed $'s/\x1b\\[[0-9;]*m//g')
printf '%s\n' "$info"
url=$(printf '%s\n' "$info" | grep -Eo 'https://[A-Za-z0-9.-]+\.tencentscf\.com[^[:space:]"'\'',]*' | head -n 1 || true)
if [[ -n "$url" ]]; then
  export SMSJUMP_API_URL="$url"
elif [[ -z "${SMSJUMP_API_URL:-}" ]]; then
  die "no Function URL (*.tencentscf.com) in 'scf info': find get-scheme's 函数 URL in the SCF console (函数管理 → smsjump-$STAGE-get-scheme → 函数 URL), export SMSJUMP_API_URL=<it> and run deploy.sh again"
fi
echo "deploy.sh: the page calls get-scheme at $SMSJUMP_API_URL"

# Only on CloudBase hosting does WeChat take the signature-free open tag; the
# page built for elsewhere sends WeChat users to the URL Link (static/README.md).
if [[ "$H5_HOSTING" == cloudbase ]]; then export SMSJUMP_CLOUDBASE=true; else export SMSJUMP_CLOUDBASE=false; fi
scripts/build.sh --page-only
case "$H5_HOSTING" in
  cos)
    (cd static && scf deploy)
    ;;
  cloudbase)
    # Pinned: the CLI's commands changed between major versions.
    tcb=(npx --yes @cloudbase/cli@2.12.10)
    [[ -n "${TENCENT_SECRET_ID:-}" && -n "${TENCENT_SECRET_KEY:-}" ]] &&
      "${tcb[@]}" login --apiKeyId "$TENCENT_SECRET_ID" --apiKey "$TENCENT_SECRET_KEY"
    "${tcb[@]}" hosting deploy dist/static -e "$CLOUDBASE_ENV_ID"
    ;;
esac

# The page must display (not download) on LINK_BASE_URL and get CORS answers.
go run ./scripts/dev doctor --live --checks page ||
  echo "deploy.sh: deployed, but the page checks failed (✘ above)" >&2

echo
echo "短信状态回调（短信控制台 → 应用管理 → 基础配置 → 事件回调配置 → 短信状态回调）:"
echo "  ${SMSJUMP_API_URL}/cb/${CALLBACK_TOKEN}/sms-status"
echo "  （这个地址就是凭证：不要公开它。）"
