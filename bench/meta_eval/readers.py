"""Reading human judgments into judged items: our JSONL, SummEdits JSON, WMT MQM TSV.

The format is told from the file itself (``--format-in`` overrides it):
a JSON array is SummEdits, JSON objects one a line are ours, and a
tab-separated file with Google's MQM header is MQM. Records that cannot be
items (no text, no judgment, a copy of the clean text) are counted under a
reason and reported, never dropped silently; a record that is malformed
stops the run with its file and line.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.errors import BenchError
from bench.meta_eval.items import JudgedItem, JudgedSet, Judgment

FORMATS = ("jsonl", "summedits", "mqm")

MQM_ERRORS_HEADER = ["system", "doc", "doc_id", "seg_id", "rater", "source", "target",
                     "category", "severity"]  # fmt: skip
MQM_SCORES_HEADER = ["system", "mqm_avg_score", "seg_id"]
MQM_SCORES_SUFFIX = ".avg_seg_scores.tsv"
MQM_CLEAN_SYSTEM = "ref"
"""The human translation whose text is the clean text; its own rows are not scored."""
_SPAN = re.compile(r"<v>(.*?)</v>", re.DOTALL)
_MARKS = re.compile(r"</?v>")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|billion|percent|first|second|third)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b(?!I\b)[A-Z][a-z]*[A-Za-z]")


def read_sets(paths: Sequence[Path], format_in: str | None = None) -> list[JudgedSet]:
    """One judged set per input file; MQM's two files of one data set make one set."""
    sets: list[JudgedSet] = []
    seen_mqm: set[Path] = set()
    for path in paths:
        if not path.is_file():
            raise BenchError("no such file", path=path)
        kind = format_in or detect_format(path)
        try:
            if kind == "jsonl":
                sets.append(read_jsonl(path))
            elif kind == "summedits":
                sets.append(read_summedits(path))
            elif kind == "mqm":
                errors, scores = mqm_pair(path)
                if errors.resolve() not in seen_mqm:
                    seen_mqm.add(errors.resolve())
                    sets.append(read_mqm(errors, scores))
            else:
                raise BenchError(f"unknown input format {kind!r} (choose {', '.join(FORMATS)})")
        except UnicodeDecodeError as exc:
            raise BenchError(f"not UTF-8 text (byte {exc.start} of a line)", path=path) from None
    return sets


