#!/usr/bin/env bash
# Runs one zonesign binary over the repository's test data and writes every
# output (stdout, stderr, exit code, signed zone, DS set) under OUTDIR, so
# that two builds can be compared byte for byte: a refactoring must leave
# every file identical.
#
#   scripts/compare-outputs.sh BIN OUTDIR
#   scripts/compare-outputs.sh --diff BIN_BEFORE BIN_AFTER   # runs both, diffs
#
# Signing uses the Ed25519 test keys (algorithm 15 signatures are
# deterministic, RFC 8032 §5.1.6) and fixed times, so the same build gives
# the same bytes on every run. Paths inside the outputs are the test data's
# own relative paths (the script runs from the repository root).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --diff ]; then
  before="${2:?BIN_BEFORE}" after="${3:?BIN_AFTER}"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # Both runs in the same directory, one after the other, so that every
  # path in the outputs is the same.
  "$0" "$before" "$tmp/out" && mv "$tmp/out" "$tmp/before" || exit 2
  "$0" "$after" "$tmp/out" && mv "$tmp/out" "$tmp/after" || exit 2
  n=$(find "$tmp/before" -type f | wc -l)
  if diff -r "$tmp/before" "$tmp/after"; then
    echo "identical: $n files"
  else
    echo "outputs differ" >&2
    exit 1
  fi
  exit 0
fi

bin="$(realpath "${1:?usage: compare-outputs.sh BIN OUTDIR | --diff BEFORE AFTER}")"
out="${2:?OUTDIR}"
mkdir -p "$out"
# A fixed work path: the DS file's path is part of verify's report.
work="$out.work"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# run NAME ARGS...: one command, its streams and exit code.
run() {
  local name="$1"
  shift
  "$bin" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
  echo $? >"$out/$name.rc"
  # Phase timings (sign's JSON report) vary from run to run.
  sed -i -E 's/"([a-z_]+_ms)": [0-9.]+/"\1": _/' "$out/$name.stdout"
}

now=20270101000000
times=(--now "$now" --inception 20261201000000 --expiration 20270301000000 --jitter 0)
keys=testdata/keys/bind.alg15
zones=(testdata/*.zone testdata/interop/zones/*.zone)

for z in "${zones[@]}"; do
  b=$(basename "$z")
  run "check.$b" check "$z"
  run "check-json.$b" check --format json "$z"
  [ "$b" = example.com.zone ] || [ "$b" = small.zone ] || continue
  for d in nsec nsec3; do
    extra=()
    [ $d = nsec3 ] && extra=(--nsec3)
    run "sign-$d.$b" sign "$z" --origin example.com --keys "$keys" "${times[@]}" "${extra[@]}" \
      --verify full --report json --output "$work/$b.$d.signed" --ds-out "$work/$b.$d.ds"
    cp "$work/$b.$d.signed" "$out/sign-$d.$b.signed" 2>/dev/null
    cp "$work/$b.$d.ds" "$out/sign-$d.$b.ds" 2>/dev/null
    run "verify-own-$d.$b" verify "$work/$b.$d.signed" --now "$now" --ds "$work/$b.$d.ds" --format json
  done
done

for z in testdata/interop/signed/*.zone testdata/interop/broken/*.zone testdata/verify/signed/* testdata/verify/broken/*; do
  [ -f "$z" ] || continue
  b=$(basename "$(dirname "$z")").$(basename "$z")
  run "verify.$b" verify "$z" --now "$now" --format json
  run "verify-text.$b" verify "$z" --now "$now"
done
exit 0
