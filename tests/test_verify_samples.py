"""End to end on the sample reports: the deterministic parsers' readings, verified.

Every parsed value must be printed where its span says, and the only relation that fails is
the one the source itself breaks (003: 行政诉讼 未经复议直接起诉 37 + 3 + 0 + 0 ≠ 44).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.document import build_document
from extract.parsers import read_tables
from verify import verify_reading

REPORTS = sorted((Path(__file__).resolve().parents[2] / "shared" / "samples" / "reports").glob("*.txt"))


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem[:3] for p in REPORTS])
def test_parsed_sample_verifies(path: Path) -> None:
    document = build_document(path.read_text("utf-8"))
    report = verify_reading(read_tables(document), document)
    assert report.by_code("ungrounded") == ()
    assert report.by_code("narrative_mismatch") == ()
    expected = [("R4", "litigation.direct.total", "source")] if path.name.startswith("003") else []
    assert [(i.code, i.keys[0], i.origin) for i in report.errors] == expected
