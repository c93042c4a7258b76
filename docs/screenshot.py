"""docs/review-page.png: a review page as a person sees it on a 1366 × 768 screen.

    python docs/screenshot.py [--out docs/review-page.png] [--cell KEY] [--chromium PATH]

Builds a report from chosen values (tests/render.py) with what a reviewer meets: 规章's three cells
printed run together (readings to pick from), a cell of 三 printed as '？' (its row missing), and a
row whose printed 总计 is not its sum (a broken relation); extracts it into a temporary store,
writes its pages with `govreport review --html`, and has headless Chromium photograph the page
with a cell selected (the page honours `#cell=KEY` on load: the cell outlined, its printed span lit
in the source, its relation's two sides shown). Needs Debian's chromium and a CJK font
(fonts-wqy-microhei or fonts-noto-cjk), or the Chinese shows as boxes.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from render import random_values, render  # noqa: E402

from extract.cli import main as govreport  # noqa: E402

CELL = "requests.granted.total"


def report() -> str:
    """The example report's text."""
    lines = render("2021", random_values("2021", 3, busy=0.5), "tabs").split("\n")
    rules = next(n for n, line in enumerate(lines) if line.startswith("规章\t"))
    lines[rules] = "规章1234"                                  # three readings: 1|2|34, 1|23|4, 12|3|4
    for words, change in (("危及", "？"), ("(一) 予以公开", None)):
        row = next(n for n, line in enumerate(lines) if words in line)
        cells = lines[row].split("\t")
        cells[-3 if change else -1] = change or str(int(cells[-1]) + 10)   # a '？'; a 总计 that is not the sum
        lines[row] = "\t".join(cells)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "review-page.png")
    parser.add_argument("--cell", default=CELL, help=f"the cell selected (default {CELL})")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    if subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip() == "":
        print("warning: no CJK font (apt-get install fonts-wqy-microhei): Chinese will show as boxes", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "青山县交通运输局2022年报.txt").write_text(report(), encoding="utf-8")
        db, site = Path(tmp) / "store.db", Path(tmp) / "site"
        if govreport(["extract", str(folder), "--db", str(db), "--no-llm", "--workers", "1"]) != 0 or \
                govreport(["review", "--db", str(db), "--html", str(site)]) != 0:
            return 1
        page = next(p for p in site.glob("*.html") if p.name != "index.html")
        done = subprocess.run([args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                               "--disable-background-networking", "--no-first-run", f"--user-data-dir={tmp}/profile",
                               "--window-size=1366,768", "--virtual-time-budget=3000", f"--screenshot={args.out}",
                               f"{page.as_uri()}#cell={args.cell}"], capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or not args.out.exists():
            print(f"chromium failed ({done.returncode}): {done.stderr[-800:]}", file=sys.stderr)
            return 1
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
