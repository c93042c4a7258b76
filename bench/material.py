"""The bench scripts' material: the bundled samples and, where ../shared sits beside the checkout,
the text and markdown reports of its corpus (one-line pages, markdown from PDFs), each copy made
distinct by a trailing line of its own, so that no run skips one as already read."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[1]
FOLDERS = (REPO / "samples", REPO.parent / "shared" / "corpus" / "raw")


def read_texts(folders: Sequence[Path] = FOLDERS) -> list[str]:
    return [p.read_text(encoding="utf-8")
            for p in sorted(p for folder in folders for kind in ("*.txt", "*.md") for p in folder.glob(kind))]


def distinct(text: str, i: int) -> str:
    return text + f"\n<!-- copy {i} -->\n"


def write_copies(folder: Path, docs: int, texts: Sequence[str]) -> list[Path]:
    """`docs` files doc00000.txt … in `folder`, the texts in turn, each made distinct."""
    paths = [folder / f"doc{i:05d}.txt" for i in range(docs)]
    for i, path in enumerate(paths):
        path.write_text(distinct(texts[i % len(texts)], i), encoding="utf-8")
    return paths
