"""Meaning as a Hugging Face `evaluate` module: `evaluate.load("metrics/meaning")`, offline."""

from metrics.evaluate_adapter import evaluation_module
from metrics.meaning.metric import Meaning

MeaningModule = evaluation_module(Meaning, "Meaning")
