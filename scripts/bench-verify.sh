#!/usr/bin/env bash
# Benchmark (not a test): verify a large signed zone with zonesign and with
# the peers' verifiers in the same run, on the same files.
#
#   scripts/bench-verify.sh [NAMES] [THREADS]     defaults: 100000, 2
#   DENIALS=nsec scripts/bench-verify.sh 1000000  (only the NSEC zone)
#   ZS_BEFORE=/path/to/old/zonesign scripts/bench-verify.sh   (also times an
#       older build, as "zonesign-before", for before/after in one run)
#
# The zone comes from scripts/genzone.py --plain and is signed by BIND
# (dnssec-signzone -n 2, ECDSA P-256 KSK + ZSK from dnssec-keygen), once
# with NSEC and once with NSEC3 (SHA-1, 0 iterations, no salt). Reports,
# per tool: wall time, user and system CPU, peak RSS (GNU time
# '%e %U %S %M'), and RRSIGs verified per second (RRSIGs in the zone / wall).
set -euo pipefail
cd "$(dirname "$0")/.."
names=${1:-100000}
threads=${2:-2}
work=${BENCH_DIR:-target/bench-verify}
mkdir -p "$work"
for t in dnssec-keygen dnssec-signzone dnssec-dsfromkey dnssec-verify ldns-verify-zone kzonecheck; do
  command -v "$t" >/dev/null || { echo "missing $t: scripts/install-peers.sh" >&2; exit 2; }
done
cargo build --release --quiet
bin=$PWD/target/release/zonesign
cd "$work"
zone="gen$names.zone"
[ -f "$zone" ] || python3 "$OLDPWD/scripts/genzone.py" --names "$names" --seed 1 --plain --out "$zone" 2>/dev/null
if [ ! -d keys ]; then
  mkdir keys
  dnssec-keygen -q -K keys -a ECDSAP256SHA256 -f KSK example.com >/dev/null
  dnssec-keygen -q -K keys -a ECDSAP256SHA256 example.com >/dev/null
fi
ksk=$(grep -l 'key-signing key' keys/*.key | head -1)
dnssec-dsfromkey -2 "$ksk" > dsset
for denial in ${DENIALS:-nsec nsec3}; do
  out="gen$names.$denial.signed"
  if [ ! -f "$out" ]; then
    extra=()
    [ "$denial" = nsec3 ] && extra=(-3 - -H 0)
    dnssec-signzone -q -n 2 -K keys -S -o example.com -s 20260101000000 -e 20361231000000 \
      -O full "${extra[@]}" -f "$out" "$zone" >/dev/null
  fi
done
echo "zone: $names names; $(nproc) cores; zonesign --threads $threads"
printf '%-8s %-18s %8s %8s %8s %9s %10s %s\n' denial tool wall_s user_s sys_s RSS_MiB RRSIG/s exit
for denial in ${DENIALS:-nsec nsec3}; do
  out="gen$names.$denial.signed"
  sigs=$(awk '$4 == "RRSIG" || $3 == "RRSIG"' "$out" | wc -l)
  run() {
    local name=$1; shift
    local rc=0
    /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" >/dev/null 2>&1 || rc=$?
    read -r e u s m < time.txt
    printf '%-8s %-18s %8.2f %8.2f %8.2f %9.1f %10.0f %s\n' "$denial" "$name" "$e" "$u" "$s" \
      "$(echo "$m/1024" | bc -l)" "$(echo "$sigs/$e" | bc -l)" "$rc"
  }
  if [ -n "${ZS_BEFORE:-}" ]; then
    run zonesign-before "$ZS_BEFORE" verify --threads "$threads" --quiet --ds dsset --now 20300101000000 "$out"
  fi
  run zonesign "$bin" verify --threads "$threads" --quiet --ds dsset --now 20300101000000 "$out"
  run dnssec-verify dnssec-verify -o example.com "$out"
  run ldns-verify-zone ldns-verify-zone -k dsset "$out"
  run kzonecheck kzonecheck -o example.com. -d on "$out"
  echo "$denial: $sigs RRSIGs, $(stat -c %s "$out" | awk '{printf "%.0f", $1/1048576}') MiB"
done
