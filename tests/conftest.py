"""Shared test fixtures: the spec and samples live in ../shared beside the checkout."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
if not (SHARED / "samples" / "reports").is_dir():
    raise pytest.UsageError(f"the tests need the project's shared folder (spec, samples, corpus) at {SHARED}: "
                            "check it out beside this repository")
CORPUS = SHARED / "corpus"
REPORTS = sorted((SHARED / "samples" / "reports").glob("*.txt"))
GOLD = SHARED / "samples" / "gold"


def corpus_files(*kinds: str) -> list[Path]:
    return sorted(p for kind in kinds for p in (CORPUS / "raw").glob(kind))


def gold_path(report: Path) -> Path:
    """The gold file of a corpus report or a sample."""
    folder = CORPUS / "gold" if report.parent.parent == CORPUS else GOLD
    return folder / f"{report.stem}.json"


def extract_with_gold(work: Path, reports: list[Path]) -> tuple[Path, Path]:
    """Copy reports to work/in and their gold to work/gold, run `extract` on them; (store, gold folder)."""
    import shutil

    from extract.cli import main

    (work / "in").mkdir()
    (work / "gold").mkdir()
    for path in reports:
        shutil.copy(path, work / "in" / path.name)
        shutil.copy(gold_path(path), work / "gold")
    db = work / "store.db"
    assert main(["extract", str(work / "in"), "--db", str(db)]) == 0
    return db, work / "gold"


def gold_for(report: Path) -> dict:
    return json.loads((GOLD / f"{report.stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=REPORTS, ids=[p.stem[:3] for p in REPORTS])
def sample(request) -> Path:
    return request.param


@pytest.fixture(autouse=True)
def no_llm_environment(monkeypatch):
    """Tests never reach a real endpoint by accident: the user's LLM settings are cleared."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "GOVREPORT_MODEL", "GOVREPORT_LLM_MODE"):
        monkeypatch.delenv(name, raising=False)
