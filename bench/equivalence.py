"""Prove that a refactor changed no behaviour: `govreport extract` with the code of a base commit and
with the working tree's code writes the same rows into its store, table by table.

    python bench/equivalence.py --base COMMIT [--workers 1 2] [--bench-docs N] [--oracle] [--keep DIR] [PATH ...]

The base commit is unpacked (`git archive`) into a temp folder and run from there (cwd, PYTHONPATH;
every extract/verify module the CLI loads is checked to come from that tree), the working tree from
this checkout. The inputs (default: the shared samples and every file of the shared corpus; plus N
copies made distinct as bench/throughput.py makes them) are copied once into one folder: both versions
see the same path strings. Per --workers count, each version extracts with the LLM off into a fresh
store, then again with --force. --oracle adds a run of each with the LLM on over the text reports,
answered from their gold by tests/oracle.py (run with the base code). Exit 0 when the stores are
identical, 1 when they differ or a run failed, 2 on bad usage.

Compared: every table and sqlite_master (the schema), as multisets of rows; the order of the `files`
and `results` rows by path. Set aside, as the only fields that differ between two runs of the same
code (measured: 1 to 4 workers, 1,014 reports, the oracle): every `*_at` time, `latency_s`,
runs.totals["seconds"], and in runs.argv the store's path after --db and argv[0] (cli.py's path in
each tree). Also set aside, as asked though they repeat: `id`; `run_id` becomes the run's ordinal.
The oracle's answers hold no time ("created": 0); `claims` (owner: host:pid) is empty after a run.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

import throughput
from material import read_texts, write_copies
from throughput import unpack

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_INPUTS = [SHARED / "samples" / "reports", SHARED / "corpus" / "raw"]
# The reports the oracle has gold for (tests/test_llm_oracle.py's TEXT_REPORTS), each with its gold.
ORACLE_REPORTS = ([(p, SHARED / "corpus" / "gold" / f"{p.stem}.json")
                   for kind in ("*.txt", "*.md") for p in sorted((SHARED / "corpus" / "raw").glob(kind))]
                  + [(p, SHARED / "samples" / "gold" / f"{p.stem}.json")
                     for p in sorted((SHARED / "samples" / "reports").glob("*.txt"))])
# A user's LLM settings must not switch the LLM on (or point it elsewhere) in either version.
LLM_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "GOVREPORT_MODEL", "GOVREPORT_LLM_MODE", "GOVREPORT_PROMPTS")
# Run with the base tree's code: the golds as tests/test_llm_oracle.py builds them; serves until stdin closes.
ORACLE_SCRIPT = """import json, os, sys
from extract.formats import read_document; from extract.text import normalize; from oracle import Oracle
def title(path):
    text = normalize(read_document(open(path, "rb").read(), os.path.basename(path)).text)
    return next(line.strip() for line in text.split("\\n") if line.strip())
