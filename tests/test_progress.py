"""The progress bar: drawn on stderr in a terminal, silent when either stream is not one."""

from __future__ import annotations

import io

import pytest

from bench.progress import Progress


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def _run(monkeypatch: pytest.MonkeyPatch, out: bool, err: bool) -> tuple[str, str, int]:
    stdout, stderr = _Stream(out), _Stream(err)
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("sys.stderr", stderr)
    progress = Progress("[news] spinner", 3, every=0.0)
    for _ in range(3):
        progress.advance()
    progress.close()
    progress.close()  # twice is harmless
    return stdout.getvalue(), stderr.getvalue(), progress.done


def test_a_terminal_sees_the_bar_on_stderr_with_its_label_and_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdout, stderr, done = _run(monkeypatch, True, True)
    assert stdout == "" and done == 3
    assert "[news] spinner" in stderr  # the label is text, not rich markup
    assert "3/3" in stderr


@pytest.mark.parametrize(("out", "err"), [(False, True), (True, False), (False, False)])
def test_no_bar_unless_both_streams_are_terminals(
    monkeypatch: pytest.MonkeyPatch, out: bool, err: bool
) -> None:
    assert _run(monkeypatch, out, err) == ("", "", 3)
