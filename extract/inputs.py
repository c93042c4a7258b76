"""Expand the command line's PATH arguments (files, folders, globs) into input paths.

Nothing given is dropped: a folder's special entries (FIFOs, sockets, broken links, link
loops) are listed like files, so that the run stores each as a failed input with its
reason, and an argument that names nothing is listed too, and reported as missing.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass
class Inputs:
    paths: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # arguments that name no file, folder or match


def expand_inputs(args: Iterable[str]) -> Inputs:
    """Files in the order given; folders walked (hidden entries skipped, linked folders followed
    once); globs expanded. Every entry that is not a folder is an input."""
    out = Inputs()
    seen: set[Path] = set()
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = list(_walk(path))
        elif not os.path.lexists(path) and glob.has_magic(arg):
            found = sorted(Path(p) for p in glob.glob(arg, recursive=True) if not os.path.isdir(p))
            if not found:
                out.missing.append(arg)
        else:
            found = [path]
            if not os.path.lexists(path):
                out.missing.append(arg)
        for item in found:
            if item not in seen:
                seen.add(item)
                out.paths.append(item)
    return out


def _walk(root: Path) -> Iterable[Path]:
    """Every non-folder entry below `root`, sorted; a linked folder is entered once (no loops)."""
    visited: set[str] = set()
    entries: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith("."):
                entries.append(Path(folder) / name)
        for name in list(dirs):
            target = Path(folder) / name
            if target.is_symlink() and os.path.realpath(target) in visited:
                dirs.remove(name)  # a link back up the tree: walked already
    return sorted(entries)
