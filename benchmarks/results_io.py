"""How long a run's files take to write and to read back.

    python benchmarks/results_io.py [FOLDER]

1. 1,000 small cache-sized files written by ``metrics.atomic.write_atomic``, with
   the fsync that results get and without it (``sync=False``, as the caches write),
   in FOLDER (default: a temporary folder under the current one, so that the disk
   measured is the one runs and caches use; /tmp may be in memory).
2. A stored scores file of 100,000 lines (BLEU and chrF statistics) read back by
   ``bench.results.read.read_scores``, which checks each line (pydantic).

Each figure is the best of three rounds.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.results.read import read_manifest, read_scores
from bench.runner import run_benchmark
from metrics.atomic import write_atomic

FILES = 1000
LINES = 100_000


def best_of_three(work: Callable[[int], object]) -> float:
    """The shortest of three timed calls of ``work(round)``, in seconds."""
    times = []
    for round_ in range(3):
        start = time.perf_counter()
        work(round_)
        times.append(time.perf_counter() - start)
    return min(times)


def writes(folder: Path) -> None:
    entry = json.dumps({"text": "A paraphrase of a news article. " * 40})
    for sync in (True, False):

        def write_all(round_: int, sync: bool = sync) -> None:
            for i in range(FILES):
                write_atomic(folder / f"{sync}-{round_}" / f"{i}.json", entry, sync=sync)

        seconds = best_of_three(write_all)
        print(f"write_atomic(sync={sync}): {seconds / FILES * 1000:.2f} ms per file")


def reads(folder: Path) -> None:
    data = folder / "tiny.jsonl"
    texts = [f"Keir Starmer paid £{i}m to 12 councils on 3 May." for i in range(3)]
    data.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    config = RunConfig(
        datasets=(DatasetSpec(str(data), name="tiny"),),
        systems=(SystemSpec("identity", "identity"),),
        metrics=(MetricSpec("bleu"), MetricSpec("chrf")),
        output_dir=folder / "out",
        run_id="r",
        bootstrap=0,
    )
    run = run_benchmark(config).run_dir
    scores = run / "scores" / "tiny" / "identity.jsonl"
    line = json.loads(scores.read_text(encoding="utf-8").splitlines()[0])
    scores.write_text(
        "".join(json.dumps({**line, "id": f"t{i}"}) + "\n" for i in range(LINES)),
        encoding="utf-8",
    )
    metrics = read_manifest(run).metrics
    seconds = best_of_three(lambda _: read_scores(run, "tiny", "identity", metrics))
    print(f"read_scores of {LINES:,} lines: {seconds:.2f} s")


def main(argv: list[str]) -> None:
    folder = Path(tempfile.mkdtemp(dir=argv[0] if argv else "."))
    try:
        writes(folder)
        reads(folder)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
