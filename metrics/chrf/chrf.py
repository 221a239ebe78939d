"""Chrf as a Hugging Face `evaluate` module: `evaluate.load("metrics/chrf")`, offline."""

from metrics.chrf.metric import Chrf
from metrics.evaluate_adapter import evaluation_module

ChrfModule = evaluation_module(Chrf, "Chrf")
