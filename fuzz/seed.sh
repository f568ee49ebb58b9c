#!/usr/bin/env bash
# Copies seeds from testdata/ (with its copy of the shared data, testdata/interop/) into fuzz/corpus/TARGET/.
# Run from anywhere; the corpus directories are not committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
shared="$root/testdata/interop"
c="$here/corpus"
mkdir -p "$c"/{zonefile,keyfile,ds,state_yaml,policy,verify}
small() { find "$@" -type f -size -64k 2>/dev/null; }
for f in $(small "$root/testdata" -name '*.zone' -o -name '*.signed' -o -name '*.inc') \
         $(small "$shared/zones" -name '*.zone' -o -name '*.inc'); do
  cp "$f" "$c/zonefile/$(basename "$f")"
done
for f in $(small "$root/testdata" "$shared/signed" "$shared/broken" -name '*.zone' -o -name '*.signed'); do
  cp "$f" "$c/verify/$(basename "$(dirname "$f")")-$(basename "$f")"
done
for f in $(small "$root/testdata" "$shared/keys" -name 'dsset-*' -o -name '*.ds'); do
  cp "$f" "$c/ds/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# keyfile: `.key` text, NUL, private half; a trailing "\n" (even) or "\r"
# (odd, 0x0d) byte picks `.private` or `.pem`.
for k in $(find "$shared/keys" "$root/testdata" -name 'K*.key' 2>/dev/null); do
  base="${k%.key}" d="$(basename "$(dirname "$k")")"
  if [ -f "$base.private" ]; then
    { cat "$k"; printf '\0'; cat "$base.private"; printf '\n'; } > "$c/keyfile/$d-$(basename "$base").private"
  fi
  if [ -f "$base.pem" ]; then
    { cat "$k"; printf '\0'; cat "$base.pem"; printf '\r'; } > "$c/keyfile/$d-$(basename "$base").pem"
  fi
done
cp "$here"/seeds/state_yaml/* "$c/state_yaml/" 2>/dev/null || true
cp "$here"/seeds/policy/* "$c/policy/" 2>/dev/null || true
for t in zonefile keyfile ds state_yaml policy verify; do
  echo "$t: $(ls "$c/$t" | wc -l) seeds"
done
