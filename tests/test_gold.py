"""Every cell of every sample report equals the hand-made gold."""
from __future__ import annotations

from conftest import REPORTS, SHARED, gold_for

from extract import fields, schema
from extract.parsers import parse_report


def test_samples_are_present():
    assert len(REPORTS) == 5


def test_every_cell_matches_gold(sample):
    gold = gold_for(sample)
    extraction = parse_report(sample.read_text(encoding="utf-8"))
    got = {key: cell.value for key, cell in extraction.cells.items()}
    assert extraction.format == gold["meta"]["format"]
    assert set(got) == set(gold["values"])
    wrong = {k: (got[k], v) for k, v in gold["values"].items() if got[k] != v or type(got[k]) is not type(v)}
    assert wrong == {}


def test_meta_matches_gold(sample):
    gold = gold_for(sample)["meta"]
    extraction = parse_report(sample.read_text(encoding="utf-8"))
    assert (extraction.year.value, extraction.agency.value, extraction.format) == (gold["year"], gold["agency"], gold["format"])


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


def test_bundled_fields_json_is_the_spec():
    import json
    from importlib import resources
    bundled = json.loads(resources.files("extract").joinpath("fields.json").read_text("utf-8"))
    assert bundled == json.loads((SHARED / "spec" / "fields.json").read_text("utf-8"))


def test_schema_models_cover_exactly_the_canonical_keys():
    for fmt in fields.FORMATS:
        assert tuple(schema.flatten_values(schema.TABLES[fmt]())) == fields.numeric_keys(fmt)
        values = {k: 0 for k in fields.numeric_keys(fmt)}
        assert schema.flatten_values(schema.nest_values(fmt, values)) == values
