"""Shared fixtures: the real seed pair, the repository root, an isolated environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are reproducible: the same examples on every run and machine, no
# example database left in the checkout.
settings.register_profile("spinbench", derandomize=True, database=None, deadline=None)
settings.load_profile("spinbench")

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"


def _coalition_text(relative: str) -> str:
    line = (DATASETS / "coalition" / relative).read_text(encoding="utf-8")
    text = json.loads(line)["text"]
    assert isinstance(text, str)
    return text


@pytest.fixture(scope="session")
def clean_text() -> str:
    """clean_coalition.txt, as bundled in datasets/coalition."""
    return _coalition_text("articles.jsonl")


@pytest.fixture(scope="session")
def spun_text() -> str:
    """spun_coalition.txt, as bundled in datasets/coalition (system wild-spinner)."""
    return _coalition_text("outputs/wild-spinner.jsonl")


@pytest.fixture
def seed_files(tmp_path: Path, clean_text: str, spun_text: str) -> tuple[Path, Path]:
    """The seed pair as two .txt files, byte-identical to ../shared/seeds."""
    clean = tmp_path / "clean_coalition.txt"
    spun = tmp_path / "spun_coalition.txt"
    clean.write_text(clean_text, encoding="utf-8")
    spun.write_text(spun_text, encoding="utf-8")
    return clean, spun


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads a user's dataset path or writes Hugging Face caches outside tmp."""
    monkeypatch.delenv("SPINBENCH_DATASETS", raising=False)
    monkeypatch.setenv("SPINBENCH_CACHE", str(tmp_path_factory.mktemp("spinbench_cache")))
    hf_home = tmp_path_factory.mktemp("hf_home")
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
