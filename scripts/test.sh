#!/usr/bin/env bash
# The test command (README.md): formatting, lints, then every test, the
# interop tests included (they run the peer tools; see scripts/install-peers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-peers.sh --check
cargo fmt --check
# No cycles between library modules (ARCHITECTURE.md, "Layers").
python3 scripts/check-layers.py --check
cargo clippy --all-targets -- -D warnings
# Benchmarks once as smoke tests (few iterations outside `cargo bench`),
# then every test; the test summary is the last thing printed.
cargo test --benches
cargo test --lib --bins --tests --no-fail-fast
