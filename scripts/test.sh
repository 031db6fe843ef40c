#!/usr/bin/env bash
# The README's test command. On Debian/Ubuntu it installs what the tests need
# (non-interactively: redis-server, chromium, versitygw, the page's npm
# packages), starts Redis and a SigV4-checking S3 server on free loopback
# ports, runs gofmt, go vet and every test with the race detector, stops the
# servers (also when tests fail) and prints a summary.
#
#   ./scripts/test.sh              everything
#   ./scripts/test.sh ./shared/... only some packages (go test patterns)
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/servers.sh
trap smsjump_cleanup EXIT
trap 'exit 130' INT TERM

export SMSJUMP_ARTIFACTS=${SMSJUMP_ARTIFACTS:-$SMSJUMP_WORK/artifacts}
mkdir -p "$SMSJUMP_ARTIFACTS"
smsjump_install
smsjump_start_servers

pkgs=("$@")
((${#pkgs[@]})) || pkgs=(./...)
failed=()
log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null))
if [[ -n "$unformatted" ]]; then
  echo "not gofmt-ed: $unformatted"
  failed+=(gofmt)
fi
log "go vet ${pkgs[*]}"
go vet "${pkgs[@]}" || failed+=("go vet")
if [[ -f static/package.json ]]; then
  log "node --test (static/)"
  (cd static && npm test --silent) || failed+=("node --test")
fi
log "go test -race ${pkgs[*]}"
go test -race -count=1 -timeout 20m "${pkgs[@]}" 2>&1 | tee "$SMSJUMP_WORK/test.log"
((PIPESTATUS[0])) && failed+=("go test")

echo
echo "go packages ok: $(grep -c '^ok ' "$SMSJUMP_WORK/test.log"), failed: $(grep -c '^FAIL[[:space:]]' "$SMSJUMP_WORK/test.log")"
echo "artifacts (screenshots, logs): $SMSJUMP_ARTIFACTS"
if ((${#failed[@]})); then
  echo "test.sh: FAILED: ${failed[*]}"
  exit 1
fi
echo "test.sh: all checks passed"
