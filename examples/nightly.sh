#!/bin/sh
# A nightly CI job (any runner: cron, a CI schedule): re-sign the zone from
# the last published output, fail on any verification error or on
# signatures expiring within three days, and publish only on success.
#
#   ZONESIGN=zonesign ZONE=zone.file ORIGIN=example.com KEYS=keys \
#   PUBLISHED=published examples/nightly.sh
set -eu
ZONESIGN=${ZONESIGN:-zonesign}
ZONE=${ZONE:?zone file}
ORIGIN=${ORIGIN:?zone origin}
KEYS=${KEYS:-keys}
PUBLISHED=${PUBLISHED:-published}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$PUBLISHED"

previous=none
[ -f "$PUBLISHED/$ORIGIN.signed" ] && previous="$PUBLISHED/$ORIGIN.signed"

# 1. Re-sign: keeps what still serves of the last output; exit 2 on a bad
#    zone, 5 on a key problem, 1 if the output fails its own check.
"$ZONESIGN" sign "$ZONE" --origin "$ORIGIN" -K "$KEYS" \
  --output "$work/$ORIGIN.signed" --ds-out "$work/dsset-$ORIGIN." \
  --previous "$previous" --serial date --report json > "$work/report.json"

# 2. Verify as a resolver would, from the DS set; page before anything
#    expires (exit 1).
"$ZONESIGN" verify "$work/$ORIGIN.signed" --ds "$work/dsset-$ORIGIN." \
  --fail-expiring 3d --quiet

# 3. Publish (here: a directory; in real life rsync, an API, a commit).
cp "$work/$ORIGIN.signed" "$work/dsset-$ORIGIN." "$PUBLISHED/"
echo "published $ORIGIN: $(grep -o '"rrsigs_kept": [0-9]*' "$work/report.json"), $(grep -o '"rrsigs_new": [0-9]*' "$work/report.json")"
