"""PINC as a Hugging Face `evaluate` module, loadable offline by path."""

from metrics.divergence.metric import Pinc
from metrics.evaluate_adapter import evaluation_module

PincModule = evaluation_module(Pinc, "Pinc")
