"""Whether the reader runs compiled, and whether that build still matches its source.

`GOVREPORT_COMPILE=1 pip install ...` compiles the reader's hot modules with mypyc into C
extensions beside their .py files (see setup.py). Python imports an extension before the .py
of the same name, so a .py edited after the build would be silently ignored: importing
`extract` refuses such a stale build instead.
"""
from __future__ import annotations

import os
from importlib.machinery import EXTENSION_SUFFIXES

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PACKAGES = ("extract", os.path.join("extract", "parsers"), "verify")
_SHARED_LIBRARY = os.path.join("extract", "reader__mypyc")  # setup.py's group_name "extract.reader"
_SLACK_S = 2.0  # an installed wheel's files get their times within this of each other


def compiled_modules() -> list[tuple[str, str]]:
    """(source, extension) paths of each module this interpreter runs compiled, not from its .py."""
    found = []
    for package in _PACKAGES:
        folder = os.path.join(_ROOT, package)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            suffix = next((s for s in EXTENSION_SUFFIXES if name.endswith(s)), None)
            source = os.path.join(folder, name[:-len(suffix)] + ".py") if suffix else None
            if source is not None and os.path.exists(source):
                found.append((source, os.path.join(folder, name)))
    return sorted(found)


def stale_modules() -> list[str]:
    """The compiled modules whose .py changed after they were built. A module's extension is a
    stub (rewritten only when its module list changes); the code is in the shared library."""
    shared = [os.path.join(_ROOT, _SHARED_LIBRARY + suffix) for suffix in EXTENSION_SUFFIXES]
    built_at = max((os.stat(path).st_mtime for path in shared if os.path.exists(path)), default=0.0)
    return [source for source, stub in compiled_modules()
            if os.stat(source).st_mtime > max(os.stat(stub).st_mtime, built_at) + _SLACK_S]


def check_fresh() -> None:
    """Refuse a compiled build older than its source: its results would not be the code's."""
    stale = stale_modules()
    if stale:
        shown = ", ".join(os.path.relpath(p, _ROOT) for p in stale[:3]) + (" …" if len(stale) > 3 else "")
        raise ImportError(f"the compiled reader is older than its source ({shown}): rebuild it "
                          "(GOVREPORT_COMPILE=1 pip install -e .) or delete it "
                          "(find extract verify -name '*.so' -delete)")
