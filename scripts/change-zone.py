#!/usr/bin/env python3
"""Changes a fixed share of a zone's RRsets, deterministically, for the
re-signing benchmark (scripts/bench-resign.sh).

Reads a zone with one record per line and fully qualified owners
(`zonesign check --emit`, or `dnssec-signzone -O full` output), picks the
owners whose CRC-32 falls in the given per-mille share, and adds one
second to the TTL of every record there (so every RRset at those owners
changes, whatever its type): the same owners and the same change whatever
file it reads, so the same edit can be made to our input and to BIND's
signed output. The SOA and the DNSSEC records (DNSKEY, RRSIG, NSEC,
NSEC3, NSEC3PARAM) pass through unchanged.

    scripts/change-zone.py PERMILLE < in > out    (stats on stderr)
"""
import sys
import zlib

SKIP = {"SOA", "DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM"}


def main() -> int:
    permille = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    changed = set()
    out = sys.stdout
    for line in sys.stdin:
        if line.startswith(";") or not line.strip():
            out.write(line)
            continue
        f = line.split(None, 4)
        if len(f) < 5 or f[2] != "IN":
            out.write(line)
            continue
        owner, ttl, cls, rtype, rdata = f
        pick = zlib.crc32(owner.lower().encode()) % 1000 < permille
        if pick and rtype not in SKIP:
            line = f"{owner}\t{int(ttl) + 1}\t{cls}\t{rtype}\t{rdata}"
            changed.add((owner, rtype))
        out.write(line)
    print(f"changed {len(changed)} RRsets", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
