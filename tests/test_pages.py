"""The review pages written by `govreport review --html DIR`, read as files (the browser tests, in
test_review_browser.py, click through them): one page per document named by its content, the
template's tables with the cells `extract.cell_states` flags, everything from the store escaped,
nothing external referenced, no credential written, pages of a bounded size."""
from __future__ import annotations

import json
import re
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CORPUS, REPORTS
from render import random_values, render

from extract import corrections, template
from extract.cell_states import flagged_cells
from extract.cli import main
from extract.store import Store

ALL_STATUSES = ["--status", "verified", "--status", "human_verified", "--status", "source_inconsistent",
                "--status", "needs_review", "--status", "failed", "--status", "audit"]


def constructed_report(seed: int = 3) -> tuple[str, dict]:
    """A 2021 report (tabs) whose 二 prints 规章's three cells run together (1234: readings to pick
    from) and whose 三 prints one cell of 危及“三安全一稳定” as '？' (that row missing); its true values."""
    values = random_values("2021", seed, busy=0.5)
    lines = render("2021", values, "tabs").split("\n")
    rules = next(n for n, line in enumerate(lines) if line.startswith("规章\t"))
    lines[rules] = "规章1234"
    values.update({"active.rules.issued": 12, "active.rules.repealed": 3, "active.rules.in_force": 4})
    row = next(n for n, line in enumerate(lines) if "危及" in line)
    cells = lines[row].split("\t")
    cells[-3] = "？"
    lines[row] = "\t".join(cells)
    return "\n".join(lines) + "\n", values


def extract(folder: Path, db: Path, *more: str) -> None:
    assert main(["extract", str(folder), "--db", str(db), "--no-llm", "--workers", "1", *more]) == 0


def write_pages(db: Path, out: Path, *more: str) -> None:
    assert main(["review", "--db", str(db), "--html", str(out), *more]) == 0


def page_of(out: Path, sha256: str) -> str:
    return (out / f"{sha256[:16]}.html").read_text(encoding="utf-8")


def only_record(db: Path) -> dict:
    with Store(db, readonly=True) as store:
        (record,) = list(corrections.records(store))
    return record


def with_proposal(monkeypatch) -> None:
    """Records as an LLM run leaves them: a value the LLM proposed that nothing confirmed (规章 本年制发件数 12)."""
    real = corrections.records

    def records(store, statuses=None):
        for record in real(store, statuses):
            options = {k: v for k, v in (record.get("options") or {}).items() if k != "active.rules.issued"}
            yield dict(record, proposals={"active.rules.issued": 12}, options=options)
    monkeypatch.setattr(corrections, "records", records)


@pytest.fixture
def site(tmp_path):
    """The constructed report extracted and its pages written: (input folder, store, site folder, record)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.txt").write_text(constructed_report()[0], encoding="utf-8")
    db, out = tmp_path / "s.db", tmp_path / "site"
    extract(tmp_path / "in", db)
    write_pages(db, out)
    return tmp_path / "in", db, out, only_record(db)


class Cells(HTMLParser):
    """The value cells of a page: key → classes, and each table's rows of keys."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.classes: dict[str, set[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.table = ""
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = a.get("id", "")
            self.tables[self.table] = []
        elif tag == "tr" and self.table:
            self.tables[self.table].append([])
        elif tag == "td" and "data-k" in a:
            self.classes[a["data-k"]] = set((a.get("class") or "").split())
            self.tables[self.table][-1].append(a["data-k"])


def test_the_constructed_report_needs_review_with_readings_to_pick_from(site):
    record = site[3]
    assert record["status"] == "needs_review"
    assert record["options"] == {"active.rules.issued": [1, 12], "active.rules.repealed": [2, 3, 23],
                                 "active.rules.in_force": [4, 34]}
    assert {k: record["values"][k] for k in record["values"] if k.startswith("requests.refused.security")} == \
        dict.fromkeys((f"requests.refused.security_stability.{c}" for c in template.columns()), None)


def test_a_page_per_document_named_by_its_content_and_an_index(site):
    _, _, out, record = site
    assert sorted(p.name for p in out.iterdir()) == sorted(["index.html", "review.css", "review.js",
                                                            f"{record['sha256'][:16]}.html"])
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{record["sha256"][:16]}.html"' in index and "report.txt" in index
    assert 'data-status="needs_review"' in index and "cells_missing" in index and "青山县交通运输局" in index


