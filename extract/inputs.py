"""Expand the command line's PATH arguments (files, folders, globs) into input paths.

Nothing given is dropped: a folder's special entries (FIFOs, sockets, broken links, link
loops) and the folders that cannot be read are listed like files, so that the run stores each
as a failed input with its reason; an argument that names nothing, and a folder with nothing in
it, are reported. Each file is listed once, under one spelling: its absolute path with
links resolved (`dir`, `/abs/dir` and a link to it name the same files).
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator


@dataclass
class Inputs:
    paths: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # arguments that name no file, folder or match
    empty: list[str] = field(default_factory=list)     # folders given that hold nothing to read


def path_text(path: "os.PathLike[str] | str") -> str:
    """A path as the store keeps and prints it: the name itself, or, where its bytes are not
    UTF-8 (a GBK name from a Windows zip), every byte beyond ASCII as \\xNN and a backslash as
    \\\\: every name has one text, and the text gives back the name's bytes."""
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join("\\\\" if b == 0x5C else chr(b) if b < 0x80 else f"\\x{b:02x}" for b in raw)


def canonical(path: Path) -> Path:
    """The one spelling of an input: absolute, links resolved (a broken link stays itself, so
    that its reason can be said)."""
    return Path(os.path.realpath(path)) if os.path.exists(path) else Path(os.path.abspath(path))


def expand_inputs(args: Iterable[str]) -> Inputs:
    """Files in the order given; folders walked (hidden entries skipped, linked folders followed
    once); globs expanded. Every entry that is not a folder is an input, and so is a folder
    that cannot be read."""
    out = Inputs()
    seen: set[Path] = set()
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = list(_walk(path))
            if not found:
                out.empty.append(arg)
        elif not os.path.lexists(path) and glob.has_magic(arg):
            found = sorted(Path(p) for p in glob.glob(arg, recursive=True) if not os.path.isdir(p))
            if not found:
                out.missing.append(arg)
        else:
            found = [path]
            if not os.path.lexists(path):
                out.missing.append(arg)
        for item in map(canonical, found):
            if item not in seen:
                seen.add(item)
                out.paths.append(item)
    return out


def _walk(root: Path) -> Iterator[Path]:
    """Every non-folder entry below `root`, sorted, and every folder that could not be listed;
    a linked folder is entered once (no loops)."""
    visited: set[str] = set()
    entries: list[Path] = []
    unlisted: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=lambda exc: unlisted.append(Path(exc.filename))):
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
    return iter(sorted(entries + unlisted))
