"""The same report, from known values, as an HTML page, a PDF and a Word document.

Built the way agencies' sites and office suites build them: merged cells for the row groups
(rowspan) and wide labels (colspan), numbers and labels split across <span>s, blank cells
as &nbsp;, the site's navigation and scripts around the article. The template's words and
shapes come from extract.template (through render's helpers); only the drawing is ours.
"""
from __future__ import annotations

import html
import io
import zlib

from render import (NARRATIVE, RELATION_NOTE, PrintedRow, _fmt_cell, active_tables, appeal_header, applicant_columns,
                    printed_rows)

from extract import template
from extract.template import spec

COLS = template.columns()
# A drawing convention: 三's labels nest three deep (三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密),
# so the table keeps three label columns; office documents print items' brackets full width.
_LABEL_COLUMNS = 3
_WIDE = str.maketrans("()", "（）")


def _label(p: PrintedRow) -> str:
    """'一、本年新收…', '（一）予以公开', '1.属于国家秘密'."""
    return (f"{p.sub}." if p.sub else p.item.translate(_WIDE) if p.item else p.row.number) + p.row.label


def request_grid(fmt: str, values: dict) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, rowspan, colspan), the way the national template lays the table out: 三、本年度办理结果
    spans the rows numbered under it, (七)总计 too; a group's heading spans its rows."""
    rows, grid = printed_rows(fmt), []
    for p, r in zip(rows, template.request_rows(fmt)):
        zero_as = "" if zlib.crc32(r.key.encode()) % 3 == 0 else "0"
        out: list[tuple[str, int, int]] = []
        if p.opens[0]:
            out.append((spec.OUTCOMES_HEADING, sum(bool(q.item) for q in rows), 1))
        if p.opens[1]:
            out.append((p.item.translate(_WIDE) + p.group.label, sum(q.group == p.group for q in rows), 1))
        out.append((_label(p), 1, 1 if p.group else 2 if p.item else _LABEL_COLUMNS))
        grid.append(out + [(_fmt_cell(k, values[k], zero_as), 1, 1) for k in r.keys])
    return grid


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    spans = "".join(f' {name}="{n}"' for name, n in (("rowspan", rowspan), ("colspan", colspan)) if n > 1)
    return f"<td{spans}>{text}</td>"


