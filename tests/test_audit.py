"""Audit sampling: a reproducible share of the trusted records, chosen by their content's hash;
what people decided of them gives the precision of `verified` with its Wilson interval."""
from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import pytest
from render import random_values, render

from extract import corrections
from extract.audit import audited, wilson
from extract.cli import main
from extract.store import Store


def test_the_sample_is_the_hash_s_and_a_larger_rate_keeps_a_smaller_one_s():
    rng = random.Random(1)
    shas = [hashlib.sha256(rng.randbytes(16)).hexdigest() for _ in range(20_000)]
    fifth = {s for s in shas if audited(s, "verified", 0.2)}
    assert abs(len(fifth) / len(shas) - 0.2) < 0.01
    assert fifth <= {s for s in shas if audited(s, "verified", 0.5)}
    assert fifth == {s for s in shas if audited(s, "verified", 0.2)}        # no chance involved
    assert not any(audited(s, "needs_review", 1.0) for s in shas[:100])       # only what is trusted
    assert not any(audited(s, "verified", 0.0) for s in shas[:100])


@pytest.mark.parametrize("successes, trials, low, high", [
    (8, 10, 0.4902, 0.9433),     # Wilson (1927); e.g. Newcombe (1998), table I
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (81, 263, 0.2553, 0.3662),
])
def test_wilson_interval(successes, trials, low, high):
    got = wilson(successes, trials)
    assert got is not None and got == pytest.approx((low, high), abs=5e-4)
    assert wilson(0, 0) is None


def _audit(db: Path, capsys) -> dict[str, str]:
    capsys.readouterr()
    assert main(["audit", "--db", str(db)]) == 0
    return dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())


def test_audit_round_trip(tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in range(30):
        (folder / f"r{seed:02}.txt").write_text(render("2021", random_values("2021", seed, busy=0.5), "tabs",
                                                       agency=f"第{seed}局"), encoding="utf-8")
    db, again = tmp_path / "s.db", tmp_path / "again.db"
    for store in (db, again):
        assert main(["extract", str(folder), "--db", str(store), "--no-llm", "--audit-rate", "0.2"]) == 0
    with Store(db) as s, Store(again) as t:
        sample = s.audit_sample()
        assert sample == t.audit_sample()            # the same documents on a second run
        assert set(sample.values()) == {"verified"}
        records = {r["sha256"]: r for r in corrections.records(s)}
    assert 1 < len(sample) < 15
    # A run without the rate leaves the sample as it is.
    assert main(["extract", str(folder), "--db", str(db), "--no-llm", "--force"]) == 0
    with Store(db) as s:
        assert s.audit_sample() == sample

    # The queue shows them as `audit`.
    capsys.readouterr()
    assert main(["review", "--db", str(db), "--status", "audit"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(sample)
    assert _audit(db, capsys)["verified"].startswith(f"{len(sample)} sampled, 0 decided")

    # A person confirms the first (every cell accepted), corrects the second, half-checks the third.
    first, second, third = sorted(sample)[:3]
    lines = [{"sha256": first, "key": k, "value": v, "was": v} for k, v in records[first]["values"].items()]
    key, value = next((k, v) for k, v in records[second]["values"].items() if v)
    lines.append({"sha256": second, "key": key, "value": value + 1, "was": value, "note": "misread"})
    lines.append({"sha256": third, "key": key, "value": records[third]["values"][key],
                  "was": records[third]["values"][key]})
    decisions = tmp_path / "audit.jsonl"
    decisions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert main(["correct", str(decisions), "--db", str(db)]) == 0
    said = _audit(db, capsys)["verified"]
    assert said.startswith(f"{len(sample)} sampled, 2 decided (1 confirmed, 1 corrected), {len(sample) - 2} open")
    low, high = (float(x) for x in re.search(r"\[([\d.]+), ([\d.]+)\]", said).groups())
    assert (low, high) == pytest.approx(wilson(1, 2), abs=1e-3)
    capsys.readouterr()
    assert main(["review", "--db", str(db), "--status", "audit"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(sample) - 2  # the decided ones left the queue
