"""``python -m bench``: the same command line as the ``bench`` script."""

from bench.cli import main

main()
