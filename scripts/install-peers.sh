#!/usr/bin/env bash
# Installs the peer tools the interop tests run (Debian packages).
#   scripts/install-peers.sh          install (needs root)
#   scripts/install-peers.sh --check  only check, and say what is missing
set -euo pipefail
tools=(man named-checkzone dnssec-signzone dnssec-verify dnssec-keygen dnssec-dsfromkey
       ldns-signzone ldns-verify-zone ldns-key2ds ldns-keygen kzonecheck kzonesign validns)
missing=()
for t in "${tools[@]}"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
if [ "${1:-}" = "--check" ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing peer tools: ${missing[*]}" >&2
    echo "install them with: sudo scripts/install-peers.sh (Debian: bind9-utils ldnsutils knot-dnssecutils validns)" >&2
    exit 1
  fi
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    bind9-utils bind9-dnsutils ldnsutils knot-dnssecutils validns hyperfine man-db
fi
