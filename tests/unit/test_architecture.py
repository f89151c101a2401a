"""The shape of the code: no import cycles, and domains import only downward.

Every `import` in kyora/ counts, including those inside functions: an import that
only works because it is deferred is still a cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "kyora"

# What each part of kyora/ may import besides itself (DESIGN.md, "Dependency direction").
PLATFORM = {"core", "extensions", "config"}
BELOW: dict[str, set[str]] = {
    "core": {"extensions", "config"},
    "extensions": {"config", "core"},
    "config": set(),
    "accounts": PLATFORM,
    "businesses": PLATFORM | {"accounts"},
    "team": PLATFORM | {"accounts", "businesses"},
    "billing": PLATFORM | {"accounts", "businesses", "team", "orders"},
    "customers": PLATFORM | {"accounts", "businesses"},
    "inventory": PLATFORM | {"accounts", "businesses"},
    "orders": PLATFORM | {"accounts", "businesses", "customers", "inventory"},
    "accounting": PLATFORM | {"accounts", "businesses", "customers", "inventory", "orders"},
    "insights": PLATFORM
    | {"accounts", "businesses", "customers", "inventory", "orders", "accounting"},
    "storefront": PLATFORM
    | {"accounts", "businesses", "billing", "customers", "inventory", "orders"},
}
# The app factory, the CLI and the demo builder sit on top and may use everything.
TOP = {"__init__", "cli", "demo"}
FILE_LIMIT = 420


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = ["kyora", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The kyora modules `name` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            # `from kyora.orders import views` imports the module kyora.orders.views.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        found.update(target for target in targets if target in known and target != name)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    found = modules(root)
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

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
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports from a lower part of the app into a higher one (or an unlisted part)."""
    wrong = []
    for source, targets in graph.items():
        source_part = part(source)
        if source_part in TOP:
            continue
        allowed = BELOW.get(source_part)
        for target in sorted(targets):
            target_part = part(target)
            if target_part == source_part:
                continue
            if allowed is None or target_part not in allowed:
                wrong.append(f"{source} imports {target}")
    return wrong


def test_there_are_no_import_cycles():
    found = cycles(import_graph())
    assert not found, "Import cycles:\n" + "\n".join(" <-> ".join(group) for group in found)


def test_domains_import_only_the_domains_below_them():
    wrong = upward_imports(import_graph())
    assert not wrong, "Imports against the dependency direction:\n" + "\n".join(wrong)


def test_every_domain_package_says_what_it_holds_and_sets_itself_up():
    from kyora import DOMAINS

    for domain in DOMAINS:
        init = ROOT / domain / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        assert "may import" in doc.lower(), f"kyora/{domain}/__init__.py: say what it may import"
        assert any(
            isinstance(node, ast.FunctionDef) and node.name == "init_app" for node in tree.body
        ), f"kyora/{domain}/__init__.py has no init_app(app)"


def test_no_module_is_too_long_to_read():
    long = [
        f"{path.relative_to(ROOT.parent)} ({count} lines)"
        for path in ROOT.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > FILE_LIMIT
    ]
    assert not long, "Split these by responsibility:\n" + "\n".join(long)


# --- The checks above can fail ------------------------------------------------------


@pytest.fixture
def tiny_app(tmp_path):
    root = tmp_path / "kyora"
    for name, text in {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/money.py": "from kyora.orders import models\n",
        "orders/__init__.py": "",
        "orders/models.py": "",
        "orders/totals.py": "def f():\n    from . import views\n",
        "orders/views.py": "from kyora.orders.totals import f\nfrom kyora.core import money\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_cycle_and_an_upward_import_are_caught(tiny_app):
    graph = import_graph(tiny_app)
    assert cycles(graph) == [["kyora.orders.totals", "kyora.orders.views"]]
    assert upward_imports(graph) == ["kyora.core.money imports kyora.orders.models"]
