#!/usr/bin/env python3
"""Import circles of the astrodash crate.

Reads every src/**/*.rs, turns each `crate::…` / `super::…` / `self::…` path (in `use`
lines, brace groups expanded, and inline in code) into an edge from the file's module to the
module file the path lands in, and prints the strongly connected components (Tarjan) with more
than one module, biggest first, and which `app/update` modules use `update::refresh`.

    python3 scripts/import-circles.py [SRC_DIR]
"""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "src"


def module_of(path):
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("mod", "main", "lib"):
        rel = rel[:-1]
    return tuple(rel)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"//.*", "", line) for line in text.splitlines())


def strip_tests(text):
    # `#[cfg(test)] mod tests { … }` is not part of the module graph the compiler builds.
    m = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
    return text[: m.start()] if m else text


def expand(tree):
    """`a::{b, c::{d, e}}` -> ["a::b", "a::c::d", "a::c::e"]."""
    tree = tree.strip()
    i = tree.find("{")
    if i < 0:
        return [tree.split(" as ")[0].strip()]
    prefix, inner = tree[:i], tree[i + 1 : tree.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    return [p for part in parts if part.strip() for p in expand(prefix + part.strip())]


def paths_in(text):
    for m in re.finditer(r"\buse\s+([^;]+);", text, flags=re.S):
        yield from expand(re.sub(r"\s+", " ", m.group(1)))
    body = re.sub(r"\buse\s+[^;]+;", "", text, flags=re.S)
    for m in re.finditer(r"\b(?:crate|super|self)(?:::\w+)+", body):
        yield m.group(0)


def resolve(path, here, modules):
    segs = path.split("::")
    if segs[0] == "crate":
        base, segs = (), segs[1:]
    elif segs[0] in ("super", "self"):
        base = here
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    else:
        return None
    target = base + tuple(segs)
    while target and target not in modules:
        target = target[:-1]
    return target if target in modules else None


def tarjan(graph):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
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
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return out


def main():
    files = {}
    for root, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(root, name)
                files[module_of(path)] = path
    modules = set(files)
    graph = {m: set() for m in modules}
    for mod, path in files.items():
        with open(path, encoding="utf-8") as f:
            text = strip_tests(strip_comments(f.read()))
        for p in paths_in(text):
            t = resolve(p, mod, modules)
            if t is not None and t != mod:
                graph[mod].add(t)
    name = lambda m: "::".join(m) or "crate"
    comps = sorted((c for c in tarjan(graph) if len(c) > 1), key=len, reverse=True)
    for c in comps:
        print(f"SCC of {len(c)} modules: {', '.join(sorted(map(name, c)))}")
    state = ("app", "state")
    around = next((c for c in comps if state in c), [])
    print(f"modules in the SCC around app::state: {len(around)}")
    refresh = {m for m in modules if m[:3] == ("app", "update", "refresh")}
    users = sorted(
        name(m)
        for m in modules
        if m[:2] == ("app", "update") and m[:3] != ("app", "update", "refresh")
        and graph[m] & refresh
    )
    print(f"app::update modules that use update::refresh: {len(users)} ({', '.join(users)})")


if __name__ == "__main__":
    main()
