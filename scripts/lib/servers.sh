# Sourced by test.sh and bench.sh: installs what the tests need on
# Debian/Ubuntu (non-interactively) and starts real servers on free loopback
# ports. Everything started here is stopped by smsjump_cleanup (set as an EXIT
# trap by the caller), also when tests fail.

VERSITYGW_VERSION=v1.8.0
# CI may run without HOME; Go's build cache and the tools directory need one.
if [[ -z "${HOME:-}" ]]; then
  HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
  export HOME=${HOME:-/tmp}
fi
SMSJUMP_TOOLS=${SMSJUMP_TOOLS:-$HOME/.cache/smsjump/tools}
SMSJUMP_WORK=$(mktemp -d /tmp/smsjump.XXXXXX)
mkdir -p "$SMSJUMP_TOOLS"
_smsjump_pids=()

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

smsjump_cleanup() {
  local p
  for p in "${_smsjump_pids[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null; done
  if [[ -n "${REDIS_PORT:-}" ]]; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  wait 2>/dev/null
  rm -rf "$SMSJUMP_WORK/s3" "$SMSJUMP_WORK/redis" "$SMSJUMP_WORK/gobin"
}

# smsjump_install: apt packages and pinned Go tools.
smsjump_install() {
  local need=()
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v chromium >/dev/null || need+=(chromium)
  # A Chinese font, so screenshots of the page and the report are readable.
  fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
  command -v gcc >/dev/null || need+=(gcc libc6-dev) # go test -race needs cgo
  if ((${#need[@]})); then
    command -v apt-get >/dev/null || die "missing ${need[*]} and no apt-get: install them by hand"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    log "installing ${need[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || die "apt-get install ${need[*]} failed"
  fi
  VERSITYGW="$SMSJUMP_TOOLS/versitygw-$VERSITYGW_VERSION"
  if [[ ! -x "$VERSITYGW" ]]; then
    log "installing versitygw $VERSITYGW_VERSION (go install)"
    GOBIN="$SMSJUMP_WORK/gobin" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" ||
      die "go install versitygw failed"
    mv "$SMSJUMP_WORK/gobin/versitygw" "$VERSITYGW"
  fi
  if [[ -f static/package.json ]]; then
    command -v npm >/dev/null || die "the H5 page's tests need Node.js and npm"
    log "npm ci (static/)"
    (cd static && npm ci --no-audit --no-fund --silent) || die "npm ci in static/ failed"
  fi
}

_free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port"
}

_wait_port() { # port name logfile
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  [[ -f "${3:-}" ]] && tail -20 "$3" >&2
  die "$2 did not start on port $1"
}

# smsjump_start_servers: Redis and versitygw; exports the SMSJUMP_TEST_* variables.
smsjump_start_servers() {
  REDIS_PORT=$(_free_port)
  mkdir -p "$SMSJUMP_WORK/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$SMSJUMP_WORK/redis" --logfile "$SMSJUMP_WORK/redis/redis.log" || die "redis-server failed to start"
  _wait_port "$REDIS_PORT" redis-server "$SMSJUMP_WORK/redis/redis.log"
  export SMSJUMP_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

  local s3port
  s3port=$(_free_port)
  export SMSJUMP_TEST_S3_ACCESS=smsjumptest SMSJUMP_TEST_S3_SECRET=smsjump-test-secret-key
  export SMSJUMP_TEST_S3_ENDPOINT="http://127.0.0.1:$s3port" SMSJUMP_TEST_S3_BUCKET=smsjump-1250000000
  mkdir -p "$SMSJUMP_WORK/s3"
  "$VERSITYGW" --port "127.0.0.1:$s3port" --access "$SMSJUMP_TEST_S3_ACCESS" --secret "$SMSJUMP_TEST_S3_SECRET" \
    --region ap-guangzhou --quiet \
    posix "$SMSJUMP_WORK/s3" >"$SMSJUMP_WORK/versitygw.log" 2>&1 &
  _smsjump_pids+=($!)
  _wait_port "$s3port" versitygw "$SMSJUMP_WORK/versitygw.log"

  # Tests that need a server of their own (e.g. with bucket versioning) start this binary.
  export SMSJUMP_TEST_VERSITYGW="$VERSITYGW"
  export SMSJUMP_CHROMIUM=$(command -v chromium)
  export SMSJUMP_REQUIRE_SERVERS=1
}
