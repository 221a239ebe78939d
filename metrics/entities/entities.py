"""Entities as a Hugging Face `evaluate` module: `evaluate.load("metrics/entities")`, offline."""

from metrics.entities.metric import Entities
from metrics.evaluate_adapter import evaluation_module

EntitiesModule = evaluation_module(Entities, "Entities")
