#!/usr/bin/env bash
# Runs the Go benchmarks and the load runs, and prints one table. Record the
# numbers with the machine they came from in docs/BENCHMARKS.md.
#
#   ./scripts/bench.sh            everything (several minutes)
#   ./scripts/bench.sh quick      Go micro-benchmarks only
# Load runs are Go tests gated by SMSJUMP_BENCH=1 that print lines starting
# with "BENCH " (name, value, unit, notes); they are never part of
# scripts/test.sh, and no test asserts on wall-clock speed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/servers.sh
trap smsjump_cleanup EXIT
trap 'exit 130' INT TERM

smsjump_install
smsjump_start_servers
out="$SMSJUMP_WORK/bench.txt"
benchtime=${BENCHTIME:-1s}

log "machine"
{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB; $(go version)"
} | tee "$SMSJUMP_WORK/machine.txt"

log "Go benchmarks (benchtime $benchtime)"
micro=(
  ./shared/token/ ./shared/scf/ ./shared/scf/host/ ./shared/store/ ./shared/wechat/
  ./shared/sms/ ./shared/sandbox/smsapi/ ./shared/phone/ ./shared/campaign/
)
for d in ./shared/scheme/ ./shared/link/ ./shared/send/ ./functions/get-scheme/; do
  [[ -d $d ]] && micro+=("$d")
done
go test -run '^$' -bench . -benchmem -benchtime "$benchtime" -count 1 "${micro[@]}" 2>&1 | tee "$out"

if [[ "${1:-}" != quick ]]; then
  log "load runs (SMSJUMP_BENCH=1)"
  SMSJUMP_BENCH=1 go test -count 1 -timeout 30m -run 'Bench|PeakRSS|Load' -v ./... 2>&1 |
    grep -E '^\s*BENCH |^(ok|FAIL|---)' | tee -a "$out"
fi

log "binary sizes (scripts/build.sh --functions-only)"
scripts/build.sh --functions-only | tee -a "$out"

echo
echo "| benchmark | ns/op | B/op | allocs/op | other |"
echo "|---|---:|---:|---:|---|"
awk '/^Benchmark/ {
  name=$1; sub(/-[0-9]+$/, "", name); ns=""; b=""; a=""; other=""
  for (i = 3; i < NF; i += 2) {
    if ($(i+1) == "ns/op") ns=$i
    else if ($(i+1) == "B/op") b=$i
    else if ($(i+1) == "allocs/op") a=$i
    else other = other $i " " $(i+1) " "
  }
  printf "| %s | %s | %s | %s | %s|\n", name, ns, b, a, other
}' "$out"
echo
echo "| load run | value | unit | notes |"
echo "|---|---:|---|---|"
sed -nE 's/^\s*BENCH ([^ ]+) ([^ ]+) ([^ ]+) ?(.*)$/| \1 | \2 | \3 | \4 |/p' "$out"
