"""Whether the reader runs compiled, and whether that build still matches its source.

`GOVREPORT_COMPILE=1 pip install ...` compiles the reader's hot modules with mypyc into C
extensions beside their .py files (see setup.py), and records what each .py held then
(SOURCES_FILE). Python imports an extension before the .py of the same name, so a .py edited
after the build would be silently ignored: importing `extract` refuses such a stale build.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib.machinery import EXTENSION_SUFFIXES

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PACKAGES = ("extract", "verify")  # walked: a compiled module may stand in any of their folders
SOURCES_FILE = os.path.join("extract", "compiled_sources.json")  # written by setup.py's compiling build


def source_digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def compiled_modules() -> list[tuple[str, str]]:
    """(source, extension) paths of each module this interpreter runs compiled, not from its .py."""
    found = []
    for package in _PACKAGES:
        for folder, dirs, names in os.walk(os.path.join(_ROOT, package)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in names:
                suffix = next((s for s in EXTENSION_SUFFIXES if name.endswith(s)), None)
                source = os.path.join(folder, name[:-len(suffix)] + ".py") if suffix else None
                if source is not None and os.path.exists(source):
                    found.append((source, os.path.join(folder, name)))
    return sorted(found)


def stale_modules() -> list[str]:
    """The compiled modules whose .py differs from what was compiled (all of them when the build
    recorded nothing). Contents, not times: a checkout rewrites files it does not change."""
    compiled = compiled_modules()
    if not compiled:
        return []
    try:
        with open(os.path.join(_ROOT, SOURCES_FILE), encoding="utf-8") as f:
            built_from = json.load(f)
    except (OSError, ValueError):
        built_from = {}
    return [source for source, _ in compiled
            if built_from.get(os.path.relpath(source, _ROOT).replace(os.sep, "/")) != source_digest(source)]


def check_fresh() -> None:
    """Refuse a compiled build of other sources: its results would not be the code's."""
    stale = stale_modules()
    if stale:
        shown = ", ".join(os.path.relpath(p, _ROOT) for p in stale[:3]) + (" …" if len(stale) > 3 else "")
        raise ImportError(f"the compiled reader was built from other sources than these ({shown}): rebuild it "
                          "(GOVREPORT_COMPILE=1 pip install -e .) or delete it "
                          "(find extract verify -name '*.so' -delete)")
