"""End-to-end throughput of `govreport extract` beside the floor, in one run.

    python bench/throughput.py [--docs 1000] [--workers N] [--repeat 3] [--big-kb 500] [--instructions]
                               [--samples DIR ...]

The material is the bundled samples and, when ../shared sits beside the checkout, the text
and markdown reports of its corpus (one-line pages, markdown from PDFs): every layout class,
each copy made distinct (a unique trailing line) so that nothing is skipped. Printed:

- the floor: read + decode + `re.findall(r"\\d+")` over the same files, in this process;
- the CLI end to end (a fresh process each: start-up, imports, reading, parsing, verifying,
  storing) with --workers 1 and with --workers N, reports/s and the ratio to the floor
  measured right before it; medians over --repeat rounds, as the machine drifts;
- the peak RSS of each CLI run, and the store's bytes per document beyond the documents' text;
- with --instructions (valgrind installed): the same ratio in instructions executed, which unlike
  seconds repeats exactly on a shared machine: the CLI with --workers 1, start-up included, beside
  the floor without the interpreter's start;
- the cost per KB of pages of --big-kb (a report inside a site's long page, navigation and
  notices before and after it) beside the cost per KB of the reports themselves.

The package is byte-compiled first, as pip installs it, so that no start-up compiles it. The runs
import the checkout: its compiled reader where one was built in place (`GOVREPORT_COMPILE=1 pip
install -e .`), which the first line says.
"""
from __future__ import annotations

import argparse
import compileall
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from statistics import median
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def floor_seconds(paths: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of the floor."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        re.findall(r"\d+", path.read_bytes().decode("utf-8"))
    return time.perf_counter() - started, time.process_time() - cpu


def run_cli(folder: Path, db: Path, workers: int) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB), the process and its workers, of one `govreport extract`."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "extract.cli", "extract", str(folder), "--db", str(db),
                                  "--workers", str(workers), "--no-llm"], stdout=subprocess.DEVNULL, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(child.pid, 0)  # this run's own rusage, its workers included
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise SystemExit(err.read().decode())
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


_FLOOR_SCRIPT = ("import re, sys\nfrom pathlib import Path\n"
                 "for path in sorted(Path(sys.argv[1]).iterdir())[:int(sys.argv[2])]:\n"
                 "    re.findall(r'\\d+', path.read_bytes().decode('utf-8'))\n")


def instructions(command: list[str]) -> int:
    """User-space instructions a command executes, counted by valgrind (the same on every run)."""
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           *command], capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed on {command[:3]}: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def instruction_ratio(folder: Path, db: Path, docs: int) -> tuple[float, float]:
    """Instructions per document of the floor (the interpreter's start taken off) and of the CLI
    with one worker (start-up included, as in the timed runs)."""
    floor = (instructions([sys.executable, "-c", _FLOOR_SCRIPT, str(folder), str(docs)])
             - instructions([sys.executable, "-c", _FLOOR_SCRIPT, str(folder), "0"])) / docs
    cli = instructions([sys.executable, "-m", "extract.cli", "extract", str(folder), "--db", str(db),
                        "--workers", "1", "--no-llm"]) / docs
    return floor, cli


# A site's page around the report: navigation, notices, footer (no table words, no digits).
_PAGE_CHROME = ("首页 > 政务公开 > 政府信息公开年报\n网站首页 机构概况 新闻动态 通知公告 政策文件 解读回应 互动交流 办事服务\n"
                "本网站由本级人民政府办公室主办，承办单位负责日常运行维护，欢迎社会各界批评指正。\n"
                "版权所有，未经许可不得复制或者建立镜像。网站地图 联系我们 隐私声明 使用帮助\n"
                "为进一步做好网站内容保障工作，请各单位及时报送信息，确保发布内容准确、权威、及时。\n")


def padded_page(text: str, size_kb: int) -> str:
    """The report inside a long page of `size_kb` KB (UTF-8): a site's chrome before and after it."""
    half = max(size_kb * 1024 - len(text.encode()), 0) // 2
    repeats = half // len(_PAGE_CHROME.encode()) + 1
    return _PAGE_CHROME * repeats + text + "\n" + _PAGE_CHROME * repeats


def reader_build() -> str:
    """Which reader the runs import from the checkout: compiled in place (GOVREPORT_COMPILE=1) or not."""
    done = subprocess.run([sys.executable, "-c", "from extract.compiled import compiled_modules as c; print(len(c()))"],
                          capture_output=True, text=True, cwd=REPO, check=True)
    count = int(done.stdout)
    return f"compiled with mypyc ({count} modules)" if count else "pure Python"


