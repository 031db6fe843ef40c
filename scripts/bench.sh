#!/usr/bin/env bash
# Runs the Go benchmarks and the load runs, and prints one table. Record the
# numbers with the machine they came from in docs/BENCHMARKS.md.
#
#   ./scripts/bench.sh            everything (several minutes)
#   ./scripts/bench.sh quick      Go micro-benchmarks only
# Load runs are Go tests and benchmarks gated by SMSJUMP_BENCH=1 that log
# their result lines; scripts/test.sh skips them, and no test asserts on
# wall-clock speed.
#
# SMSJUMP_BENCH_BASELINE=/path/to/send-sms (a binary built from an older
# commit with `go build -trimpath`) adds three interleaved pairs of the
# 1M-row campaign, that build against this one, and the goals table shows
# both medians. The campaign benchmarks also read SMSJUMP_BENCH_BINARY (run
# a given binary), SMSJUMP_BENCH_PERF (perf record the function process
# into that file), SMSJUMP_BENCH_GODEBUG (e.g. gctrace=1) and
# SMSJUMP_BENCH_LOG (the function's output to a file); see
# functions/send-sms/bench_test.go.
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
  ./shared/token/ ./shared/scf/ ./shared/scf/host/ ./shared/store/ ./shared/wechat/ ./shared/link/
  ./shared/scheme/ ./shared/sms/ ./shared/sandbox/smsapi/ ./shared/phone/ ./shared/campaign/ ./shared/send/
  ./scripts/dev/ ./scripts/dev/check/ ./shared/funnel/ ./shared/audience/
  ./shared/cos/ ./shared/scf/serve/
)
go test -run '^$' -bench . -benchmem -benchtime "$benchtime" -count 1 "${micro[@]}" 2>&1 | tee "$out"

if [[ "${1:-}" != quick ]]; then
  log "blob: 100 MB through the file backend and the S3 server"
  go test -run '^$' -bench 100MB -benchtime 1x ./shared/blob/ 2>&1 | tee -a "$out"
  # Load runs: gated tests that log one result line each (t.Logf), and the
  # send-sms campaign benchmarks, which print table rows.
  export SMSJUMP_BENCH=1
  loads=(
    "TestBlobPeakRSS ./shared/blob/"
    "TestCallsAcrossInstances ./shared/scheme/"
    "TestPageTimeToJump ./functions/get-scheme/"
    "TestCheckCommand ./scripts/dev/"
  )
  for l in "${loads[@]}"; do
    set -- $l
    log "load: $1"
    go test -count 1 -timeout 20m -run "^$1\$" -v "$2" 2>&1 | grep -E '_test\.go:[0-9]+: |^(ok|FAIL|--- )' | tee -a "$SMSJUMP_WORK/loads.txt"
  done
  log "load: receipts matched per second (followup tick, file bucket)"
  go test -count 1 -run '^$' -bench Tick -benchtime 1x ./shared/followup/ 2>&1 | tee -a "$SMSJUMP_WORK/loads.txt"
  log "load: send-sms campaigns (built binary against the SMS sandbox at 3000 req/s, 30 ms; bucket on the S3 server)"
  go test -count 1 -timeout 30m -run '^$' -bench . -benchtime 1x ./functions/send-sms/ 2>&1 | tee -a "$SMSJUMP_WORK/loads.txt"
  if [[ -n "${SMSJUMP_BENCH_BASELINE:-}" ]]; then
    log "load: 1M campaign, $SMSJUMP_BENCH_BASELINE against this build (3 interleaved pairs)"
    for _ in 1 2 3; do
      for build in baseline this; do
        bin=""
        [[ $build == baseline ]] && bin=$(realpath "$SMSJUMP_BENCH_BASELINE")
        SMSJUMP_BENCH_BINARY=$bin go test -count 1 -timeout 10m -run '^$' -bench MillionIdenticalParams -benchtime 1x ./functions/send-sms/ 2>&1 |
          sed -n "s|^BenchmarkMillionIdenticalParams|BenchmarkMillionIdenticalParamsAB/build=$build|p" | tee -a "$SMSJUMP_WORK/loads.txt"
      done
    done
  fi
  unset SMSJUMP_BENCH
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
if [[ -f "$SMSJUMP_WORK/loads.txt" ]]; then
  echo
  echo "load runs:"
  grep -E '_test\.go:[0-9]+: |^\|' "$SMSJUMP_WORK/loads.txt" | sed -E 's/^ +//'
fi

# Issue 12's goals, each beside its figure and a baseline measured in this
# run (the SDK path, a map, encoding/csv, the adapter with a fixed handler).
echo
echo "goals (issue 12):"
touch "$SMSJUMP_WORK/loads.txt"
awk -f scripts/lib/goals.awk "$out" "$SMSJUMP_WORK/loads.txt"
