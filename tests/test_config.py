"""bench.config: defaults, bench.toml and [tool.bench], flag overrides, errors, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.config import (
    DatasetSpec,
    MetricSpec,
    RunConfig,
    SystemSpec,
    parse_system_flag,
    resolve_config,
)
from bench.errors import BenchError

BENCH_TOML = """\
datasets = ["news", "coalition", {path = "data/my.csv", name = "mine", id_field = "doc_id", \
text_field = "body"}]
systems = [
    "identity",
    "cat=command:cat -n",
    {name = "rev", type = "command", argv = ["rev", "-n"], timeout = 30},
]
metrics = ["bleu", {name = "chrf", word_order = 2}]
output_dir = "out/results"
seed = 99
bundled_outputs = false
"""


def test_defaults_without_config_file(tmp_path: Path) -> None:
    config = resolve_config(None, {}, cwd=tmp_path)
    assert config.datasets == (DatasetSpec("news"),)
    assert config.systems == (SystemSpec("identity", "identity"),)
    names = (
        "ranking", "bleu", "chrf", "entities", "quantities", "meaning", "artefacts", "pinc",
        "edit_distance",
    )  # fmt: skip
    assert config.metrics == tuple(MetricSpec(n) for n in names)
    assert [m.key for m in config.metrics] == list(names)
    assert config.output_dir == Path("results")
    assert config.seed == 12345
    assert config.bundled_outputs is True
    assert config.run_id is None


def test_bench_toml_is_found_and_read(tmp_path: Path) -> None:
    (tmp_path / "bench.toml").write_text(BENCH_TOML, encoding="utf-8")
    config = resolve_config(None, {}, cwd=tmp_path)
    assert config.datasets == (
        DatasetSpec("news"),
        DatasetSpec("coalition"),
        DatasetSpec(
            source=str(tmp_path / "data" / "my.csv"),
            name="mine",
            id_field="doc_id",
            text_field="body",
        ),
    )
    assert config.systems == (
        SystemSpec("identity", "identity"),
        SystemSpec("cat", "command", {"argv": ["cat", "-n"]}),
        SystemSpec("rev", "command", {"argv": ["rev", "-n"], "timeout": 30}),
    )
    assert config.metrics == (MetricSpec("bleu"), MetricSpec("chrf", {"word_order": 2}))
    assert [m.key for m in config.metrics] == ["bleu", "chrf[word_order=2]"]
    assert config.output_dir == tmp_path / "out" / "results"
    assert config.seed == 99
    assert config.bundled_outputs is False


def test_explicit_config_file_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "bench.toml").write_text('output_dir = "res"\nseed = 3\n', encoding="utf-8")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    config = resolve_config(folder / "bench.toml", {}, cwd=elsewhere)
    assert config.output_dir == folder / "res"
    assert config.seed == 3


def test_pyproject_tool_bench_is_used_without_bench_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.bench]\ndatasets = ["coalition"]\nseed = 5\n',
        encoding="utf-8",
    )
    config = resolve_config(None, {}, cwd=tmp_path)
    assert config.datasets == (DatasetSpec("coalition"),)
    assert config.seed == 5
    assert config.systems == (SystemSpec("identity", "identity"),)


def test_bench_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.bench]\nseed = 5\n", encoding="utf-8")
    (tmp_path / "bench.toml").write_text("seed = 6\n", encoding="utf-8")
    assert resolve_config(None, {}, cwd=tmp_path).seed == 6


def test_pyproject_without_tool_bench_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n', encoding="utf-8"
    )
    assert resolve_config(None, {}, cwd=tmp_path) == RunConfig()


def test_flags_win_over_file(tmp_path: Path) -> None:
    (tmp_path / "bench.toml").write_text(BENCH_TOML, encoding="utf-8")
    config = resolve_config(None, {"seed": 7, "systems": ["identity"]}, cwd=tmp_path)
    assert config.seed == 7
    assert config.systems == (SystemSpec("identity", "identity"),)
    # every other value still comes from the file
    assert config.metrics == (MetricSpec("bleu"), MetricSpec("chrf", {"word_order": 2}))
    assert config.output_dir == tmp_path / "out" / "results"
    assert config.bundled_outputs is False
    assert [d.source for d in config.datasets][:2] == ["news", "coalition"]


def _error(tmp_path: Path, toml: str) -> BenchError:
    path = tmp_path / "bench.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(BenchError) as info:
        resolve_config(None, {}, cwd=tmp_path)
    return info.value


def test_unknown_key_suggests(tmp_path: Path) -> None:
    error = _error(tmp_path, "seeed = 3\n")
    assert (
        str(error)
        == f"{tmp_path / 'bench.toml'}: unknown setting key 'seeed'; did you mean \"seed\"?"
    )


def test_unknown_key_in_overrides_suggests(tmp_path: Path) -> None:
    with pytest.raises(BenchError) as info:
        resolve_config(None, {"seeed": 3}, cwd=tmp_path)
    assert 'did you mean "seed"' in str(info.value)


def test_unknown_dataset_table_key(tmp_path: Path) -> None:
    error = _error(tmp_path, 'datasets = [{path = "a.csv", text_feld = "body"}]\n')
    assert "unknown dataset key 'text_feld'" in str(error)
    assert 'did you mean "text_field"' in str(error)
    assert error.path == str(tmp_path / "bench.toml")


def test_malformed_toml_names_file(tmp_path: Path) -> None:
    error = _error(tmp_path, 'seed = \ndatasets = ["news"\n')
    assert error.path == str(tmp_path / "bench.toml")
    assert str(error).startswith(f"{tmp_path / 'bench.toml'}: malformed TOML")


def test_systems_must_be_a_list(tmp_path: Path) -> None:
    error = _error(tmp_path, 'systems = "identity"\n')
    assert str(error) == f"{tmp_path / 'bench.toml'}: 'systems' must be a non-empty list"


def test_two_systems_with_one_name(tmp_path: Path) -> None:
    error = _error(
        tmp_path,
        'systems = ["identity", {name = "identity", type = "command", argv = ["cat"]}]\n',
    )
    assert "two systems are named 'identity'" in str(error)


def test_negative_seed(tmp_path: Path) -> None:
    error = _error(tmp_path, "seed = -1\n")
    assert "'seed' must be a non-negative integer" in str(error)


def test_boolean_seed_rejected(tmp_path: Path) -> None:
    error = _error(tmp_path, "seed = true\n")
    assert "'seed' must be a non-negative integer" in str(error)


def test_parse_system_flag_plain_type() -> None:
    assert parse_system_flag("identity") == SystemSpec("identity", "identity", {})


def test_parse_system_flag_outputs_path() -> None:
    assert parse_system_flag("mine=outputs:out.jsonl") == SystemSpec(
        "mine", "outputs", {"path": "out.jsonl"}
    )


def test_parse_system_flag_command_is_split_like_a_shell() -> None:
    spec = parse_system_flag("rev=command:rev -n 'a b'")
    assert spec.name == "rev"
    assert spec.type == "command"
    assert spec.options == {"argv": ["rev", "-n", "a b"]}


def test_parse_system_flag_name_with_slash() -> None:
    with pytest.raises(BenchError) as info:
        parse_system_flag("a/b=identity")
    assert "system name 'a/b' is not usable as a file name" in str(info.value)


def test_parse_system_flag_unbalanced_quote_is_a_bench_error() -> None:
    with pytest.raises(BenchError) as info:
        parse_system_flag("rev=command:rev -n 'a b")
    assert "rev" in str(info.value)


def test_parse_system_flag_argument_for_identity() -> None:
    with pytest.raises(BenchError) as info:
        parse_system_flag("x=identity:arg")
    assert "expected KEY=VALUE options after ':'" in str(info.value)
    assert parse_system_flag("x=spinner:mode=careful,rate=0.3") == SystemSpec(
        "x", "spinner", {"mode": "careful", "rate": 0.3}
    )


def test_outputs_path_in_config_file_is_relative_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.data.article import Article
    from bench.data.dataset import Dataset
    from bench.systems import build_system

    folder = tmp_path / "project"
    (folder / "outs").mkdir(parents=True)
    (folder / "outs" / "mine.jsonl").write_text(
        json.dumps({"id": "a", "text": "Paraphrase of A."}) + "\n", encoding="utf-8"
    )
    (folder / "bench.toml").write_text(
        'systems = [{name = "mine", type = "outputs", path = "outs/mine.jsonl"}]\n',
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = resolve_config(folder / "bench.toml", {}, cwd=elsewhere)
    (spec,) = config.systems
    article = Article("a", "Original A.")
    dataset = Dataset("tiny", "1", "0" * 64, (article,), str(tmp_path))
    system = build_system(spec)
    system.prepare(dataset)
    assert system.paraphrase(article) == "Paraphrase of A."


def test_run_config_json_round_trip(tmp_path: Path) -> None:
    (tmp_path / "bench.toml").write_text(BENCH_TOML + 'run_id = "r1"\n', encoding="utf-8")
    config = resolve_config(None, {}, cwd=tmp_path)
    data = config.to_json()
    assert data["output_dir"] == str(tmp_path / "out" / "results")
    assert data["run_id"] == "r1"
    through_json = json.loads(json.dumps(data))
    assert RunConfig.from_json(through_json) == config
    assert RunConfig.from_json(RunConfig().to_json()) == RunConfig()


NOT_A_NUMBER = "input should be a valid number"


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ("seed = -1", "'seed' must be a non-negative integer, not -1"),
        ("seed = 2.0", "'seed' must be a non-negative integer, not 2.0"),
        ("bundled_outputs = 'yes'", "'bundled_outputs' must be true or false, not \"yes\""),
        ("bootstrap = 100001", "'bootstrap' must be an integer from 0 to 100000, not 100001"),
        ("bootstrap = false", "'bootstrap' must be an integer from 0 to 100000, not false"),
        ("test = 'perm'", "'test' must be \"bootstrap\" or \"ar\", not \"perm\""),
        ("alpha = 1", "'alpha' must be a number between 0 and 1, not 1"),
        ("alpha = '0.05'", "'alpha' must be a number between 0 and 1, not \"0.05\""),
        ("gates = [{metric = 'bleu', min = '30'}]", f"gate 'bleu': 'min': {NOT_A_NUMBER}"),
        ("gates = [{metric = 'bleu', max = true}]", f"gate 'bleu': 'max': {NOT_A_NUMBER}"),
        ("gates = [{metric = 'bleu', system = 3, min = 1}]",
         "gate 'bleu': 'system': input should be a valid string"),
        ("gates = [{metric = 'bleu'}]", "gate 'bleu' needs one of min, max or max_regression"),
        ("gates = [{metric = 'bleu', mni = 1}]", "unknown gate key 'mni'; did you mean \"min\"?"),
    ],
)  # fmt: skip
def test_each_bad_setting_names_the_file_the_key_and_what_was_expected(
    tmp_path: Path, toml: str, says: str
) -> None:
    assert str(_error(tmp_path, toml + "\n")) == f"{tmp_path / 'bench.toml'}: {says}"


def test_good_settings_keep_their_values(tmp_path: Path) -> None:
    (tmp_path / "bench.toml").write_text(
        "seed = 0\nbootstrap = 0\ntest = 'ar'\nalpha = 0.01\nbundled_outputs = false\n"
        "gates = [{metric = 'bleu', min = 30, max_regression = 1.5}]\n",
        encoding="utf-8",
    )
    config = resolve_config(None, {}, cwd=tmp_path)
    assert (config.seed, config.bootstrap, config.test, config.alpha) == (0, 0, "ar", 0.01)
    assert config.bundled_outputs is False
    (gate,) = config.gates
    assert (gate.metric, gate.min, gate.max, gate.max_regression) == ("bleu", 30, None, 1.5)


def test_a_stored_config_from_before_uncertainty_reads_with_none() -> None:
    """Runs stored before "bootstrap", "test", "alpha", "gates" and "baseline" existed
    had no uncertainty: read back, bootstrap is 0, the rest their defaults."""
    data = RunConfig().to_json()
    for key in ("bootstrap", "test", "alpha", "gates", "baseline"):
        del data[key]
    config = RunConfig.from_json(data)
    assert (config.bootstrap, config.test, config.alpha, config.gates) == (0, "bootstrap", 0.05, ())
    with pytest.raises(ValueError, match=r"^unknown key 'sede'$"):
        RunConfig.from_json({**data, "sede": 1})
    with pytest.raises(ValueError, match=r"^'datasets\[0\]\.hf': input should be a valid boolean"):
        RunConfig.from_json({**data, "datasets": [{"source": "news", "hf": "maybe"}]})
