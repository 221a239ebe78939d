"""Reading articles: bundled datasets, users' files, system outputs."""

from bench.data.article import Article
from bench.data.dataset import Dataset, bundled_dataset_names, load_dataset

__all__ = ["Article", "Dataset", "bundled_dataset_names", "load_dataset"]
