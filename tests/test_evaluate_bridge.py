"""Each metric module loads in Hugging Face ``evaluate`` by path, offline, and agrees with ours."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from metrics import CATALOGUE

METRICS_DIR = Path(__file__).resolve().parents[1] / "metrics"


# metric folder -> the catalogue name its evaluate module serves
MODULES = {
    "bleu": "bleu", "chrf": "chrf", "ter": "ter", "entities": "entities",
    "quantities": "quantities", "artefacts": "artefacts", "divergence": "pinc",
    "ranking": "ranking", "meaning": "meaning",
}  # fmt: skip


@pytest.mark.parametrize(("folder", "name"), MODULES.items())
def test_load_by_path_offline(folder: str, name: str, clean_text: str, spun_text: str) -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    evaluate = pytest.importorskip("evaluate")
    module = evaluate.load(str(METRICS_DIR / folder))
    # Short inputs for TER, whose whole-document cost is quadratic.
    hyp, ref = (spun_text[:300], clean_text[:300]) if name == "ter" else (spun_text, clean_text)
    result = module.compute(predictions=[hyp], references=[ref])
    ours = CATALOGUE[name].build().corpus_score([hyp], [ref])
    assert result["score"] == ours.score
    assert result["signature"] == ours.signature
    # evaluate copied the module into the temporary HF_HOME, not the user's cache.
    assert "hf_home" in str(evaluate.config.HF_MODULES_CACHE)


def test_options_pass_through() -> None:
    evaluate = pytest.importorskip("evaluate")
    chrf = evaluate.load(str(METRICS_DIR / "chrf"))
    result = chrf.compute(
        predictions=["the Cat sat"], references=["the cat sat down"], word_order=2, lowercase=True
    )
    ours = CATALOGUE["chrf"].build(word_order=2, lowercase=True)
    assert result["score"] == ours.corpus_score(["the Cat sat"], ["the cat sat down"]).score
    assert "nw:2" in result["signature"] and "case:lc" in result["signature"]