def detect_format(path: Path) -> str:
    """A judged file's format, from its first characters: a JSON array is SummEdits, JSON
    objects are our jsonl, an MQM header line is MQM; anything else asks for
    ``--format-in``."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        head = handle.read(4096)
    start = head.lstrip()[:1]
    if start == "[":
        return "summedits"
    if start == "{":
        return "jsonl"
    first = head.splitlines()[0].split() if head.strip() else []
    if first in (MQM_ERRORS_HEADER, MQM_SCORES_HEADER):
        return "mqm"
    raise BenchError(
        "cannot tell the format: expected a JSON array (SummEdits), JSON objects one a line "
        "(jsonl) or an MQM TSV header; give --format-in",
        path=path,
    )


# --- our JSONL -------------------------------------------------------------------------


def read_jsonl(path: Path) -> JudgedSet:
    """``{"id", "clean", "paraphrase", "score" | "label"[, "system", "group", "type"]}`` a line."""
    items: list[JudgedItem] = []
    left_out: Counter[str] = Counter()
    kind: Judgment | None = None
    ids: set[str] = set()
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record: Any = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BenchError(f"not JSON ({exc.msg})", path=path, line=number) from None
            if not isinstance(record, dict):
                raise BenchError("expected a JSON object", path=path, line=number)
            item_id = _text_field(record, "id", path, number, required=True)
            if item_id in ids:
                raise BenchError(f"id {item_id!r} appears twice", path=path, line=number)
            ids.add(item_id)
            has_score = record.get("score") is not None
            has_label = record.get("label") is not None
            if has_score and has_label:
                raise BenchError("give a score or a label, not both", path=path, line=number)
            this_kind = Judgment.SCORE if has_score else Judgment.LABEL if has_label else None
            if this_kind is not None:
                if kind is not None and this_kind is not kind:
                    raise BenchError(
                        f"this line has a {this_kind.value} but earlier lines have a "
                        f"{kind.value}: a file holds one kind of judgment",
                        path=path,
                        line=number,
                    )
                kind = this_kind
            clean = _text_field(record, "clean", path, number)
            paraphrase = _text_field(record, "paraphrase", path, number)
            if not clean.strip() or not paraphrase.strip():
                left_out["no text"] += 1
                continue
            if this_kind is None:
                left_out["no judgment"] += 1
                continue
            value = _judgment(record[this_kind.value], this_kind, path, number)
            items.append(
                JudgedItem(
                    id=item_id,
                    clean=clean,
                    paraphrase=paraphrase,
                    judgment=value,
                    system=_optional_text(record, "system", path, number),
                    group=_optional_text(record, "group", path, number),
                    types=_types(record.get("type"), path, number),
                )
            )
    return JudgedSet(
        name=path.stem,
        format="jsonl",
        kind=kind or Judgment.LABEL,
        items=items,
        left_out=left_out,
        sources=[str(path)],
    )


def _text_field(
    record: dict[str, Any], key: str, path: Path, line: int, *, required: bool = False
) -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise BenchError(f"missing {key!r}", path=path, line=line)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BenchError(f"{key!r} must be a string", path=path, line=line)
    return str(value)


def _optional_text(record: dict[str, Any], key: str, path: Path, line: int) -> str | None:
    return _text_field(record, key, path, line) if record.get(key) is not None else None


def _judgment(value: Any, kind: Judgment, path: Path, line: int) -> float:
    if kind is Judgment.LABEL:
        if value in (0, 1, "0", "1") and not isinstance(value, float | bool):
            return float(int(value))
        raise BenchError(f"label must be 0 or 1, not {value!r}", path=path, line=line)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BenchError(f"score must be a finite number, not {value!r}", path=path, line=line)
    return float(value)


def _types(value: Any, path: Path, line: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(dict.fromkeys(value))
    raise BenchError("'type' must be a string or a list of strings", path=path, line=line)


# --- SummEdits ---------------------------------------------------------------------------


def read_summedits(path: Path) -> JudgedSet:
    """SummEdits: ``original_summary`` is the clean text, ``summary`` the paraphrase."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise BenchError(f"not JSON ({exc.msg})", path=path, line=exc.lineno) from None
    if not isinstance(data, list):
        raise BenchError("expected a JSON array of SummEdits items", path=path)
    items: list[JudgedItem] = []
    left_out: Counter[str] = Counter()
    for index, record in enumerate(data):
        where = f"item {index}"
        if not isinstance(record, dict):
            raise BenchError(f"{where}: expected a JSON object", path=path)
        missing = [k for k in ("id", "original_summary", "summary", "label") if k not in record]
        if missing:
            raise BenchError(f"{where}: missing {', '.join(missing)}", path=path)
        item_id = str(record["id"])
        clean, summary = record["original_summary"], record["summary"]
        if not isinstance(clean, str | None) or not isinstance(summary, str | None):
            raise BenchError(f"item {item_id!r}: summaries must be strings", path=path)
        if not clean or not summary or not clean.strip() or not summary.strip():
            left_out["no text"] += 1
            continue
        if summary == clean:
            left_out["copy of the original summary"] += 1
            continue
        label = record["label"]
        if label is None:
            left_out["no judgment"] += 1
            continue
        if label not in (0, 1, "0", "1") or isinstance(label, bool | float):
            raise BenchError(f"item {item_id!r}: label must be 0 or 1, not {label!r}", path=path)
        items.append(
            JudgedItem(
                id=item_id,
                clean=clean,
                paraphrase=summary,
                judgment=float(int(label)),
                types=_edit_types(record.get("edit_types"), item_id, path),
            )
        )
    return JudgedSet(
        name=path.stem,
        format="summedits",
        kind=Judgment.LABEL,
        items=items,
        left_out=left_out,
        notes=["clean = original_summary, paraphrase = summary, judgment = label (1 consistent)"],
        sources=[str(path)],
    )


def _edit_types(value: Any, item_id: str, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):  # some copies of the data hold the list as its repr
        value = [t.strip(" '\"") for t in value.strip("[]").split(",") if t.strip(" '\"")]
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise BenchError(f"item {item_id!r}: edit_types must be a list of strings", path=path)
    return tuple(dict.fromkeys(value))


# --- WMT MQM (Google's TSV files) -------------------------------------------------------


def mqm_pair(path: Path) -> tuple[Path, Path]:
    """The per-error file and the average-score file of the data set ``path`` belongs to."""
    name = path.name
    if name.endswith(MQM_SCORES_SUFFIX):
        errors = path.with_name(name[: -len(MQM_SCORES_SUFFIX)] + ".tsv")
        scores = path
    else:
        errors = path
        scores = path.with_name(path.name.removesuffix(".tsv") + MQM_SCORES_SUFFIX)
    for needed, what in ((errors, "per-error"), (scores, "average-score")):
        if not needed.is_file():
            raise BenchError(f"MQM needs its {what} file beside it: {needed} is missing", path=path)
    return errors, scores


