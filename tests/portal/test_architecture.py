"""Issue 17: the dependency direction. portal is the base every app builds on and imports no domain app;
domain apps never import each other; no import cycle between the project's modules.

Read from the source with ast (imports inside functions count as well), so a test fails on the
import itself, not only when its code runs.
"""

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

DOMAIN_APPS = ("plans", "investments", "events")
PACKAGES = ("portal", *DOMAIN_APPS)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = _modules()


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The modules `path` imports: absolute names, `from x import y` as x.y when x.y is a module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES)
    return found


def _app(module: str) -> str:
    return module.partition(".")[0]


def test_the_modules_are_found():
    assert {"portal.registry", "plans.apps", "investments.apps", "events.apps"} <= MODULES.keys()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _app(m) == "portal"))
def test_portal_imports_no_domain_app(module):
    wrong = sorted(name for name in _imports(MODULES[module]) if _app(name) in DOMAIN_APPS)
    assert not wrong, f"{module} imports {wrong}: register through portal.registry instead"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _app(m) in DOMAIN_APPS))
def test_a_domain_app_imports_no_other_domain_app(module):
    own = _app(module)
    wrong = sorted(name for name in _imports(MODULES[module]) if _app(name) in DOMAIN_APPS and _app(name) != own)
    assert not wrong, f"{module} imports {wrong}: domain apps meet only through portal (portal.registry)"


def _graph() -> dict[str, set[str]]:
    """Module-level imports between the project's modules (importing a.b.c also imports a.b and a)."""
    graph = {}
    for module, path in MODULES.items():
        targets = set()
        for name in _imports(path, top_level_only=True):
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_modules():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
