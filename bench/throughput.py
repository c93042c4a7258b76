"""End-to-end throughput of `govreport extract` beside the floor, in one run.

    python bench/throughput.py [--docs 1000] [--workers N] [--repeat 3] [--big-kb 500] [--instructions]
                               [--samples DIR ...] [--base COMMIT]

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

With --base COMMIT, the code of that commit is measured too, side by side with the working tree's in
the same run: it is unpacked (`git archive`) into a temp folder and run from there (cwd, PYTHONPATH,
and a sitecustomize that drops the editable install's finder, as bench/equivalence.py does; the
extract/verify modules that importing the CLI loads are checked to come from its tree, and counted).
In each round the two run back to back on the same files, each into a fresh store, the one that goes
first alternating from round to round; every figure above is printed for each, and per --workers
count the tree's time over the base's: the ratio of the medians, and the median and range of the
per-round ratios (above 1: the tree is slower). With --instructions, the exact ratio of the
instructions of the two CLI runs.

The package is byte-compiled first (each tree's, with --base), as pip installs it, so that no start-up
compiles it. The runs import the checkout: its compiled reader where one was built in place
(`GOVREPORT_COMPILE=1 pip install -e .`), which the first line says (a base from `git archive` holds
no build: it is pure Python).
"""
from __future__ import annotations

import argparse
import compileall
import io
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import NamedTuple

from material import FOLDERS, REPO, distinct, read_texts, write_copies

# As bench/equivalence.py: where a tree lacks a module, setuptools' editable finder fills it in from this
# checkout, even with PYTHONPATH and cwd set; every process of a --base run (workers too) drops that finder.
SITECUSTOMIZE = ("import sys\nsys.meta_path[:] = [f for f in sys.meta_path if 'extract' not in "
                 "getattr(sys.modules.get(getattr(f, '__module__', '')), 'MAPPING', {})]\n")
LOADED = ("import sys, extract.cli\nprint('\\n'.join(sorted(m.__file__ for n, m in list(sys.modules.items()) "
          "if n.split('.')[0] in ('extract', 'verify') and getattr(m, '__file__', None))))")


class Code(NamedTuple):
    """A tree of code to measure and how to run it: its name in the output, its folder (the runs' cwd), the environment."""
    name: str
    root: Path
    env: dict[str, str]


