"""Reports per second for read + parse + verify + store, one process, beside the floor.

    python bench/throughput.py [--docs 1000] [--samples DIR ...]

The material is the bundled samples and, when ../shared sits beside the checkout, the text
and markdown reports of its corpus (one-line pages, markdown from PDFs): every layout class.
Each copy gets a unique trailing line so its content hash differs and nothing is skipped.
The floor is a bare read + decode + `re.findall(r"\\d+")` over the same files, timed in the
same run; the ratio of the two is the figure to watch.
"""
from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract.pipeline import Settings, process_file  # noqa: E402
from extract.store import Store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--samples", type=Path, nargs="+", default=[REPO / "samples", REPO.parent / "shared" / "corpus" / "raw"])
    args = parser.parse_args()
    sources = sorted(p for folder in args.samples for kind in ("*.txt", "*.md") for p in folder.glob(kind))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for i in range(args.docs):
            path = folder / f"doc{i:05d}.txt"
            path.write_text(texts[i % len(texts)] + f"\n<!-- copy {i} -->\n", encoding="utf-8")
            paths.append(path)
        started = time.perf_counter()
        for path in paths:
            re.findall(r"\d+", path.read_bytes().decode("utf-8"))
        floor = time.perf_counter() - started

        statuses: dict[str, int] = {}
        with Store(folder / "bench.db") as store:
            run_id = store.begin_run(["bench"], {})
            started = time.perf_counter()
            for path in paths:
                outcome = process_file(path, store, run_id, Settings())
                statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
            elapsed = time.perf_counter() - started
    rate = args.docs / elapsed
    print(f"documents: {args.docs} ({len(texts)} reports repeated), statuses: {statuses}")
    print(f"read + parse + verify + store: {elapsed:.2f} s, {rate:.0f} reports/s")
    print(f"floor, read + decode + re.findall(r'\\d+'): {floor * 1000:.1f} ms, {args.docs / floor:.0f} reports/s")
    print(f"ratio: the full pipeline takes {elapsed / floor:.0f}x the floor")
    print(f"peak memory (RSS) of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