def _spans(text: str) -> str:
    """Split a cell's text over spans, as Word's HTML export does ('2' + '0', '2.没有现成信' + '息…')."""
    if not text:
        return "<span>&nbsp;</span>"
    cut = max(1, len(text) // 2)
    return f"<span>{html.escape(text[:cut])}</span><span lang=\"EN\">{html.escape(text[cut:])}</span>"


def render_html(fmt: str, values: dict, year: int = 2022, agency: str = "青山县交通运输局") -> str:
    out = ["<html><head><meta charset=\"utf-8\"><title>政府信息公开</title>",
           "<script>var visits = 12345; var nav = ['首页', '政务公开'];</script><style>td{border:1px}</style></head><body>",
           "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/zwgk\">政务公开 2023年第3期</a></div>",
           f"<div class=\"article\"><h1>{year}年{agency}政府信息公开工作年度报告</h1>",
           f"<p>{NARRATIVE['overview']}</p><p>{year}年，本机关认真贯彻落实《条例》。</p><p>{spec.SECTIONS['active']}</p>"]
    for clause, header, items in active_tables(fmt):
        out.append(f"<table><tr>{_td(clause, 1, len(header))}</tr><tr>" + "".join(_td(_spans(h)) for h in header) + "</tr>")
        out += [f"<tr><td>{item.label}</td>" + "".join(_td(_spans(_fmt_cell(k, values[k]))) for k in item.keys) + "</tr>"
                for item in items]
        out.append("</table>")
    first, note, orgs, rest = applicant_columns()  # the relation's cell spans 申请人情况 and the two rows below
    out.append(f"<p>{spec.SECTIONS['requests']}</p><table><tr>{_td(f'（{RELATION_NOTE}）', 3, _LABEL_COLUMNS)}"
               f"{_td(spec.COLUMN_HEADING, 1, len(COLS))}</tr><tr>" + "".join(_td(c, 2) for c in first) + _td(note, 1, len(orgs))
               + "".join(_td(c, 2) for c in rest) + "</tr><tr>" + "".join(_td(c) for c in orgs) + "</tr>")
    out += ["<tr>" + "".join(_td(_spans(text), rs, cs) for text, rs, cs in row) + "</tr>" for row in request_grid(fmt, values)]
    width, columns = len(spec.APPEAL_COLUMNS), {c.label for c in spec.APPEAL_COLUMNS}
    tops, middle, bottom = appeal_header()  # a top spans its groups' columns, a column label the two rows below it
    head = [[_td(t, 1, width * sum(label.split(" ")[0] == t for _, label in spec.APPEAL_GROUPS)) for t in tops],
            [_td(t, 2) if t in columns else _td(t, 1, width) for t in middle], [_td(t) for t in bottom]]
    out.append(f"</table><p>{spec.SECTIONS['appeals']}</p><table>" + "".join("<tr>" + "".join(r) + "</tr>" for r in head)
               + "<tr>" + "".join(_td(_spans(str(values[k]))) for k in template.appeal_keys()) + "</tr></table>")
    out.append(f"<p>{NARRATIVE['problems']}</p><p>公开内容还不够丰富。</p><p>{NARRATIVE['other']}</p><p>无。</p>"
               f"<p>{agency}</p></div><div class=\"footer\">网站标识码 3300000001 访问量 9876</div></body></html>")
    return "\n".join(out)


def _flat_rows(fmt: str, values: dict) -> list[list[str]]:
    """二's tables as rows of plain cells, for PDF and Word."""
    return [row for clause, header, items in active_tables(fmt)
            for row in [[clause], header] + [[item.label] + [_fmt_cell(k, values[k]) for k in item.keys] for item in items]]


def render_pdf(fmt: str, values: dict, year: int = 2022, agency: str = "青山县交通运输局") -> bytes:
    """A PDF with ruled tables (reportlab; its STSong-Light CID font prints Chinese)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12)
    small = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6, leading=7)
    grid = TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 6),
                       ("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    story = [Paragraph(f"{year}年{agency}政府信息公开工作年度报告", style), Paragraph(NARRATIVE["overview"], style),
             Paragraph(f"{year}年，本机关认真贯彻落实《条例》。", style), Paragraph(spec.SECTIONS["active"], style)]
    rows = _flat_rows(fmt, values)
    width = max(map(len, rows))
    story += [Table([row + [""] * (width - len(row))], colWidths=[120] + [90] * (width - 1), style=grid) for row in rows]
    story.append(Paragraph(spec.SECTIONS["requests"], style))
    body = [[Paragraph(text, small) if not text.replace(".", "").isdigit() else text for text, _, _ in row]
            for row in request_grid(fmt, values)]
    width = max(len(r) for r in body)
    story.append(Table([[""] * (width - len(r)) + r for r in body], style=grid))
    story.append(Paragraph(spec.SECTIONS["appeals"], style))
    groups = [label.split(" ")[-1] for _, label in spec.APPEAL_GROUPS for _ in spec.APPEAL_COLUMNS]  # 复议后起诉 ×5
    story.append(Table([groups, [str(values[k]) for k in template.appeal_keys()]], style=grid))
    story += [Paragraph(NARRATIVE["problems"], style), Paragraph("公开内容还不够丰富。", style),
              Paragraph(NARRATIVE["other"], style), Paragraph(agency, style)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4)).build(story)
    return out.getvalue()


def render_docx(fmt: str, values: dict, year: int = 2022, agency: str = "青山县交通运输局") -> bytes:
    """A .docx with real tables; the row-group labels are merged cells spanning their rows."""
    import docx

    document = docx.Document()
    for text in (f"{year}年{agency}政府信息公开工作年度报告", NARRATIVE["overview"],
                 f"{year}年，本机关认真贯彻落实《条例》。", spec.SECTIONS["active"]):
        document.add_paragraph(text)
    for row in _flat_rows(fmt, values):
        table = document.add_table(rows=1, cols=len(row))
        for cell, text in zip(table.rows[0].cells, row):
            cell.text = text
    document.add_paragraph(spec.SECTIONS["requests"])
    grid = request_grid(fmt, values)
    table = document.add_table(rows=len(grid), cols=_LABEL_COLUMNS + len(COLS))
    spans = []
    for r, row in enumerate(grid):
        labels, numbers = row[:-len(COLS)], row[-len(COLS):]
        col = _LABEL_COLUMNS - sum(cs for _, _, cs in labels)  # merged cells from the rows above fill the rest
        for text, rowspan, colspan in labels:
            table.cell(r, col).text = text
            if rowspan > 1 or colspan > 1:
                spans.append((r, col, r + rowspan - 1, col + colspan - 1))
            col += colspan
        for i, (text, _, _) in enumerate(numbers):
            table.cell(r, _LABEL_COLUMNS + i).text = text
    for r0, c0, r1, c1 in spans:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    document.add_paragraph(spec.SECTIONS["appeals"])
    keys = template.appeal_keys()
    appeals = document.add_table(rows=2, cols=len(keys))
    for i, key in enumerate(keys):  # the merged group heading's first word in each of its cells: 行政诉讼
        appeals.cell(0, i).text = spec.APPEAL_GROUPS[i // len(spec.APPEAL_COLUMNS)][1].split(" ")[0]
        appeals.cell(1, i).text = str(values[key])
    document.add_paragraph(NARRATIVE["problems"])
    document.add_paragraph(agency)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
