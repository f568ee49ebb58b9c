#!/usr/bin/env bash
# The crypto backend comparison (benches/backends): sign/s and verify/s per
# core of ring, aws-lc-rs, OpenSSL 3 (EVP, Debian's libssl-dev) and
# ed25519-dalek for algorithms 8, 10, 13, 14 and 15, one thread and every
# core. Prints a Markdown section for benches/RESULTS.md (date, machine,
# versions, table); run it on an idle machine.
#
#   scripts/bench-backends.sh [--seconds S] [--threads N] [--only ALG]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --quiet --release --manifest-path "$here/benches/backends/Cargo.toml"
lock="$here/benches/backends/Cargo.lock"
ver() { awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$lock"; }
echo "### Crypto backends, $(date -u +%Y-%m-%d), $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo
echo "ring $(ver ring), aws-lc-rs $(ver aws-lc-rs) (aws-lc-sys $(ver aws-lc-sys)), openssl crate $(ver openssl) on $(openssl version | cut -d' ' -f1-2), ed25519-dalek $(ver ed25519-dalek); 160-octet messages; \`scripts/bench-backends.sh $*\`."
echo
"$here/benches/backends/target/release/zonesign-backends-bench" "$@"
