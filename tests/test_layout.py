"""The package's layout is its architecture: no import cycles, the library never imports the
command line, and no module imports inside functions except the slow libraries named here."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
#: libraries imported where they are first needed: each costs start-up time that commands
#: which do not use it should not pay
LAZY = {"saxonche", "weasyprint", "distributed", "babel"}


def _modules() -> dict[str, Path]:
    mods = {}
    for f in PACKAGE.rglob("*.py"):
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = f
    return mods


def _imports(name: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """The toolkit modules ``name`` imports when it is imported (not under TYPE_CHECKING)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toolkit"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in mods else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("toolkit")}
    closed = set()
    for dep in found:  # importing a.b.c runs a and a.b first
        parts = dep.split(".")
        closed |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)}
    # A package's own __init__ runs before its modules: not an edge of the design.
    return {d for d in closed if d in mods and d != name and not name.startswith(d + ".")}


def test_no_import_cycles():
    mods = _modules()
    graph = {n: _imports(n, p, mods) for n, p in mods.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(m):] + [m]))
            if m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)


def test_the_library_never_imports_the_command_line():
    mods = _modules()
    for name, path in mods.items():
        if name.startswith("toolkit.cli") or name in ("toolkit.__main__",):
            continue
        assert not any(d.startswith("toolkit.cli") for d in _imports(name, path, mods)), name


def test_imports_inside_functions_are_only_the_slow_libraries():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [node.module] if isinstance(node, ast.ImportFrom) else [
                        a.name for a in node.names]
                    if not all(n and n.split(".")[0] in LAZY for n in names):
                        offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