pairs = json.loads(sys.argv[1])
golds = {title(report): json.load(open(gold, encoding="utf-8")) for report, gold in pairs}
assert len(golds) == len(pairs), "two reports share a title"
oracle = Oracle(golds)
print(oracle.url, flush=True)
sys.stdin.read()
"""
Version = tuple[Path, dict[str, str]]  # a tree of code and the environment that runs it


class Stop(Exception):
    """(exit status, why): 1 when a run failed, 2 on bad usage."""


def code_env(code: Path, shim: Path, *more: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LLM_ENV}
    return {**env, "PYTHONPATH": os.pathsep.join(map(str, (code, *more, shim)))}


def check_imports_from(code: Path, env: dict[str, str]) -> None:
    """`extract` and every module its entry point loads must come from `code`, not the editable install."""
    try:
        count = throughput.check_imports_from(throughput.Code(code.name, code, env))
    except SystemExit as failed:
        raise Stop(1, str(failed)) from None
    print(f"import extract from {code}: {count} modules of extract and verify, none from elsewhere")


def extract(version: Version, folder: Path, db: Path, options: list[str]) -> float:
    """One `govreport extract` with the version's code; its wall seconds."""
    command = [sys.executable, "-m", "extract.cli", "extract", str(folder), "--db", str(db), *options]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=version[0], env=version[1], capture_output=True, text=True)
    if done.returncode != 0:
        raise Stop(1, f"exit {done.returncode}: {' '.join(command)}\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def copy_inputs(paths: list[Path], folder: Path, bench_docs: int) -> None:
    """Every input file once, flattened into `folder` under its own name; bench copies in folder/bench."""
    folder.mkdir(parents=True)
    for path in paths:
        for file in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            if (folder / file.name).exists():
                raise Stop(2, f"two inputs are named {file.name}")
            shutil.copy(file, folder / file.name)
    if bench_docs:  # as bench/throughput.py: the samples and the corpus's text reports, each copy distinct
        (folder / "bench").mkdir()
        write_copies(folder / "bench", bench_docs, read_texts())


def dump(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, default=lambda v: v.hex() if isinstance(v, bytes) else repr(v))


def read_rows(conn: sqlite3.Connection, table: str, ordinal: dict[Any, int]) -> list[str]:
    """The table's rows as sorted canonical JSON, times, ids and the run's own paths set aside."""
    rows = []
    for raw in conn.execute(f'SELECT * FROM "{table}"'):
        row = {k: raw[k] for k in raw.keys() if k not in ("id", "latency_s") and not k.endswith("_at")}
        if "run_id" in row:
            row["run_id"] = ordinal.get(row["run_id"], row["run_id"])
        if table == "runs":
            row["run"] = ordinal[raw["id"]]  # which run it was still counts
            argv = json.loads(row["argv"])[1:]  # argv[0]: cli.py's path in each tree
            row["argv"] = ["<db>" if i and argv[i - 1] == "--db" else a for i, a in enumerate(argv)]
            row["totals"] = row["totals"] and {k: v for k, v in json.loads(row["totals"]).items() if k != "seconds"}
        rows.append(dump(row))
    return sorted(rows)


def read_store(db: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({table: canonical rows}, {"files"/"results": their paths in row order})."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        ordinal = {r[0]: i for i, r in enumerate(conn.execute("SELECT id FROM runs ORDER BY started_at, id"), 1)}
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        tables = {"sqlite_master": sorted(dump(dict(r)) for r in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"))}
        tables.update((name, read_rows(conn, name, ordinal)) for name in names)
        orders = {"files": "SELECT path FROM files ORDER BY rowid",
                  "results": "SELECT d.path FROM results r JOIN documents d USING (sha256) ORDER BY r.rowid"}
        return tables, {t: [r[0] for r in conn.execute(sql)] for t, sql in orders.items() if t in names}
    finally:
        conn.close()


def side_by_side(ra: dict[str, Any], rb: dict[str, Any]) -> list[str]:
    """Two rows as the keys that name them, then the keys that differ, long values cut around the difference."""
    keys = [k for k in sorted(ra.keys() | rb.keys()) if ra.get(k) != rb.get(k)]
    name = dump({k: ra[k] for k in ("name", "path", "sha256", "run", "method", "code") if k in ra and ra[k] == rb.get(k)})
    lines = []
    for sign, row, other in (("-", ra, rb), ("+", rb, ra)):
        parts = []
        for key in keys:
            mine, theirs = dump(row.get(key)), dump(other.get(key))
            at = next((i for i, (x, y) in enumerate(zip(mine, theirs)) if x != y), min(len(mine), len(theirs)))
            start = max(at - 40, 0)
            parts.append(f"{key}={'...' if start else ''}{mine[start:start + 120]}")
        lines.append(f"    {sign} {name} {' '.join(parts)}"[:300])
    return lines


def compare(db_a: Path, db_b: Path) -> list[str]:
    """The report of two stores' comparison, a line a table; lines that start with "DIFF " are differences."""
    (tables_a, orders_a), (tables_b, orders_b) = read_store(db_a), read_store(db_b)
    lines = []
    for table in sorted(tables_a.keys() | tables_b.keys()):
        a, b = tables_a.get(table), tables_b.get(table)
        if a is None or b is None:
            lines.append(f"DIFF {table}: only in {'tree' if a is None else 'base'}")
            continue
        head = f"{table}: base {len(a)} rows, tree {len(b)} rows"
        if a == b:
            lines.append(f"{head}: identical")
            continue
        only_a = list((collections.Counter(a) - collections.Counter(b)).elements())
        others = [json.loads(row) for row in (collections.Counter(b) - collections.Counter(a)).elements()]
        lines.append(f"DIFF {head}: {len(only_a)} rows only in base, {len(others)} only in tree")
        for row in map(json.loads, only_a[:5]):  # each beside the most alike row of the other side
            alike = max(others, key=lambda other: sum(row.get(k) == v for k, v in other.items()), default=None)
            if alike is None:
                lines.append(f"    - {dump(row)}"[:300])
            else:
                others.remove(alike)
                lines += side_by_side(row, alike)
        lines += [f"    + {dump(row)}"[:300] for row in others[:max(5 - len(only_a), 0)]]
    for table in sorted(orders_a.keys() & orders_b.keys()):  # insertion order is not in the multisets
        same = orders_a[table] == orders_b[table]
        lines.append(f"{'' if same else 'DIFF '}order of {table} rows by path: {'same' if same else 'different'}")
    return lines


def run_pair(label: str, versions: dict[str, Version], folder: Path, stores: Path,
             options: list[list[str]]) -> tuple[list[str], int, int]:
    """Both versions on `folder`, one extract per options list, into a store each: (differences, tables, rows)."""
    dbs, seconds = {}, {}
    for name, version in versions.items():
        dbs[name] = stores / f"{label.replace(' ', '-')}-{name}.db"
        for old in (dbs[name], Path(f"{dbs[name]}-wal"), Path(f"{dbs[name]}-shm")):
            old.unlink(missing_ok=True)  # a store kept from an earlier comparison must not be added to
        seconds[name] = sum(extract(version, folder, dbs[name], o) for o in options)
    print(f"[{label}] base {seconds['base']:.1f} s, tree {seconds['tree']:.1f} s")
    lines = compare(dbs["base"], dbs["tree"])
    print("\n".join(f"  {line}" for line in lines))
    counts = [int(line.split(" rows")[0].rsplit(" ", 1)[1]) for line in lines if " rows, tree " in line]
    return [f"{label}: {line[5:].split(':')[0]}" for line in lines if line.startswith("DIFF ")], len(counts), sum(counts)


def start_oracle(base: Path, shim: Path) -> tuple[subprocess.Popen, str]:
    """tests/oracle.py with the base tree's code (its llm_answer may move in the tree): (process, URL)."""
    pairs = json.dumps([[str(r), str(g)] for r, g in ORACLE_REPORTS])
    oracle = subprocess.Popen([sys.executable, "-c", ORACLE_SCRIPT, pairs], cwd=base, text=True,
                              env=code_env(base, shim, base / "tests"), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    url = oracle.stdout.readline().strip() if oracle.stdout else ""
    if not url.startswith("http"):
        oracle.kill()
        raise Stop(1, "the oracle did not start")
    return oracle, url


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, metavar="COMMIT", help="the commit whose code is the reference")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], metavar="N",
                        help="a pair of runs per count (default 1 2; put PATHs before it, or after --)")
    parser.add_argument("--bench-docs", type=int, default=0, metavar="N", help="also N distinct copies of the reports")
    parser.add_argument("--oracle", action="store_true", help="also compare runs with the LLM on (a gold oracle)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the stores into DIR and keep them")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", default=DEFAULT_INPUTS,
                        help="files or folders (default: the shared samples and corpus)")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{args.base}^{{commit}}"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    missing = [str(p) for p in args.paths if not p.exists()]
    if not commit or missing or min(args.workers) < 1 or args.bench_docs < 0:  # argparse exits with 2
        parser.error(f"no commit {args.base}" if not commit else f"no such file or folder: {' '.join(missing)}"
                     if missing else "--workers takes counts of 1 or more, --bench-docs 0 or more")
    tmp = Path(tempfile.mkdtemp(prefix="equivalence-"))
    oracle: Optional[subprocess.Popen] = None
    try:
        base, shim = unpack(commit, tmp)
        print(f"base {args.base} = {commit[:12]} in {base}; tree {REPO}")
        versions = {"base": (base, code_env(base, shim)), "tree": (REPO, code_env(REPO, shim))}
        for code, env in versions.values():
            check_imports_from(code, env)
        copy_inputs(args.paths, tmp / "in", args.bench_docs)
        stores = (args.keep or tmp / "stores").resolve()  # the two runs' cwd differ: no relative path
        stores.mkdir(parents=True, exist_ok=True)
        results = [run_pair(f"workers {w} no-llm", versions, tmp / "in", stores,
                            [["--workers", str(w), "--no-llm"], ["--workers", str(w), "--no-llm", "--force"]])
                   for w in args.workers]
        if args.oracle:  # the tool ignores --workers with the LLM on
            copy_inputs([report for report, _ in ORACLE_REPORTS], tmp / "oracle-in", 0)
            oracle, url = start_oracle(base, shim)
            llm = ["--base-url", url, "--model", "oracle", "--llm-mode", "json", "--workers", "1"]
            results.append(run_pair("workers 1 oracle", versions, tmp / "oracle-in", stores, [llm]))
    except Stop as stop:
        status, why = stop.args
        print(f"FAILED: {why}" if status == 1 else f"bad usage: {why}", file=sys.stdout if status == 1 else sys.stderr)
        return status
    finally:
        if oracle is not None:
            oracle.kill()
            oracle.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    differing = [d for found, _, _ in results for d in found]
    if differing:
        print(f"DIFFERENT (tables: {', '.join(differing)})")
        return 1
    print(f"IDENTICAL ({sum(t for _, t, _ in results)} tables, {sum(r for _, _, r in results)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
