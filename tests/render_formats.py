"""The same report, from known values, as an HTML page, a PDF and a Word document.

Built the way agencies' sites and office suites build them: merged cells for the row groups
(rowspan) and wide labels (colspan), numbers and labels split across <span>s, blank cells
as &nbsp;, the site's navigation and scripts around the article.
"""
from __future__ import annotations

import html
import io
import zlib

from render import ACTIVE_LAYOUT, _fmt_cell

from extract import fields, template

COLS = fields.columns()
_GROUPS = {  # first row of a group → (group label, how many rows it spans)
    "requests.refused.state_secret": ("（三）不予公开", 8),
    "requests.unable.not_held": ("（四）无法提供", 3),
    "requests.not_processed.complaint": ("（五）不予处理", 5),
    "requests.other.overdue_correction": ("（六）其他处理", 3),
}
_NUMBERED = {"requests.new": "一、", "requests.carried_over": "二、", "requests.granted": "（一）",
             "requests.partly_granted": "（二）", "requests.other": "（六）", "requests.total": "（七）",
             "requests.carried_forward": "四、"}


def _label(fmt: str, row: str) -> str:
    spec = next(r for r in template.request_rows(fmt) if r.key == row)
    return _NUMBERED.get(row, "") + (f"{spec.ordinal}." if spec.ordinal else "") + spec.label