def floor_seconds(paths: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of the floor."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        re.findall(r"\d+", path.read_bytes().decode("utf-8"))
    return time.perf_counter() - started, time.process_time() - cpu


def cli_command(folder: Path, db: Path, workers: int) -> list[str]:
    # sys.executable, not `python`: here that is a pyenv shim (a bash script), which valgrind would count.
    return [sys.executable, "-m", "extract.cli", "extract", str(folder), "--db", str(db),
            "--workers", str(workers), "--no-llm"]


def run_cli(code: Code, folder: Path, db: Path, workers: int) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB), the process and its workers, of one `govreport extract`."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(cli_command(folder, db, workers), stdout=subprocess.DEVNULL, stderr=err,
                                 cwd=code.root, env=code.env)
        _, status, usage = os.wait4(child.pid, 0)  # this run's own rusage, its workers included
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{code.name}: exit {child.returncode}\n{err.read().decode()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


_FLOOR_SCRIPT = ("import re, sys\nfrom pathlib import Path\n"
                 "for path in sorted(Path(sys.argv[1]).iterdir())[:int(sys.argv[2])]:\n"
                 "    re.findall(r'\\d+', path.read_bytes().decode('utf-8'))\n")


def instructions(command: list[str], code: Code) -> int:
    """User-space instructions a command executes, counted by valgrind (the same on every run)."""
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           *command], capture_output=True, text=True, cwd=code.root,
                          env={**code.env, "PYTHONHASHSEED": "0"})
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed on {command[:3]} ({code.name}): {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def floor_instructions(folder: Path, docs: int, code: Code) -> float:
    """Instructions per document of the floor, the interpreter's start taken off."""
    return (instructions([sys.executable, "-c", _FLOOR_SCRIPT, str(folder), str(docs)], code)
            - instructions([sys.executable, "-c", _FLOOR_SCRIPT, str(folder), "0"], code)) / docs


def cli_instructions(folder: Path, db: Path, code: Code) -> int:
    """Instructions of the CLI with one worker, start-up included, as in the timed runs. valgrind counts
    one process: --workers 1 reads in the CLI's own process (an inline pool, no worker started)."""
    return instructions(cli_command(folder, db, 1), code)


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


def reader_build(code: Code) -> str:
    """Which reader the runs import from a tree: compiled in place (GOVREPORT_COMPILE=1) or not."""
    done = subprocess.run([sys.executable, "-c", "from extract.compiled import compiled_modules as c; print(len(c()))"],
                          capture_output=True, text=True, cwd=code.root, env=code.env)
    if done.returncode != 0:  # an older base may predate extract.compiled
        return "unknown (extract.compiled did not load)"
    count = int(done.stdout)
    return f"compiled with mypyc ({count} modules)" if count else "pure Python"


def check_imports_from(code: Code) -> int:
    """`extract` and every module its entry point loads must come from the tree, not the editable install;
    how many did."""
    found = subprocess.run([sys.executable, "-c", LOADED], cwd=code.root, env=code.env, capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit(f"importing extract.cli from {code.root} failed:\n{found.stderr[-3000:]}")
    files = found.stdout.split()
    strays = [f for f in files if not Path(f).resolve().is_relative_to(code.root.resolve())]
    if strays:
        raise SystemExit(f"{code.name}: modules not from {code.root}: {strays[:3]}")
    return len(files)


def unpack(commit: str, tmp: Path) -> tuple[Path, Path]:
    """The base commit's code unpacked in tmp/base, and tmp/site holding the SITECUSTOMIZE shim
    that every process of either version puts on its path."""
    base, shim = tmp / "base", tmp / "site"
    for folder in (base, shim):
        folder.mkdir()
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
    archive = subprocess.run(["git", "archive", commit], cwd=REPO, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(base, filter="data")
    return base, shim


def unpack_base(commit: str, tmp: Path) -> list[Code]:
    """The base commit's code unpacked in tmp, and both versions to run (base first), each importing only its tree."""
    base, shim = unpack(commit, tmp)
    # The tree runs with the same shim, so that both pay the same start-up.
    return [Code(name, root, {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{shim}"})
            for name, root in (("base", base), ("tree", REPO))]


def sources_stamp(root: Path) -> list[tuple[str, int]]:
    """The tree's Python files and their times: whether they were edited while it was measured."""
    return sorted((str(p), p.stat().st_mtime_ns) for package in ("extract", "verify") for p in (root / package).rglob("*.py"))


def store_bytes_per_doc(db: Path) -> float:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        docs, text = conn.execute("SELECT COUNT(*), SUM(LENGTH(CAST(text AS BLOB))) FROM documents").fetchone()
    return (db.stat().st_size - (text or 0)) / max(docs, 1)


def slower(ratio: float) -> str:
    return f"tree {abs(ratio - 1):.1%} {'slower' if ratio > 1 else 'faster'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of runs; medians over them are printed")
    parser.add_argument("--big-kb", type=int, default=500, help="size of the padded pages (0: skip them)")
    parser.add_argument("--big-pages", type=int, default=16)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with valgrind (--workers 1; slow: ~30 s per 1,000 documents)")
    parser.add_argument("--samples", type=Path, nargs="+", default=list(FOLDERS))
    parser.add_argument("--base", metavar="COMMIT",
                        help="also measure the code of this commit, side by side with the working tree's")
    args = parser.parse_args()
    commit = ""
    if args.base:
        commit = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{args.base}^{{commit}}"], cwd=REPO,
                                capture_output=True, text=True).stdout.strip()
        if not commit:
            parser.error(f"no commit {args.base}")
    texts = read_texts(args.samples)
    with tempfile.TemporaryDirectory() as tmp:
        versions = unpack_base(commit, Path(tmp)) if commit else [Code("tree", REPO, dict(os.environ))]
        tagged = len(versions) > 1  # the lines name their version only when there are two
        tag = {v.name: f" ({v.name})" if tagged else "" for v in versions}
        inner = {v.name: f", {v.name}" if tagged else "" for v in versions}  # the same inside parentheses
        loaded = {v.name: check_imports_from(v) for v in versions} if tagged else {}
        stamp = sources_stamp(REPO)
        # Where PYTHONDONTWRITEBYTECODE is set, a checkout would compile every module at every start.
        for code in versions:
            for package in ("extract", "verify"):
                compileall.compile_dir(code.root / package, quiet=1)
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = write_copies(folder, args.docs, texts)
        settings = sorted({1, args.workers})
        db = {(v.name, w, r): Path(tmp) / f"{v.name}-w{w}-{r}.db"
              for v in versions for w in settings for r in range(args.repeat)}
        # Rounds: in each, the floor right before every setting, so that each ratio compares runs a
        # few seconds apart (a shared machine drifts); the figures are the medians over the rounds.
        # With --base, the two versions run back to back after the floor, the first of them
        # alternating from round to round so that neither always gets the later, drifted, seconds.
        rounds: list[dict] = []
        for r in range(args.repeat):
            order = versions if r % 2 == 0 else versions[::-1]
            found = {}
            for workers in settings:
                floor = min(floor_seconds(paths) for _ in range(3))  # (wall, cpu); 0.1 s runs, so the best of 3
                found[workers] = (floor, {v.name: run_cli(v, folder, db[v.name, workers, r], workers) for v in order})
            rounds.append(found)
        readers = {v.name: reader_build(v) for v in versions}
        print(f"machine: {os.cpu_count()} cores; {args.docs} documents ({len(texts)} reports repeated); "
              f"medians of {args.repeat} rounds (range in brackets); reader: {readers['tree']}"
              + (f"; base's reader: {readers['base']}" if tagged else ""))
        if tagged:
            print(f"base {args.base} = {commit[:12]} (git archive, {loaded['base']} modules of extract and verify "
                  f"loaded from it), tree {REPO} ({loaded['tree']}): back to back in each round, base first in rounds 1, 3, ...")
            if readers["base"] != readers["tree"]:
                print("NOTE: the two readers differ (a compiled build is not in git): the ratios compare builds too")
        floors = [f[w][0][0] for f in rounds for w in settings]
        print(f"floor, read + decode + re.findall(r'\\d+'): {args.docs / median(floors):.0f} reports/s "
              f"[{args.docs / max(floors):.0f}–{args.docs / min(floors):.0f}]")
        per_round: dict[tuple[str, int], list[float]] = {}
        for workers in settings:
            for code in versions:
                runs = [(f[workers][0], f[workers][1][code.name]) for f in rounds]
                per_round[code.name, workers] = [run[0] for _, run in runs]
                seconds = median(per_round[code.name, workers])
                ratios = [run[0] / floor[0] for floor, run in runs]
                cpu_ratios = [run[1] / floor[1] for floor, run in runs]
                rss = max(run[2] for _, run in runs)
                store = store_bytes_per_doc(db[code.name, workers, 0]) / 1024
                print(f"govreport extract --workers {workers}{tag[code.name]}: {seconds:.2f} s, "
                      f"{args.docs / seconds:.0f} reports/s, {median(ratios):.1f}x the floor "
                      f"[{min(ratios):.1f}–{max(ratios):.1f}] (in CPU time {median(cpu_ratios):.1f}x); "
                      f"peak RSS {rss:.0f} MB; store {store:.1f} KB per document beyond its text")
            if tagged:
                base_s, tree_s = per_round["base", workers], per_round["tree", workers]
                of_medians = median(tree_s) / median(base_s)
                paired = [t / b for t, b in zip(tree_s, base_s)]
                print(f"  --workers {workers}, tree's time / base's: {of_medians:.3f}x of the medians "
                      f"({slower(of_medians)}); per round {median(paired):.3f}x [{min(paired):.3f}–{max(paired):.3f}]")
        if len(settings) > 1:
            for code in versions:
                speedups = [a / b for a, b in zip(per_round[code.name, 1], per_round[code.name, args.workers])]
                print(f"--workers {args.workers} over --workers 1{tag[code.name]}: {median(speedups):.2f}x "
                      f"[{min(speedups):.2f}–{max(speedups):.2f}]")
        if args.instructions:
            floor_ir = floor_instructions(folder, args.docs, versions[-1])
            cli_ir = {v.name: cli_instructions(folder, Path(tmp) / f"ir-{v.name}.db", v) for v in versions}
            for code in versions:
                per_doc = cli_ir[code.name] / args.docs
                print(f"instructions (valgrind{inner[code.name]}): floor {floor_ir / 1e6:.2f} M per document; "
                      f"govreport extract --workers 1 {per_doc / 1e6:.2f} M per document, start-up included: "
                      f"{per_doc / floor_ir:.1f}x the floor")
            if tagged:
                exact = cli_ir["tree"] / cli_ir["base"]
                print(f"  instructions, tree / base (govreport extract --workers 1, start-up included): "
                      f"{cli_ir['tree']:,} / {cli_ir['base']:,} = {exact:.4f} ({exact - 1:+.2%})")
        if args.big_kb:
            small_kb = sum(p.stat().st_size for p in paths) / 1024
            big = Path(tmp) / "big"
            big.mkdir()
            for i in range(args.big_pages):
                page = distinct(padded_page(texts[i % len(texts)], args.big_kb), i)
                (big / f"page{i:03d}.txt").write_text(page, encoding="utf-8")
            big_kb = sum(p.stat().st_size for p in big.iterdir()) / 1024
            for code in versions:
                big_s, _, _ = run_cli(code, big, Path(tmp) / f"big-{code.name}.db", 1)
                small_per_kb = 1000 * median(per_round[code.name, 1]) / small_kb
                big_per_kb = 1000 * big_s / big_kb
                print(f"pages of {big_kb / args.big_pages:.0f} KB (--workers 1{inner[code.name]}): {big_per_kb:.2f} ms "
                      f"per KB beside {small_per_kb:.2f} ms per KB for the reports ({small_kb / args.docs:.1f} KB "
                      f"each): {big_per_kb / small_per_kb:.2f}x")
        if sources_stamp(REPO) != stamp:
            print("NOTE: the tree's extract/ or verify/ sources changed during the run: its figures may mix "
                  "versions (and start-ups compile the edited modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
