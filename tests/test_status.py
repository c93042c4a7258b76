"""`verified` is a promise: a record that is wrong anywhere must never carry it."""
from __future__ import annotations

import random
import re

import pytest
from conftest import REPORTS, gold_for
from render import random_values, render

from extract.process import assess_text

# 001's rows of zeros lost their labels: whichever printed row is whose, each of its cells is 0
EXPECTED_STATUS = {"000": "needs_review", "001": "verified", "002": "verified",
                   "003": "source_inconsistent", "004": "verified"}


def test_sample_statuses(sample):
    found = assess_text(sample.read_text(encoding="utf-8"))
    assert found.status == EXPECTED_STATUS[sample.stem[:3]], found.reason


def test_printed_inconsistency_is_kept_and_blamed_on_the_source():
    report = next(p for p in REPORTS if p.stem.startswith("003"))
    found = assess_text(report.read_text(encoding="utf-8"))
    assert found.reading.cells["litigation.direct.total"].value == 44  # as printed, never "fixed"
    r4 = [i for i in found.report.issues if i.code == "R4"]
    assert len(r4) == 1 and r4[0].origin == "source"
    assert (r4[0].expected, r4[0].found) == (44, 40)


def _mutations(text: str, rng: random.Random):
    """Ways a scrape loses information: a printed number dropped, two cells run together.

    Both leave the text printing less than the table held, so any value that differs from
    the original can only be a wrong reading (or a filled-in one), never a faithful one.
    """
    numbers = [m for m in re.finditer(r"(?<![\d.])[-增减]?\d+(?![\d.])", text)]
    for _ in range(15):
        m = rng.choice(numbers)
        if rng.random() < 0.5:
            sep = re.search(r"[ \t|]*$", text[:m.start()])
            yield "drop", text[:sep.start()] + text[m.end():]  # the cell goes, not just its number
        else:
            gap = re.match(r"[ \t|]+(?=\d)", text[m.end():])
            if gap:
                yield "merge", text[:m.end()] + text[m.end() + gap.end():]


@pytest.mark.parametrize("layout", ["tabs", "pipes", "cells_per_line", "unlabelled", "flat"])
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_no_wrong_record_is_verified(fmt, layout):
    rng = random.Random(f"{fmt}{layout}")
    for seed in range(4):
        values = random_values(fmt, seed)
        clean = render(fmt, values, layout)
        for kind, text in _mutations(clean, rng):
            found = assess_text(text)
            got = {k: found.reading.cells[k].value for k in values}
            if got != values:
                assert found.status != "verified", (kind, {k: (got[k], v) for k, v in values.items() if got[k] != v})


def test_gold_values_of_samples_would_verify_only_when_read_cleanly(sample):
    gold = gold_for(sample)
    found = assess_text(sample.read_text(encoding="utf-8"))
    got = {k: c.value for k, c in found.reading.cells.items()}
    assert got == gold["values"]
