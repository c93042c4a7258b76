"""Writing the review pages beside extracting the same documents, in one run.

    python bench/pages.py [--docs 1000] [--repeat 3] [--workers N]

The material is bench/throughput.py's: the bundled samples and the corpus's text and markdown
reports, each copy made distinct (a unique trailing line). In each round, in fresh processes:
`govreport extract` into a fresh store (with --workers 1, and with --workers N when N > 1), then
`govreport review --html DIR` of every status from that store, so that every document gets a page.
Printed: the medians over the rounds (and their range) of each run's seconds, and the bar's ratio,
the pages' time over extraction's, per round, with the pages written and their sizes. The bar:
writing pages for 1,000 documents takes no more than twice the time of extracting them.
"""
from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from material import FOLDERS, read_texts, write_copies
from throughput import REPO, Code, run_cli

STATUSES = ("verified", "human_verified", "source_inconsistent", "needs_review", "failed", "audit")


def run_review(code: Code, db: Path, out: Path) -> float:
    """Wall seconds of one `govreport review --html` (a fresh process, start-up included)."""
    command = [sys.executable, "-m", "extract.cli", "review", "--db", str(db), "--html", str(out)]
    for status in STATUSES:
        command += ["--status", status]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=code.root, env=code.env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"review --html: exit {done.returncode}\n{done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians over them are printed")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--samples", type=Path, nargs="+", default=list(FOLDERS))
    args = parser.parse_args()
    texts = read_texts(args.samples)
    code = Code("tree", REPO, dict(os.environ))
    for package in ("extract", "verify"):
        compileall.compile_dir(REPO / package, quiet=1)
    settings = sorted({1, args.workers})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_copies(folder, args.docs, texts)
        extracted: dict[int, list[float]] = {w: [] for w in settings}
        pages: list[float] = []
        for r in range(args.repeat):
            for workers in settings:
                db = Path(tmp) / f"r{r}-w{workers}.db"
                extracted[workers].append(run_cli(code, folder, db, workers)[0])
            out = Path(tmp) / f"site{r}"
            pages.append(run_review(code, db, out))
        written = [p for p in out.iterdir() if p.name.endswith(".html") and p.name != "index.html"]
        sizes = sorted(p.stat().st_size for p in written)
        print(f"machine: {os.cpu_count()} cores; {args.docs} documents ({len(texts)} reports repeated); "
              f"medians of {args.repeat} rounds [range]")
        print(f"govreport review --html (every status): {median(pages):.2f} s [{min(pages):.2f}–{max(pages):.2f}], "
              f"{len(written)} pages, {median(sizes) / 1024:.0f} KB median, {sizes[-1] / 1024:.0f} KB largest, "
              f"{sum(sizes) / 1e6:.1f} MB in all")
        for workers in settings:
            seconds = extracted[workers]
            ratios = [p / e for p, e in zip(pages, seconds)]
            print(f"govreport extract --workers {workers}: {median(seconds):.2f} s "
                  f"[{min(seconds):.2f}–{max(seconds):.2f}]; pages / extraction: {median(ratios):.2f}x "
                  f"[{min(ratios):.2f}–{max(ratios):.2f}] (the bar: 2x at most)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