class _Segment:
    """What the per-error file says about one system's translation of one segment."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.types: dict[str, None] = {}


def read_mqm(errors: Path, scores: Path) -> JudgedSet:
    """MQM: ``ref``'s target is the clean text, every other translation a paraphrase.

    Per-error rows give each segment's text (the ``<v>`` marks stripped) and its
    errors; the average-score file gives the judgment. That file names the
    human translations ``ref-A`` and ``ref-B`` where the per-error file says
    ``ref`` and ``refB``. ``refB``, an independent human translation, is
    scored like any system; ``ref`` is the clean text and is not scored.
    """
    segments = _mqm_segments(errors)
    items: list[JudgedItem] = []
    left_out: Counter[str] = Counter()
    known = {system for system, _ in segments}
    with scores.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            fields = line.split()
            if number == 1:
                if fields != MQM_SCORES_HEADER:
                    raise BenchError(f"expected the header {' '.join(MQM_SCORES_HEADER)}",
                                     path=scores, line=1)  # fmt: skip
                continue
            if not fields:
                continue
            if len(fields) != 3:
                raise BenchError("expected 3 fields: system, score, seg_id", path=scores,
                                 line=number)  # fmt: skip
            system, value, segment = _mqm_system(fields[0], known), fields[1], fields[2]
            if system == MQM_CLEAN_SYSTEM:
                continue
            if value == "None":
                left_out["not rated (score None)"] += 1
                continue
            try:
                score = float(value)
            except ValueError:
                raise BenchError(f"score {value!r} is not a number or None", path=scores,
                                 line=number) from None  # fmt: skip
            clean = segments.get((MQM_CLEAN_SYSTEM, segment))
            found = segments.get((system, segment))
            if clean is None or not clean.target.strip():
                left_out["no clean text (no ref row in the per-error file)"] += 1
            elif found is None or not found.target.strip():
                left_out["no text (no row in the per-error file)"] += 1
            else:
                items.append(
                    JudgedItem(
                        id=f"{system}:{segment}",
                        clean=clean.target,
                        paraphrase=found.target,
                        judgment=score + 0.0,  # -0.0 reads as 0.0
                        system=system,
                        group=segment,
                        types=tuple(found.types),
                    )
                )
    notes = [
        f"clean = the {MQM_CLEAN_SYSTEM!r} translation (ref-A) with <v> marks stripped; "
        "paraphrase = each other translation; judgment = average MQM score (0 = no error)",
        "refB (ref-B), the second human translation, counts as a system",
        "types: the error categories and severities of the per-error rows, and 'span: number' "
        "or 'span: name' when an error's marked span holds a number or a capitalised word",
    ]
    return JudgedSet(
        name=errors.stem,
        format="mqm",
        kind=Judgment.SCORE,
        items=items,
        left_out=left_out,
        notes=notes,
        sources=[str(errors), str(scores)],
    )


def _mqm_system(name: str, known: set[str]) -> str:
    """The per-error file's name of a system named ``name`` in the average-score file."""
    if name in known:
        return name
    matched = re.fullmatch(r"ref-([A-Z])", name)
    if matched:
        return MQM_CLEAN_SYSTEM if matched[1] == "A" else f"ref{matched[1]}"
    return name


def _mqm_segments(path: Path) -> dict[tuple[str, str], _Segment]:
    """(system, seg_id) -> the target text and the error types of its rows."""
    segments: dict[tuple[str, str], _Segment] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            fields = line.rstrip("\r\n").split("\t")
            if number == 1:
                if fields != MQM_ERRORS_HEADER:
                    raise BenchError("expected the MQM header " + " ".join(MQM_ERRORS_HEADER),
                                     path=path, line=1)  # fmt: skip
                continue
            if fields == [""]:
                continue
            if len(fields) != len(MQM_ERRORS_HEADER):
                raise BenchError(
                    f"expected {len(MQM_ERRORS_HEADER)} tab-separated fields, found {len(fields)}",
                    path=path,
                    line=number,
                )
            system, segment, target, category, severity = (fields[0], fields[3], fields[6],
                                                           fields[7], fields[8])  # fmt: skip
            text = _MARKS.sub("", target)
            found = segments.setdefault((system, segment), _Segment(text))
            if found.target != text:
                raise BenchError(
                    f"segment {segment} of {system}: the target differs from its earlier rows",
                    path=path,
                    line=number,
                )
            if category == "No-error":
                continue
            found.types |= {category: None, f"severity: {severity}": None}
            span = " ".join(_SPAN.findall(target))
            if _NUMBER.search(span):
                found.types["span: number"] = None
            starts = target.startswith("<v>")
            if any(not (starts and m.start() == 0) for m in _NAME.finditer(span)):
                found.types["span: name"] = None
    return segments
