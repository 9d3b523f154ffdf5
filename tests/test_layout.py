"""The layout's rules, so that they stay true: imports between the apps run one way,
services never reach for tasks, and the extractor stays free of Django."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def python_files(package: str) -> list[Path]:
    files = [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    assert files, package
    return files


def offending(package: str, forbidden: str) -> dict[str, list[str]]:
    found = {}
    for path in python_files(package):
        bad = sorted(m for m in imported_modules(path) if m.split(".")[0] == forbidden)
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_actors_never_imports_articles():
    assert offending("actors", "articles") == {}


def test_the_apps_never_import_the_project_package_that_sits_above_them():
    for app in ("actors", "articles"):
        assert offending(app, "stancetracker") == {}


def test_the_extractor_imports_neither_django_nor_the_apps():
    assert offending("articles/nlp", "django") == {}
    # of the apps it reads only the actor list's reader, which has no Django either
    reached = offending("articles/nlp", "actors")
    assert {module for modules in reached.values() for module in modules} <= {"actors.data"}
    assert offending("actors/data", "django") == {}


SERVICES = sorted(
    p for app in ("actors", "articles", "stancetracker") for p in (ROOT / app).rglob("services.py")
)


@pytest.mark.parametrize("services", SERVICES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_services_module_imports_a_tasks_module(services):
    tasks = [m for m in imported_modules(services) if m.split(".")[-1] == "tasks"]
    assert tasks == []


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from articles.models import Article\n", encoding="utf-8")
    assert imported_modules(sample) == {"articles.models"}
