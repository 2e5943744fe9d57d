"""The import-graph contract (README, "Architecture"): layers import only downward, nothing imports in a circle.

Every module of ``gazetteer/`` and ``mapper/`` is parsed with ``ast``; nothing is imported or run. An import
counts wherever it is written (top of the file or inside a function body), except under ``if TYPE_CHECKING:``,
which Python never runs. Dynamic imports (``importlib.import_module``, as ``mapper/__init__.py``'s lazy API
uses) are not seen.

``LAYERS`` below is the one table of layers; README's Architecture section mirrors it and
:func:`test_readme_mirrors_the_layer_table` keeps the two from drifting.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("gazetteer", "mapper")

# bottom up: (name, what lives there, module patterns). A module may import from its own layer or below.
LAYERS: list[tuple[str, str, tuple[str, ...]]] = [
    ("gazetteer", "the place index and geoparser; imports nothing from mapper", ("gazetteer", "gazetteer.*")),
    (
        "core",
        "pure logic over data: records, text, dates, numbers, vocabularies, extraction, merging",
        (
            "mapper.schema",
            "mapper.errors",
            "mapper.geo",
            "mapper.numbers",
            "mapper.text",
            "mapper.timex",
            "mapper.lexicon",
            "mapper.households",
            "mapper.extract",
            "mapper.dedup",
            "mapper.frame",
            "mapper.ids",
        ),
    ),
    (
        "io",
        "the edges: reading inputs, writing outputs and maps, scoring a dev set",
        (
            "mapper.atomic",
            "mapper.walk",
            "mapper.inputs",
            "mapper.reports",
            "mapper.documents",
            "mapper.tables",
            "mapper.export",
            "mapper.geoparquet",
            "mapper.review",
            "mapper.overrides",
            "mapper.evaluation",
            "mapper.maps",
            "mapper.maps.*",
        ),
    ),
    ("jobs", "whole jobs over files, on pandas or dask", ("mapper.pipeline", "mapper.scale")),
    ("app", "the local review server over the jobs", ("mapper.serve", "mapper.serve.*")),
    ("cli", "the command line and the package's lazy API: parse, one library call, print", ("mapper.cli", "mapper")),
]

RULE_LAYERS = "a module imports only from its own layer or below"
RULE_GAZETTEER = "gazetteer imports nothing from mapper"
RULE_CYCLES = "no import cycle between modules"


@dataclass(frozen=True)
class Import:
    src: str  # importing module
    dst: str  # imported module (one of ours)
    path: Path
    line: int

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path}:{self.line}"


# -- reading the graph (no import executed) ------------------------------------------------------------


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Module name -> file for every .py file of our packages (data and vendor folders hold none)."""
    out = {}
    for pkg in PACKAGES:
        for f in sorted((root / pkg).rglob("*.py")):
            parts = list(f.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = f
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    """Import statements anywhere (function bodies too), except under ``if TYPE_CHECKING:`` (its else runs)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve(name: str, known: set[str]) -> str | None:
    """The deepest of our modules that ``name`` (a dotted module path) names or lies in."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        if ".".join(parts[:i]) in known:
            return ".".join(parts[:i])
    return None


def imports_of(module: str, source: str, path: Path, known: set[str], is_package: bool = False) -> list[Import]:
    """The imports of our own modules that ``source`` (module ``module``) makes."""
    out = []
    package = module if is_package else module.rpartition(".")[0]
    for node in _import_nodes(ast.parse(source, filename=str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from pkg import sub` imports the submodule pkg.sub when there is one, else a name of pkg
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for t in targets:
            dst = _resolve(t, known)
            imp = Import(module, dst or "", path, node.lineno)
            if dst is not None and dst != module and imp not in out:
                out.append(imp)
    return out


def import_graph(root: Path = ROOT) -> list[Import]:
    files = module_files(root)
    known = set(files)
    edges = []
    for mod, f in files.items():
        edges += imports_of(mod, f.read_text(encoding="utf-8"), f, known, is_package=f.name == "__init__.py")
    return edges


# -- the checks ------------------------------------------------------------------------------------------


def cyclic_components(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components that hold a cycle (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[set[str]] = []
    nodes = sorted(set(edges) | {d for ds in edges.values() for d in ds})

    def strongconnect(v: str) -> None:
        # iterative Tarjan: (node, iterator over its successors)
        work = [(v, iter(sorted(edges.get(v, ()))))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = set()
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.add(w)
                        if w == node:
                            break
                    components.append(comp)

    for v in nodes:
        if v not in index:
            strongconnect(v)
    return sorted((c for c in components if len(c) > 1 or next(iter(c)) in edges.get(next(iter(c)), ())), key=min)


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path a -> ... -> a, from the component's first module) per cyclic component."""
    return sorted(_cycle_through(min(c), c, edges) for c in cyclic_components(edges))


def _cycle_through(start: str, comp: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest path start -> ... -> start inside one component (breadth first)."""
    prev: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(edges.get(v, ())):
                if w not in comp:
                    continue
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(prev[path[-1]])
                    return [*reversed(path), start]
                if w not in prev:
                    prev[w] = v
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle through {start}")  # unreachable for a component with a cycle


def layer_of(module: str) -> int | None:
    for i, (_name, _what, patterns) in enumerate(LAYERS):
        if any(fnmatch.fnmatchcase(module, p) for p in patterns):
            return i
    return None


def layer_violations(imports: list[Import]) -> list[str]:
    out = []
    for imp in imports:
        a, b = layer_of(imp.src), layer_of(imp.dst)
        if a is None or b is None:
            continue  # reported by test_every_module_has_a_layer
        if imp.src.startswith("gazetteer") and imp.dst.startswith("mapper"):
            out.append(f"{imp.where()}: {imp.src} imports {imp.dst}: breaks '{RULE_GAZETTEER}'")
        elif b > a:
            out.append(
                f"{imp.where()}: {imp.src} (layer {LAYERS[a][0]}) imports {imp.dst} (layer {LAYERS[b][0]}): "
                f"breaks '{RULE_LAYERS}'"
            )
    return sorted(out)


def as_edges(imports: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in imports:
        edges.setdefault(imp.src, set()).add(imp.dst)
    return edges


@pytest.fixture(scope="module")
def graph() -> list[Import]:
    return import_graph()


# -- the contract on our code ----------------------------------------------------------------------------


def test_every_module_has_a_layer():
    missing = [m for m in module_files() if layer_of(m) is None]
    if missing:
        pytest.fail(
            f"modules in no layer: {', '.join(missing)}; add each to LAYERS in tests/test_architecture.py "
            "and to README's Architecture section",
            pytrace=False,
        )


def test_no_import_cycles(graph):
    edges = as_edges(graph)
    where = {(i.src, i.dst): i.where() for i in graph}
    lines = []
    for comp in cyclic_components(edges):
        c = _cycle_through(min(comp), comp, edges)
        steps = ", ".join(where[(a, b)] for a, b in zip(c, c[1:], strict=False))
        lines.append(f"{', '.join(sorted(comp))} import each other in a circle, e.g. {' -> '.join(c)} ({steps})")
    if lines:
        pytest.fail(f"breaks '{RULE_CYCLES}':\n" + "\n".join(lines), pytrace=False)


def test_gazetteer_imports_nothing_from_mapper(graph):
    bad = [
        f"{i.where()}: {i.src} imports {i.dst}: breaks '{RULE_GAZETTEER}'"
        for i in graph
        if i.src.startswith("gazetteer") and i.dst.startswith("mapper")
    ]
    if bad:
        pytest.fail("\n".join(bad), pytrace=False)


def test_layers_import_only_downward(graph):
    bad = [v for v in layer_violations(graph) if RULE_GAZETTEER not in v]  # those: the test above
    if bad:
        pytest.fail("\n".join(bad), pytrace=False)


def test_readme_mirrors_the_layer_table():
    """README's Architecture table names, per layer, exactly the modules LAYERS lists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## Architecture\n(.*?)(?=^## )", readme, re.S | re.M)
    assert m, "README has no '## Architecture' section"
    rows = {}
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3 and cells[0] not in ("layer", "---") and set(cells[0]) != {"-"}:
            rows[cells[0]] = set(re.findall(r"`([^`]+)`", cells[1]))
    expected = {name: set(patterns) for name, _what, patterns in LAYERS}
    drift = [
        f"layer {name}: README lacks {sorted(expected.get(name, set()) - rows.get(name, set()))}, "
        f"README adds {sorted(rows.get(name, set()) - expected.get(name, set()))}"
        for name in sorted(set(rows) | set(expected))
        if rows.get(name) != expected.get(name)
    ]
    assert drift == [], "README's Architecture table and LAYERS in tests/test_architecture.py disagree: " + "; ".join(
        drift
    )


# -- the checker checks itself on small synthetic graphs -----------------------------------------------------


def test_cycle_finder_on_a_synthetic_graph():
    edges = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},  # a -> b -> c -> a
        "d": {"e"},
        "e": set(),  # d, e: no cycle
        "f": {"f"},  # a module importing itself
        "g": {"h"},
        "h": {"g", "i"},  # g <-> h
        "i": {"j"},
        "j": {"i"},  # i <-> j, reached from the g/h component
    }
    assert find_cycles(edges) == [["a", "b", "c", "a"], ["f", "f"], ["g", "h", "g"], ["i", "j", "i"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set(), "x": {"a", "c"}}) == []
    assert find_cycles({}) == [] and cyclic_components({"a": {"a"}, "b": {"c"}}) == [{"a"}]
    assert cyclic_components(edges) == [{"a", "b", "c"}, {"f"}, {"g", "h"}, {"i", "j"}]
    # long chains do not hit Python's recursion limit
    chain = {str(i): {str(i + 1)} for i in range(5000)}
    assert find_cycles(chain) == []
    chain["5000"] = {"0"}
    assert len(find_cycles(chain)[0]) == 5002


def test_import_reader_on_synthetic_source(tmp_path):
    known = {"mapper", "mapper.a", "mapper.b", "mapper.c", "mapper.maps", "mapper.maps.popup", "gazetteer"}
    src = """
from __future__ import annotations
import os
from typing import TYPE_CHECKING
from . import b
from .maps import popup
import mapper.c as c
from gazetteer import Gazetteer

if TYPE_CHECKING:
    from .c import Thing  # type only: not counted
else:
    from .maps import x  # runs: counted (the package mapper.maps)

def later():
    from mapper import a  # inside a function: counted
"""
    got = {(i.dst, i.line) for i in imports_of("mapper.z", src, tmp_path / "z.py", known)}
    assert got == {
        ("mapper.a", 16),
        ("mapper.b", 5),
        ("mapper.maps.popup", 6),
        ("mapper.c", 7),
        ("gazetteer", 8),
        ("mapper.maps", 13),
    }
    # relative imports inside a package's __init__ and in a subpackage module
    got = {i.dst for i in imports_of("mapper.maps", "from . import popup\nfrom .. import b\n", tmp_path, known, True)}
    assert got == {"mapper.maps.popup", "mapper.b"}
    got = {i.dst for i in imports_of("mapper.maps.popup", "from ..a import f\nfrom . import x\n", tmp_path, known)}
    assert got == {"mapper.a", "mapper.maps"}


def test_layer_rule_on_synthetic_imports(tmp_path):
    f = tmp_path / "x.py"
    imports = [
        Import("mapper.extract", "mapper.schema", f, 1),  # core -> core
        Import("mapper.maps.popup", "mapper.geo", f, 2),  # io -> core
        Import("mapper.cli", "mapper.pipeline", f, 3),  # cli -> jobs
        Import("mapper.geo", "mapper.scale", f, 4),  # core -> jobs
        Import("gazetteer.index", "mapper.errors", f, 5),  # gazetteer -> mapper
        Import("mapper.tables", "mapper.maps.legend", f, 6),  # io -> io
    ]
    bad = layer_violations(imports)
    assert len(bad) == 2
    assert "mapper.geo (layer core) imports mapper.scale (layer jobs)" in bad[0] and RULE_LAYERS in bad[0]
    assert "gazetteer.index imports mapper.errors" in bad[1] and RULE_GAZETTEER in bad[1]
    assert layer_of("mapper.maps.elements") == layer_of("mapper.export") and layer_of("mapper.newthing") is None


# -- the suite's own marker rule (tests/conftest.py) -------------------------------------------------------


def test_tests_using_the_cluster_fixture_are_marked_dask():
    from .conftest import pytest_collection_modifyitems

    class Item:
        def __init__(self, fixturenames):
            self.fixturenames = fixturenames
            self.marks: list[str] = []

        def add_marker(self, mark):
            self.marks.append(mark.name)

    on_cluster, plain = Item(["table", "client", "tmp_path"]), Item(["table", "tmp_path"])
    pytest_collection_modifyitems(None, [on_cluster, plain])
    assert on_cluster.marks == ["dask"] and plain.marks == []
