"""Inputs as users have them: HTML pages, PDFs, Word documents, any encoding.

Real pages and PDFs (../shared/corpus) are scored against their gold; files built here from
known values (merged cells, split spans, ruled PDF tables, merged Word cells) must read back
to exactly those values, and the same report in every format to the same values.
"""
from __future__ import annotations

import json

import pytest
from conftest import CORPUS, corpus_files, extract_with_gold
from render import random_values, render
from render_formats import render_docx, render_html, render_pdf

from extract import template
from extract.cli import main
from extract.errors import InputError
from extract.formats import read_document
from extract.process import assess_text

BINARY_KINDS = ("*.html", "*.pdf")
COLS = template.columns()


def _files():
    return corpus_files(*BINARY_KINDS)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    work = tmp_path_factory.mktemp("formats")
    extract_with_gold(work, _files())
    return work


def test_corpus_pages_and_pdfs_meet_the_bars(scored, capsys):
    capsys.readouterr()
    assert main(["eval", str(scored / "gold"), "--db", str(scored / "store.db"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["matched"] == result["documents"] == len(_files()) >= 4
    assert result["wrong_values"] == 0
    assert result["cell_accuracy"] >= 0.99
    assert result["flag_recall"] in (None, 1.0)
    assert result["verified_precision"] in (None, 1.0)
    assert result["source_inconsistent_precision"] in (None, 1.0)


def test_a_source_that_prints_wrong_totals_is_reported_not_fixed(scored, capsys):
    # The 2023 Hongze PDF prints 总计 0 under 10+1+0+0 (行政复议) and 5+0+0+0: kept as printed.
    gold = json.loads((CORPUS / "gold" / "d07_hongze_district_2023.json").read_text(encoding="utf-8"))
    capsys.readouterr()
    main(["export", "--db", str(scored / "store.db")])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    record = next(r for r in records if r["path"].endswith("d07_hongze_district_2023.pdf"))
    assert record["status"] == "source_inconsistent"
    assert record["values"]["review.total"] == gold["values"]["review.total"]
    assert {"R4"} <= {i["code"] for i in record["issues"]}


BUILT = {"html": lambda fmt, v: (render_html(fmt, v).encode("utf-8"), "page.html"),
         "html-gbk": lambda fmt, v: (render_html(fmt, v).replace('charset="utf-8"', 'charset="gbk"')
                                     .encode("gb18030"), "page.htm"),
         "pdf": lambda fmt, v: (render_pdf(fmt, v), "report.pdf"),
         "docx": lambda fmt, v: (render_docx(fmt, v), "report.docx")}


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("kind", list(BUILT))
def test_built_files_read_back_exactly(kind, fmt, seed):
    values = random_values(fmt, seed, busy=0.5)
    data, name = BUILT[kind](fmt, values)
    found = assess_text(read_document(data, name).text)
    assert {k: found.reading.cells[k].value for k in values} == values
    assert found.status == "verified", found.reason


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_the_same_report_in_every_format_gives_the_same_values(fmt):
    values = random_values(fmt, 7, busy=0.5)
    readings = {}
    for kind in ("text", "flat", *BUILT):
        if kind in ("text", "flat"):
            text = render(fmt, values, "tabs" if kind == "text" else "flat")
        else:
            text = read_document(*BUILT[kind](fmt, values)).text
        readings[kind] = {k: c.value for k, c in assess_text(text).reading.cells.items()}
    for kind, got in readings.items():
        # Where a format determines a cell, it agrees with every other format (flat text may leave some empty).
        assert {k: v for k, v in got.items() if v is not None} == {k: values[k] for k, v in got.items() if v is not None}, kind
    assert all(v is not None for v in readings["html"].values())


def _blank_last_cell(page: str, words: str) -> str:
    """The page with the last cell of the table row whose text holds `words` left blank (&nbsp;)."""
    import lxml.html

    root = lxml.html.fromstring(page)
    tr = next(tr for tr in root.iter("tr") if words in tr.text_content())
    cell = tr.findall("td")[-1]
    for child in list(cell):
        cell.remove(child)
    cell.text = "\u00a0"
    return lxml.html.tostring(root, encoding="unicode")


@pytest.mark.parametrize("seed", range(3))
def test_a_grid_cell_left_blank_is_0_as_printed_and_a_broken_sum_is_the_sources(seed):
    """In a grid the place of a blank cell is certain, at a row's edge too: a 总计 left blank beside
    parts that do not sum to 0 is the source breaking its row's sum, every cell read as printed."""
    values = {**random_values("2021", seed, busy=0.5), "requests.granted.natural_person": 5}
    values["requests.granted.total"] = sum(values[f"requests.granted.{c}"] for c in COLS[:-1])
    page = _blank_last_cell(render_html("2021", values).replace(   # the prose states the total, as many do
        "<p>公开内容还不够丰富。</p>", f"<p>本年度予以公开{values['requests.granted.total']}件。</p>"), "予以公开")
    found = assess_text(read_document(page.encode("utf-8"), "p.html").text)
    assert {k: found.reading.cells[k].value for k in values} == {**values, "requests.granted.total": 0}
    assert found.status == "source_inconsistent" and "R3" in found.report.codes
    # The same row in a tab-separated scrape: a last tab may be a stray one, so it is not a cell for sure.
    lines = render("2021", values, "tabs").split("\n")
    row = next(n for n, line in enumerate(lines) if "予以公开" in line)
    lines[row] = lines[row].rsplit("\t", 1)[0] + "\t\t"
    assert assess_text("\n".join(lines)).reading.cells["requests.granted.total"].value is None


def _padded_with_a_cell_dropped(page: str, words: str, column: int) -> str:
    """Every table row given an empty padding cell at its end, and one value cell of the row whose
    text holds `words` dropped (as a merged or missing <td> leaves it): the row one cell short."""
    import lxml.html

    root = lxml.html.fromstring(page)
    for tr in root.iter("tr"):
        tr.append(lxml.html.fromstring("<td></td>"))
    tr = next(tr for tr in root.iter("tr") if words in tr.text_content())
    cells = tr.findall("td")[:-1]
    tr.remove(cells[column] if column < 0 else cells[len(cells) - 7 + column])
    return lxml.html.tostring(root, encoding="unicode")


@pytest.mark.parametrize("words,column", [("部分公开", 2), ("规章", -2), ("结转下年度", 0)])
@pytest.mark.parametrize("seed", range(3))
def test_a_grid_with_a_padding_column_and_a_cell_dropped_gives_no_trusted_wrong_value(words, column, seed):
    """With an empty column at the end of every row, a row one cell short still prints as many
    cells as the template's row: the padding is not taken for its last cell."""
    values = random_values("2021", seed, busy=0.5)
    page = _padded_with_a_cell_dropped(render_html("2021", values), words, column)
    found = assess_text(read_document(page.encode("utf-8"), "p.html").text)
    wrong = {k: (found.reading.cells[k].value, v) for k, v in values.items()
             if found.reading.cells[k].value is not None and found.reading.cells[k].value != v}
    assert found.status == "needs_review" or wrong == {}, (found.status, wrong)


def test_site_chrome_and_scripts_are_not_read():
    values = random_values("2021", 1, busy=0.5)
    text = read_document(render_html("2021", values).encode(), "p.html").text
    assert "12345" not in text and "首页" not in text  # the script's and the navigation's text are gone
    assert "公开内容还不够丰富" in text                  # the article's paragraphs stay


def test_a_report_inside_a_script_string_is_unwrapped():
    values = random_values("2021", 2, busy=0.5)
    inner = render_html("2021", values).split("<div class=\"article\">", 1)[1].split("<div class=\"footer\">")[0]
    page = ("<html><body><div id=\"app\"></div><script>var content = " + json.dumps(inner, ensure_ascii=False)
            + "; render(content);</script></body></html>")
    found = assess_text(read_document(page.encode(), "p.html").text)
    assert {k: found.reading.cells[k].value for k in values} == values


def test_a_scanned_pdf_without_text_is_said_so(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 600, fill=1)  # a picture of a page, and no text
    page.save()
    with pytest.raises(InputError, match="no text layer"):
        read_document(path.read_bytes(), path.name)


def test_a_legacy_doc_names_the_conversion(monkeypatch):
    import shutil as sh

    monkeypatch.setattr(sh, "which", lambda name: None)
    with pytest.raises(InputError, match=r"\.doc.*soffice --headless --convert-to docx"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "report.doc")


def test_a_missing_library_is_a_one_line_hint(monkeypatch):
    import importlib

    real = importlib.import_module

    def no_lxml(name, *args):
        if name.startswith("lxml"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_lxml)
    with pytest.raises(InputError, match=r"pip install 'govreport\[html\]'"):
        read_document(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "a.html")


@pytest.mark.parametrize("codec", ["utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_in_any_common_encoding(codec):
    values = random_values("2021", 4, busy=0.5)
    text = render("2021", values, "tabs")
    found = assess_text(read_document(text.encode(codec), "r.txt").text)
    assert {k: found.reading.cells[k].value for k in values} == values


@pytest.mark.parametrize("wrong", ["latin-1", "gbk"])
def test_mojibake_is_reported_not_parsed(wrong):
    text = render("2021", random_values("2021", 4, busy=0.5), "tabs")
    garbled = text.encode("utf-8").decode(wrong, errors="replace").encode("utf-8")
    with pytest.raises(InputError, match="mojibake"):
        read_document(garbled, "r.txt")


def test_a_folder_of_mixed_files_accounts_for_every_file(tmp_path, capsys):
    """100 files: reports in every format, broken ones, and things that are not reports."""
    folder = tmp_path / "in"
    folder.mkdir()
    makers = [
        lambda i: ("txt", render("2021", random_values("2021", i), "tabs").encode()),
        lambda i: ("html", render_html("2019", random_values("2019", i)).encode()),
        lambda i: ("pdf", render_pdf("2021", random_values("2021", i))),
        lambda i: ("docx", render_docx("2019", random_values("2019", i))),
        lambda i: ("pdf", b"%PDF-1.4 broken " + bytes([i])),               # a truncated PDF
        lambda i: ("docx", b"PK\x03\x04 not really a document" + bytes([i])),  # a broken archive
        lambda i: ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes([i]) * 64),
        lambda i: ("txt", b""),                                               # empty
        lambda i: ("txt", "今天天气很好。".encode() * (i + 1)),                  # not a report
        lambda i: ("bin", bytes(range(256)) * 4),                             # binary
    ]
    for i in range(100):
        ext, data = makers[i % len(makers)](i)
        (folder / f"f{i:03d}.{ext}").write_bytes(data)
    db = tmp_path / "s.db"
    assert main(["extract", str(folder), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["export", "--db", str(db)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    paths = {r["path"] for r in records}
    assert len(paths) == 100
    by_kind = {}
    for r in records:
        by_kind.setdefault(r["path"].rsplit(".", 1)[1], []).append(r)
    assert all(r["status"] != "failed" for r in by_kind["html"])
    assert all(r["status"] == "failed" and r["reason"].startswith("Word 97-2003") for r in by_kind["doc"])
    failed_reasons = [r["reason"] for r in records if r["status"] == "failed"]
    assert all(reason and "\n" not in reason for reason in failed_reasons)


@pytest.mark.parametrize("zero_as", ["0", "&nbsp;"])
def test_markdown_whose_tables_are_html_among_its_lines_reads_as_the_page(zero_as):
    """A PDF converter's markdown: prose as lines, each table an HTML <table> (with spans), the first
    one after a page of prose. Its tables are read as grids; the attributes' numbers are no cells."""
    import re
    values = random_values("2021", 9, busy=0.4)
    page = render_html("2021", values)
    if zero_as != "0":
        page, blanked = re.subn(r'<td><span>0</span><span lang="EN"></span></td>', f"<td>{zero_as}</td>", page)
        assert blanked > 10
    tables = re.findall(r"<table.*?</table>", page, re.S)
    prose = "\n".join(f"（{n}）本机关认真落实《条例》，第{n}项工作按期完成。" for n in range(1, 90))
    text = (f"# 2022年青山县交通运输局政府信息公开工作年度报告\n\n## 一、总体情况\n\n{prose}\n\n"
            "## 二、主动公开政府信息情况\n\n" + "\n\n".join(tables[:-2]) + "\n\n## 三、收到和处理政府信息公开申请情况\n\n"
            + tables[-2] + "\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n" + tables[-1]
            + "\n\n## 五、存在的主要问题及改进情况\n\n公开内容还不够丰富。\n\n青山县交通运输局\n2023年1月20日\n")
    assert text.index("<table") > 2048
    decoded = read_document(text.encode(), "report.md")
    assert "<table" not in decoded.text and "rowspan" not in decoded.text
    found = assess_text(decoded.text)
    assert {k: found.reading.cells[k].value for k in values} == values and found.status == "verified"


@pytest.mark.parametrize("padded", [False, True])
def test_grid_rows_blank_in_every_cell_are_rows_of_zeros(padded):
    """Zeros left blank in a grid (an agency with few requests and no appeals): a labelled row blank
    in every cell, and 四's single row of blanks, are zeros whichever cell is whose — also in a grid
    wider than the template (a padding column), where a blank beside numbers has no known column."""
    from test_labels_apart import _markdown
    values = random_values("2021", 0, busy=0)
    values.update({"requests.new.natural_person": 3, "requests.new.total": 3, "requests.granted.natural_person": 3,
                   "requests.granted.total": 3, "requests.total.natural_person": 3, "requests.total.total": 3})
    lines = _markdown(render("2021", values, "pipes", zero_as="")).split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("五、")) - 1
    while not lines[at].strip():
        at -= 1
    lines[at] = "|" + " |" * len(template.appeal_keys())
    if padded:
        lines = [line + "  |" if line.startswith("|") else line for line in lines]
    found = assess_text("\n".join(lines))
    assert {k: found.reading.cells[k].value for k in values} == values
    if not padded:
        assert found.status == "verified"
