#!/usr/bin/env python3
"""The library's module graph from its `crate::`/`super::` paths, and its
cycles: ARCHITECTURE.md promises one-way layers, and this script is how CI
holds us to it.

    scripts/check-layers.py            # print the graph (top-level modules)
    scripts/check-layers.py --check    # exit 1 if any cycle, at either level
    scripts/check-layers.py --dot      # graphviz of the top-level graph
    scripts/check-layers.py --why A B  # the paths behind the edge A -> B

Two levels are checked: top-level modules (`zone`, `sign`, ...) and the
submodules inside each (`lifecycle::ops` -> `lifecycle::store`). Test
code is left out: `#[cfg(test)]` modules (inline or in their own file) may
reach anything. `src/main.rs` and `src/cli/` are the binary and are not
part of the library graph; nothing in the library may name `cli`.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SRC = os.path.join(ROOT, "src")


def module_path(rel):
    """src-relative file path -> module path list (lib.rs -> [])."""
    parts = rel[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return parts


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = []
    for line in text.split("\n"):
        # Line comments (doc comments included), but not inside strings:
        # good enough for paths, which never sit in string literals here.
        i = line.find("//")
        out.append(line if i < 0 else line[:i])
    return "\n".join(out)


def after_group(text, j):
    """The index just past the `}` that closes a group opened before `j`."""
    depth = 1
    while j < len(text) and depth:
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
        j += 1
    return j


def strip_test_blocks(text):
    """Removes `#[cfg(test)] mod x { ... }` blocks and returns (text, names of
    `#[cfg(test)] mod x;` declarations)."""
    test_files = set()
    out = []
    i = 0
    pat = re.compile(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+(\w+)\s*([;{])")
    while True:
        m = pat.search(text, i)
        if not m:
            out.append(text[i:])
            break
        out.append(text[i : m.start()])
        if m.group(4) == ";":
            test_files.add(m.group(3))
            i = m.end()
            continue
        i = after_group(text, m.end())
    return "".join(out), test_files


def use_targets(text):
    """Every path that starts with `crate::`, `super::` or `self::`,
    expanded over `{...}` groups, as lists of segments."""
    paths = []
    for m in re.finditer(r"\b(crate|super|self)((?:\s*::\s*(?:\w+|\{))+)", text):
        prefix = m.group(1)
        j = m.end()
        seg_text = m.group(2)
        if seg_text.rstrip().endswith("{"):
            k = after_group(text, j)
            head = [s for s in re.split(r"\s*::\s*", seg_text.strip().rstrip("{")) if s]
            for tail in expand_group(text[j : k - 1]):
                paths.append([prefix] + head + tail)
        else:
            segs = [s for s in re.split(r"\s*::\s*", seg_text.strip()) if s]
            paths.append([prefix] + segs)
    return paths


def expand_group(body):
    items, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        cur += ch
    items.append(cur)
    out = []
    for it in items:
        it = it.strip()
        if not it:
            continue
        if "{" in it:
            head, _, rest = it.partition("{")
            head_segs = [s for s in re.split(r"\s*::\s*", head.strip()) if s]
            for tail in expand_group(rest.rsplit("}", 1)[0]):
                out.append(head_segs + tail)
        else:
            it = re.sub(r"\s+as\s+\w+$", "", it)
            out.append([s for s in re.split(r"\s*::\s*", it) if s])
    return out


def resolve(here, path):
    """Absolute module path (list) that `path` names from module `here`."""
    prefix, segs = path[0], path[1:]
    if prefix == "crate":
        base = []
    elif prefix == "self":
        base = list(here)
    else:  # super (possibly repeated)
        base = list(here[:-1])
        while segs and segs[0] == "super":
            base = base[:-1]
            segs = segs[1:]
    return base + segs


def main():
    files = {}
    excluded = set()
    for dirpath, _, names in os.walk(SRC):
        for n in names:
            if not n.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, n), SRC)
            files[rel] = open(os.path.join(dirpath, n), encoding="utf-8").read()
    modules = {tuple(module_path(r)) for r in files}
    # Test-only files: declared `#[cfg(test)] mod x;` by their parent.
    for rel, text in files.items():
        _, test_mods = strip_test_blocks(strip_comments(text))
        here = module_path(rel)
        for t in test_mods:
            excluded.add(tuple(here + [t]))
    edges_top, edges_sub = set(), set()
    why = {}
    bad = []
    for rel, text in sorted(files.items()):
        here = module_path(rel)
        if rel in ("main.rs",) or (here and here[0] == "cli"):
            continue
        if any(tuple(here[: k + 1]) in excluded for k in range(len(here))):
            continue
        body, _ = strip_test_blocks(strip_comments(text))
        for p in use_targets(body):
            tgt = resolve(here, p)
            # The longest known module prefix of the target.
            mod = None
            for k in range(len(tgt), 0, -1):
                if tuple(tgt[:k]) in modules:
                    mod = tgt[:k]
                    break
            if not mod or not here:
                continue
            if mod[0] == "cli":
                bad.append(f"src/{rel} names the CLI ({'::'.join(tgt)})")
            if mod[0] != here[0]:
                edge = (here[0], mod[0])
                edges_top.add(edge)
            elif len(here) >= 2 and len(mod) >= 2 and here[1] != mod[1]:
                edge = (f"{here[0]}::{here[1]}", f"{mod[0]}::{mod[1]}")
                edges_sub.add(edge)
            else:
                continue
            why.setdefault(edge, set()).add(f"src/{rel}: {'::'.join(tgt)}")
    cycles = find_cycles(edges_top) + find_cycles(edges_sub)
    if "--why" in sys.argv:
        k = sys.argv.index("--why")
        for line in sorted(why.get((sys.argv[k + 1], sys.argv[k + 2]), ())):
            print(line)
        return 0
    if "--dot" in sys.argv:
        print("digraph zonesign {")
        for a, b in sorted(edges_top):
            print(f'  "{a}" -> "{b}";')
        print("}")
        return 0
    if "--check" not in sys.argv:
        deps = {}
        for a, b in edges_top:
            deps.setdefault(a, set()).add(b)
        for a in sorted({a for a, _ in edges_top} | {b for _, b in edges_top}):
            print(f"{a} -> {', '.join(sorted(deps.get(a, ())))}")
    for c in cycles:
        print("cycle: " + " -> ".join(c + [c[0]]))
    for b in bad:
        print(b)
    if "--check" in sys.argv:
        if cycles or bad:
            return 1
        print(f"no cycles: {len(edges_top)} edges between top-level modules, "
              f"{len(edges_sub)} between submodules")
    return 0


def find_cycles(edges):
    """Strongly connected components with more than one node (Tarjan)."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
