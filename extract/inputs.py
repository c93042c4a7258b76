"""Expand the command line's PATH arguments (files, folders, globs) into input files."""
from __future__ import annotations

import glob
from pathlib import Path
from typing import Iterable


def expand_inputs(args: Iterable[str]) -> list[Path]:
    """Files in the order given; folders are walked (hidden entries skipped); globs expanded.

    A name that matches nothing is kept, so the pipeline stores it as a failed input with
    its reason instead of dropping it silently.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        elif not path.exists() and glob.has_magic(arg):
            found = sorted(Path(p) for p in glob.glob(arg, recursive=True) if Path(p).is_file())
        else:
            found = [path]
        for item in found:
            if item not in seen:
                seen.add(item)
                out.append(item)
    return out


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
