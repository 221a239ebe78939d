"""The report's "changed claims" section, from the meaning metric's stored diagnostics.

For each article the meaning metric stores (``metrics.meaning.verdicts.explain``)
the alignment of its sentences (groups of clean and paraphrase sentences, in
order, every sentence in exactly one group) and every proposition with its
sentence number, the words it was read from and its verdict. The report shows,
per system, only the articles where a claim of the clean article was changed
(polarity, antonym, roles, certainty, argument), most changes first, at most
``limit`` of them; and in each, only the sentence groups holding a claim that
was not kept. So the section's size does not grow with the dataset: a report
of 1,000 articles is as long as one of 20.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bench.report_paint import Segment, Span, paint
from bench.results.schema import ArticleResult
from metrics.meaning.verdicts import CHANGES

CSS = {**dict.fromkeys(CHANGES, "changed"), "dropped": "dropped-claim",
       "contradicting": "contradicting", "added": "added",
       "tainted": "tainted", "misleading": "tainted"}  # fmt: skip
"""The class a claim's words are marked with, by verdict; kept and supported are not marked."""


def _find(sentence: str, words: str) -> list[tuple[int, int]]:
    """Where ``words`` (a predicate as written, "did not sign") stand in ``sentence``, as
    whole words: the phrase, else each of its words in turn (an adverb may stand between
    them, "has not yet rejected"); nothing if a word is missing."""
    spans: list[tuple[int, int]] = []
    for phrase in ([words] if words else []), words.split():
        spans, position = [], 0
        for part in phrase:
            found = re.compile(r"(?<!\w)" + re.escape(part) + r"(?!\w)").search(sentence, position)
            if found is None:
                spans = []
                break
            spans.append(found.span())
            position = found.end()
        if spans:
            break
    return spans


def _painted(texts: Sequence[str], first: int, marks: list[dict[str, Any]]) -> list[Segment]:
    """The group's sentences (numbered from ``first``), one space apart, with the words
    of each proposition in ``marks`` marked by its verdict."""
    out: list[Segment] = []
    for n, text in enumerate(texts):
        spans: list[Span] = []
        for prop in marks:
            if prop["sentence"] == first + n:
                title = f"{prop['verdict']}: {prop['proposition']}"
                spans += [
                    (a, b, CSS[prop["verdict"]], title) for a, b in _find(text, prop["words"])
                ]
        out += [(" ", "", "")] * bool(n) + paint(text, spans)
    return out


def _verdicts(clean: list[dict[str, Any]], para: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A group's claims not kept, one line each: every clean one with the paraphrase claim
    that changed it (which the paraphrase side calls contradicting) or none if dropped,
    then every paraphrase claim not met yet (added, or contradicting a claim elsewhere)."""
    left = list(para)
    lines = []
    for prop in clean:
        other = next((p for p in left if p["proposition"] == prop.get("paraphrase")), None)
        if other is not None:
            left.remove(other)
        lines.append(_line(prop, "clean", other, prop.get("paraphrase")))
    return lines + [_line(prop, "paraphrase", None, prop.get("clean")) for prop in left]


def _line(
    prop: dict[str, Any], side: str, other: dict[str, Any] | None, described: Any
) -> dict[str, Any]:
    return {
        "css": CSS[prop["verdict"]],
        "verdict": prop["verdict"],
        "why": prop.get("why") or "",
        "side": side,
        "words": prop["words"],
        "proposition": prop["proposition"],
        "other_side": "paraphrase" if side == "clean" else "clean",
        "other_verdict": "" if other is None else other["verdict"],
        "other_words": "" if other is None else other["words"],
        "other": described if isinstance(described, str) else "",
    }


def _groups(found: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The aligned groups that hold a claim not kept, and how many groups do not."""
    clean = [p for p in found["clean"] if p["verdict"] != "kept"]
    para = [p for p in found["paraphrase"] if p["verdict"] != "supported"]
    groups, hidden = [], 0
    at_clean = at_para = 0
    for pair in found["alignment"]:
        cs = range(at_clean, at_clean + len(pair["clean"]))
        ps = range(at_para, at_para + len(pair["paraphrase"]))
        at_clean, at_para = cs.stop, ps.stop
        mine_clean = [p for p in clean if p["sentence"] in cs]
        mine_para = [p for p in para if p["sentence"] in ps]
        if not mine_clean and not mine_para:
            hidden += 1
            continue
        groups.append({
            "clean": _painted(pair["clean"], cs.start, mine_clean),
            "spun": _painted(pair["paraphrase"], ps.start, mine_para),
            "verdicts": _verdicts(mine_clean, mine_para),
        })  # fmt: skip
    return groups, hidden


def _readable(found: Any) -> bool:
    """Whether a stored diagnostic has the shape ``explain`` gives (an older or foreign
    run's may not: its articles are then left out of the section, not shown wrong)."""
    if not isinstance(found, dict) or not all(
        isinstance(found.get(k), list) for k in ("alignment", "clean", "paraphrase")
    ):
        return False
    verdicts = (*CSS, "kept", "supported")
    return all(
        isinstance(p, dict) and isinstance(p.get("sentence"), int)
        and isinstance(p.get("words"), str) and p.get("verdict") in verdicts
        for p in [*found["clean"], *found["paraphrase"]]
    ) and all(
        isinstance(a, dict) and isinstance(a.get("clean"), list)
        and isinstance(a.get("paraphrase"), list)
        for a in found["alignment"]
    )  # fmt: skip


def changed_claims(
    system: str, results: Sequence[ArticleResult], key: str, limit: int
) -> dict[str, Any]:
    """A system's articles with a changed claim (by the meaning metric stored under
    ``key``), most changes first, then in dataset order; at most ``limit`` shown."""
    ranked = []
    for index, result in enumerate(results):
        found: dict[str, Any] = result.diagnostics.get(key) or {}
        if not _readable(found):
            continue
        verdicts = [p["verdict"] for p in found["clean"]]
        changes = sum(v in CHANGES for v in verdicts)
        if changes:
            ranked.append((-changes, index, result.id, found, verdicts))
    ranked.sort(key=lambda r: (r[0], r[1]))
    articles = []
    for minus, _, article, found, verdicts in ranked[:limit]:
        groups, hidden = _groups(found)
        articles.append({
            "id": article, "changes": -minus, "dropped": verdicts.count("dropped"),
            "added": sum(p["verdict"] == "added" for p in found["paraphrase"]),
            "groups": groups, "hidden": hidden,
        })  # fmt: skip
    return {"name": system, "changed": len(ranked), "total": len(results), "articles": articles}
