"""The packages' layers, kept (README: Architecture). Every import of one first-party package by
another points down, so no two packages import each other, directly or in a circle:

    config                      settings, URLs, the Celery app, WSGI/ASGI
    portal                      public pages and API, their cache, the patient dashboard
    education, scheduling       articles; booking (side by side: neither imports the other)
    triage                      the symptom questionnaire, triage, staff alerts
    clinic                      the kernel: accounts, locations, physicians, shared helpers
    audit                       the PHI access log (knows users only as AUTH_USER_MODEL)

A lower app shows a higher app's content without importing it through ``clinic.discovery``
(``<app>.dashboard``, ``<app>.sign_in``, ``<app>.triage_result``, ``<app>.demo``).

The code is read, not run: every ``import``/``from ... import`` (inside functions too) and every
``importlib.import_module("...")`` with a literal name, in every module of the packages
``pyproject.toml`` installs, migrations included.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_transactional_coverage import ROOT, app_packages

LAYERS = {
    "audit": 0,
    "clinic": 1,
    "triage": 2,
    "education": 3,
    "scheduling": 3,
    "portal": 4,
    "config": 5,
}
KERNEL = "clinic"


@dataclass(frozen=True)
class Import:
    source: str  # the importing package
    target: str  # the imported package
    where: str  # path:line

    def __str__(self) -> str:
        return f"{self.where} ({self.source} imports {self.target})"


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return [node.args[0].value]
    return []


def package_imports(root: Path, packages: list[str]) -> list[Import]:
    """Every import of one of ``packages`` by another, found in the sources under ``root``."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
                for name in _imported_names(node):
                    target = name.split(".")[0]
                    if target in packages and target != package:
                        found.append(Import(package, target, f"{relative}:{node.lineno}"))
    return found


def upward(imports: list[Import], layers: dict[str, int]) -> list[Import]:
    """The imports that do not point to a lower layer (upwards or sideways)."""
    return [i for i in imports if layers[i.target] >= layers[i.source]]


def cycles(imports: list[Import]) -> list[list[str]]:
    """Circles in the package graph (each as the packages around it), by depth-first search."""
    graph: dict[str, set[str]] = defaultdict(set)
    for i in imports:
        graph[i.source].add(i.target)
    found, state = [], {}

    def visit(package: str, path: list[str]) -> None:
        state[package] = "open"
        for target in sorted(graph[package]):
            if state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[package] = "done"

    for package in sorted(graph):
        if package not in state:
            visit(package, [package])
    return found


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return package_imports(ROOT, app_packages())


def test_every_package_has_a_layer():
    assert sorted(app_packages()) == sorted(LAYERS)


def test_no_package_imports_a_package_of_its_own_layer_or_above(imports):
    assert [str(i) for i in upward(imports, LAYERS)] == []


def test_the_packages_import_each_other_in_no_circle(imports):
    assert cycles(imports) == []


def test_the_kernel_imports_none_of_the_apps_built_on_it(imports):
    above = {package for package, layer in LAYERS.items() if layer > LAYERS[KERNEL]}
    assert [str(i) for i in imports if i.source == KERNEL and i.target in above] == []


def test_the_walk_finds_upward_imports_and_circles(tmp_path):
    """The checks above can fail: a kernel importing an app, inside a function, and by name."""
    files = {
        "low/models.py": "from high.views import page\n",
        "low/apps.py": "def ready():\n    import high.signals\n",
        "low/hooks.py": "import importlib\nimportlib.import_module('high.hooks')\n",
        "high/views.py": "from low.models import Thing\nfrom django.db import models\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    found = package_imports(tmp_path, ["low", "high"])
    assert [str(i) for i in upward(found, {"low": 0, "high": 1})] == [
        "low/apps.py:2 (low imports high)",
        "low/hooks.py:2 (low imports high)",
        "low/models.py:1 (low imports high)",
    ]
    assert cycles(found) == [["high", "low", "high"]]
