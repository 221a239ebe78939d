"""``bench meta-eval``'s measures and readers, checked against values counted by hand.

Every expected number below is worked out in the comment beside it, pair by
pair; none is the code's own output copied back.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench.errors import BenchError
from bench.meta_eval import measures
from bench.meta_eval.items import Judgment
from bench.meta_eval.readers import detect_format, read_sets


def _arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def _pair_counts(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float]:
    """Concordant, discordant, tied on x only, on y only, on both: every unordered pair of
    items looked at directly (quadratic), the plain definition the measures are held to."""
    c = d = tx = ty = txy = 0.0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            dx, dy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
            if dx == dy == 0:
                txy += 1
            elif dx == 0:
                tx += 1
            elif dy == 0:
                ty += 1
            elif dx == dy:
                c += 1
            else:
                d += 1
    return c, d, tx, ty, txy


def _tau_and_accuracy(counts: tuple[float, ...]) -> tuple[float, float]:
    """tau-b and pairwise accuracy, as ``measures`` computes them from pair counts."""
    arrays = [np.array([v]) for v in counts]
    return float(measures.tau_b(*arrays)[0]), float(measures.pairwise_accuracy(*arrays)[0])


# --- measures -------------------------------------------------------------------------


def test_kendall_tau_b_without_ties() -> None:
    # x = 1 2 3 4, y = 1 3 2 4. Pairs: (1,2) C, (1,3) C, (1,4) C, (2,3) D, (2,4) C, (3,4) C.
    # C = 5, D = 1, no ties: tau = (5 - 1) / 6; accuracy = 5 / 6.
    counts = _pair_counts(_arr(1, 2, 3, 4), _arr(1, 3, 2, 4))
    assert counts == (5, 1, 0, 0, 0)
    assert _tau_and_accuracy(counts) == pytest.approx((4 / 6, 5 / 6))


def test_kendall_tau_b_and_accuracy_with_ties() -> None:
    # x = 1 1 2 3, y = 1 2 2 3. Pairs: (a,b) tied on x only; (a,c) C; (a,d) C;
    # (b,c) tied on y only; (b,d) C; (c,d) C. C = 4, D = 0, Tx = 1, Ty = 1.
    # tau-b = 4 / sqrt((4 + 1)(4 + 1)) = 0.8; accuracy = 4 / 6 (one-sided ties disagree).
    counts = _pair_counts(_arr(1, 1, 2, 3), _arr(1, 2, 2, 3))
    assert counts == (4, 0, 1, 1, 0)
    assert _tau_and_accuracy(counts) == pytest.approx((0.8, 4 / 6))


def test_a_tie_on_both_sides_counts_for_accuracy_only() -> None:
    # x = 1 1 2, y = 5 5 1. (a,b) tied on both; (a,c) D; (b,c) D.
    # tau-b = (0 - 2) / sqrt(2 * 2) = -1; accuracy = (0 + 1) / 3.
    counts = _pair_counts(_arr(1, 1, 2), _arr(5, 5, 1))
    assert counts == (0, 2, 0, 0, 1)
    assert _tau_and_accuracy(counts) == pytest.approx((-1.0, 1 / 3))


def test_grouped_pairs_resample_groups_as_wholes() -> None:
    # Items a (x 1, y 2), b (x 2, y 1) in group 0 and c (x 3, y 3) in group 1.
    # All once: (a,b) D, (a,c) C, (b,c) C -> C 2, D 1, tau-b 1/3.
    # Group 0 twice, group 1 never: a a' b b'; pairs of distinct items a-b, a-b', a'-b,
    # a'-b' are all D (4); a-a' and b-b' are copies and count nowhere. tau-b -1.
    pairs = measures.GroupedPairs(_arr(1, 2, 3), _arr(2, 1, 3), np.array([0, 0, 1]), 2)
    observed, resampled = (
        np.array(c) for c in zip(*pairs.counts(_arr(1, 1, 2, 0).reshape(2, 2)), strict=True)
    )
    assert observed.tolist() == [2, 1, 0, 0, 0]
    assert resampled.tolist() == [0, 4, 0, 0, 0]
    # Within groups only: (a,b) alone, D; group 0 drawn twice counts it twice.
    within = np.array(pairs.within(_arr(1, 1, 2, 0).reshape(2, 2))).T
    assert within.tolist() == [[0, 1, 0, 0, 0], [0, 2, 0, 0, 0]]
    taus = measures.tau_b(*pairs.counts(_arr(1, 1, 2, 0).reshape(2, 2)))
    assert taus == pytest.approx([1 / 3, -1.0])


def test_grouped_pairs_equal_direct_counts_on_the_expanded_items() -> None:
    # Against the definition on a random resample: expand every group w times, count
    # pairs directly, and remove the pairs of an item with its own copies (tied on both).
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 4, 30).astype(float), rng.integers(0, 3, 30).astype(float)
    group = rng.integers(0, 8, 30)
    w = rng.integers(0, 3, 8).astype(float)
    expanded = np.repeat(np.arange(30), w[group].astype(int))
    direct = _pair_counts(x[expanded], y[expanded])
    copies = sum(k * (k - 1) / 2 for k in w[group])
    found = measures.GroupedPairs(x, y, group, 8).counts(w[None, :])
    assert [float(c[0]) for c in found] == pytest.approx([*direct[:4], direct[4] - copies])


def test_roc_aucs_equal_a_double_loop() -> None:
    rng = np.random.default_rng(5)
    scores = rng.integers(0, 5, 40).astype(float)
    positive = rng.random(40) < 0.4
    w = rng.integers(0, 3, 40).astype(float)
    wins = pairs = 0.0
    for i in np.flatnonzero(positive):
        for j in np.flatnonzero(~positive):
            pairs += w[i] * w[j]
            wins += w[i] * w[j] * (1.0 if scores[i] > scores[j] else 0.5 * (scores[i] == scores[j]))
    assert measures.roc_auc(scores, positive, w[:, None])[0] == pytest.approx(wins / pairs)


def test_roc_auc_counts_ties_as_half() -> None:
    # Positives 0.9 0.5 0.5, negatives 0.5 0.1: six pairs.
    # 0.9 beats both (2); each 0.5 ties 0.5 (1/2) and beats 0.1 (1): 2 * 1.5 = 3. AUC 5/6.
    scores = _arr(0.9, 0.5, 0.5, 0.5, 0.1)
    positive = np.array([True, True, True, False, False])
    # Second column: the 0.9 positive twice. Pairs 4 * 2 = 8; wins 2 * 2 + 3 = 7. AUC 7/8.
    weights = np.array([[1, 2], [1, 1], [1, 1], [1, 1], [1, 1]], dtype=np.float64)
    assert measures.roc_auc(scores, positive, weights) == pytest.approx([5 / 6, 7 / 8])


def test_roc_aucs_against_several_sets_of_negatives() -> None:
    # Positives 0.9 0.5. Negatives of type A: 0.5 -> 0.9 wins, 0.5 ties: 1.5 / 2.
    # Type B: 0.1 and 0.95 -> both positives beat 0.1, neither beats 0.95: 2 / 4.
    scores = _arr(0.9, 0.5, 0.5, 0.1, 0.95)
    positive = np.array([True, True, False, False, False])
    a = np.array([False, False, True, False, False])
    b = np.array([False, False, False, True, True])
    found = measures.roc_aucs(scores, positive, [a, b], np.ones((5, 1)))
    assert [float(f[0]) for f in found] == pytest.approx([0.75, 0.5])


def test_roc_auc_is_undefined_without_both_classes() -> None:
    weights = np.array([[1.0, 0.0], [1.0, 2.0]])
    auc = measures.roc_auc(_arr(0.2, 0.1), np.array([True, False]), weights)
    assert auc[0] == pytest.approx(1.0)
    assert np.isnan(auc[1])  # the resample holds no positive


def test_pearson_by_hand() -> None:
    # dx = -1 0 1, dy = -4/3 -1/3 5/3: sum dx dy = 3, sum dx^2 = 2, sum dy^2 = 42/9.
    # r = 3 / sqrt(2 * 42 / 9) = 9 / sqrt(84).
    assert measures.pearson(_arr(1, 2, 3), _arr(1, 2, 4)) == pytest.approx(9 / 84**0.5)
    assert np.isnan(measures.pearson(_arr(1, 1, 1), _arr(1, 2, 3)))


def test_system_accuracy_by_hand() -> None:
    # (1,2) agree, (1,3) agree, (2,3) disagree: 2/3. A tie on both sides agrees.
    assert measures.system_accuracy(_arr(1, 2, 3), _arr(1, 3, 2)) == pytest.approx(2 / 3)
    assert measures.system_accuracy(_arr(1, 1, 2), _arr(0, 0, 1)) == pytest.approx(1.0)


def test_paired_p_shifts_resamples_to_the_null() -> None:
    # Resampled differences 0.1 0.2 0.0 0.1 (mean 0.1); shifted: 0 0.1 -0.1 0.
    # Two of four reach |0.1|: p = (2 + 1) / (4 + 1).
    assert measures.paired_p(0.1, _arr(0.1, 0.2, 0.0, 0.1)) == pytest.approx(0.6)
    assert measures.interval(_arr(*range(101))) == pytest.approx((2.5, 97.5))


def test_resample_groups_starts_with_the_data_itself() -> None:
    weights = measures.resample_groups(5, 3, seed=1)
    assert weights.shape == (4, 5)
    assert weights[0].tolist() == [1, 1, 1, 1, 1]
    assert weights[1:].sum(axis=1).tolist() == [5, 5, 5]


# --- readers ------------------------------------------------------------------------------


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_reads_items_and_counts_what_it_leaves_out(tmp_path: Path) -> None:
    path = _write(tmp_path / "mine.jsonl", [
        json.dumps({"id": "a", "clean": "One.", "paraphrase": "Uno.", "label": 1, "type": "x"}),
        json.dumps({"id": "b", "clean": "Two.", "paraphrase": "", "label": 0}),
        json.dumps({"id": "c", "clean": "Three.", "paraphrase": "Tres.", "label": None}),
        "",
        json.dumps({"id": 4, "clean": "Four.", "paraphrase": "Quatre.", "label": "0",
                    "system": "s1", "group": 7, "type": ["y", "z"]}),
    ])  # fmt: skip
    (judged,) = read_sets([path])
    assert judged.kind is Judgment.LABEL
    assert [i.id for i in judged.items] == ["a", "4"]
    assert judged.items[1].group == "7" and judged.items[1].types == ("y", "z")
    assert dict(judged.left_out) == {"no text": 1, "no judgment": 1}
    assert judged.faithful() == [True, False]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "mine.jsonl:2: not JSON"),
        ('["a list"]', "mine.jsonl:2: expected a JSON object"),
        ('{"id": "b", "clean": "x", "paraphrase": "y", "score": 0.5}', "mine.jsonl:2: this line"),
        ('{"id": "b", "clean": "x", "paraphrase": "y", "label": 2}', "label must be 0 or 1"),
        ('{"id": "a", "clean": "x", "paraphrase": "y", "label": 1}', "id 'a' appears twice"),
        ('{"clean": "x", "paraphrase": "y", "label": 1}', "mine.jsonl:2: missing 'id'"),
    ],
)
def test_jsonl_malformed_lines_name_file_and_line(tmp_path: Path, line: str, expected: str) -> None:
    first = json.dumps({"id": "a", "clean": "x", "paraphrase": "y", "label": 1})
    path = _write(tmp_path / "mine.jsonl", [first, line])
    with pytest.raises(BenchError, match=expected.replace("[", r"\[")):
        read_sets([path])


def test_jsonl_with_a_byte_order_mark_reads_and_bad_bytes_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    line = json.dumps({"id": "a", "clean": "x", "paraphrase": "y", "label": 1})
    path.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\n")
    assert [i.id for i in read_sets([path])[0].items] == ["a"]
    path.write_bytes(line.encode() + b"\n" + b'{"id": "b\xff"}\n')
    with pytest.raises(BenchError, match=r"bom\.jsonl: not UTF-8"):
        read_sets([path])


def test_summedits_uses_original_summary_as_clean_and_leaves_copies_out(tmp_path: Path) -> None:
    records = [
        {"id": "d_og", "original_summary": "Ann met Bob.", "summary": "Ann met Bob.",
         "label": 1, "edit_types": []},
        {"id": "d_1", "original_summary": "Ann met Bob.", "summary": "Bob met Ann.",
         "label": 1, "edit_types": []},
        {"id": "d_2", "original_summary": "Ann met Bob.", "summary": "Ann met Carl.",
         "label": "0", "edit_types": ["entity_modification"]},
    ]  # fmt: skip
    path = tmp_path / "summedits_x.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    assert detect_format(path) == "summedits"
    (judged,) = read_sets([path])
    assert [(i.clean, i.paraphrase, i.judgment) for i in judged.items] == [
        ("Ann met Bob.", "Bob met Ann.", 1.0),
        ("Ann met Bob.", "Ann met Carl.", 0.0),
    ]
    assert judged.items[1].types == ("entity_modification",)
    assert dict(judged.left_out) == {"copy of the original summary": 1}


def test_summedits_bad_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n{"id": 1,\n oops}\n]', encoding="utf-8")
    with pytest.raises(BenchError, match=r"bad\.json:3: not JSON"):
        read_sets([path], "summedits")


HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity"


def _mqm(tmp_path: Path, rows: list[str], scores: list[str]) -> Path:
    errors = _write(tmp_path / "mqm_x.tsv", [HEADER, *rows])
    _write(tmp_path / "mqm_x.avg_seg_scores.tsv", ["system mqm_avg_score seg_id", *scores])
    return errors


def test_mqm_ref_is_the_clean_text_and_refb_a_system(tmp_path: Path) -> None:
    errors = _mqm(tmp_path, [
        "ref\ttalk\t1\t1\tr1\t源\tWe met <v>Ann</v> in 2019.\tStyle/Awkward\tMinor",
        "ref\ttalk\t1\t2\tr1\t源\tIt rained.\tNo-error\tNo-error",
        "refB\ttalk\t1\t1\tr2\t源\tWe saw Ann in 2019.\tNo-error\tNo-error",
        "sysA\ttalk\t1\t1\tr1\t源\tWe met Anne in <v>2018</v>.\tAccuracy/Mistranslation\tMajor",
        "sysA\ttalk\t1\t1\tr1\t源\tWe met <v>Anne</v> in 2018.\tFluency/Spelling\tMinor",
        "sysA\ttalk\t1\t2\tr1\t源\tIt was raining.\tNo-error\tNo-error",
    ], [
        "ref-A\t-1.000000 1", "ref-A\t-0.000000 2",
        "ref-B\t-0.000000 1", "ref-B\tNone 2",
        "sysA\t-6.000000 1", "sysA\t-0.000000 2",
    ])  # fmt: skip
    assert detect_format(errors) == "mqm"
    (judged,) = read_sets([errors, tmp_path / "mqm_x.avg_seg_scores.tsv"])  # one set, not two
    by_id = {i.id: i for i in judged.items}
    assert sorted(by_id) == ["refB:1", "sysA:1", "sysA:2"]
    assert by_id["sysA:1"].clean == "We met Ann in 2019."
    assert by_id["sysA:1"].paraphrase == "We met Anne in 2018."
    assert by_id["sysA:1"].judgment == -6.0 and by_id["sysA:1"].group == "1"
    assert set(by_id["sysA:1"].types) == {
        "Accuracy/Mistranslation", "severity: Major", "span: number",
        "Fluency/Spelling", "severity: Minor", "span: name",
    }  # fmt: skip
    assert by_id["refB:1"].system == "refB" and by_id["refB:1"].types == ()
    assert dict(judged.left_out) == {"not rated (score None)": 1}
    assert judged.faithful() == [True, False, True]


def test_mqm_malformed_row_names_file_and_line(tmp_path: Path) -> None:
    errors = _mqm(tmp_path, ["ref\ttalk\t1\t1\tr1\tsrc\ttext\tNo-error"], ["ref-A\t0 1"])
    with pytest.raises(BenchError, match=r"mqm_x\.tsv:2: expected 9 tab-separated fields"):
        read_sets([errors])


def test_mqm_needs_both_files(tmp_path: Path) -> None:
    errors = _write(tmp_path / "alone.tsv", [HEADER])
    with pytest.raises(BenchError, match="average-score file"):
        read_sets([errors])


def test_an_unknown_format_asks_for_format_in(tmp_path: Path) -> None:
    path = _write(tmp_path / "what.txt", ["just some text"])
    with pytest.raises(BenchError, match="--format-in"):
        read_sets([path])
