"""Pure Python by default. With GOVREPORT_COMPILE=1 the reader's per-token and per-cell modules
are compiled with mypyc (C extensions beside the same .py files, which stay the reference and
the fallback): a quarter fewer instructions per report. See README "Faster bulk runs"."""
import hashlib
import json
import os
from pathlib import Path

from setuptools import setup

# The reader's hot loops: the template and the document model, the parsers, the verifier's checks,
# the packing of records. Left pure: the CLI, store and LLM code (their time is SQLite's and the
# network's); the verifier's entry point, which takes odd input (an LLM's cells) on purpose; the
# pydantic models.
COMPILED = [
    "extract/text.py", "extract/reading.py",
    "extract/template/spec.py", "extract/template/keys.py",
    "extract/template/relation.py", "extract/template/rows.py", "extract/template/rules.py",
    "extract/document/__init__.py", "extract/document/tokens.py", "extract/document/anchors.py",
    "extract/document/sections.py", "extract/document/rows.py", "extract/document/pieces.py",
    "extract/document/meta.py", "extract/document/narrative.py", "extract/document/blanks.py",
    "extract/document/apart.py", "extract/document/transposed.py", "extract/document/wrapped.py",
    "extract/document/amounts.py",
    "extract/packing/columns.py",
    "extract/parsers/__init__.py", "extract/parsers/active.py", "extract/parsers/appeals.py",
    "extract/parsers/cells.py", "extract/parsers/requests.py", "extract/parsers/solve.py",
    "extract/parsers/splits.py",
    "verify/checks.py", "verify/grounding.py", "verify/numbers.py", "verify/report.py",
]

COMPILER = "mypy==2.4.1"  # the mypyc these modules were checked with: same output as the pure modules

ext_modules = []
compile_reader = os.environ.get("GOVREPORT_COMPILE") == "1"
if compile_reader:
    try:
        from mypyc.build import mypycify
    except ImportError:
        # pip first asks a build what it needs (setup_requires, below), installs it, then builds.
        setup(setup_requires=[COMPILER])
        raise
    ext_modules = mypycify([*COMPILED, "--ignore-missing-imports", "--follow-imports=silent"], opt_level="3",
                           group_name="extract.reader")
    # What each module held when compiled: importing extract refuses a build of other sources
    # (extract/compiled.py, which names this file).
    with open(os.path.join("extract", "compiled_sources.json"), "w", encoding="utf-8") as out:
        json.dump({path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in COMPILED}, out, indent=0)

setup(ext_modules=ext_modules, setup_requires=[COMPILER] if compile_reader else [])
