"""What the meaning rules found in each judged item: a changed claim, only lost claims, or none.

Reads the per-item files that ``bench meta-eval --out DIR`` writes and splits
the items people judged faithful and unfaithful by what the meaning metric's
statistics say of them. An unfaithful item whose every claim is kept, or a
faithful one that only lost claims to rewording, is where the rules cannot
tell the two apart, whatever the score made of the counts::

    bench meta-eval ../shared/validation/summedits/*.json -m meaning --out out
    python tools/meaning_outcomes.py out
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from metrics.meaning.metric import STATISTICS
from metrics.meaning.verdicts import CHANGES


def outcome(statistics: list[float]) -> str:
    """'changed', 'lost' (only dropped or added claims) or 'kept' for one item."""
    counts = dict(zip(STATISTICS, statistics, strict=True))
    flipped = ("tainted", "misleading", "contradicting", *CHANGES)
    if any(counts[name] for name in flipped):
        return "changed"
    return "lost" if counts["dropped"] or counts["added"] else "kept"


def main(folder: Path) -> None:
    tally: dict[bool, dict[str, int]] = {True: {}, False: {}}
    for path in sorted(folder.glob("*.items.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            found = outcome(item["statistics"]["meaning"])
            tally[item["faithful"]][found] = tally[item["faithful"]].get(found, 0) + 1
    for faithful, counts in tally.items():
        total = sum(counts.values())
        shares = ", ".join(
            f"{k} {100 * counts.get(k, 0) / total:.1f}%" for k in ("changed", "lost", "kept")
        )
        print(f"{'faithful' if faithful else 'unfaithful'}: {total} items; {shares}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
