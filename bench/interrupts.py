"""Ctrl-C at many moments of a run: does every interrupted run end, and say so?

    python bench/interrupts.py [--runs 200] [--docs 2700] [--command prepare|extract]

The material is bench/throughput.py's (the bundled samples and the corpus beside the checkout,
each copy made distinct). Each run starts `govreport batch prepare` (or `extract --no-llm`) with two
workers in a session of its own, sends SIGINT to the whole group after 0.60–1.25 s (the moments
cycle), and waits 15 s for it to end. Printed: runs, how many ended with exit 130, how many hung
(those are killed), and how many ended otherwise. Not a test: whether a rare race is met depends on
timing, so it is counted over many runs.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from material import REPO, read_texts, write_copies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--docs", type=int, default=2700)
    parser.add_argument("--command", choices=("prepare", "extract"), default="prepare")
    args = parser.parse_args()
    texts = read_texts()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ended = hung = other = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_copies(folder, args.docs, texts)
        for run in range(args.runs):
            work = Path(tmp) / f"r{run}"
            work.mkdir()
            command = ([sys.executable, "-m", "extract.cli", "batch", "prepare", str(folder), "--out", str(work / "out"),
                        "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--max-lines", "100"]
                       if args.command == "prepare" else [sys.executable, "-m", "extract.cli", "extract", str(folder),
                                                          "--no-llm"])
            with open(work / "err", "w") as err:
                process = subprocess.Popen([*command, "--db", str(work / "s.db"), "--workers", "2"], cwd=REPO,
                                           env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=err)
            try:
                process.wait(timeout=0.60 + 0.05 * (run % 14))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGINT)
            try:
                code = process.wait(timeout=15)
                ended += code == 130
                if code != 130:
                    other += 1
                    said = (work / "err").read_text(encoding="utf-8", errors="replace").replace("\r", "\n").strip()
                    print(f"  run {run}: exit {code}: {said.splitlines()[-1][:200] if said else ''}")
            except subprocess.TimeoutExpired:
                hung += 1
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    print(f"{args.runs} runs of {args.command} ({args.docs} documents, 2 workers), SIGINT after 0.60–1.25 s: "
          f"{ended} ended with exit 130, {hung} hung, {other} ended otherwise (done before the signal, or another code)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
