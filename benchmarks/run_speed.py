"""A whole ``bench run`` against sacrebleu (API and CLI) and HF evaluate, side by side, in one run.

Usage: python benchmarks/run_speed.py [--articles 2000] [--words 600] [--systems 3]
           [--resamples 1000] [--workers 0] [--hf-metrics ../shared/hf_metrics] [--keep DIR]

Set-up (untimed): a synthetic corpus of ``--articles`` clean articles and two
generations of ``--systems`` paraphrasers (seeded damaged copies, see
corpus.py), written as a spinbench dataset and ``outputs`` files, and as
one-article-per-line text files for sacrebleu's command line.

Each contender then runs in its own process, timed from start to exit, with
the peak memory of its whole process tree (workers included) sampled from
/proc, twice: the sum of RSS every 50 ms (pages shared by several processes
counted in each) and the sum of PSS every second (each shared page split
between them; costlier to read, so sampled less often):

- sacrebleu API: ``PairedTest`` (paired bootstrap, ``--resamples``) on BLEU
  and chrF, which scores every system and tests each against the first;
- sacrebleu CLI: ``sacrebleu REF -i SYS... -m bleu chrf --paired-bs``;
  both given as many parallel jobs as spinbench has workers;
- HF evaluate: its own ``sacrebleu`` and ``chrf`` modules loaded by path
  (offline: the evaluate wheel ships no metric scripts; fetch them into
  ``--hf-metrics`` once, see ../shared/hf_metrics/SOURCE.md); no paired test,
  evaluate has none;
- spinbench, cold: ``bench run`` (BLEU, chrF, entity and quantity fidelity,
  artefacts, divergence, ranking; ``--resamples`` bootstrap intervals, paired
  tests and clusters) with an empty cache: spaCy parses every clean article;
- spinbench, warm references: the second generation of systems (new
  paraphrases of the same clean articles), as in CI, where the dataset does
  not change between runs;
- spinbench, rerun: the same run again with nothing changed.

Every contender's BLEU and chrF of the first system of the second generation
are printed too: they must be equal (the cold run's, of the first generation, are
printed apart).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles, system

from bench.process import descendants

PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss(family: set[int]) -> int:
    """Summed RSS: pages shared between processes (libraries, forked copies) count in each."""
    total = 0
    for pid in family:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
    return total


def _pss(family: set[int]) -> int:
    """Summed PSS: each shared page split between its sharers. Costlier to read (the
    kernel walks every mapping), so it is sampled less often than RSS."""
    total = 0
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


def measure(
    command: list[str], env: dict[str, str], cwd: Path
) -> tuple[float, tuple[int, int], str]:
    """Wall seconds, peak tree memory (RSS and PSS sums, bytes) and stdout of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = (0, 0)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        ticks = 0
        while not done.is_set():
            family = {process.pid} | descendants(process.pid)
            pss = _pss(family) if ticks % 20 == 0 else 0  # every second
            peak = (max(peak[0], _rss(family)), max(peak[1], pss))
            ticks += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{err}\n{command[:3]} failed with exit code {process.returncode}")
    return seconds, peak, out


SACREBLEU_API = """
import json, sys
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.significance import PairedTest
work, resamples, jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
refs = [json.loads(l)["text"] for l in open(f"{work}/dataset/articles.jsonl")]
systems = json.load(open(f"{work}/systems.json"))["b"]
hyps = {name: [json.loads(l)["text"] for l in open(path)] for name, path in systems.items()}
_, scores = PairedTest(list(hyps.items()), {"BLEU": BLEU(), "chrF": CHRF()}, [refs],
                       test_type="bs", n_samples=resamples, n_jobs=jobs)()
# Keyed "System", then each score's own name ("BLEU", "chrF2"); the baseline is first.
print(json.dumps({"bleu": scores["BLEU"][0].score, "chrf": scores["chrF2"][0].score}))
"""

HF_EVALUATE = """
import json, sys
import evaluate
work, modules = sys.argv[1], sys.argv[2]
refs = [json.loads(l)["text"] for l in open(f"{work}/dataset/articles.jsonl")]
systems = json.load(open(f"{work}/systems.json"))["b"]
bleu = evaluate.load(f"{modules}/sacrebleu")
chrf = evaluate.load(f"{modules}/chrf")
found = {}
for name, path in systems.items():
    hyps = [json.loads(l)["text"] for l in open(path)]
    b = bleu.compute(predictions=hyps, references=[[r] for r in refs])["score"]
    c = chrf.compute(predictions=hyps, references=[[r] for r in refs])["score"]
    found.setdefault("bleu", b)
    found.setdefault("chrf", c)
print(json.dumps(found))
"""


