"""Pages per second for reading HTML pages and PDFs into text (the step before the reader).

    python bench/formats.py [--rounds 5]

Reads the HTML pages and PDFs of ../shared/corpus/raw (beside the checkout), each `--rounds`
times, and prints documents/s and pages/s per format (a PDF page is a page; an HTML file is
one page), then the whole extraction (read + parse + verify, no store) for comparison.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract.formats import read_document  # noqa: E402
from extract.process import assess_text  # noqa: E402


def pages_of(path: Path, data: bytes) -> int:
    if path.suffix.lower() != ".pdf":
        return 1
    import pdfplumber
    import io

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "raw")
    args = parser.parse_args()
    for kind in ("html", "pdf"):
        files = sorted(args.corpus.glob(f"*.{kind}"))
        if not files:
            print(f"{kind}: no files in {args.corpus}")
            continue
        blobs = [(p, p.read_bytes()) for p in files]
        pages = sum(pages_of(p, d) for p, d in blobs) * args.rounds
        started = time.perf_counter()
        texts = []
        for _ in range(args.rounds):
            texts = [read_document(d, p.name, 50 * 1024 * 1024).text for p, d in blobs]
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(args.rounds):
            for text in texts:
                assess_text(text)
        parse_s = time.perf_counter() - started
        docs = len(blobs) * args.rounds
        print(f"{kind}: {len(blobs)} files × {args.rounds}: reading {docs / read_s:.1f} docs/s, {pages / read_s:.1f} pages/s; "
              f"then parse + verify {docs / parse_s:.0f} docs/s "
              f"({sum(len(d) for _, d in blobs) / len(blobs) / 1024:.0f} KB per file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