def request_grid(fmt: str, values: dict) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, rowspan, colspan), the way the national template lays the table out."""
    rows = fields.request_rows(fmt)
    handling = [r for r in rows if r not in ("requests.new", "requests.carried_over", "requests.total",
                                             "requests.carried_forward")]
    grid = []
    for r in rows:
        cells = [_fmt_cell(f"{r}.{c}", values[f"{r}.{c}"], zero_as="" if zlib.crc32(r.encode()) % 3 == 0 else "0")
                 for c in COLS]
        out: list[tuple[str, int, int]] = []
        if r == handling[0]:
            out.append(("三、本年度办理结果", len(handling), 1))
        if r in _GROUPS:
            group, span = _GROUPS[r]
            out += [(group, span, 1), (_label(fmt, r), 1, 1)]
        elif any(r.startswith(g.rsplit(".", 1)[0] + ".") for g in _GROUPS) and r not in ("requests.other",):
            out.append((_label(fmt, r), 1, 1))
        elif r in handling:
            out.append((_label(fmt, r), 1, 2))
        else:
            out.append((_label(fmt, r), 1, 3))
        grid.append(out + [(c, 1, 1) for c in cells])
    return grid


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
           f"<p>一、总体情况</p><p>{year}年，本机关认真贯彻落实《条例》。</p><p>二、主动公开政府信息情况</p>"]
    for title, header, items in ACTIVE_LAYOUT[fmt]:
        heads = header.split("|")
        out.append(f"<table><tr><td colspan=\"{len(heads)}\">{title}</td></tr><tr>"
                   + "".join(f"<td>{_spans(h)}</td>" for h in heads) + "</tr>")
        for label, item in items:
            keys = [k for k in fields.active_keys(fmt) if k.split(".")[1] == item]
            cells = [_fmt_cell(k, values[k]) for k in keys]
            span = len(heads) - len(keys)
            out.append(f"<tr><td>{label}</td>" + "".join(
                f"<td colspan=\"{span}\">{_spans(c)}</td>" if i == len(cells) - 1 and span > 1 else f"<td>{_spans(c)}</td>"
                for i, c in enumerate(cells)) + "</tr>")
        out.append("</table>")
    out.append("<p>三、收到和处理政府信息公开申请情况</p><table>"
               "<tr><td colspan=\"3\" rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
               "<td colspan=\"7\">申请人情况</td></tr><tr><td rowspan=\"2\">自然人</td><td colspan=\"5\">法人或其他组织</td>"
               "<td rowspan=\"2\">总计</td></tr><tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td>"
               "<td>法律服务机构</td><td>其他</td></tr>")
    for row in request_grid(fmt, values):
        out.append("<tr>" + "".join(
            f"<td{f' rowspan={chr(34)}{rs}{chr(34)}' if rs > 1 else ''}{f' colspan={chr(34)}{cs}{chr(34)}' if cs > 1 else ''}>"
            f"{_spans(text)}</td>" for text, rs, cs in row) + "</tr>")
    out.append("</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>"
               "<tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>"
               "<tr><td rowspan=\"2\">结果维持</td><td rowspan=\"2\">结果纠正</td><td rowspan=\"2\">其他结果</td>"
               "<td rowspan=\"2\">尚未审结</td><td rowspan=\"2\">总计</td><td colspan=\"5\">未经复议直接起诉</td>"
               "<td colspan=\"5\">复议后起诉</td></tr><tr>" + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td>"
               "<td>尚未审结</td><td>总计</td>" * 2 + "</tr><tr>"
               + "".join(f"<td>{_spans(str(values[k]))}</td>" for k in fields.appeal_keys()) + "</tr></table>")
    out.append(f"<p>五、存在的主要问题及改进情况</p><p>公开内容还不够丰富。</p><p>六、其他需要报告的事项</p><p>无。</p>"
               f"<p>{agency}</p></div><div class=\"footer\">网站标识码 3300000001 访问量 9876</div></body></html>")
    return "\n".join(out)


def _flat_rows(fmt: str, values: dict) -> list[list[str]]:
    """The tables as rows of plain cells (merged cells printed once), for PDF and Word."""
    rows: list[list[str]] = []
    for title, header, items in ACTIVE_LAYOUT[fmt]:
        rows.append([title])
        rows.append(header.split("|"))
        for label, item in items:
            keys = [k for k in fields.active_keys(fmt) if k.split(".")[1] == item]
            rows.append([label] + [_fmt_cell(k, values[k]) for k in keys])
    return rows


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
    story = [Paragraph(f"{year}年{agency}政府信息公开工作年度报告", style),
             Paragraph("一、总体情况", style), Paragraph(f"{year}年，本机关认真贯彻落实《条例》。", style),
             Paragraph("二、主动公开政府信息情况", style)]
    for row in _flat_rows(fmt, values):
        story.append(Table([row + [""] * (4 - len(row))], colWidths=[120, 90, 90, 90], style=grid))
    story.append(Paragraph("三、收到和处理政府信息公开申请情况", style))
    body = [[Paragraph(text, small) if not text.replace(".", "").isdigit() else text for text, _, _ in row]
            for row in request_grid(fmt, values)]
    width = max(len(r) for r in body)
    story.append(Table([[""] * (width - len(r)) + r for r in body], style=grid))
    story.append(Paragraph("四、政府信息公开行政复议、行政诉讼情况", style))
    story.append(Table([["行政复议"] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
                        [str(values[k]) for k in fields.appeal_keys()]], style=grid))
    story += [Paragraph("五、存在的主要问题及改进情况", style), Paragraph("公开内容还不够丰富。", style),
              Paragraph("六、其他需要报告的事项", style), Paragraph(agency, style)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4)).build(story)
    return out.getvalue()


def render_docx(fmt: str, values: dict, year: int = 2022, agency: str = "青山县交通运输局") -> bytes:
    """A .docx with real tables; the row-group labels are merged cells spanning their rows."""
    import docx

    document = docx.Document()
    document.add_paragraph(f"{year}年{agency}政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph(f"{year}年，本机关认真贯彻落实《条例》。")
    document.add_paragraph("二、主动公开政府信息情况")
    for row in _flat_rows(fmt, values):
        table = document.add_table(rows=1, cols=len(row))
        for cell, text in zip(table.rows[0].cells, row):
            cell.text = text
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    grid = request_grid(fmt, values)
    table = document.add_table(rows=len(grid), cols=10)
    spans = []
    for r, row in enumerate(grid):
        labels, numbers = row[:-7], row[-7:]
        col = 3 - sum(cs for _, _, cs in labels)  # merged cells from the rows above fill the rest
        for text, rowspan, colspan in labels:
            table.cell(r, col).text = text
            if rowspan > 1 or colspan > 1:
                spans.append((r, col, r + rowspan - 1, col + colspan - 1))
            col += colspan
        for i, (text, _, _) in enumerate(numbers):
            table.cell(r, 3 + i).text = text
    for r0, c0, r1, c1 in spans:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    appeals = document.add_table(rows=2, cols=15)
    for i, key in enumerate(fields.appeal_keys()):
        appeals.cell(0, i).text = "行政复议" if i < 5 else "行政诉讼"
        appeals.cell(1, i).text = str(values[key])
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph(agency)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
