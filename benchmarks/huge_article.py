"""One huge article scored by ``bench score``: wall time and peak memory.

Usage: python benchmarks/huge_article.py [--mb 1 5] [--metric M ...] [--copy] [--keep DIR]

For each size, an article of about that many megabytes (news sentences
stitched together, see corpus.py) and a damaged copy of it (``--copy``: an
exact copy) are written as one-line JSONL files, and ``bench score`` runs on
them in its own process with the default metrics (or the ``--metric`` ones),
under the default article limit (``SPINBENCH_MAX_ARTICLE_MB``, see the
README's reliability section). Printed per size: seconds, exit code, the peak
resident memory of that process (``ru_maxrss``), and the first line of its
error output when it refused the article.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import damage, make_articles


def _article(megabytes: float) -> str:
    """About ``megabytes`` million characters of news prose."""
    words = int(megabytes * 1_000_000 / 6.2)
    return make_articles(1, words=words, seed=7)[0]


def measure(folder: Path, megabytes: float, metrics: list[str], copy: bool) -> dict[str, object]:
    text = _article(megabytes)
    hyp = text if copy else damage(text, seed=3)
    ref_file, hyp_file = folder / f"ref-{megabytes:g}.jsonl", folder / f"hyp-{megabytes:g}.jsonl"
    ref_file.write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    hyp_file.write_text(json.dumps({"id": "big", "text": hyp}) + "\n", encoding="utf-8")
    argv = [sys.executable, "-m", "bench", "score", "--ref", str(ref_file),
            "--hyp", f"s={hyp_file}", "-f", "json"]  # fmt: skip
    for metric in metrics:
        argv += ["-m", metric]
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    errors = done.stderr.strip().splitlines()
    return {
        "mb": megabytes,
        "chars": len(text),
        "seconds": round(seconds, 1),
        "exit": done.returncode,
        "peak_rss_mib": round(peak),
        "error": errors[0] if done.returncode else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[1.0, 5.0])
    parser.add_argument("--metric", action="append", default=[])
    parser.add_argument("--copy", action="store_true", help="score an exact copy")
    parser.add_argument("--keep", type=Path, help="write the files here instead of a temp dir")
    args = parser.parse_args()
    # One size per process, so that each peak (ru_maxrss of the children) is its own.
    if len(args.mb) > 1:
        for size in args.mb:
            forwarded = [a for a in sys.argv[1:] if a != "--mb" and not _is_size(a)]
            subprocess.run([sys.executable, __file__, "--mb", str(size), *forwarded], check=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(json.dumps(measure(folder, args.mb[0], args.metric, args.copy)), flush=True)


def _is_size(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


if __name__ == "__main__":
    main()
