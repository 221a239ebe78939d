"""Ter as a Hugging Face `evaluate` module: `evaluate.load("metrics/ter")`, offline."""

from metrics.evaluate_adapter import evaluation_module
from metrics.ter.metric import Ter

TerModule = evaluation_module(Ter, "Ter")