@pytest.mark.parametrize("version, rows", [("2021", 25), ("2019", 23)])
def test_the_tables_are_laid_out_as_the_template_prints_them(tmp_path, version, rows):
    values = random_values(version, 5, busy=0.5)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(render(version, values, "tabs"), encoding="utf-8")
    extract(tmp_path / "in", tmp_path / "s.db")
    write_pages(tmp_path / "s.db", tmp_path / "site", *ALL_STATUSES)
    page = page_of(tmp_path / "site", only_record(tmp_path / "s.db")["sha256"])
    cells = Cells(page)
    assert list(cells.classes) == list(template.numeric_keys(version))
    body = [r for r in cells.tables["t3"] if r]
    assert len(body) == rows and all(len(r) == 7 for r in body)
    assert [r[0].rsplit(".", 1)[0] for r in body] == list(template.request_row_keys(version))
    assert sum(len(r) for r in cells.tables["t4"]) == 15
    for label in ("本年新收政府信息公开申请数量", "法人或其他组织", "社会公益组织", "三、本年度办理结果", "(三) 不予公开",
                  "1. 属于国家秘密", "未经复议直接起诉", "结果维持", "第二十条第（一）项"):
        assert label in page


def test_the_page_flags_the_cells_cell_states_and_the_csv_flag(site, tmp_path):
    _, db, out, record = site
    cells = Cells(page_of(out, record["sha256"]))
    flagged = {c.key for c in flagged_cells(record)}
    assert {k for k, classes in cells.classes.items() if "flag" in classes} == flagged
    assert main(["review", "--db", str(db), "--cells", str(tmp_path / "cells.csv")]) == 0
    rows = (tmp_path / "cells.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert {row.split(",")[2] for row in rows} == flagged
    assert {"s-options", "s-missing", "flag"} <= cells.classes["active.rules.issued"]
    assert cells.classes["requests.refused.security_stability.total"] >= {"s-missing", "flag"}
    assert cells.classes["requests.new.total"] == {"s-read"}


def test_the_pages_data_carries_the_readings_and_the_issues_their_cells(site):
    page = page_of(site[2], site[3]["sha256"])
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S).group(1))
    cells = {c["k"]: c for c in data["cells"]}
    assert cells["active.rules.repealed"]["o"] == [2, 3, 23] and cells["active.rules.repealed"]["v"] is None
    missing = next(i for i in data["issues"] if i["code"] == "cells_missing" and "security" in i["message"])
    assert missing["keys"] == [f"requests.refused.security_stability.{c}" for c in template.columns()]
    assert data["rows"][cells["requests.new.total"]["r"]] == "一、本年新收政府信息公开申请数量"


def test_a_proposal_is_shown_marked_and_is_no_value(site, monkeypatch):
    _, db, out, record = site
    with_proposal(monkeypatch)
    write_pages(db, out)
    page = page_of(out, record["sha256"])
    assert 'data-k="active.rules.issued" tabindex="0" class="s-missing s-proposal flag">12</td>' in page
    data = {c["k"]: c for c in json.loads(re.search(r'id="data">(.*?)</script>', page, re.S).group(1))["cells"]}
    assert data["active.rules.issued"]["v"] is None and data["active.rules.issued"]["p"] == 12


def test_a_broken_relation_carries_its_two_sides(tmp_path):
    sample = next(p for p in REPORTS if p.stem.startswith("003"))   # prints 37+3+0+0 and 总计 44
    extract(sample.parent, tmp_path / "s.db")
    write_pages(tmp_path / "s.db", tmp_path / "site")
    with Store(tmp_path / "s.db", readonly=True) as store:
        record = next(r for r in corrections.records(store) if r["path"].endswith(sample.name))
    page = page_of(tmp_path / "site", record["sha256"])
    data = json.loads(re.search(r'id="data">(.*?)</script>', page, re.S).group(1))
    (r4,) = [i for i in data["issues"] if i["code"] == "R4"]
    assert r4["rel"]["l"] == ["litigation.direct.total"] and len(r4["rel"]["r"]) == 4
    assert "s-relation" in Cells(page).classes["litigation.direct.total"]


def test_store_text_stays_text(tmp_path):
    text, _ = constructed_report()
    hostile = '<script>alert("x")</script></script><img src=x onerror=alert(1)> & <!-- \u2028'
    text = text.replace("公开内容还不够丰富。", hostile)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a<b>&c.txt").write_text(text, encoding="utf-8")
    extract(folder, tmp_path / "s.db")
    write_pages(tmp_path / "s.db", tmp_path / "site")
    page = page_of(tmp_path / "site", only_record(tmp_path / "s.db")["sha256"])
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in page and "<img" not in page
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the page's data and review.js
    assert "a&lt;b&gt;&amp;c.txt" in page and "a&lt;b&gt;&amp;c.txt" in index and "<b>" not in index


def test_nothing_external_is_referenced(site):
    out = site[2]
    written = {p.name for p in out.iterdir()}
    for path in out.iterdir():
        content = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i:https?:|//[a-z0-9]|@import|fetch\(|XMLHttpRequest|WebSocket)|\burl\(", content), path.name
        for ref in re.findall(r'(?:src|href)="([^"]*)"', content):
            assert ref in written or ref.startswith("#"), (path.name, ref)


