"""The package's shape: no import cycles (imports inside functions count too), and each chat
platform's library used only inside that platform's folder."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_LIBRARIES = {"slack_bolt": "slack", "slack_sdk": "slack", "discord": "discord"}


def modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "bot").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def imported_names(path: Path) -> set[str]:
    """Every absolute import in the file, at any depth (except under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for top in tree.body
        if isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test)
        for node in ast.walk(top)
    }
    names = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph = {}
    for name, path in known.items():
        targets = set()
        for imported in imported_names(path):
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def package_of(module: str) -> str:
    """``bot.platforms.slack.app`` -> ``bot.platforms``: the layer a module belongs to."""
    return ".".join(module.split(".")[:2])


def test_no_module_import_cycles():
    assert cycles(import_graph()) == []


def test_no_cycles_between_packages():
    graph = import_graph()
    layers: dict[str, set[str]] = {}
    for module, targets in graph.items():
        layers.setdefault(package_of(module), set()).update(
            package_of(t) for t in targets if package_of(t) != package_of(module)
        )
    assert cycles(layers) == []


def test_the_cycle_check_can_fail():
    assert cycles({"bot.a": {"bot.b"}, "bot.b": {"bot.c"}, "bot.c": {"bot.a"}}) == [["bot.a", "bot.b", "bot.c"]]


def test_platform_libraries_are_used_only_in_their_platform_folder():
    misplaced = []
    for name, path in modules().items():
        for imported in imported_names(path):
            platform = PLATFORM_LIBRARIES.get(imported.split(".")[0])
            if platform and not name.startswith(f"bot.platforms.{platform}."):
                misplaced.append(f"{name} imports {imported}")
    assert misplaced == []
