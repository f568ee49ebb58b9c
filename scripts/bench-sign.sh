#!/usr/bin/env bash
# Benchmark (not a test): sign one generated zone with zonesign and with the
# peers' signers, side by side in one run, with the same KSK and ZSK (made
# by BIND's dnssec-keygen, read by every tool; Knot imports them with
# `keymgr import-bind`), NSEC and NSEC3 (RFC 9276 parameters), 2 threads
# where the tool has threads:
#   zonesign sign --threads 2
#   kzonesign (Knot, policy signing-threads: 2)
#   dnssec-signzone -n 2 -P (BIND; -P skips its own post-sign verification)
#   ldns-signzone (single-threaded)
# Reports wall time, CPU time, peak RSS (GNU time) and RRSIGs made per
# second.
#   scripts/bench-sign.sh [--alg N] [--bits B] [--only nsec|nsec3] [NAMES]
#       NAMES default 1000000; --alg 8, 10, 13 (default), 14 or 15;
#       --bits: RSA modulus (default 2048)
#   ZS=/path/to/zonesign: time that binary instead of building this tree
#   ZS_BEFORE=/path/to/old/zonesign scripts/bench-sign.sh 100000   (also
#       times an older build, as "zonesign-before", for before/after)
set -euo pipefail
cd "$(dirname "$0")/.."
alg=13 bits=2048 modes="nsec nsec3" names=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --alg) alg=$2; shift 2 ;;
    --bits) bits=$2; shift 2 ;;
    --only) modes=$2; shift 2 ;;
    *) names=$1; shift ;;
  esac
done
case "$alg" in
  8) mnemonic=RSASHA256 knot_alg=rsasha256 ;;
  10) mnemonic=RSASHA512 knot_alg=rsasha512 ;;
  13) mnemonic=ECDSAP256SHA256 knot_alg=ecdsap256sha256 ;;
  14) mnemonic=ECDSAP384SHA384 knot_alg=ecdsap384sha384 ;;
  15) mnemonic=ED25519 knot_alg=ed25519 ;;
  *) echo "bench-sign.sh: --alg must be 8, 10, 13, 14 or 15" >&2; exit 2 ;;
esac
size=(); case "$alg" in 8|10) size=(-b "$bits") ;; esac
root=$PWD
work=${BENCH_DIR:-$root/target/bench}/sign-$names
mkdir -p "$work"
cd "$work"
zone=zone.zone
# --plain: no $GENERATE and no data below a DNAME, so every peer reads it.
[ -f "$zone" ] || python3 "$root/scripts/genzone.py" --names "$names" --seed 1 --plain --out "$zone" 2>/dev/null
if [ -n "${ZS:-}" ]; then zs=$ZS; else (cd "$root" && cargo build --release --quiet); zs=$root/target/release/zonesign; fi

