"""spinbench: measure how faithfully a paraphraser keeps the facts and meaning of news articles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("spinbench")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
