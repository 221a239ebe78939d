"""Quantities as a Hugging Face `evaluate` module, loadable offline by path."""

from metrics.evaluate_adapter import evaluation_module
from metrics.quantities.metric import Quantities

QuantitiesModule = evaluation_module(Quantities, "Quantities")
