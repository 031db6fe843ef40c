#!/usr/bin/env bash
# Builds every function under functions/ for SCF (linux/amd64, Go1 runtime)
# into one zip, dist/smsjump.zip, each binary at the zip root named after its
# function (that name is the SCF handler setting), and the H5 page into
# dist/static/ (its config.js is written from the environment, see
# static/README.md).
# Usage: scripts/build.sh [--functions-only | --page-only]
# (scripts/deploy.sh builds the page only once it knows the Function URL.)
# Portable to macOS: no GNU-only flags (file sizes come from wc -c).
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist
what=${1:-all}
case "$what" in
  all | --functions-only | --page-only) ;;
  *) echo "usage: scripts/build.sh [--functions-only | --page-only]" >&2; exit 2 ;;
esac

kb() { echo $(( $(wc -c < "$1") / 1024 )); }

if [[ "$what" != "--page-only" ]]; then
  rm -rf "$out/bin" "$out/smsjump.zip"
  mkdir -p "$out/bin"
  for dir in functions/*/; do
    name=$(basename "$dir")
    GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/bin/$name" "./$dir"
  done
  go run ./scripts/mkzip "$out/smsjump.zip" "$out"/bin/*

  echo "functions (linux/amd64):"
  for f in "$out"/bin/*; do
    printf '  %-16s %6d KB\n' "$(basename "$f")" "$(kb "$f")"
  done
  printf '  %-16s %6d KB\n' "smsjump.zip" "$(kb "$out/smsjump.zip")"
fi

if [[ "$what" == "--functions-only" ]]; then
  exit 0
fi
if [[ -f static/package.json ]]; then
  command -v npm >/dev/null || { echo "build.sh: the H5 page needs Node.js and npm" >&2; exit 1; }
  (cd static && npm ci --no-audit --no-fund --silent)
  rm -rf "$out/static"
  node static/build.mjs --out "$out/static"
  echo "H5 page: $out/static ($(du -sk "$out/static" | cut -f1) KB)"
fi
