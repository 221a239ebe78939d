"""The user documentation: README.md stays short, and no relative link in it or in docs/ is broken.

A link is broken when the file it names is not in the checkout: a page was
moved or renamed and its links were not. Links to web pages, and links that
only name a place in the same page (``#section``), are not checked. Links
inside code (fenced blocks, inline code) are not links.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

README_LIMIT = 12 * 1024  # bytes: the README is a page a newcomer reads, the rest is in docs/

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_INLINE_LINK = re.compile(
    r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:, ...


def relative_links(markdown: str) -> list[str]:
    """The targets of the Markdown links and images in ``markdown`` that name a local file.

    Code is removed first; web addresses and same-page anchors are left out; a
    ``#fragment`` is cut from what remains.
    """
    text = _INLINE_CODE.sub("", _FENCE.sub("", markdown))
    targets = _INLINE_LINK.findall(text) + _REFERENCE_LINK.findall(text)
    local = [t.split("#", 1)[0] for t in targets if not _EXTERNAL.match(t) and t[:1] != "#"]
    return [t for t in local if t]


def test_relative_links_finds_links_and_images_and_skips_code_and_the_web() -> None:
    page = (
        "See [install](docs/install.md#pip) and ![shot](docs/report.png 'a title').\n"
        "[web](https://example.org/x.md), [here](#install), <b>[mail](mailto:a@b.c)</b>\n"
        "`[not a link](nowhere.md)`\n"
        "```\n[in a block](also-nowhere.md)\n```\n"
        "[ref]: ../datasets/README.md\n"
    )
    assert relative_links(page) == ["docs/install.md", "docs/report.png", "../datasets/README.md"]


def _pages() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_names_a_file_of_the_checkout(page: Path) -> None:
    broken = [
        target
        for target in relative_links(page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert broken == [], f"{page.relative_to(REPO)} links to missing files: {broken}"


def test_the_readme_is_at_most_12_kb() -> None:
    size = len((REPO / "README.md").read_bytes())
    assert size <= README_LIMIT, f"README.md is {size:,} bytes, over {README_LIMIT:,}"