def store_bytes_per_doc(db: Path) -> float:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        docs, text = conn.execute("SELECT COUNT(*), SUM(LENGTH(CAST(text AS BLOB))) FROM documents").fetchone()
    return (db.stat().st_size - (text or 0)) / max(docs, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of runs; medians over them are printed")
    parser.add_argument("--big-kb", type=int, default=500, help="size of the padded pages (0: skip them)")
    parser.add_argument("--big-pages", type=int, default=16)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with valgrind (--workers 1; slow: ~30 s per 1,000 documents)")
    parser.add_argument("--samples", type=Path, nargs="+",
                        default=[REPO / "samples", REPO.parent / "shared" / "corpus" / "raw"])
    args = parser.parse_args()
    # Where PYTHONDONTWRITEBYTECODE is set, a checkout would compile every module at every start.
    for package in ("extract", "verify"):
        compileall.compile_dir(REPO / package, quiet=1)
    sources = sorted(p for folder in args.samples for kind in ("*.txt", "*.md") for p in folder.glob(kind))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = []
        for i in range(args.docs):
            path = folder / f"doc{i:05d}.txt"
            path.write_text(texts[i % len(texts)] + f"\n<!-- copy {i} -->\n", encoding="utf-8")
            paths.append(path)
        settings = sorted({1, args.workers})
        # Rounds: in each, the floor right before every setting, so that each ratio compares runs a
        # few seconds apart (a shared machine drifts); the figures are the medians over the rounds.
        rounds: list[dict] = []
        for r in range(args.repeat):
            found = {}
            for workers in settings:
                floor = min(floor_seconds(paths) for _ in range(3))  # (wall, cpu); 0.1 s runs, so the best of 3
                found[workers] = (floor, run_cli(folder, Path(tmp) / f"w{workers}-{r}.db", workers))
            rounds.append(found)
        print(f"machine: {os.cpu_count()} cores; {args.docs} documents ({len(texts)} reports repeated); "
              f"medians of {args.repeat} rounds (range in brackets); reader: {reader_build()}")
        floors = [f[w][0][0] for f in rounds for w in settings]
        print(f"floor, read + decode + re.findall(r'\\d+'): {args.docs / median(floors):.0f} reports/s "
              f"[{args.docs / max(floors):.0f}–{args.docs / min(floors):.0f}]")
        per_round: dict[int, list[float]] = {}
        for workers in settings:
            runs = [f[workers] for f in rounds]
            per_round[workers] = [run[0] for _, run in runs]
            seconds = median(per_round[workers])
            ratios = [run[0] / floor[0] for floor, run in runs]
            cpu_ratios = [run[1] / floor[1] for floor, run in runs]
            rss = max(run[2] for _, run in runs)
            print(f"govreport extract --workers {workers}: {seconds:.2f} s, {args.docs / seconds:.0f} reports/s, "
                  f"{median(ratios):.1f}x the floor [{min(ratios):.1f}–{max(ratios):.1f}] (in CPU time "
                  f"{median(cpu_ratios):.1f}x); peak RSS {rss:.0f} MB; "
                  f"store {store_bytes_per_doc(Path(tmp) / f'w{workers}-0.db') / 1024:.1f} KB per document beyond its text")
        seconds_w1 = median(per_round[1])
        if len(settings) > 1:
            speedups = [a / b for a, b in zip(per_round[1], per_round[args.workers])]
            print(f"--workers {args.workers} over --workers 1: {median(speedups):.2f}x "
                  f"[{min(speedups):.2f}–{max(speedups):.2f}]")
        if args.instructions:
            floor_ir, cli_ir = instruction_ratio(folder, Path(tmp) / "ir.db", args.docs)
            print(f"instructions (valgrind): floor {floor_ir / 1e6:.2f} M per document; govreport extract "
                  f"--workers 1 {cli_ir / 1e6:.2f} M per document, start-up included: {cli_ir / floor_ir:.1f}x the floor")
        if args.big_kb:
            small_kb = sum(p.stat().st_size for p in paths) / 1024
            big = Path(tmp) / "big"
            big.mkdir()
            for i in range(args.big_pages):
                page = padded_page(texts[i % len(texts)], args.big_kb) + f"\n<!-- copy {i} -->\n"
                (big / f"page{i:03d}.txt").write_text(page, encoding="utf-8")
            big_kb = sum(p.stat().st_size for p in big.iterdir()) / 1024
            big_s, _, _ = run_cli(big, Path(tmp) / "big.db", 1)
            small_per_kb = 1000 * seconds_w1 / small_kb
            big_per_kb = 1000 * big_s / big_kb
            print(f"pages of {big_kb / args.big_pages:.0f} KB (--workers 1): {big_per_kb:.2f} ms per KB beside "
                  f"{small_per_kb:.2f} ms per KB for the reports ({small_kb / args.docs:.1f} KB each): "
                  f"{big_per_kb / small_per_kb:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
