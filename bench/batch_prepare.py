"""`govreport batch prepare` beside a plain `govreport extract` of the same reports, in one run.

    python bench/batch_prepare.py [--docs 1000] [--repeat 3]

The material is bench/throughput.py's: the bundled samples and the corpus beside the checkout
(text and markdown), each copy made distinct. Each round runs, back to back and each into a fresh
store, `extract --no-llm --workers 1` and `extract --no-llm` (the machine's cores), and `batch
prepare` (the machine's cores: it reads every document and writes its request, as the online path
builds it, to the batch files). Printed: seconds of each, medians over the rounds, and prepare's time over
each extract's (the median of the per-round ratios, and their range). No server is needed: prepare
sends nothing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from material import REPO, read_texts, write_copies


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = read_texts()
    cli = [sys.executable, "-m", "extract.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_copies(folder, args.docs, texts)
        runs: dict[str, list[float]] = {"extract --workers 1": [], "extract": [], "batch prepare": []}
        for r in range(args.repeat):
            work = Path(tmp) / f"r{r}"
            work.mkdir()
            runs["extract --workers 1"].append(timed([*cli, "extract", str(folder), "--db", str(work / "e1.db"),
                                                      "--no-llm", "--workers", "1"]))
            runs["extract"].append(timed([*cli, "extract", str(folder), "--db", str(work / "e.db"), "--no-llm"]))
            runs["batch prepare"].append(timed([*cli, "batch", "prepare", str(folder), "--db", str(work / "b.db"),
                                                "--out", str(work / "out"), "--model", "m",
                                                "--base-url", "http://127.0.0.1:9/v1"]))
        requests = sum(1 for f in (Path(tmp) / "r0" / "out").glob("batch-*.jsonl") for _ in open(f, "rb"))
        print(f"machine: {os.cpu_count()} cores; {args.docs} documents ({len(texts)} reports repeated), "
              f"{requests} requests prepared; medians of {args.repeat} rounds")
        for name, seconds in runs.items():
            print(f"  {name:22} {median(seconds):6.2f} s  ({args.docs / median(seconds):5.0f} docs/s)")
        for name in ("extract --workers 1", "extract"):
            ratios = [p / e for p, e in zip(runs["batch prepare"], runs[name])]
            print(f"  batch prepare / {name}: {median(ratios):.2f}× (rounds {min(ratios):.2f}–{max(ratios):.2f}; "
                  "the bar: at most 2×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
