"""Builds Hugging Face ``evaluate`` modules from spinbench metrics.

Each ``metrics/<name>/<name>.py`` calls :func:`evaluation_module` so that
``evaluate.load("path/to/metrics/<name>")`` works offline: ``evaluate``
imports that file and takes the first concrete ``evaluate.Metric`` subclass it
finds, which is the class built here. Nothing is fetched from the Hub.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import evaluate

import datasets
from metrics.base import Metric

_INPUTS = """
Args:
    predictions: list of paraphrased articles (hypotheses), one string each.
    references: list of clean articles, one string each (one reference per article).
    **options: the metric's own options (see its metric card), e.g. lowercase=True.
Returns:
    score: the corpus score over all articles (each article is one segment),
    signature: the settings that produced it,
    formatted: the score as sacrebleu prints it,
    and the metric's named details (precisions, brevity penalty, ...).
"""


def evaluation_module(metric_class: type[Metric[Any]], class_name: str) -> type[Any]:
    """An ``evaluate.Metric`` subclass that delegates to ``metric_class``."""

    def _info(self: evaluate.Metric) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=metric_class.description,
            citation="See the metric card (README.md beside this module).",
            inputs_description=_INPUTS,
            features=datasets.Features(
                {
                    "predictions": datasets.Value("string"),
                    "references": datasets.Value("string"),
                }
            ),
        )

    def _compute(
        self: evaluate.Metric,
        predictions: Sequence[str],
        references: Sequence[str],
        **options: Any,
    ) -> dict[str, Any]:
        score = metric_class(**options).corpus_score(list(predictions), list(references))
        return {
            "score": score.score,
            "name": score.name,
            "signature": score.signature,
            "formatted": score.formatted,
            **score.details,
        }

    return type(class_name, (evaluate.Metric,), {"_info": _info, "_compute": _compute})
