#!/usr/bin/env bash
# Builds the fuzz targets and runs one of them, on the stable toolchain and
# without cargo-fuzz: the RUSTFLAGS below are the ones `cargo fuzz build
# -s none -a` passes (cargo-fuzz 0.13, src/project.rs: sancov module with
# 8-bit counters, PC table, compare tracing and stack depth, `--cfg
# fuzzing`, no branch folding, debug assertions, one codegen unit), none of
# which is nightly-only when no sanitizer is chosen. This saves CI the
# ~9 min `cargo install cargo-fuzz` takes here; with cargo-fuzz installed,
# `cargo fuzz run -s none -a TARGET` is the same build.
#
#   fuzz/run.sh build [TARGET]        # build every target (or one)
#   fuzz/run.sh TARGET SECONDS [ARGS] # run TARGET for SECONDS (0: no limit)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
triple="$(rustc -vV | sed -n 's/^host: //p')"
bin="$here/target/$triple/release"

build() {
  local which=--bins
  [ -n "${1:-}" ] && which="--bin=$1"
  RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
-Cllvm-args=-sanitizer-coverage-stack-depth -Cdebug-assertions \
-Ccodegen-units=1" \
    cargo build --manifest-path "$here/Cargo.toml" --release \
      --config 'profile.release.debug="line-tables-only"' --target "$triple" "$which"
}

max_len() {
  case "$1" in
    zonefile|verify) echo 65536 ;;
    keyfile|state_yaml|policy) echo 8192 ;;
    ds) echo 4096 ;;
    *) echo "unknown target $1" >&2; exit 2 ;;
  esac
}

if [ "${1:-}" = build ]; then
  build "${2:-}"
  exit 0
fi
target="${1:?usage: fuzz/run.sh build | TARGET SECONDS [libFuzzer args]}"
secs="${2:?seconds}"
shift 2
len="$(max_len "$target")"
[ -x "$bin/$target" ] || build
[ -d "$here/corpus/$target" ] || "$here/seed.sh" >/dev/null
mkdir -p "$here/artifacts/$target"
# The verifier uses rayon: one thread per fuzzer keeps runs comparable.
RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-1}" "$bin/$target" "$here/corpus/$target" \
  -artifact_prefix="$here/artifacts/$target/" \
  -rss_limit_mb=2048 -timeout=1 -max_len="$len" -max_total_time="$secs" -print_final_stats=1 "$@"
