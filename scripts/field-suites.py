#!/usr/bin/env python3
"""Run Knot's and BIND's zone-file test suites against zonesign (issue #12).

The suites are not part of this repository and this script fetches
nothing: extract them yourself (scripts/README.md) and give the
directories.

    field-suites.py --knot /work/suites/knot/tests/libzscanner \
                    --bind /work/suites/bind/bin/tests/system/checkzone \
                    [--zonesign target/release/zonesign] [--verbose]

Knot (tests/libzscanner): each data/CASE.in is read by zscanner-tool with
origin "." and default class IN, TTL 0; data/CASE.out lists one block per
record (owner, class, TTL, type, RDATA as wire hex) or per error (WARNG=
goes on with the next record, ERROR= is fatal and stops the file). This
script splits CASE.in into entries (one record or directive, parentheses
followed), pairs them with the blocks, and for every entry compares:
  1. accept/reject: zonesign reads the file with its apex moved to
     harness.invalid., so every test record is out of zone: it is parsed
     completely, but no zone-content rule (CNAME and other data, DS at a
     delegation, ...) applies, as none does in Knot's scanner;
  2. where both accept: the record itself. The entry is read again alone
     (directives kept) in a zone whose apex is the record's parent, written
     back with `check --emit`, turned into RFC 3597 form by
     `ldns-read-zone -U NULL`, and owner, class, TTL, type and RDATA wire are
     compared with Knot's block. A difference only in letter case is
     counted apart (RFC 4343: names compare case-insensitively).
BIND (bin/tests/system/checkzone): each zones/*.db is checked with the
origin tests.sh gives it; good*.db (and the files tests.sh loads
expecting success) must load, bad*.db must be refused. Where both
load and named-checkzone is on PATH, the records of `named-checkzone -D`
and of `zonesign check --emit` are compared after both pass through
`ldns-read-zone -U NULL`.

Exit status 0: this is a report. Non-zero only for harness errors (a
directory that is not a suite, zonesign missing or crashing).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

HARNESS = "harness.invalid."
NS_HOST = "ns.harness.invalid."
TIMEOUT = 60


class HarnessError(Exception):
    pass


def run(cmd, cwd=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT)
    except FileNotFoundError as e:
        raise HarnessError(f"cannot run {cmd[0]}: {e}")
    except subprocess.TimeoutExpired:
        raise HarnessError(f"timeout: {' '.join(cmd)}")
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# --- zone-file text ------------------------------------------------------


def split_entries(text):
    """Split master-file text into logical entries (RFC 1035 §5.1: a
    record may span lines inside parentheses; ';' starts a comment outside
    quotes; '\\' escapes the next character).

    Returns (first_line, last_line, text) per entry that holds more than
    comments and blanks; lines are 1-based."""
    entries = []
    lines = text.split("\n")
    depth = 0
    cur = []
    start = None
    for no, line in enumerate(lines, 1):
        i = 0
        content = False
        in_q = False
        while i < len(line):
            c = line[i]
            if c == "\\":
                content = True
                i += 2
                continue
            if in_q:
                if c == '"':
                    in_q = False
                i += 1
                continue
            if c == '"':
                in_q = True
                content = True
            elif c == ";":
                break
            elif c == "(":
                depth += 1
                content = True
            elif c == ")":
                depth = max(0, depth - 1)
                content = True
            elif not c.isspace():
                content = True
            i += 1
        if content or cur:
            if start is None and content:
                start = no
            if start is not None:
                cur.append(line)
        # A quote left open ends at the line's end: Knot and BIND both
        # report it there and go on with the next line.
        if start is not None and depth == 0:
            entries.append((start, no, "\n".join(cur)))
            cur = []
            start = None
    if start is not None:
        entries.append((start, len(lines), "\n".join(cur)))
    return entries


def entry_kind(text):
    s = text.lstrip()
    if text[:1] == "$":
        return s.split(None, 1)[0].upper()
    return "record"


def name_labels(name):
    """Labels of a presentation name (RFC 1035 §5.1 escapes), as bytes."""
    labels, cur, i = [], bytearray(), 0
    while i < len(name):
        c = name[i]
        if c == "\\" and i + 1 < len(name):
            if name[i + 1 : i + 4].isdigit() and len(name[i + 1 : i + 4]) == 3:
                cur.append(int(name[i + 1 : i + 4]) & 0xFF)
                i += 4
            else:
                cur += name[i + 1].encode("latin-1", "replace")
                i += 2
            continue
        if c == ".":
            labels.append(bytes(cur))
            cur = bytearray()
        else:
            cur += c.encode("utf-8")
        i += 1
    if cur:
        labels.append(bytes(cur))
    return labels


def name_wire(name):
    if name == ".":
        return b"\x00"
    out = bytearray()
    for lab in name_labels(name):
        out.append(len(lab) & 0xFF)
        out += lab
    out.append(0)
    return bytes(out)


def parent_name(name):
    """Presentation form of the parent: drop the first label, escapes kept."""
    i = 0
    while i < len(name):
        if name[i] == "\\":
            i += 4 if name[i + 1 : i + 4].isdigit() else 2
            continue
        if name[i] == ".":
            rest = name[i + 1 :]
            return rest if rest else "."
        i += 1
    return "."


CLASSES = {"IN": 1, "CS": 2, "CH": 3, "HS": 4, "NONE": 254, "ANY": 255}


def parse_generic(text):
    """Records in RFC 3597 form, as ldns-read-zone -U prints them."""
    recs = []
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        f = line.split()
        if len(f) < 6 or f[4] != "\\#":
            raise ValueError(f"not RFC 3597 form: {line[:80]}")
        cls = CLASSES.get(f[2].upper())
        if cls is None:
            cls = int(f[2][5:])
        if not f[3].upper().startswith("TYPE"):
            raise ValueError(f"not RFC 3597 form: {line[:80]}")
        rdata = bytes.fromhex("".join(f[6:])) if int(f[5]) else b""
        recs.append((name_wire(f[0]), cls, int(f[1]), int(f[3][4:]), rdata))
    return recs


def to_generic(records_text, workdir):
    path = os.path.join(workdir, "generic.zone")
    with open(path, "w") as fh:
        fh.write(records_text)
    rc, out, err = run(["ldns-read-zone", "-U", "NULL", path])
    if rc != 0:
        raise ValueError("ldns-read-zone: " + err.strip().splitlines()[-1][:120] if err.strip() else "ldns-read-zone failed")
    return parse_generic(out)


# --- zonesign output -----------------------------------------------------

LOC_RE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*?)(?P<inc>(?: \(included from [^)]*\))*)$")
INC_RE = re.compile(r"\(included from (.+?):(\d+)\)")


def parse_messages(stderr, main):
    """zonesign's `file:line:column: message` lines, mapped to a line of the
    main file (an included file's message maps to its $INCLUDE line)."""
    errors, warnings, loose = [], [], []
    for raw in stderr.splitlines():
        warn = raw.startswith("warning: ")
        s = raw[len("warning: ") :] if warn else raw
        m = LOC_RE.match(s)
        if not m:
            if raw.strip() and not warn:
                loose.append(raw.strip())
            continue
        line = int(m.group("line"))
        incs = INC_RE.findall(m.group("inc") or "")
        if os.path.basename(m.group("file")) != main:
            mains = [int(l) for f, l in incs if os.path.basename(f) == main]
            if not mains:
                loose.append(raw.strip())
                continue
            line = mains[-1]
        (warnings if warn else errors).append((line, m.group("msg")))
    return errors, warnings, loose


def msg_pattern(msg):
    """A message with its quoted input taken out, to group like reasons."""
    m = re.sub(r"/[^ ]*/fs-(knot|bind)-[^/ ]+", "TMPDIR", msg)
    m = re.sub(r'"(?:[^"\\]|\\.)*"', '"…"', m)
    m = re.sub(r"\b\d+\b", "N", m)
    return m[:110]


# --- Knot ----------------------------------------------------------------


def parse_knot_out(text):
    blocks = []
    for chunk in text.split("------\n"):
        if not chunk.strip():
            continue
        kv = {}
        for line in chunk.strip().splitlines():
            k, _, v = line.partition("=")
            kv[k] = v
        if "ERROR" in kv:
            blocks.append(("error", kv["ERROR"]))
        elif "WARNG" in kv:
            blocks.append(("warn", kv["WARNG"]))
        else:
            blocks.append(
                (
                    "rec",
                    (
                        bytes.fromhex(kv["OWNER"]),
                        int(kv["CLASS"], 16),
                        int(kv["RRTTL"], 16),
                        int(kv["RTYPE"], 16),
                        bytes.fromhex(kv["RDATA"]),
                    ),
                )
            )
    return blocks


def include_record_count(path, seen=0):
    """Records an included file gives (Knot prints one block each)."""
    if seen > 8:
        return 0
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return 0
    n = 0
    for _, _, t in split_entries(text):
        k = entry_kind(t)
        if k == "record":
            n += 1
        elif k == "$INCLUDE":
            n += include_record_count(include_path(t, os.path.dirname(path)), seen + 1)
    return n


def include_path(entry, base):
    f = entry.split(None, 2)
    if len(f) < 2:
        return ""
    p = f[1].strip('"')
    p = re.sub(r"\\(\d{3})", lambda m: chr(int(m.group(1))), p)
    p = re.sub(r"\\(.)", r"\1", p)
    return p if os.path.isabs(p) else os.path.join(base, p)


def directive_error(kind, code):
    """Whether a fatal Knot error code can come from this directive."""
    if kind == "$ORIGIN":
        return "INCLUDE" not in code and any(w in code for w in ("ORIGIN", "DNAME", "LABEL", "NUMBER"))
    if kind == "$TTL":
        return any(w in code for w in ("TTL", "NUMBER", "TIME"))
    return "DIRECTIVE" in code


def align_knot(entries, blocks, workdir):
    """Pair each entry with its blocks. Records take one block; a
    directive takes a block only when it is the fatal ERROR that ends the
    output; $INCLUDE takes one per record of the included file, and ends
    with ERROR=ZS_UNPROCESSED_INCLUDE (fatal) when that file had errors."""
    out, bi = [], 0
    for idx, (first, last, text) in enumerate(entries):
        kind = entry_kind(text)
        if bi >= len(blocks):
            out.append((first, last, text, kind, None))
            continue
        if kind == "record":
            out.append((first, last, text, kind, [blocks[bi]]))
            bi += 1
        elif kind == "$INCLUDE":
            n = include_record_count(include_path(text, workdir))
            got = []
            while bi < len(blocks) and len(got) < n + 1:
                b = blocks[bi]
                if b[0] == "error":
                    got.append(b)
                    bi += 1
                    if b[1] != "ZS_UNPROCESSED_INCLUDE" and bi < len(blocks) and blocks[bi] == ("error", "ZS_UNPROCESSED_INCLUDE"):
                        got.append(blocks[bi])
                        bi += 1
                    break
                if len(got) == n:
                    break
                got.append(b)
                bi += 1
            out.append((first, last, text, kind, got))
        else:
            # A fatal error that ends the output at a directive: it is this
            # directive's if its code fits and no later directive (before
            # the next record) fits better, or if nothing follows.
            b = blocks[bi]
            last_block = bi == len(blocks) - 1
            later = []
            for _, _, t in entries[idx + 1 :]:
                if entry_kind(t) == "record":
                    break
                later.append(entry_kind(t))
            nothing_after = idx == len(entries) - 1
            fits = b[0] == "error" and directive_error(kind, b[1])
            later_fits = b[0] == "error" and any(directive_error(k, b[1]) for k in later)
            if b[0] == "error" and last_block and ((fits and not later_fits) or nothing_after or b[1] == "ZS_DOS_NEWLINE"):
                out.append((first, last, text, kind, [b]))
                bi += 1
            else:
                out.append((first, last, text, kind, []))
    return out, bi == len(blocks)


def knot_prefix(apex_records):
    return "\n".join(apex_records) + "\n$ORIGIN .\n"


def zs_check(zonesign, path, origin, emit=None):
    cmd = [zonesign, "check", "--origin=" + origin, "--max-ttl", "0", path]
    if emit:
        cmd[2:2] = ["--emit", emit]
    rc, out, err = run(cmd, cwd=os.path.dirname(path))
    if rc not in (0, 2):
        raise HarnessError(f"zonesign exit {rc} on {path}: {err.strip()[:300]}")
    # The text report (stdout) carries the warnings; errors are on stderr.
    return rc, out + "\n" + err


def harness_apex(apex, with_soa=True):
    recs = []
    if with_soa:
        recs.append(f"{apex} 0 IN SOA {NS_HOST} hostmaster.{HARNESS} 1 3600 600 86400 0")
    recs.append(f"{apex} 0 IN NS {NS_HOST}")
    return recs


def knot_case(zonesign, data_dir, case, verbose):
    """Returns a list of result dicts, one per entry Knot or we saw."""
    tmp = tempfile.mkdtemp(prefix="fs-knot-")
    try:
        inc_src = os.path.join(data_dir, "includes")
        if os.path.isdir(inc_src):
            shutil.copytree(inc_src, os.path.join(tmp, "includes"))
        with open(os.path.join(data_dir, case + ".in"), encoding="utf-8", errors="surrogateescape") as fh:
            text = fh.read().replace("@TMPDIR@", tmp)
        with open(os.path.join(data_dir, case + ".out")) as fh:
            blocks = parse_knot_out(fh.read())
        entries = split_entries(text)
        aligned, complete = align_knot(entries, blocks, tmp)
        results = []
        if not complete:
            results.append(dict(case=case, line=0, verdict="harness", reason="entries and Knot's blocks do not pair up", text=""))

        # 1. accept/reject with every record out of zone.
        prefix = knot_prefix(harness_apex(HARNESS) + [f"{NS_HOST} 0 IN A 192.0.2.1"])
        off = prefix.count("\n")
        lines = text.split("\n")
        blanked = set()
        zs_err = {}
        main = case + ".in"
        path = os.path.join(tmp, main)
        for _ in range(12):
            body = "\n".join("" if i + 1 in blanked else l for i, l in enumerate(lines))
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
                fh.write(prefix + body + "\n")
            rc, err = zs_check(zonesign, path, HARNESS)
            errors, warnings, loose = parse_messages(err, main)
            if rc == 0:
                break
            progress = False
            for line, msg in errors:
                line -= off
                for first, last, t, kind, _ in aligned:
                    if first <= line <= last and first not in zs_err:
                        zs_err[first] = msg
                        blanked.update(range(first, last + 1))
                        progress = True
            if not progress:
                results.append(dict(case=case, line=0, verdict="harness", reason="zonesign error not at an entry: " + "; ".join(loose or [m for _, m in errors])[:200], text=""))
                break
        owners = defaultdict(list)
        capped = False
        for line, msg in warnings:
            m = re.match(r"(.*) is outside the zone " + re.escape(HARNESS) + ": ignored$", msg)
            if m:
                owners[line - off].append(m.group(1))
            elif "not listed" in msg:
                capped = True
        if capped:
            results.append(dict(case=case, line=0, verdict="harness", reason="more than 100 out-of-zone warnings: record counts incomplete", text=""))
        base_lines = ["" if i + 1 in blanked else l for i, l in enumerate(lines)]

        stopped = False
        for first, last, t, kind, got in aligned:
            r = dict(case=case, line=first, kind=kind, text=t.strip().splitlines()[0][:100] if t.strip() else "")
            results.append(r)
            ours = zs_err.get(first)
            recs_ours = sum(len(v) for l, v in owners.items() if first <= l <= last)
            if got is None or stopped:
                r.update(verdict="not-compared", reason="Knot stopped before this entry (fatal error)")
                continue
            knot_fail = [b for b in got if b[0] != "rec"]
            knot_recs = [b[1] for b in got if b[0] == "rec"]
            if any(b[0] == "error" for b in got):
                stopped = True
            knot_ok = not knot_fail
            our_ok = ours is None
            r["knot"] = ",".join(b[1] for b in knot_fail) if knot_fail else "ok"
            r["ours"] = ours or "ok"
            if knot_ok != our_ok:
                r.update(verdict="disagree", reason=("we reject: " + msg_pattern(ours)) if knot_ok else ("Knot rejects " + r["knot"] + ", we accept"))
                continue
            if not knot_ok:
                r.update(verdict="agree", reason="both reject")
                continue
            if kind == "$INCLUDE":
                r.update(compare_knot_include(zonesign, tmp, main, prefix, prefix_free_lines(base_lines, aligned, first, last), knot_recs))
                continue
            if kind != "record":
                r.update(verdict="agree", reason="both accept the directive")
                continue
            if len(knot_recs) != 1 or len(owners.get(first, [])) != 1:
                r.update(verdict="disagree", reason=f"record count: Knot {len(knot_recs)}, ours {recs_ours}")
                continue
            # 2. the record's wire form.
            r.update(compare_knot_wire(zonesign, tmp, main, prefix_free_lines(base_lines, aligned, first, last), first, owners[first][0], knot_recs[0], t))
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prefix_free_lines(base_lines, aligned, first, last):
    """The case file with every other record and $INCLUDE blanked, so the
    entry is read under the same directives but alone."""
    keep = list(base_lines)
    for f, l, t, kind, _ in aligned:
        if (kind == "record" or kind == "$INCLUDE") and f != first:
            for i in range(f, l + 1):
                keep[i - 1] = ""
    return keep


def compare_knot_include(zonesign, tmp, main, prefix, lines, knot_recs):
    """An $INCLUDE read alone: the owners of the records it gives, in
    order (our warnings for included records name no $INCLUDE line, so the
    other $INCLUDEs are blanked)."""
    path = os.path.join(tmp, main)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write(prefix + "\n".join(lines) + "\n")
    rc, out = zs_check(zonesign, path, HARNESS)
    if rc != 0:
        return dict(verdict="disagree", reason="we reject the $INCLUDE read alone")
    owners = []
    for raw in out.splitlines():
        m = re.match(r"warning: [^:]+:\d+:\d+: (.*) is outside the zone " + re.escape(HARNESS) + ": ignored$", raw)
        if m:
            owners.append(name_wire(m.group(1)).lower())
    want = [k[0].lower() for k in knot_recs]
    if sorted(owners) != sorted(want):
        return dict(verdict="disagree", reason=f"$INCLUDE gives other records: Knot {len(want)} ({' '.join(w.hex() for w in want)[:80]}), ours {len(owners)} ({' '.join(o.hex() for o in owners)[:80]})")
    return dict(verdict="agree", reason=f"both accept, same owners ({len(want)} records)")


def ldns_records(body, tmp):
    path = os.path.join(tmp, "ldns-input.zone")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write(body)
    rc, out, err = run(["ldns-read-zone", "-U", "NULL", path], cwd=tmp)
    if rc != 0:
        return None
    try:
        return parse_generic(out)
    except ValueError:
        return None


def compare_knot_wire(zonesign, tmp, main, lines, first, owner, knot_rec, entry_text):
    k_owner, k_class, k_ttl, k_type, k_rdata = knot_rec
    if lines[first - 1][:1].isspace() or lines[first - 1][:1] == "(":
        # Blank owner: the previous record is blanked, so name it (as we read it).
        lines[first - 1] = owner + " " + lines[first - 1]
    extra = []
    if k_type == 6:  # SOA: the entry is the apex
        apex = owner
        extra = harness_apex(apex, with_soa=False)
    else:
        apex = parent_name(owner) if owner != "." else "."
        if owner == "." and k_type in (5, 43):
            return dict(verdict="agree", reason="both accept (wire not compared: CNAME/DS at the root cannot be in a zone)")
        # An NS at the root is the apex NS RRset itself (a second, harness
        # NS there would join its RRset and its TTL).
        extra = harness_apex(apex)[:1] if (k_type == 2 and owner == apex) else harness_apex(apex)
        if k_type == 43:  # DS belongs at a delegation (RFC 4035 §2.4)
            extra.append(f"{owner} 0 IN NS {NS_HOST}")
    # The same context as the accept/reject read: a first record of TTL 0
    # (Knot's default TTL) before the case's lines.
    ctx = f"{NS_HOST} 0 IN A 192.0.2.1"
    body = ctx + "\n$ORIGIN .\n" + "\n".join(lines) + "\n" + "\n".join(extra) + "\n"
    extra = extra + [ctx]
    path = os.path.join(tmp, main)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write(body)
    emit = os.path.join(tmp, "emit.zone")
    if os.path.exists(emit):
        os.unlink(emit)
    rc, err = zs_check(zonesign, path, apex, emit=emit)
    if rc != 0:
        errors, _, loose = parse_messages(err, main)
        msg = (errors[0][1] if errors else (loose[0] if loose else err.strip()[:100]))
        return dict(verdict="agree", reason="both accept (wire not compared: zone rule in the one-record zone: " + msg_pattern(msg) + ")")
    with open(emit, encoding="utf-8", errors="surrogateescape") as fh:
        emitted = fh.read().splitlines()
    synth = set()
    for s in extra:
        f = s.split(None, 4)
        synth.add((f[0].lower(), f[3].upper(), " ".join(f[4].split()).lower()))
    mine = []
    for line in emitted:
        f = line.split("\t")
        if len(f) >= 5 and (f[0].lower(), f[3].upper(), " ".join(f[4].split()).lower()) in synth:
            continue
        mine.append(line)
    if len(mine) != 1:
        return dict(verdict="disagree", reason=f"one record in, {len(mine)} written by --emit")
    f = mine[0].split("\t")
    if len(f) >= 5 and f[4].startswith("\\# "):
        # RFC 3597 §5: TYPEnnn is the same type; ldns may not know newer mnemonics.
        f[3] = f"TYPE{k_type}"
        mine[0] = "\t".join(f)
    try:
        recs = to_generic(mine[0] + "\n", tmp)
    except ValueError as e:
        return dict(verdict="agree", reason=f"both accept (wire not compared: {e})", emitted=mine[0])
    if len(recs) != 1:
        return dict(verdict="agree", reason="both accept (wire not compared: ldns read no record)", emitted=mine[0])
    o_owner, o_class, o_ttl, o_type, o_rdata = recs[0]
    diffs = []
    if o_type != k_type:
        diffs.append(f"type {o_type} vs Knot {k_type}")
    if o_class != k_class:
        diffs.append(f"class {o_class} vs Knot {k_class}")
    if o_ttl != k_ttl:
        diffs.append(f"TTL {o_ttl} vs Knot {k_ttl}")
    case_only = []
    if o_owner != k_owner:
        (case_only if o_owner.lower() == k_owner.lower() else diffs).append("owner")
    if o_rdata != k_rdata:
        (case_only if o_rdata.lower() == k_rdata.lower() else diffs).append(f"RDATA {o_rdata.hex().upper()[:60]} vs Knot {k_rdata.hex().upper()[:60]}")
    if diffs:
        # Triage: ldns's reading of the case's own text. If it matches ours,
        # ldns and zonesign read the entry alike and Knot reads it otherwise;
        # if it matches Knot's, our reading or writing is off.
        ref = ldns_records(body, tmp)
        same = [x for x in (ref or []) if x[3] == k_type and x[0].lower() == k_owner.lower()]
        if ref is None or len(same) != 1:
            tri = "ldns cannot read the case text"
        elif same[0][4] == k_rdata and same[0][2] == k_ttl:
            tri = "ldns reads the case as Knot does"
        elif same[0][4] == o_rdata and same[0][2] == o_ttl:
            tri = "ldns reads the case as we do"
        else:
            tri = "ldns reads the case a third way"
        return dict(verdict="disagree", reason="wire differs: " + "; ".join(diffs), emitted=mine[0], triage=tri)
    if case_only:
        return dict(verdict="agree", reason="both accept, same wire but for letter case (" + ", ".join(c.split()[0] for c in case_only) + ")", emitted=mine[0])
    return dict(verdict="agree", reason="both accept, same wire", emitted=mine[0])


def knot_suite(zonesign, root, verbose):
    data = os.path.join(root, "data")
    if not os.path.isdir(data):
        raise HarnessError(f"{root}: no data/ directory (give tests/libzscanner)")
    tests_file = os.path.join(root, "TESTS")
    if os.path.exists(tests_file):
        with open(tests_file) as fh:
            cases = fh.read().split()
    else:
        cases = sorted(f[:-3] for f in os.listdir(data) if f.endswith(".in"))
    results = []
    for case in cases:
        if verbose:
            print(f"knot {case}", file=sys.stderr)
        results += knot_case(zonesign, data, case, verbose)
    return results


# --- BIND ----------------------------------------------------------------

# tests.sh: the origin of each file and what must happen. good*.db and
# bad*.db follow the name (origin "example" unless listed); these files
# are loaded by other steps of tests.sh.
BIND_ORIGIN = {
    "good-dns-sd-reverse.db": "0.0.0.0.in-addr.arpa",
    "bad-dns-sd-reverse.db": "0.0.0.0.in-addr.arpa",
    "bad-svcb-servername.db": "0.0.0.0.in-addr.arpa",
    "good-rpz-prefix.db": "db",
    "bad-rpz-prefix.db": "db",
    "bad-svcb.db": "db",
    "bad-svcb-mandatory.db": "db",
    "bad-tkey.db": "db",
    "bad-tsig.db": "db",
    "bad-unspec.db": "db",
    "bad1.db": "db",
    "bad2.db": "db",
    "bad3.db": "db",
    "bad4.db": "db",
    "ns-address-below-dname.db": "example.com",
    "delegating-ns-address-below-dname.db": "example.com",
    "generate-overflow.db": "example.com",
    "crashzone.db": "dyn.example.net",
    "zone1.db": "zone1.com",
    "test1.db": "test",
    "test2.db": "test",
}
for _i in range(1, 7):
    BIND_ORIGIN[f"bad-svcb-alpn{_i}.db"] = "db"
BIND_LOAD = {
    "ns-address-below-dname.db": False,  # "is below a DNAME" is an error for an in-zone NS target
}
BIND_SKIP = {
    "inherit.db": "an $INCLUDE fragment, not a zone",
    "bad-badclass.raw": "BIND raw (binary) format",
}


def bind_expectation(name):
    if name in BIND_SKIP:
        return None
    if name in BIND_LOAD:
        return BIND_LOAD[name]
    if name.startswith("bad"):
        return False
    return True


def bind_suite(zonesign, root, verbose, dumps):
    zones = os.path.join(root, "zones")
    if not os.path.isdir(zones):
        raise HarnessError(f"{root}: no zones/ directory (give bin/tests/system/checkzone)")
    tmp = tempfile.mkdtemp(prefix="fs-bind-")
    try:
        work = os.path.join(tmp, "zones")
        shutil.copytree(zones, work)
        # BIND resolves $INCLUDE against the working directory (tests.sh
        # runs in checkzone/), zonesign against the including file: this
        # link makes "zones/inherit.db" resolve the same for both.
        os.symlink(".", os.path.join(work, "zones"))
        j2 = os.path.join(work, "bad-tsig.db.j2")
        if os.path.exists(j2):
            with open(j2) as fh:
                t = fh.read()
            t = re.sub(r"\{%.*?%\}\n?", "", t).replace("@DEFAULT_HMAC@", "hmac-sha256")
            with open(os.path.join(work, "bad-tsig.db"), "w") as fh:
                fh.write(t)
            os.unlink(j2)
        have_bind = dumps and shutil.which("named-checkzone") and shutil.which("ldns-read-zone")
        results = []
        for name in sorted(os.listdir(work)):
            path = os.path.join(work, name)
            if not os.path.isfile(path):
                continue
            if verbose:
                print(f"bind {name}", file=sys.stderr)
            expect = bind_expectation(name)
            r = dict(case=name, line=0, text="")
            results.append(r)
            if expect is None:
                r.update(verdict="not-compared", reason=BIND_SKIP[name])
                continue
            origin = BIND_ORIGIN.get(name, "example")
            emit = os.path.join(tmp, "emit.zone")
            if os.path.exists(emit):
                os.unlink(emit)
            rc, err = zs_check(zonesign, path, origin + ".", emit=emit)
            errors, warnings, loose = parse_messages(err, name)
            msg = (errors[0][1] if errors else (loose[0] if loose else ""))
            if errors:
                r["line"] = errors[0][0]
            r["ours"] = "ok" if rc == 0 else msg
            r["expect"] = "load" if expect else "refuse"
            if (rc == 0) != expect:
                r.update(verdict="disagree", reason=("we refuse: " + msg_pattern(msg)) if expect else "BIND refuses, we load")
                if not expect:
                    r["warnings"] = [m for _, m in warnings][:3]
                continue
            r.update(verdict="agree", reason="both load" if expect else "both refuse")
            if expect and have_bind:
                d = compare_bind_dump(origin, path, emit, tmp, r)
                r.update(d)
                if "dump" in d:
                    r["reason"] = "both load; named-checkzone -D dump: " + d["dump"]
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compare_bind_dump(origin, path, emit, tmp, r):
    rc, out, err = run(["named-checkzone", "-q", "-D", "-i", "local", "-o", os.path.join(tmp, "bind.zone"), origin, path], cwd=os.path.dirname(os.path.dirname(path)))
    if rc != 0:
        return dict(dump="BIND itself refuses with default options")
    sets = []
    for f in (os.path.join(tmp, "bind.zone"), emit):
        with open(f, encoding="utf-8", errors="surrogateescape") as fh:
            try:
                recs = to_generic(fh.read(), tmp)
            except ValueError as e:
                return dict(dump=f"not compared ({e})")
        sets.append({(o.lower(), c, t, ttl, d) for o, c, ttl, t, d in recs})
    if sets[0] == sets[1]:
        return dict(dump="same records")
    only_b, only_z = sets[0] - sets[1], sets[1] - sets[0]
    return dict(verdict="disagree", reason=f"both load, records differ: {len(only_b)} only in BIND's dump, {len(only_z)} only in ours", detail=[fmt_rec(x, "BIND") for x in sorted(only_b)[:3]] + [fmt_rec(x, "ours") for x in sorted(only_z)[:3]])


def fmt_rec(rec, who):
    o, c, t, ttl, d = rec
    return f"{who}: owner {o.hex()} type {t} ttl {ttl} rdata {d.hex()[:48]}"


# --- report --------------------------------------------------------------


def strip_comment(text):
    out, in_q, i = [], False, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            out.append(text[i : i + 2])
            i += 2
            continue
        if c == '"':
            in_q = not in_q
        elif c == ";" and not in_q:
            break
        out.append(c)
        i += 1
    return "".join(out)


# Categories of known disagreements (issue #12; other branches fix the
# ones that are ours). Each: label, and a test on the entry (comment
# removed), zonesign's message, Knot's code and the case name.
CATEGORIES = [
    ("RFC 3597 generic RDATA of known types", lambda e, m, k, c: "\\# " in e and "presentation format" not in m),
    ("types without presentation format", lambda e, m, k, c: "no known presentation format" in m or "unknown class or type" in m),
    ("SVCB upper-case keys/escapes", lambda e, m, k, c: re.search(r"\b(svcb|https)\b", e, re.I) or "svcb" in c.lower()),
    ("DS not at delegation", lambda e, m, k, c: c.startswith("bad-ds")),
    ("DNAME occlusion", lambda e, m, k, c: "below-dname" in c),
    ("NSEC3 hash length", lambda e, m, k, c: re.search(r"nsec3", c + " " + e, re.I) and ("base32" in m or "NSEC3" in e.upper() or "nsec3" in c)),
    ("CDS/CDNSKEY mismatch", lambda e, m, k, c: c in ("bad-cds.db", "bad-cdnskey.db")),
    ("$GENERATE", lambda e, m, k, c: "generate" in (c + e + m).lower()),
    ("RRSIG times", lambda e, m, k, c: re.search(r"\brrsig\b", e, re.I) and ("DATE" in k or "expiration" in m or "inception" in m) or c == "crashzone.db"),
    ("IPSECKEY alg 0", lambda e, m, k, c: re.search(r"\bipseckey\b", e, re.I) and "GATEWAY" in k),
    ("root-zone owner case", lambda e, m, k, c: "letter case" in m),
]


def category(suite, r):
    e = strip_comment(r.get("text", ""))
    m = str(r.get("reason", "")) + " " + str(r.get("ours", ""))
    k = str(r.get("knot", ""))
    for label, test in CATEGORIES:
        if test(e, m, k, r["case"]):
            return label
    return "other"


def report(suites):
    print("zonesign field suites")
    print()
    print(f"{'suite':<6} {'entries':>8} {'agree':>7} {'disagree':>9} {'not compared':>13} {'harness':>8}")
    for name, results in suites:
        c = defaultdict(int)
        for r in results:
            c[r["verdict"]] += 1
        total = sum(c.values()) - c["harness"]
        print(f"{name:<6} {total:>8} {c['agree']:>7} {c['disagree']:>9} {c['not-compared']:>13} {c['harness']:>8}")
    for name, results in suites:
        print()
        print(f"== {name}: agreement detail")
        agree = defaultdict(int)
        for r in results:
            if r["verdict"] == "agree":
                agree[re.sub(r"\(.*", "", r["reason"]).strip() if "not compared" not in r["reason"] else r["reason"]] += 1
        for k, v in sorted(agree.items(), key=lambda x: -x[1]):
            print(f"  {v:5}  {k}")
        print()
        print(f"== {name}: disagreements by reason")
        groups = defaultdict(list)
        for r in results:
            if r["verdict"] in ("disagree", "harness"):
                groups[(r["verdict"], r["reason"] if r["verdict"] == "harness" else re.sub(r"RDATA [0-9A-F]+ vs Knot [0-9A-F]+", "RDATA …", r["reason"]))].append(r)
        for (verdict, reason), rs in sorted(groups.items(), key=lambda x: (-len(x[1]), x[0])):
            print(f"  [{len(rs)}] {verdict}: {reason}")
            for r in rs:
                where = f"{r['case']}:{r['line']}" if r.get("line") else r["case"]
                extra = f"  | Knot {r['knot']}" if "knot" in r and r["knot"] != "ok" else ""
                print(f"      {where}  [{category(name, r)}]  {r['text']}{extra}")
                if "triage" in r:
                    print(f"          triage: {r['triage']}")
                if "emitted" in r and r["verdict"] == "disagree":
                    print(f"          ours: {r['emitted'][:110]}")
                for w in r.get("warnings", []):
                    print(f"          our warning: {w[:110]}")
                for d in r.get("detail", []):
                    print(f"          {d}")
                if r["verdict"] == "disagree" and r.get("reason", "").startswith("record count"):
                    pass
                if r["verdict"] == "disagree" and "wire differs" in r["reason"]:
                    print(f"          {r['reason'][:160]}")
        print()
        print(f"== {name}: disagreements by category")
        cats = defaultdict(int)
        for r in results:
            if r["verdict"] == "disagree":
                cats[category(name, r)] += 1
        for k, v in sorted(cats.items(), key=lambda x: -x[1]):
            print(f"  {v:5}  {k}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--knot", help="extracted Knot tests/libzscanner directory")
    ap.add_argument("--bind", help="extracted BIND bin/tests/system/checkzone directory")
    ap.add_argument("--zonesign", default="target/release/zonesign")
    ap.add_argument("--no-dumps", action="store_true", help="BIND: compare load/refuse only, not named-checkzone -D dumps")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    if not a.knot and not a.bind:
        ap.error("give --knot DIR and/or --bind DIR")
    zonesign = os.path.abspath(a.zonesign)
    if not os.access(zonesign, os.X_OK):
        print(f"field-suites: {zonesign} is not an executable", file=sys.stderr)
        return 3
    if not shutil.which("ldns-read-zone"):
        print("field-suites: ldns-read-zone (ldnsutils) is needed to turn records into RFC 3597 form", file=sys.stderr)
        return 3
    try:
        suites = []
        if a.knot:
            suites.append(("knot", knot_suite(zonesign, os.path.abspath(a.knot), a.verbose)))
        if a.bind:
            suites.append(("bind", bind_suite(zonesign, os.path.abspath(a.bind), a.verbose, not a.no_dumps)))
    except HarnessError as e:
        print(f"field-suites: {e}", file=sys.stderr)
        return 3
    report(suites)
    return 0


if __name__ == "__main__":
    sys.exit(main())
