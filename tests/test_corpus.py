"""Real reports of other layouts (../shared/corpus) and the samples, through `extract` and `eval`.

The bars of the "read real reports" work: no wrong value, cell accuracy at least 0.99 (gold
nulls must come out null), every imperfect record flagged, no trusted record imperfect.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPORTS, corpus_files, extract_with_gold, gold_path

from extract.cli import main

TEXT_KINDS = ("*.txt", "*.md")


def _corpus_files():
    return corpus_files(*TEXT_KINDS)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    work = tmp_path_factory.mktemp("corpus")
    db, gold = extract_with_gold(work, _corpus_files() + REPORTS)
    return work, db, gold


def _eval(db, gold, capsys):
    capsys.readouterr()
    assert main(["eval", str(gold), "--db", str(db), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_corpus_has_text_reports():
    assert len(_corpus_files()) >= 3


def _accuracy(documents: list[dict]) -> float:
    cells = sum(d["cells"] for d in documents)
    return sum(d["cell_accuracy"] * d["cells"] for d in documents) / cells


def test_text_corpus_and_samples_meet_the_bars(scored, capsys):
    _, db, gold = scored
    result = _eval(db, gold, capsys)
    assert result["matched"] == result["documents"] == len(_corpus_files()) + len(REPORTS)
    assert result["wrong_values"] == 0, [d["wrong"] for d in result["per_document"] if d["wrong"]]
    assert _accuracy(result["per_document"]) >= 0.99
    assert {d["document"]: d["cell_accuracy"] for d in result["per_document"] if d["cell_accuracy"] < 0.99} == {}
    assert result["flag_recall"] in (None, 1.0)
    assert result["verified_precision"] in (None, 1.0)
    assert result["source_inconsistent_precision"] in (None, 1.0)


def test_eval_counts_a_wrong_value_and_a_missing_one(scored, capsys, tmp_path):
    _, db, gold = scored
    altered = tmp_path / "gold"
    shutil.copytree(gold, altered)
    path = altered / "004_19bd55d77ac0ead4.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["values"]["requests.new.total"] += 1          # the record now holds a "wrong" value
    record["values"]["review.total"] = None              # and a value where the gold has none
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = _eval(db, altered, capsys)
    doc = next(d for d in result["per_document"] if d["document"] == "004_19bd55d77ac0ead4")
    assert doc["wrong_values"] == 2 and doc["status"] == "verified"
    assert result["verified_precision"] < 1.0
    assert {"key": "requests.new.total", "wrong_or_missing": 1} in result["worst_cells"]


def test_eval_text_report_names_every_document(scored, capsys):
    _, db, gold = scored
    capsys.readouterr()
    assert main(["eval", str(gold), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "cell accuracy:" in out and "flag recall:" in out
    for path in _corpus_files():
        assert path.stem in out


@pytest.mark.parametrize("what", ["no_store", "no_gold_dir", "bad_gold"])
def test_eval_refuses_what_it_cannot_read(what, tmp_path, capsys, scored):
    _, db, gold = scored
    if what == "no_store":
        args = [str(gold), "--db", str(tmp_path / "nothing.db")]
    elif what == "no_gold_dir":
        args = [str(tmp_path / "nowhere"), "--db", str(db)]
    else:
        (tmp_path / "g").mkdir()
        (tmp_path / "g" / "x.json").write_text("[1, 2]", encoding="utf-8")
        args = [str(tmp_path / "g"), "--db", str(db)]
    assert main(["eval", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govreport eval:") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "nothing.db").exists()


def _damaged(text: str, seed: str, count: int):
    """Damage that keeps the truth: two separated cells run together, a stray space in a number."""
    import random
    import re

    rng = random.Random(seed)
    numbers = list(re.finditer(r"\d+", text))
    for _ in range(count):
        m = rng.choice(numbers)
        if rng.random() < 0.5:
            i = rng.randrange(m.start(), m.end())
            yield text[:i] + " " + text[i:]
        else:
            gap = re.match(r"[ \t|]+(?=\d)", text[m.end():])
            if gap:
                yield text[:m.end()] + text[m.end() + gap.end():]


def test_damaged_real_reports_never_yield_a_wrong_value():
    from extract.process import assess_text
    from extract.text import decode_bytes

    trials, wrong = 0, []
    for path in _corpus_files() + REPORTS:
        gold = json.loads(gold_path(path).read_text(encoding="utf-8"))["values"]
        text = decode_bytes(path.read_bytes()).text
        for damaged in _damaged(text, path.stem, 40):
            trials += 1
            found = assess_text(damaged)
            cells = found.reading.cells
            wrong += [(path.stem, found.status, k) for k, v in gold.items()
                      if v is not None and k in cells and cells[k].value is not None and abs(cells[k].value - v) > 1e-6]
    assert trials >= 200
    assert wrong == []


def test_the_readings_offered_for_a_cell_hold_its_true_value_and_none_is_exported(scored):
    """A cell the printed text leaves open is null, with the readings a person picks from; where
    the gold knows the cell, its value is among them."""
    from extract import corrections
    from extract.store import Store

    work, db, gold = scored
    offered = 0
    with Store(db) as store:
        for record in corrections.records(store):
            truth = json.loads((gold / f"{Path(record['path']).stem}.json").read_text(encoding="utf-8"))["values"]
            for key, readings in (record.get("options") or {}).items():
                offered += 1
                assert record["values"][key] is None and len(readings) > 1
                if truth.get(key) is not None:
                    assert truth[key] in readings, (record["path"], key, readings, truth[key])
    assert offered  # the corpus has such cells (d04's digit runs)
