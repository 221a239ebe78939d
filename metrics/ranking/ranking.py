"""The ranking score as a Hugging Face `evaluate` module, loadable offline by path."""

from metrics.evaluate_adapter import evaluation_module
from metrics.ranking.metric import Ranking

RankingModule = evaluation_module(Ranking, "Ranking")