# One KSK and one ZSK for every tool, in BIND's format.
rm -rf keys knot && mkdir -p keys knot/run knot/db knot/out
(cd keys && dnssec-keygen -q -P now -A now -a $mnemonic "${size[@]}" -f KSK example.com >/dev/null && dnssec-keygen -q -P now -A now -a $mnemonic "${size[@]}" example.com >/dev/null)
ksk=$(grep -l 'DNSKEY 257' keys/*.key | sed 's/\.key$//') zsk=$(grep -l 'DNSKEY 256' keys/*.key | sed 's/\.key$//')

knot_conf() { # $1 = nsec3 on|off
  cat > knot/knot.conf <<CONF
server:
    rundir: "$work/knot/run"
database:
    storage: "$work/knot/db"
policy:
  - id: bench
    manual: on
    algorithm: $knot_alg
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
  rm -rf knot/db/* knot/out/*
  keymgr -c knot/knot.conf example.com. import-bind "$ksk.private" >/dev/null
  keymgr -c knot/knot.conf example.com. import-bind "$zsk.private" >/dev/null
  # Knot signs at this time: after the keys' activation (-A now) and after
  # the import, which keymgr stamps as the keys' creation.
  now=$(( $(date +%s) + 1 ))
}

measure() { # name, output file, command...
  local name=$1 out=$2; shift 2
  rm -f "$out"
  /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" >/dev/null 2>log.txt || { echo "$name failed:"; tail -5 log.txt; return; }
  read -r wall user sys rss < <(tail -1 time.txt)
  # RRSIG records (type field RRSIG followed by covered type, algorithm,
  # labels, TTL), not the word RRSIG in NSEC/NSEC3 type bitmaps.
  sigs=$(grep -cP 'RRSIG\s+[A-Z0-9]+\s+\d+\s+\d+\s+\d+' "$out" || true)
  printf '%-18s %8.2f %8.2f %10.0f %10d %10.0f\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$sigs" "$(echo "$sigs / $wall" | bc -l)"
  [ "$name" != zonesign ] || zs_wall=$wall zs_sigs=$sigs
}

# The crypto ceiling: zonesign's signatures at the fastest backend's
# signing rate per core with 2 threads (benches/backends, measured now),
# on 2 cores. Rows exist for RSA 2048/4096, P-256, P-384 and Ed25519.
ceiling() {
  local label
  case "$alg" in
    8|10) label="$alg $mnemonic/$bits" ;;
    13) label="13 P-256" ;; 14) label="14 P-384" ;; 15) label="15 Ed25519" ;;
  esac
  cargo build --quiet --release --manifest-path "$root/benches/backends/Cargo.toml" || return 0
  local best
  best=$("$root/benches/backends/target/release/zonesign-backends-bench" --only "$label" --threads 2 --seconds 2 |
    awk -F' *\\| *' '$3 == "sign" { if ($6 + 0 > b) { b = $6 + 0; n = $4 } } END { if (b) print b, n }')
  [ -n "$best" ] || return 0
  read -r rate backend <<<"$best"
  local secs; secs=$(echo "$zs_sigs / (2 * $rate)" | bc -l)
  printf '%-18s %8.2f %8s %10s %10d %10.0f   (%s, %.0f/s per core; zonesign %.2fx the ceiling)\n' ceiling "$secs" - - "$zs_sigs" "$(echo "2 * $rate" | bc -l)" "$backend" "$rate" "$(echo "$zs_wall / $secs" | bc -l)"
}

echo "zone: $names names, $(stat -c %s $zone) bytes; $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); algorithm $alg ($mnemonic${size:+, $bits bits}); keys: $(basename "$ksk") (KSK), $(basename "$zsk") (ZSK)"
for mode in $modes; do
  echo "== $mode"
  printf '%-18s %8s %8s %10s %10s %10s\n' tool wall_s cpu_s rss_MiB rrsigs rrsigs/s
  z3=(); b3=(); l3=()
  if [ $mode = nsec3 ]; then z3=(--nsec3); b3=(-3 - -H 0); l3=(-n -a 1 -t 0); fi
  if [ -n "${ZS_BEFORE:-}" ]; then
    measure zonesign-before out.zs "$ZS_BEFORE" sign "$zone" --keys keys --output out.zs --threads 2 --quiet "${z3[@]}"
  fi
  measure zonesign out.zs "$zs" sign "$zone" --keys keys --output out.zs --threads 2 --quiet "${z3[@]}"
  knot_conf $([ $mode = nsec3 ] && echo on || echo off)
  measure kzonesign knot/out/$zone kzonesign -c knot/knot.conf -o knot/out -t "$now" example.com.
  measure dnssec-signzone out.bind dnssec-signzone -n 2 -P -S -K keys -o example.com -f out.bind "${b3[@]}" "$zone"
  measure ldns-signzone out.ldns ldns-signzone "${l3[@]}" -f out.ldns -o example.com. "$zone" "$zsk" "$ksk"
  [ -z "${zs_sigs:-}" ] || ceiling
done
