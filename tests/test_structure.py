"""The shape of the code: no import cycle among bench/ modules, one cache folder, short modules.

A cycle is read from the source, not from a running interpreter: an import
inside a function counts (it only postpones the cycle), one under
``if TYPE_CHECKING:`` does not (it never runs). Importing ``bench.a.b`` runs
``bench/a/__init__.py`` first, so it counts as importing the package too,
except from inside that package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bench.cache_folder import cache_folder
from tests.conftest import REPO


def _module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.Module) -> set[str]:
    """Every absolute ``bench...`` module a file may import when it runs."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "bench" or name.startswith("bench.")}


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the bench modules (packages included) it imports; ``package`` is bench/."""
    files = {_module_name(path, package.parent): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets: set[str] = set()
        for imported in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = imported.split(".")
            targets |= {".".join(parts[:n]) for n in range(2, len(parts) + 1)}
        graph[name] = {
            t for t in targets if t in files and t != name and not name.startswith(t + ".")
        }
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (the first repeated at the end), or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import_and_a_package(
    tmp_path: Path,
) -> None:
    """The checker itself, on a made-up tree: config -> (lazily) kit -> kit.base -> config."""
    package = tmp_path / "bench"
    (package / "kit").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "config.py").write_text("def f():\n    from bench.kit import thing\n")
    (package / "kit" / "__init__.py").write_text("from bench.kit.base import thing\n")
    (package / "kit" / "base.py").write_text(
        "from typing import TYPE_CHECKING\nfrom bench.config import f\nthing = 1\n"
        "if TYPE_CHECKING:\n    from bench.kit import thing as again\n"
    )
    graph = import_graph(package)
    assert graph == {
        "bench": set(),
        "bench.config": {"bench.kit"},
        "bench.kit": {"bench.kit.base"},
        "bench.kit.base": {"bench.config"},
    }
    assert find_cycle(graph) == ["bench.config", "bench.kit", "bench.kit.base", "bench.config"]
    graph["bench.kit.base"] = set()
    assert find_cycle(graph) is None


def test_no_import_cycle_among_bench_modules() -> None:
    graph = import_graph(REPO / "bench")
    assert {"bench.config", "bench.specs", "bench.systems", "bench.data.dataset"} <= set(graph)
    # The spec classes live apart, so the configuration may look system types up.
    assert "bench.systems" in graph["bench.config"]
    assert graph["bench.specs"] == set()
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_bench_does_not_reach_into_metrics_facts_for_its_cache_folder() -> None:
    for path in (REPO / "bench").rglob("*.py"):
        assert "default_cache_dir" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("off", None), ("/srv/cache", Path("/srv/cache")), (None, Path("/home/u/.cache/spinbench"))],
)
def test_one_setting_moves_or_disables_every_cache(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, expected: Path | None
) -> None:
    from metrics.facts.extract import default_cache_dir

    monkeypatch.setenv("HOME", "/home/u")
    if setting is None:
        monkeypatch.delenv("SPINBENCH_CACHE", raising=False)
    else:
        monkeypatch.setenv("SPINBENCH_CACHE", setting)
    assert cache_folder() == expected
    # The fact extractor's cache follows the same setting to the same folder.
    assert default_cache_dir() == expected


MAX_MODULE_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    """A module a newcomer can read in one sitting: split one that grows past this."""
    modules = [
        path for folder in ("bench", "metrics", "tools", "benchmarks")
        for path in sorted((REPO / folder).rglob("*.py"))
    ]  # fmt: skip
    assert len(modules) > 50  # the four folders were found
    lengths = {
        str(path.relative_to(REPO)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules
    }
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}
