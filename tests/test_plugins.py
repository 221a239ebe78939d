"""Third-party systems registered through the ``spinbench.systems`` entry point group.

The test installs nothing: it writes a distribution's metadata (a .dist-info
folder with entry_points.txt) and its module into a temporary folder on
sys.path, which is exactly what ``importlib.metadata`` reads for an installed
package.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.config import SystemSpec
from bench.data.article import Article
from bench.errors import BenchError
from bench.systems import build_system, system_types

PLUGIN = """
from bench.systems.base import System


class Shouter(System):
    type_name = "shouter"
    summary = "upper-cases the article"

    def __init__(self, spec, *, exclaim: bool = False):
        super().__init__(spec)
        self.exclaim = exclaim

    def paraphrase(self, article):
        return article.text.upper() + ("!" if self.exclaim else "")


class NotASystem:
    pass
"""


@pytest.fixture
def plugin_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "shout_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "shout_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[spinbench.systems]\n"
        "shouter = shout_plugin:Shouter\n"
        "broken = shout_plugin:NotASystem\n"
        "missing = shout_plugin_nowhere:Thing\n"
        "identity = shout_plugin:Shouter\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("shout_plugin", None)


def test_plugin_is_usable_by_name(plugin_path: Path) -> None:
    system = build_system(SystemSpec("loud", "shouter", {"exclaim": True}))
    assert system.paraphrase(Article("a", "Keir Starmer")) == "KEIR STARMER!"
    assert "shouter" in system_types()


def test_builtins_win_and_broken_plugins_are_named(plugin_path: Path) -> None:
    assert system_types()["identity"].__module__ == "bench.systems.identity"
    with pytest.raises(BenchError, match=r"is not a bench\.systems\.System"):
        build_system(SystemSpec("b", "broken"))
    with pytest.raises(BenchError, match="failed to load"):
        build_system(SystemSpec("m", "missing"))
    # A broken plugin does not stop the others.
    assert build_system(SystemSpec("i", "identity")).paraphrase(Article("a", "x")) == "x"


def test_plugin_options_are_checked_like_builtins(plugin_path: Path) -> None:
    with pytest.raises(BenchError, match='did you mean "exclaim"'):
        build_system(SystemSpec("loud", "shouter", {"exclaimm": True}))
