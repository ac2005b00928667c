"""How specc's modules may depend on each other, measured from the code.

- No import cycle, counting imports inside functions too. A cycle hidden in a function-level
  import still ties two modules into one: neither can be understood, tested or moved without
  the other, and the first call that takes the import at the wrong moment meets a
  half-initialised module. Only imports under `if TYPE_CHECKING:` are left out: they never run.
- Only specc/cli/ talks to the terminal: the library logs (`logging`) and returns results, so
  it never calls print, never touches sys.stdout or sys.stderr and never imports click.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "specc"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, except what sits under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The specc modules that `name` imports, wherever in the file the import stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from specc.x import y` names the submodule specc.x.y when there is one.
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imported(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def a_cycle(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One concrete loop through a component, to show: a -> b -> ... -> a."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & members):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return component


def test_no_import_cycle_among_specc_modules() -> None:
    graph = import_graph()
    found = cycles(graph)
    shown = "\n".join(" -> ".join(a_cycle(c, graph)) for c in found)
    assert not found, f"import cycles among specc's modules:\n{shown}"


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        # a function-level import closes a loop as surely as a top-level one
        ({"a": "import specc.b\n", "b": "def f():\n    from specc import a\n"}, [["a", "b"]]),
        # a type-only import never runs
        (
            {
                "a": "import specc.b\n",
                "b": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import specc.a\n",
            },
            [],
        ),
        ({"a": "from . import b\n", "b": "from .a import x\n"}, [["a", "b"]]),
    ],
)
def test_the_graph_sees_every_kind_of_import(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sources: dict[str, str],
    expected: list[list[str]],
) -> None:
    package = tmp_path / "specc"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in sources.items():
        (package / f"{name}.py").write_text(text)
    monkeypatch.setattr(f"{__name__}.PACKAGE", package)
    found = cycles(import_graph())
    assert found == [[f"specc.{m}" for m in c] for c in expected]


TERMINAL_STREAMS = {"stdout", "stderr", "__stdout__", "__stderr__"}


def terminal_writes(path: Path) -> list[str]:
    """Where a module prints, touches the terminal's streams or imports click: `line: what`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            what = "print()" if node.func.id == "print" else None
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "sys" and node.attr in TERMINAL_STREAMS:
                what = f"sys.{node.attr}"
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.split(".")[0] == "click"]
            what = f"import {names[0]}" if names else None
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "click":
                what = f"from {node.module} import"
            elif node.module == "sys" and {a.name for a in node.names} & TERMINAL_STREAMS:
                what = "from sys import stdout/stderr"
        if what:
            found.append((getattr(node, "lineno", 0), what))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_only_the_cli_talks_to_the_terminal() -> None:
    cli = PACKAGE / "cli"
    found = {
        str(path.relative_to(PACKAGE.parent)): writes
        for path in sorted(PACKAGE.rglob("*.py"))
        if cli not in path.parents and (writes := terminal_writes(path))
    }
    assert not found, f"library modules that talk to the terminal (log instead): {found}"


def test_terminal_writes_are_seen_however_written(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import sys\nimport click.testing\nfrom sys import stderr\n"
        "# print() in a comment is not a call\n"
        "def f():\n    print('x')\n    sys.stdout.write('y')\n    return 'print(z)'\n",
        encoding="utf-8",
    )
    assert terminal_writes(module) == [
        "2: import click.testing",
        "3: from sys import stdout/stderr",
        "6: print()",
        "7: sys.stdout",
    ]
