"""spinbench's version, which every metric signature carries.

A leaf module, so metric modules can import it at the top: ``metrics``'s own
``__init__`` imports every metric, so they cannot import it from there.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("spinbench")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0.0.0+unknown"
