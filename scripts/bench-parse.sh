#!/usr/bin/env bash
# Benchmark (not a test): parse a generated zone with zonesign check and
# with the peers' zone checkers on the same file in the same run.
# Reports median wall time (hyperfine), MB/s and peak RSS (GNU time).
#   scripts/bench-parse.sh [NAMES]     default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
names=${1:-1000000}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
zone="$work/gen$names.zone"
[ -f "$zone" ] || python3 scripts/genzone.py --names "$names" --seed 1 --out "$zone" 2>/dev/null
cargo build --release --quiet
bin=target/release/zonesign
size=$(stat -c %s "$zone")
echo "zone: $zone ($((size / 1048576)) MiB, $(grep -vc '^;' "$zone") lines), $(nproc) cores"
# The zone $INCLUDEs a file relative to itself; BIND and Knot resolve
# relative to their working directory, so run everything from $work.
z=$(basename "$zone")
hyperfine --warmup 1 --runs ${RUNS:-5} --export-json "$work/parse.json" \
  -n zonesign "cd $work && $PWD/$bin check --max-ttl 0 $z" \
  -n named-checkzone "cd $work && named-checkzone -i local example.com $z" \
  -n kzonecheck "cd $work && kzonecheck -o example.com. $z" >/dev/null
rss() { ( cd "$work" && /usr/bin/time -f %M "$@" >/dev/null 2>"$OLDPWD/$work/time.txt" ) || true; tail -1 "$work/time.txt"; }
printf '%-16s %10s %10s %12s\n' tool median_s MB/s peak_RSS_MiB
python3 - "$work/parse.json" "$size" > "$work/medians.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); size = int(sys.argv[2])
for r in d["results"]:
    print(r["command"], r["median"], size / r["median"] / 1e6)
PY
while read -r name med mbs; do
  case $name in
    zonesign) kb=$(rss "$PWD/$bin" check --max-ttl 0 "$z");;
    named-checkzone) kb=$(rss named-checkzone -i local example.com "$z");;
    kzonecheck) kb=$(rss kzonecheck -o example.com. "$z");;
  esac
  printf '%-16s %10.3f %10.1f %12.1f\n' "$name" "$med" "$mbs" "$(echo "$kb/1024" | bc -l)"
done < "$work/medians.txt"
echo "file size MiB: $(echo "$size/1048576" | bc -l | cut -c1-6)"
