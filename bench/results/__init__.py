"""What a run writes to results/<run-id>/, and how it is read back. See docs/results-schema.md."""

from bench.results.schema import (
    SCHEMA_VERSION,
    ArticleResult,
    DatasetInfo,
    MetricInfo,
    RunManifest,
    SystemInfo,
)

__all__ = [
    "SCHEMA_VERSION",
    "ArticleResult",
    "DatasetInfo",
    "MetricInfo",
    "RunManifest",
    "SystemInfo",
]
