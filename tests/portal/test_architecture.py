"""Issue 17: the dependency direction. portal is the base every app builds on and imports no domain app;
domain apps never import each other; no import cycle between the project's modules. Issue 23: the layers
of plans/ (core <- import <- pages), docs/architecture.md.

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


def _imports(path: Path, *, top_level_only: bool = False, module: str = "") -> set[str]:
    """The modules `path` (the module `module`, by default the one at that path) imports: absolute names,
    `from x import y` as x.y when x.y is a module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    module = module or _module_name(path)
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


# The layers of plans/, lowest first: a module imports from its own layer or a lower one, never from one
# above it (imports inside functions included). Every other module of plans is a page's: the pages and
# their services, plan authoring, the collection round, the annual wheel and the face plans.models.
PLANS_LAYERS = {
    "core": (
        "plans.core",
        "plans.evaluation",
        "plans.services.lineage",
        "plans.services.plan_choice",
        "plans.services.status",
        "plans.tasks",
    ),
    "import": ("plans.imports",),
}
LAYER_ORDER = ("core", "import", "pages")


def _layer(module: str) -> str:
    for layer, prefixes in PLANS_LAYERS.items():
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return layer
    return "pages"


def _upward_imports(module: str, path: Path) -> list[str]:
    """The project modules of plans above `module`'s layer that `path` imports. A package's __init__ (they
    hold docstrings only) stands for no layer: `from plans.services import x` is judged by x."""
    own = LAYER_ORDER.index(_layer(module))
    targets = (name for name in _imports(path, module=module) if _app(name) == "plans" and name in MODULES)
    return sorted(
        name for name in targets if MODULES[name].name != "__init__.py" and LAYER_ORDER.index(_layer(name)) > own
    )


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) != "pages" and _app(m) == "plans"))
def test_plans_core_and_import_import_no_layer_above(module):
    wrong = _upward_imports(module, MODULES[module])
    assert not wrong, f"{module} ({_layer(module)}) imports {wrong} from a layer above it (docs/architecture.md)"


def test_plans_layers_name_existing_modules():
    for prefixes in PLANS_LAYERS.values():
        for prefix in prefixes:
            assert prefix in MODULES, f"{prefix} is not a module of plans: update PLANS_LAYERS"


def test_plans_package_inits_import_nothing():
    """The layer check passes over package __init__s, which is right only while they import nothing."""
    inits = [m for m, path in MODULES.items() if _app(m) == "plans" and path.name == "__init__.py"]
    assert inits
    for module in inits:
        assert not _imports(MODULES[module]), f"{module} imports: the layer check would not see it"


def test_planted_upward_import_inside_a_function_is_found(tmp_path):
    planted = tmp_path / "status.py"
    planted.write_text(
        "from plans.core.models import Goal\n\n\n"
        "def refresh():\n"
        "    from plans.services import dashboard  # a page's service, inside a function\n"
        "    from plans.imports.models import DataImport\n"
        "    return dashboard, DataImport, Goal\n"
    )
    assert _upward_imports("plans.services.status", planted) == ["plans.imports.models", "plans.services.dashboard"]
    assert _upward_imports("plans.imports.service", planted) == ["plans.services.dashboard"]
    assert _upward_imports("plans.views", planted) == []
