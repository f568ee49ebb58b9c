#!/usr/bin/env bash
# Benchmark (not a test): sign one generated zone with zonesign and with the
# peers' signers, side by side in one run, ECDSA P-256 (algorithm 13), NSEC
# and NSEC3 (RFC 9276 parameters), 2 threads where the tool has threads:
#   zonesign sign --threads 2
#   kzonesign (Knot, policy signing-threads: 2)
#   dnssec-signzone -n 2 -P (BIND; -P skips its own post-sign verification)
#   ldns-signzone (single-threaded)
# Reports wall time, CPU time, peak RSS (GNU time) and RRSIGs made per
# second, and our rate against the raw ring P-256 signing rate on this
# machine (the crypto ceiling, from `cargo bench --bench keys`).
#   scripts/bench-sign.sh [NAMES]      default 1000000
#   ZS_BEFORE=/path/to/old/zonesign scripts/bench-sign.sh 100000   (also
#       times an older build, as "zonesign-before", for before/after)
set -euo pipefail
cd "$(dirname "$0")/.."
names=${1:-1000000}
root=$PWD
work=${BENCH_DIR:-$root/target/bench}/sign-$names
mkdir -p "$work"
cd "$work"
zone=zone.zone
# --plain: no $GENERATE and no data below a DNAME, so every peer reads it.
[ -f "$zone" ] || python3 "$root/scripts/genzone.py" --names "$names" --seed 1 --plain --out "$zone" 2>/dev/null
(cd "$root" && cargo build --release --quiet)
zs=$root/target/release/zonesign
now=$(date +%s)

# Keys: ours, BIND's and ldns's (all algorithm 13); Knot makes its own.
rm -rf keys-zs keys-bind keys-ldns knot && mkdir -p keys-zs keys-bind keys-ldns knot/run knot/db knot/out
"$zs" keygen example.com --ksk --dir keys-zs >/dev/null
"$zs" keygen example.com --dir keys-zs >/dev/null
(cd keys-bind && dnssec-keygen -q -a ECDSAP256SHA256 -f KSK example.com >/dev/null && dnssec-keygen -q -a ECDSAP256SHA256 example.com >/dev/null)
(cd keys-ldns && ksk=$(ldns-keygen -a ECDSAP256SHA256 -k example.com.) && zsk=$(ldns-keygen -a ECDSAP256SHA256 example.com.) && echo "$zsk $ksk" > names)

knot_conf() { # $1 = nsec3 on|off
  cat > knot/knot.conf <<CONF
server:
    rundir: "$work/knot/run"
database:
    storage: "$work/knot/db"
policy:
  - id: bench
    algorithm: ecdsap256sha256
    nsec3: $1
    nsec3-iterations: 0
    nsec3-salt-length: 0
    signing-threads: 2
    rrsig-lifetime: 30d
    rrsig-refresh: 20d
zone:
  - domain: example.com.
    file: "$work/$zone"
    dnssec-signing: on
    dnssec-policy: bench
CONF
}

measure() { # name, output file, command...
  local name=$1 out=$2; shift 2
  rm -f "$out"
  /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" >/dev/null 2>log.txt || { echo "$name failed:"; tail -5 log.txt; return; }
  read -r wall user sys rss < <(tail -1 time.txt)
  # RRSIG records (type field RRSIG followed by covered type, algorithm,
  # labels, TTL), not the word RRSIG in NSEC/NSEC3 type bitmaps.
  local sigs; sigs=$(grep -cP 'RRSIG\s+[A-Z0-9]+\s+\d+\s+\d+\s+\d+' "$out" || true)
  printf '%-18s %8.2f %8.2f %10.0f %10d %10.0f\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$sigs" "$(echo "$sigs / $wall" | bc -l)"
}

ring_rate=$(cd "$root" && cargo bench --quiet --bench keys -- quick 2>/dev/null | awk '/^sign ECDSAP256SHA256/ {print $(NF-1)}' | head -1)
echo "zone: $names names, $(stat -c %s $zone) bytes; $(nproc) cores; ring P-256 sign rate: ${ring_rate:-?} /s per core"
for mode in nsec nsec3; do
  echo "== $mode"
  printf '%-18s %8s %8s %10s %10s %10s\n' tool wall_s cpu_s rss_MiB rrsigs rrsigs/s
  z3=(); b3=(); l3=()
  if [ $mode = nsec3 ]; then z3=(--nsec3); b3=(-3 - -H 0); l3=(-n -a 1 -t 0); fi
  if [ -n "${ZS_BEFORE:-}" ]; then
    measure zonesign-before out.zs "$ZS_BEFORE" sign "$zone" --keys keys-zs --output out.zs --threads 2 --quiet "${z3[@]}"
  fi
  measure zonesign out.zs "$zs" sign "$zone" --keys keys-zs --output out.zs --threads 2 --quiet "${z3[@]}"
  knot_conf $([ $mode = nsec3 ] && echo on || echo off)
  rm -rf knot/db/* knot/out/*
  measure kzonesign knot/out/$zone kzonesign -c knot/knot.conf -o knot/out -t "$now" example.com.
  measure dnssec-signzone out.bind dnssec-signzone -n 2 -P -S -K keys-bind -o example.com -f out.bind "${b3[@]}" "$zone"
  read -r lz lk < keys-ldns/names
  measure ldns-signzone out.ldns ldns-signzone "${l3[@]}" -f out.ldns -o example.com. "$zone" "keys-ldns/$lz" "keys-ldns/$lk"
done
