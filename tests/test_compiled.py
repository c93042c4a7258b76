"""The optional compiled reader (mypyc, GOVREPORT_COMPILE=1): what it compiles exists, and a
build older than its source is refused rather than silently run in place of the edited code."""
from __future__ import annotations

import ast
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from extract import compiled

REPO = Path(__file__).resolve().parents[1]


def test_every_module_setup_compiles_exists_in_a_package():
    tree = ast.parse((REPO / "setup.py").read_text("utf-8"))
    listed = next(ast.literal_eval(node.value) for node in tree.body
                  if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED")
    assert listed and len(set(listed)) == len(listed)
    for path in listed:
        assert (REPO / path).is_file(), path
        assert os.path.dirname(path) in {p.replace(os.sep, "/") for p in compiled._PACKAGES}, path


def _layout(root: Path, names: dict[str, float]) -> None:
    """Files under root with their modification times (seconds since the epoch)."""
    for name, mtime in names.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
        os.utime(path, (mtime, mtime))


def test_a_source_edited_after_its_build_is_refused(tmp_path, monkeypatch):
    ext = EXTENSION_SUFFIXES[0]
    _layout(tmp_path, {
        "extract/alpha.py": 1_000, f"extract/alpha{ext}": 2_000,          # built after its source: fresh
        "extract/parsers/beta.py": 5_000, f"extract/parsers/beta{ext}": 2_000,  # edited since: stale
        "verify/gamma.py": 2_001, f"verify/gamma{ext}": 2_000,           # within a wheel's slack: fresh
        "verify/plain.py": 9_000,                                        # never compiled
        f"verify/orphan{ext}": 1_000,                                    # no source beside it
    })
    monkeypatch.setattr(compiled, "_ROOT", str(tmp_path))
    assert [os.path.relpath(s, tmp_path) for s, _ in compiled.compiled_modules()] == [
        "extract/alpha.py", os.path.join("extract", "parsers", "beta.py"), "verify/gamma.py"]
    assert compiled.stale_modules() == [str(tmp_path / "extract" / "parsers" / "beta.py")]
    with pytest.raises(ImportError, match=r"older than its source \(extract/parsers/beta.py\)"):
        compiled.check_fresh()


def test_no_compiled_build_is_fine(tmp_path, monkeypatch):
    _layout(tmp_path, {"extract/alpha.py": 1_000})
    monkeypatch.setattr(compiled, "_ROOT", str(tmp_path))
    assert compiled.compiled_modules() == [] and compiled.stale_modules() == []
    compiled.check_fresh()


def test_a_rebuilt_shared_library_makes_old_stubs_fresh(tmp_path, monkeypatch):
    # A rebuild rewrites the shared library (the code); each module's stub only when the module list changes.
    ext = EXTENSION_SUFFIXES[0]
    _layout(tmp_path, {"extract/alpha.py": 5_000, f"extract/alpha{ext}": 1_000, f"extract/reader__mypyc{ext}": 6_000})
    monkeypatch.setattr(compiled, "_ROOT", str(tmp_path))
    assert compiled.stale_modules() == []
    os.utime(tmp_path / "extract" / f"reader__mypyc{ext}", (4_000, 4_000))
    assert compiled.stale_modules() == [str(tmp_path / "extract" / "alpha.py")]
