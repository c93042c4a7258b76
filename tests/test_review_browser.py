"""The review pages in a real browser (Debian's headless Chromium through tests/browser.py), opened
from disk as a person opens them: a cell and its printed span find each other, readings are picked,
values edited, decisions survive a reload, the saved file is applied by `govreport correct` and kept
by the next `extract --force`; the 三 table and its source fit side by side on a 1366 × 768 screen.
Skipped, naming the packages to install, where Chromium is missing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPORTS
from render import random_values, render
from test_pages import constructed_report, extract, only_record, with_proposal, write_pages

import browser
from browser import Browser
from extract import template
from extract.cli import main

NEEDS_CHROMIUM = browser.available()
pytestmark = pytest.mark.skipif(NEEDS_CHROMIUM is not None, reason=NEEDS_CHROMIUM or "")
ROW = "requests.refused.security_stability"   # the row the constructed report prints with a '？'


@pytest.fixture(scope="module")
def b():
    """One browser for the module, at the size of a common laptop screen."""
    with Browser(1366, 768) as shared:
        yield shared


@pytest.fixture
def site(tmp_path):
    (tmp_path / "in").mkdir()
    text, values = constructed_report()
    (tmp_path / "in" / "report.txt").write_text(text, encoding="utf-8")
    db, out = tmp_path / "s.db", tmp_path / "site"
    extract(tmp_path / "in", db)
    write_pages(db, out)
    record = only_record(db)
    return {"in": tmp_path / "in", "db": db, "page": out / f"{record['sha256'][:16]}.html", "values": values,
            "sha": record["sha256"], "out": out}


def ready(b: Browser) -> None:
    """Wait for the page's script to start: it waits for its first frames before using localStorage,
    and loads itself again when it finds it empty; so must a test (the first use binds the page's storage)."""
    b.wait_for(lambda: b.run("return document.body.dataset.ready") == "1")


def visit(b: Browser, target: Path | str) -> None:
    b.open(target)
    ready(b)


def reloaded(b: Browser) -> None:
    b.reload()
    ready(b)


def opened(b: Browser, page: Path, fresh: bool = True) -> None:
    """The page, with nothing kept from an earlier test (localStorage is shared by every file:// page)."""
    visit(b, page)
    if fresh:
        b.run("localStorage.clear()")
        reloaded(b)


def selected(b: Browser) -> str:
    return b.run("var td = document.querySelector('td.sel'); return td && td.dataset.k")


def lit(b: Browser) -> list[str]:
    """The text of the source's highlighted span, and whether it is scrolled into its pane."""
    return b.run("""var on = Array.from(document.querySelectorAll('#src .p.on'));
        var pane = document.getElementById('src').getBoundingClientRect();
        return on.map(m => { var r = m.getBoundingClientRect();
            return m.textContent + (r.top >= pane.top && r.bottom <= pane.bottom ? '' : ' (hidden)'); });""")


def in_view(b: Browser, key: str) -> bool:
    """Whether the cell is scrolled into the tables' pane."""
    return b.run("""var td = document.querySelector('td[data-k="' + arguments[0] + '"]').getBoundingClientRect();
        var pane = document.getElementById('left').getBoundingClientRect();
        return td.top >= pane.top && td.bottom <= pane.bottom;""", key)


def kept(b: Browser, sha: str) -> dict:
    return json.loads(b.run(f"return localStorage.getItem('govreport:{sha}') || '{{}}'"))


def test_a_cell_lights_its_printed_span_and_a_span_selects_its_cell(b, site):
    opened(b, site["page"])
    assert selected(b) == "active.rules.issued"   # the first cell to check
    b.click('td[data-k="requests.carried_forward.total"]')
    assert selected(b) == "requests.carried_forward.total"
    assert lit(b) == [str(site["values"]["requests.carried_forward.total"])]
    assert "四、结转下年度继续办理" in b.text("#detail")
    span = b.run("return Array.from(document.querySelectorAll('#src .p')).find(m => m.textContent === arguments[0] "
                 "&& !m.classList.contains('on'))", str(site["values"]["requests.new.natural_person"]))
    b.click(span)
    assert selected(b) == "requests.new.natural_person" and "on" in b.attribute(span, "className")
    assert in_view(b, "requests.new.natural_person")
    b.run("document.getElementById('left').scrollTop = 0")
    span = b.run("return Array.from(document.querySelectorAll('#src .p')).filter(m => m.textContent === arguments[0])"
                 ".pop()", str(site["values"]["litigation.after_review.total"]))   # 四's last cell
    b.run("arguments[0].scrollIntoView()", span)
    b.click(span)
    assert selected(b) == "litigation.after_review.total" and in_view(b, "litigation.after_review.total")


def test_keys_move_between_cells_and_say_what_they_do(b, site):
    opened(b, site["page"])
    assert "j / k" in b.text("#help") and "1–9" in b.text("#help") and "Enter" in b.text("#help")
    b.press("j")
    assert selected(b) == "active.rules.repealed"
    b.press("k")
    assert selected(b) == "active.rules.issued"
    b.press("ArrowDown")
    assert selected(b) == "active.rules.repealed"
    for _ in range(3):
        b.press("j")
    assert selected(b) == f"{ROW}.commercial"
    assert lit(b) == []                         # a missing cell was printed nowhere
    b.click("#issues li:nth-child(2)")          # cells_missing: its cells, one by one
    assert selected(b) == f"{ROW}.natural_person"


def test_decide_reload_save_correct_and_extract_again(b, site):
    opened(b, site["page"])
    b.press("2")                                 # 规章 本年制发件数: readings 1, 12
    assert selected(b) == "active.rules.repealed"  # a decision moves on to the next cell to check
    b.press("2")                                 # 2, 3, 23
    b.press("1")                                 # 4, 34
    truth = site["values"]
    for column in template.columns():
        key = f"{ROW}.{column}"
        assert selected(b) == key
        b.press("e")
        b.wait_for(lambda: b.run("return document.activeElement.tagName") == "INPUT")
        b.type("#detail input", str(truth[key]))
        b.press("Enter")
    b.click('td[data-k="requests.new.total"]')
    b.press("n")
    b.type("#detail input", "checked against the PDF")
    b.press("Enter")
    b.press("Enter")                             # accept the machine's value, with the note
    reloaded(b)
    decided = kept(b, site["sha"])
    assert {k: d["v"] for k, d in decided.items()} == {
        "active.rules.issued": 12, "active.rules.repealed": 3, "active.rules.in_force": 4,
        "requests.new.total": truth["requests.new.total"], **{f"{ROW}.{c}": truth[f"{ROW}.{c}"] for c in template.columns()}}
    assert b.text(f'td[data-k="{ROW}.total"]') == str(truth[f"{ROW}.total"])
    assert "mine" in b.attribute(f'td[data-k="{ROW}.total"]', "className")
    b.press("s")
    (saved,) = b.wait_for(b.downloads)
    assert saved.name == f"corrections-{site['sha'][:16]}.jsonl"
    lines = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 11 and {"sha256", "key", "value", "was", "note"} == set(lines[0])
    assert next(x for x in lines if x["key"] == "requests.new.total")["note"] == "checked against the PDF"
    assert main(["correct", str(saved), "--db", str(site["db"]), "--by", "reviewer"]) == 0
    extract(site["in"], site["db"], "--force")
    record = only_record(site["db"])
    assert record["status"] == "human_verified"
    assert {k: record["values"][k] for k in decided} == {k: d["v"] for k, d in decided.items()}
    assert {record["confidence"][k] for k in decided} == {"human"}
    saved.unlink()


def test_confirm_every_cell_of_an_audit_sample(b, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(render("2021", random_values("2021", 8, busy=0.5), "tabs"), encoding="utf-8")
    extract(tmp_path / "in", tmp_path / "s.db", "--audit-rate", "1")
    write_pages(tmp_path / "s.db", tmp_path / "site")
    record = only_record(tmp_path / "s.db")
    opened(b, tmp_path / "site" / f"{record['sha256'][:16]}.html")
    b.press("A")
    b.click("#save")
    (saved,) = b.wait_for(b.downloads)
    lines = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [x["key"] for x in lines] == list(template.numeric_keys("2021"))
    assert all(x["value"] == x["was"] == record["values"][x["key"]] for x in lines)
    assert main(["correct", str(saved), "--db", str(tmp_path / "s.db")]) == 0
    assert only_record(tmp_path / "s.db")["status"] == "human_verified"
    saved.unlink()


def test_the_index_filters_and_leads_to_the_pages(b, site):
    sample = next(p for p in REPORTS if p.stem.startswith("003"))   # source_inconsistent: R4
    extract(sample, site["db"])
    write_pages(site["db"], site["out"])
    opened(b, site["out"] / "index.html")
    assert b.text("#shown") == "2 of 2 shown"

    def choose(select: str, value: str) -> str:
        b.run("var s = document.getElementById(arguments[0]); s.value = arguments[1]; "
              "s.dispatchEvent(new Event('change'))", select, value)
        return b.text("#shown")
    assert choose("f-code", "R4") == "1 of 2 shown"
    assert choose("f-code", "") == "2 of 2 shown" and choose("f-status", "source_inconsistent") == "1 of 2 shown"
    assert choose("f-status", "") == "2 of 2 shown"
    b.type("#f-agency", "青山县交通")
    assert b.text("#shown") == "1 of 2 shown"
    b.click("#docs tr:not([hidden]) a")
    assert b.url.startswith(site["page"].resolve().as_uri())
    ready(b)
    b.run("localStorage.clear()")
    b.press("2")                                 # a decision on this page: the index counts it, saves it
    assert kept(b, site["sha"])["active.rules.issued"]["v"] == 12
    visit(b, site["out"] / "index.html")
    # rows come in the order of their paths, which differs between machines: find this one's by its hash
    assert b.text(f'#docs tr[data-sha="{site["sha"]}"] td.decided') == "1", (
        f"the index's storage holds {b.run('return Object.keys(localStorage)')} "
        f"(the page loaded {b.run('return document.body.dataset.loads')} time(s))")
    b.click("#save-all")
    (saved,) = b.wait_for(b.downloads)
    assert saved.name == "corrections-all.jsonl"
    assert json.loads(saved.read_text(encoding="utf-8")) == {"sha256": site["sha"], "key": "active.rules.issued",
                                                             "value": 12, "was": None, "note": ""}
    saved.unlink()
    first, second = b.run("return Array.from(document.querySelectorAll('#docs tr[data-sha] a'), a => a.href)")
    b.click("#docs tr[data-sha] a")
    ready(b)
    assert b.url.startswith(first)
    b.press("]")                                 # the next document in the index's order
    b.wait_for(lambda: b.url.startswith(second))
    ready(b)
    assert b.run("return document.body.dataset.page") == "doc"


def test_a_broken_relation_shows_its_message_and_both_sides(b, tmp_path):
    sample = next(p for p in REPORTS if p.stem.startswith("003"))   # prints 37+3+0+0 and 总计 44
    extract(sample, tmp_path / "s.db")
    write_pages(tmp_path / "s.db", tmp_path / "site")
    page = tmp_path / "site" / f"{only_record(tmp_path / 's.db')['sha256'][:16]}.html"
    visit(b, page.resolve().as_uri() + "#cell=litigation.direct.total")
    assert selected(b) == "litigation.direct.total" and lit(b) == ["44"]
    detail = b.text("#detail")
    assert "R4" in detail and "the source itself breaks it" in detail
    assert "总计 44 = 44" in detail and "结果维持 37 + 结果纠正 3 + 其他结果 0 + 尚未审结 0 = 40" in detail
    b.click("#detail .side a:not(.here)")       # a cell of the other side
    assert selected(b) == "litigation.direct.upheld" and lit(b) == ["37"]


def test_a_proposal_is_marked_and_a_value_only_once_accepted(b, site, monkeypatch):
    with_proposal(monkeypatch)
    write_pages(site["db"], site["out"])
    opened(b, site["page"])
    cell = 'td[data-k="active.rules.issued"]'
    assert b.text(cell) == "12" and "s-proposal" in b.attribute(cell, "className")
    assert "proposal (unconfirmed): 12 — Enter accepts it" in b.text("#detail")
    assert kept(b, site["sha"]) == {}
    b.press("Enter")
    assert kept(b, site["sha"]) == {"active.rules.issued": {"v": 12, "w": None, "n": "", "d": 1}}


def test_the_request_table_and_its_source_fit_side_by_side_on_a_laptop_screen(b, site):
    opened(b, site["page"])
    assert b.window(1366, 768) == (1366, 768)
    fit = b.run("""var pane = document.getElementById('left'), t3 = document.getElementById('t3');
        var src = document.getElementById('src').getBoundingClientRect(), t = t3.getBoundingClientRect();
        var fonts = Array.from(t3.querySelectorAll('td, th')).map(e => parseFloat(getComputedStyle(e).fontSize));
        return {scrolls: pane.scrollWidth > pane.clientWidth, right: t.right <= pane.getBoundingClientRect().right,
                font: Math.min.apply(null, fonts), beside: src.left >= t.right, srcWidth: src.width,
                srcVisible: src.right <= window.innerWidth && src.top < window.innerHeight && src.height > 200,
                clipped: Array.from(t3.querySelectorAll('td')).filter(td => td.scrollWidth > td.clientWidth).length};""")
    assert fit == {"scrolls": False, "right": True, "font": 12, "beside": True, "srcWidth": fit["srcWidth"],
                   "srcVisible": True, "clipped": 0}
    assert fit["srcWidth"] > 450


def test_document_text_with_markup_stays_text_in_the_browser(b, tmp_path):
    text, _ = constructed_report()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(text.replace("公开内容还不够丰富。", "<script>window.hit = 1</script><b>粗</b>"),
                                           encoding="utf-8")
    extract(tmp_path / "in", tmp_path / "s.db")
    write_pages(tmp_path / "s.db", tmp_path / "site")
    opened(b, tmp_path / "site" / f"{only_record(tmp_path / 's.db')['sha256'][:16]}.html")
    assert b.run("return window.hit === undefined && document.querySelectorAll('#src b, #src script').length === 0")
    assert "<script>window.hit = 1</script><b>粗</b>" in b.text("#src")