def test_no_credential_reaches_a_page(tmp_path, monkeypatch):
    """The LLM on, its endpoint dead (a closed port on 127.0.0.1), a key given as a flag and in the
    environment: the pages show only record fields and stored text."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-ENVSECRET0123456789abcdef")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.txt").write_text(constructed_report()[0], encoding="utf-8")
    assert main(["extract", str(tmp_path / "in"), "--db", str(tmp_path / "s.db"), "--workers", "1",
                 "--base-url", f"http://user:pw-SECRET@127.0.0.1:{port}/v1", "--model", "m",
                 "--api-key", "sk-FLAGSECRET0123456789abcdef", "--deadline", "20"]) == 0
    assert "llm_unavailable" in {i["code"] for i in only_record(tmp_path / "s.db")["issues"]}
    write_pages(tmp_path / "s.db", tmp_path / "site", *ALL_STATUSES)
    for path in (tmp_path / "site").iterdir():
        content = path.read_text(encoding="utf-8")
        for secret in ("sk-ENVSECRET", "sk-FLAGSECRET", "pw-SECRET", "0123456789abcdef"):
            assert secret not in content, (path.name, secret)


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_a_folder_that_cannot_be_written_is_bad_usage(site, tmp_path, capsys, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    out = blocker if where == "a file" else blocker / "site"
    capsys.readouterr()
    assert main(["review", "--db", str(site[1]), "--html", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"govreport review: cannot write {out}")


def test_cells_and_html_at_once_are_refused(site, tmp_path, capsys):
    assert main(["review", "--db", str(site[1]), "--html", str(tmp_path / "o"), "--cells", str(tmp_path / "c.csv")]) == 2
    assert "one at a time" in capsys.readouterr().err


def test_the_index_lists_an_unreadable_input_without_a_page(site, tmp_path):
    folder, db, _, record = site
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    extract(folder, db)
    out = tmp_path / "site2"
    write_pages(db, out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "gone.txt" in index and index.count("<tr data-status") == 2 and index.count('.html">') == 1
    assert re.search(r'data-status="failed"[^>]*data-sha=""', index)


def test_corrections_show_as_a_persons_and_stale_ones_as_stale(site, tmp_path):
    folder, db, _, record = site
    sha = record["sha256"]
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text("\n".join(json.dumps(line) for line in [
        {"sha256": sha, "key": "active.rules.issued", "value": 12, "was": None, "note": "the layout says 12"},
        {"sha256": sha, "key": "requests.new.total", "value": 5, "was": 4, "note": "made against another reading"},
    ]) + "\n")
    assert main(["correct", str(decisions), "--db", str(db), "--by", "tester"]) == 0
    out = tmp_path / "site2"
    write_pages(db, out)
    page = page_of(out, sha)
    cells = Cells(page)
    assert "s-human" in cells.classes["active.rules.issued"] and "s-stale" in cells.classes["requests.new.total"]
    data = {c["k"]: c for c in json.loads(re.search(r'id="data">(.*?)</script>', page, re.S).group(1))["cells"]}
    assert data["active.rules.issued"]["v"] == 12 and data["active.rules.issued"]["w"] is None
    assert data["requests.new.total"]["x"] == {"v": 5, "w": 4, "by": "tester"}


def test_an_audit_sample_has_every_cell_to_confirm(tmp_path):
    values = random_values("2021", 8, busy=0.5)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(render("2021", values, "tabs"), encoding="utf-8")
    extract(tmp_path / "in", tmp_path / "s.db", "--audit-rate", "1")
    write_pages(tmp_path / "s.db", tmp_path / "site")
    page = page_of(tmp_path / "site", only_record(tmp_path / "s.db")["sha256"])
    assert 'class="status st-audit"' in page and 'id="confirm-all" type="button" class=audit' in page
    assert all({"s-audit", "flag"} <= c for c in Cells(page).classes.values())


def _page_sizes(tmp_path: Path) -> list[tuple[str, int, int]]:
    extract(CORPUS / "raw", tmp_path / "s.db")
    extract(REPORTS[0].parent, tmp_path / "s.db")
    write_pages(tmp_path / "s.db", tmp_path / "site", *ALL_STATUSES)
    sizes = []
    with Store(tmp_path / "s.db", readonly=True) as store:
        for record in corrections.records(store):
            text = store.get_text(record["sha256"]) or ""
            page = tmp_path / "site" / f"{record['sha256'][:16]}.html"
            sizes.append((Path(record["path"]).name, page.stat().st_size, len(text.encode())))
    return sizes


def test_a_page_is_at_most_three_times_its_text_and_100_kb(tmp_path):
    sizes = _page_sizes(tmp_path)
    assert len(sizes) == len(list((CORPUS / "raw").iterdir())) + len(REPORTS)
    too_big = [(name, page, text) for name, page, text in sizes if page > 3 * text + 100 * 1024]
    assert too_big == []