def write_inputs(work: Path, articles: int, words: int, systems: int) -> None:
    refs = make_articles(articles, words)
    (work / "dataset").mkdir(parents=True)
    with (work / "dataset" / "articles.jsonl").open("w", encoding="utf-8") as out:
        for i, text in enumerate(refs):
            out.write(json.dumps({"id": f"a{i:07d}", "text": text}) + "\n")
    (work / "ref.txt").write_text("".join(r.replace("\n", " ") + "\n" for r in refs), "utf-8")
    listing: dict[str, dict[str, str]] = {}
    for generation, offset in (("a", 0), ("b", 1000)):
        listing[generation] = {}
        for s in range(systems):
            name = f"sys{generation}{s + 1}"
            path = work / f"{name}.jsonl"
            hyps = system(refs, offset + s)
            with path.open("w", encoding="utf-8") as out:
                for i, text in enumerate(hyps):
                    out.write(json.dumps({"id": f"a{i:07d}", "text": text}) + "\n")
            lines = "".join(h.replace("\n", " ") + "\n" for h in hyps)
            (work / f"{name}.txt").write_text(lines, "utf-8")
            listing[generation][name] = str(path)
        config = 'datasets = ["dataset/articles.jsonl"]\nsystems = [\n' + "".join(
            f'  {{ name = "{n}", type = "outputs", path = "{p}" }},\n'
            for n, p in listing[generation].items()
        )
        (work / f"bench-{generation}.toml").write_text(config + "]\n", "utf-8")
    (work / "systems.json").write_text(json.dumps(listing), "utf-8")


def ours_scores(run_dir: Path) -> dict[str, float]:
    board = json.loads((run_dir / "leaderboard.json").read_text("utf-8"))
    row = next(r for r in board["rows"] if r["system"].endswith("1"))
    return {"bleu": row["scores"]["bleu"]["score"], "chrf": row["scores"]["chrf"]["score"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--systems", type=int, default=3)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=0, help="bench run --workers (0: all cores)")
    shared = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--hf-metrics", type=Path, default=shared / "hf_metrics")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="run_speed-"))
    work.mkdir(parents=True, exist_ok=True)
    write_inputs(work, args.articles, args.words, args.systems)
    python = sys.executable
    bench = str(Path(python).parent / "bench")
    env = {**os.environ, "SPINBENCH_CACHE": str(work / "cache"), "HF_HOME": str(work / "hf"),
           "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PYTHONHASHSEED": "0"}  # fmt: skip
    units = args.articles * args.systems
    cores = len(os.sched_getaffinity(0))
    workers = args.workers or cores
    b_files = [str(work / f"sysb{s + 1}.txt") for s in range(args.systems)]

    contenders: list[tuple[str, list[str]]] = [
        ("sacrebleu API: BLEU+chrF, paired bootstrap",
         [python, "-c", SACREBLEU_API, str(work), str(args.resamples), str(workers)]),
        ("sacrebleu CLI: BLEU+chrF, paired bootstrap",
         [python, "-m", "sacrebleu", str(work / "ref.txt"), "-i", *b_files, "-m", "bleu", "chrf",
          "--paired-bs", "--paired-bs-n", str(args.resamples), "--paired-jobs", str(workers),
          "-f", "text"]),
    ]  # fmt: skip
    if (args.hf_metrics / "sacrebleu").is_dir() and (args.hf_metrics / "chrf").is_dir():
        hf = [python, "-c", HF_EVALUATE, str(work), str(args.hf_metrics)]
        contenders.append(("HF evaluate: sacrebleu + chrf modules, no test", hf))
    else:
        print(f"(HF evaluate skipped: no modules under {args.hf_metrics})")
    run = [bench, "run", "--bootstrap", str(args.resamples), "--workers", str(args.workers),
           "-o", str(work / "results"), "--format", "json"]  # fmt: skip
    contenders += [
        ("spinbench, cold cache: all metrics + bootstrap",
         [*run, "-c", str(work / "bench-a.toml"), "--run-id", "cold"]),
        ("spinbench, warm references: new paraphrases",
         [*run, "-c", str(work / "bench-b.toml"), "--run-id", "warm"]),
        ("spinbench, rerun with nothing changed",
         [*run, "-c", str(work / "bench-b.toml"), "--run-id", "rerun"]),
    ]  # fmt: skip

    print(f"{args.articles} articles of ~{args.words} words x {args.systems} systems, "
          f"{args.resamples} resamples; {cores} cores, bench --workers {workers}")  # fmt: skip
    header = (f"{'contender':<48} {'seconds':>8} {'articles/s':>10} {'RSS MiB':>8} "
              f"{'PSS MiB':>8} {'vs API':>7}")  # fmt: skip
    print(header)
    print("-" * len(header))
    baseline = None
    scores: dict[str, dict[str, float]] = {}
    for label, command in contenders:
        seconds, peak, out = measure(command, env, work)
        baseline = baseline or seconds
        if label.startswith("spinbench"):
            run_id = command[command.index("--run-id") + 1]
            scores[label] = ours_scores(work / "results" / run_id)
        elif "CLI" in label:  # its JSON output breaks with --paired-bs; read the table
            found = re.search(r"Baseline: \S+ │\s+([\d.]+) .*│\s+([\d.]+) ", out)
            scores[label] = {"bleu": float(found[1]), "chrf": float(found[2])} if found else {}
        else:
            scores[label] = json.loads(out.strip().splitlines()[-1])
        print(f"{label:<48} {seconds:>8.1f} {units / seconds:>10.0f} {peak[0] / 2**20:>8.0f} "
              f"{peak[1] / 2**20:>8.0f} "
              f"{seconds / baseline:>6.0%}")  # fmt: skip
    print("\nBLEU and chrF of the first system of the second generation (must agree):")
    cold = "spinbench, cold cache: all metrics + bootstrap"
    for label, found in scores.items():
        if label != cold:
            print("  " + textwrap.shorten(f"{label}: {found}", 110))
    print(
        "  " + textwrap.shorten(f"(the cold run scores the first generation: {scores[cold]})", 110)
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
