#!/usr/bin/env bash
# Benchmark (not a test): read a generated zone with `zonesign check` and
# with the peers' zone checkers on the same file in the same run:
#   named-checkzone -i local (BIND), kzonecheck (Knot).
# Median wall time over RUNS runs (hyperfine), MB/s, peak RSS (GNU time).
#   scripts/bench-parse.sh [NAMES]      default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
names=${1:-1000000}
work=${BENCH_DIR:-$root/target/bench}/parse-$names
mkdir -p "$work"
cd "$work"
zone=zone.zone
# --plain: no $GENERATE, $INCLUDE or data below a DNAME, so both peers read it.
[ -f "$zone" ] || python3 "$root/scripts/genzone.py" --names "$names" --seed 1 --plain --out "$zone" 2>/dev/null
(cd "$root" && cargo build --release --quiet)
zs=$root/target/release/zonesign
size=$(stat -c %s "$zone")
echo "zone: $names names, $size bytes, $(grep -vc '^;' "$zone") lines; $(nproc) cores"
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json parse.json \
  -n zonesign "$zs check --max-ttl 0 $zone" \
  -n named-checkzone "named-checkzone -i local example.com $zone" \
  -n kzonecheck "kzonecheck -o example.com. $zone" >/dev/null
printf '%-16s %10s %8s %12s %10s\n' tool median_s MB/s peak_RSS_MiB RSS/file
python3 - "$size" "$zs" "$zone" <<'PY'
import json, subprocess, sys
size, zs, zone = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = {
    "zonesign": [zs, "check", "--max-ttl", "0", zone],
    "named-checkzone": ["named-checkzone", "-i", "local", "example.com", zone],
    "kzonecheck": ["kzonecheck", "-o", "example.com.", zone],
}
for r in json.load(open("parse.json"))["results"]:
    name = r["command"]
    t = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmds[name], capture_output=True, text=True)
    kb = int(t.stderr.strip().splitlines()[-1])
    print(f"{name:<16} {r['median']:10.3f} {size / r['median'] / 1e6:8.1f} {kb / 1024:12.1f} {kb * 1024 / size:10.2f}")
PY
