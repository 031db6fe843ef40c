#!/usr/bin/env bash
# Builds and deploys smsjump with the Serverless Cloud Framework CLI (`scf`).
#   npm install -g serverless-cloud-framework    # provides the `scf` command
#   export TENCENT_SECRET_ID=… TENCENT_SECRET_KEY=…  # or scan the QR code scf prints
#   export STAGE=prod COS_REGION=ap-guangzhou BUCKET=smsjump-1250000000 H5_BUCKET=smsjump-h5-1250000000 \
#          WECHAT_APPID=… WECHAT_SECRET=… STORE_URL=… SMS_SDK_APP_ID=… SMS_SIGN_NAME=… \
#          SMS_TEMPLATE_ID=… LINK_BASE_URL=https://h5.example.cn/ SMSJUMP_API_URL=<get-scheme Function URL>
#   scripts/deploy.sh
# The README lists every variable and the console steps. CI never runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v scf >/dev/null || {
  echo "deploy.sh: the Serverless Cloud Framework CLI is missing: npm install -g serverless-cloud-framework" >&2
  exit 1
}
missing=()
for v in STAGE COS_REGION BUCKET H5_BUCKET WECHAT_APPID WECHAT_SECRET STORE_URL SMS_SDK_APP_ID SMS_SIGN_NAME SMS_TEMPLATE_ID LINK_BASE_URL; do
  [[ -n "${!v:-}" ]] || missing+=("$v")
done
if ((${#missing[@]})); then
  echo "deploy.sh: set ${missing[*]} (see README, 配置 / Configuration)" >&2
  exit 1
fi
if [[ -z "${SMSJUMP_API_URL:-}" ]]; then
  echo "deploy.sh: SMSJUMP_API_URL (the get-scheme Function URL) is unset: the page will call /api/scheme on its own origin." >&2
  echo "           Deploy once, copy the Function URL from 'scf info', set SMSJUMP_API_URL and deploy again." >&2
fi

# Optional settings get their documented defaults here: the CLI would deploy
# an unset ${env:X} as the text "undefined".
export FREQUENCY_CAP="${FREQUENCY_CAP:-off}"
export OPT_OUT_WORDS="${OPT_OUT_WORDS:-R,TD,T,N,退订,拒收}"
# Empty: links of closed campaigns offer no page unless their manifest names one.
export FALLBACK_PATH="${FALLBACK_PATH:-}"

# The receipt callback path's secret: stable across deploys (derived from
# WECHAT_SECRET, which it does not reveal) unless set explicitly.
: "${CALLBACK_TOKEN:=$(printf 'smsjump-callback:%s' "$WECHAT_SECRET" | sha256sum | cut -c1-48)}"
: "${RECEIPT_WINDOW:=72h}" "${SMS_RECEIPT_PULL:=false}"
export CALLBACK_TOKEN RECEIPT_WINDOW SMS_RECEIPT_PULL

scripts/build.sh
scf deploy
(cd static && scf deploy)
scf info
echo
echo "短信状态回调（短信控制台 → 应用管理 → 基础配置 → 事件回调配置 → 短信状态回调）:"
echo "  ${SMSJUMP_API_URL:-<get-scheme 的函数 URL>}/cb/${CALLBACK_TOKEN}/sms-status"
echo "  （这个地址就是凭证：不要公开它。）"
