"""Bleu as a Hugging Face `evaluate` module: `evaluate.load("metrics/bleu")`, offline."""

from metrics.bleu.metric import Bleu
from metrics.evaluate_adapter import evaluation_module

BleuModule = evaluation_module(Bleu, "Bleu")
