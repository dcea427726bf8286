"""No import cycles in src/djcheck, counting imports inside functions (a lazy import still ties modules).

The graph is read with :mod:`ast` from the source: every ``import`` / ``from … import`` of a
djcheck module anywhere in a module (top level, function bodies, ``try`` blocks) is an edge,
except imports under ``if TYPE_CHECKING:`` (annotations only, never run). ``from . import x``
names the submodule ``x`` when one exists. The layer contract itself is checked by
``lint-imports`` (pyproject.toml ``[tool.importlinter]``); this test adds what import-linter does
not see: cycles through function-level imports inside one layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "djcheck"


def modules() -> dict[str, Path]:
    """``{dotted module name: file}`` for every module of the package."""
    out = {}
    for f in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(f.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Every Import / ImportFrom node outside ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def edges(mods: dict[str, Path]) -> dict[str, set[str]]:
    """``{importer: {imported}}`` between djcheck modules."""
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, file in mods.items():
        is_pkg = file.name == "__init__.py"
        here = name if is_pkg else name.rsplit(".", 1)[0]
        for node in _imports(ast.parse(file.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    base = here.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                for alias in node.names:
                    sub = f"{prefix}.{alias.name}"
                    targets.append(sub if sub in mods else prefix)
            for t in targets:
                while t and t not in mods:  # a name inside a module: the module
                    t = t.rpartition(".")[0]
                if t and t != name and t.split(".")[0] == PACKAGE:
                    graph[name].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
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

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_reader_sees_function_level_imports():
    """The reader finds lazy imports, so a cycle closed inside a function cannot hide."""
    graph = edges(modules())
    assert "djcheck.loaders.docx" in graph["djcheck.loaders"]  # imported inside load_document
    assert "djcheck.checks.structure" in graph["djcheck.checks"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


#: Edges allowed to close a cycle: none (issue 13 removed the last ones).
PENDING: set[tuple[str, str]] = set()


def test_no_import_cycles():
    graph = edges(modules())
    stale = sorted(e for e in PENDING if e[1] not in graph[e[0]])
    assert not stale, f"these edges are gone: remove them from PENDING: {stale}"
    for importer, imported in PENDING:
        graph[importer].discard(imported)
    found = cycles(graph)
    assert found == [], "import cycles (lazy imports included):\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_reporters_import_only_model_errors_and_safetext():
    """What the import-linter contract says, checked here too (lint-imports runs in CI only):
    reporters print what they are given; ``safetext`` (escaping of names for terminals and
    spreadsheets) is a leaf."""
    graph = edges(modules())
    for name, imported in graph.items():
        if name == "djcheck.report" or name.startswith("djcheck.report."):
            outside = {m for m in imported if not m.startswith("djcheck.report")}
            assert outside <= {"djcheck", "djcheck.model", "djcheck.errors", "djcheck.safetext"}, (name, outside)


if __name__ == "__main__":  # print the components and the edges inside them
    g = edges(modules())
    for comp in cycles(g):
        print(len(comp), comp)
        for m in comp:
            print("   ", m, "→", sorted(t for t in g[m] if t in comp))
