#!/usr/bin/env bash
# Benchmark (not a test): keeping a zone signed, zonesign against BIND in
# one run on the same zone and keys (ECDSA P-256, algorithm 13, NSEC,
# 2 threads):
#   1. full sign (zonesign sign; dnssec-signzone -n 2)
#   2. zonesign re-sign of the unchanged zone (--previous)
#   3. re-sign after changing PERMILLE/1000 of the owners
#      (scripts/change-zone.py: every RRset there gets TTL+1): zonesign
#      with --previous; dnssec-signzone re-signing its own signed output
#      with the same change made to it (BIND keeps valid signatures of a
#      signed input, as --previous does)
# Reports wall and CPU seconds, peak RSS (GNU time), RRSIGs kept and made.
#   scripts/bench-resign.sh [NAMES] [PERMILLE]    defaults 1000000, 20
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
names=${1:-1000000}
permille=${2:-20}
work=${BENCH_DIR:-$root/target/bench-resign-$names}
for t in dnssec-keygen dnssec-signzone; do
  command -v "$t" >/dev/null || { echo "missing $t: scripts/install-peers.sh" >&2; exit 2; }
done
(cd "$root" && cargo build --release --quiet)
zs=$root/target/release/zonesign
mkdir -p "$work"
cd "$work"
[ -f zone.zone ] || python3 "$root/scripts/genzone.py" --names "$names" --seed 1 --plain --out zone.zone 2>/dev/null
# One record per line, fully qualified: what change-zone.py reads.
[ -f zone.full ] || "$zs" check zone.zone --emit zone.full >/dev/null 2>&1 || true
python3 "$root/scripts/change-zone.py" "$permille" < zone.full > changed.full 2> change.txt
if [ ! -d keys ]; then
  mkdir keys
  dnssec-keygen -q -K keys -a ECDSAP256SHA256 -f KSK example.com >/dev/null
  dnssec-keygen -q -K keys -a ECDSAP256SHA256 example.com >/dev/null
fi

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" >report.txt 2>log.txt || { echo "$name failed:"; tail -5 log.txt; return; }
  read -r wall user sys rss < <(tail -1 time.txt)
  local kept new
  kept=$(sed -n 's/.*"rrsigs_kept": \([0-9]*\).*/\1/p' report.txt | head -1)
  new=$(sed -n 's/.*"rrsigs_new": \([0-9]*\).*/\1/p' report.txt | head -1)
  printf '%-34s %8.2f %8.2f %9.0f %9s %9s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" \
    "$((rss / 1024))" "${kept:--}" "${new:--}"
}

echo "zone: $names names ($(grep -c . zone.full) records); $(cat change.txt) ($permille per mille of the owners); $(nproc) cores"
printf '%-34s %8s %8s %9s %9s %9s\n' run wall_s cpu_s rss_MiB kept new
sign=("$zs" sign --keys keys --threads 2 --report json)
measure "zonesign full sign" "${sign[@]}" zone.full --output full.signed
cp full.signed previous.signed
measure "zonesign re-sign, unchanged" "${sign[@]}" zone.full --output same.signed --previous previous.signed
cmp -s full.signed same.signed && echo "  (unchanged re-sign byte-identical to the full sign)"
measure "zonesign re-sign, changed" "${sign[@]}" changed.full --output changed.signed --previous previous.signed --serial increment
bind=(dnssec-signzone -q -n 2 -S -K keys -O full -o example.com)
measure "dnssec-signzone full sign" "${bind[@]}" -f bind.signed zone.full
python3 "$root/scripts/change-zone.py" "$permille" < bind.signed > bind-changed.in 2>/dev/null
measure "dnssec-signzone re-sign, changed" "${bind[@]}" -N increment -f bind-changed.signed bind-changed.in
