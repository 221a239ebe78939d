"""Artefacts as a Hugging Face `evaluate` module: `evaluate.load("metrics/artefacts")`, offline."""

from metrics.artefacts.metric import Artefacts
from metrics.evaluate_adapter import evaluation_module

ArtefactsModule = evaluation_module(Artefacts, "Artefacts")
