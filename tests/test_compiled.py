"""The optional compiled reader (mypyc, GOVREPORT_COMPILE=1): what it compiles exists, and a
build of other sources is refused rather than silently run in place of the code."""
from __future__ import annotations

import ast
import hashlib
import json
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from extract import compiled

REPO = Path(__file__).resolve().parents[1]


def _compiled_list() -> list[str]:
    """setup.py's COMPILED, read without running setup.py."""
    tree = ast.parse((REPO / "setup.py").read_text("utf-8"))
    return next(ast.literal_eval(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED")


def test_every_module_setup_compiles_exists_in_a_package():
    listed = _compiled_list()
    assert listed and len(set(listed)) == len(listed)
    for path in listed:
        assert (REPO / path).is_file(), path
        assert path.split("/")[0] in compiled._PACKAGES, path  # where the stale-build check looks


def test_a_package_whose_init_is_compiled_has_every_module_compiled():
    """A module left pure in a package whose __init__ mypyc compiles is not found by the import of
    a compiled module of it (ModuleNotFoundError under GOVREPORT_COMPILE=1)."""
    listed = set(_compiled_list())
    for init in [p for p in listed if p.endswith("/__init__.py")]:
        folder = REPO / init.rsplit("/", 1)[0]
        left = {p.relative_to(REPO).as_posix() for p in folder.glob("*.py")} - listed
        assert not left, f"compile these too (setup.py COMPILED): {sorted(left)}"


def _layout(root: Path, files: dict[str, str]) -> None:
    """Files under root with their contents."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _built_from(root: Path, sources: dict[str, str]) -> None:
    """What a compiling build records: the digest of each compiled module's source."""
    (root / compiled.SOURCES_FILE).write_text(json.dumps(
        {name: hashlib.sha256(text.encode()).hexdigest() for name, text in sources.items()}))


def test_a_source_changed_after_its_build_is_refused(tmp_path, monkeypatch):
    ext = EXTENSION_SUFFIXES[0]
    _layout(tmp_path, {
        "extract/alpha.py": "A = 1\n", f"extract/alpha{ext}": "",
        "extract/parsers/beta.py": "B = 2  # edited\n", f"extract/parsers/beta{ext}": "",
        "verify/gamma.py": "C = 3\n", f"verify/gamma{ext}": "",
        "verify/plain.py": "D = 4\n",          # never compiled
        f"verify/orphan{ext}": "",              # no source beside it
        f"extract/reader__mypyc{ext}": "",      # the shared library: no source either
    })
    _built_from(tmp_path, {"extract/alpha.py": "A = 1\n", "extract/parsers/beta.py": "B = 2\n", "verify/gamma.py": "C = 3\n"})
    monkeypatch.setattr(compiled, "_ROOT", str(tmp_path))
    assert [os.path.relpath(s, tmp_path) for s, _ in compiled.compiled_modules()] == [
        "extract/alpha.py", os.path.join("extract", "parsers", "beta.py"), "verify/gamma.py"]
    assert compiled.stale_modules() == [str(tmp_path / "extract" / "parsers" / "beta.py")]
    with pytest.raises(ImportError, match=r"other sources than these \(extract/parsers/beta.py\)"):
        compiled.check_fresh()
    # Rewritten with the same content (a checkout, a copy): still the build's source.
    (tmp_path / "extract" / "parsers" / "beta.py").write_text("B = 2\n")
    compiled.check_fresh()


def test_a_build_that_recorded_nothing_is_refused(tmp_path, monkeypatch):
    _layout(tmp_path, {"extract/alpha.py": "A = 1\n", f"extract/alpha{EXTENSION_SUFFIXES[0]}": ""})
    monkeypatch.setattr(compiled, "_ROOT", str(tmp_path))
    assert compiled.stale_modules() == [str(tmp_path / "extract" / "alpha.py")]


def test_no_compiled_build_is_fine(tmp_path, monkeypatch):
    _layout(tmp_path, {"extract/alpha.py": "A = 1\n"})
    monkeypatch.setattr(compiled, "_ROOT", str(tmp_path))
    assert compiled.compiled_modules() == [] and compiled.stale_modules() == []
    compiled.check_fresh()

