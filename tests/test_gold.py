"""Every cell of every sample report equals the hand-made gold."""
from __future__ import annotations

from conftest import REPORTS, SHARED, gold_for

from extract import template
from extract.parsers import parse_report
from extract.template.schema import answer_model, answer_of, answer_values


def test_samples_are_present():
    assert len(REPORTS) == 5


def test_every_cell_matches_gold(sample):
    gold = gold_for(sample)
    extraction = parse_report(sample.read_text(encoding="utf-8"))
    got = {key: cell.value for key, cell in extraction.cells.items()}
    assert extraction.version == gold["meta"]["format"]
    assert set(got) == set(gold["values"])
    wrong = {k: (got[k], v) for k, v in gold["values"].items() if got[k] != v or type(got[k]) is not type(v)}
    assert wrong == {}


def test_meta_matches_gold(sample):
    gold = gold_for(sample)["meta"]
    extraction = parse_report(sample.read_text(encoding="utf-8"))
    assert (extraction.year.value, extraction.agency.value, extraction.version) == (gold["year"], gold["agency"], gold["format"])


def test_every_read_value_is_at_its_offset(sample):
    """Provenance is true: the printed text at a read cell's span is that number."""
    from extract.text import normalize
    text = normalize(sample.read_text(encoding="utf-8"))
    extraction = parse_report(text)
    for key, cell in extraction.cells.items():
        if cell.method == "table":
            printed = text[cell.start:cell.end]
            assert printed.strip(), key
            assert any(ch.isdigit() for ch in printed), (key, printed)


def test_the_template_is_the_specs_fields_json():
    """The keys and labels derived from the template description are the spec's, exactly."""
    import json
    assert template.keys.fields_json() == json.loads((SHARED / "spec" / "fields.json").read_text("utf-8"))


def test_the_answer_models_cover_exactly_the_canonical_keys():
    for version in template.VERSIONS:
        values = {k: i for i, k in enumerate(template.numeric_keys(version))}
        answer = answer_model(version).model_validate(answer_of(version, values, 2022))
        assert answer_values(answer.tables) == values
