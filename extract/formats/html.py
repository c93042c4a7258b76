"""HTML pages: the report's text and tables out of the site around it (lxml).

Tables are read as grids: `rowspan`/`colspan` are expanded so that every row's cells stand in
their columns, and each source cell is printed once, in the first row it spans. Script,
style and navigation are dropped; paragraphs stay (the narrative checks read them). A page
that carries the report inside a script string is unwrapped first.
"""
from __future__ import annotations

import json
import re
from typing import Optional

from extract.errors import InputError
from extract.formats.optional import need
from extract.formats.grid import table_lines
from extract.template import spec

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "select", "button", "svg")
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "dd", "dt", "title"}
_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.{0,40}?年度报告")
_JS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', re.S)
_MAX_SPAN = 200  # a rowspan or colspan beyond this is broken markup, not a table


def html_to_text(markup: str) -> str:
    lxml_html = need("lxml.html", "html", "HTML page")
    try:
        root = lxml_html.fromstring(markup)
    except Exception as exc:  # lxml raises several kinds on hopeless markup
        raise InputError(f"HTML page: cannot parse ({type(exc).__name__})") from exc
    unwrapped = _unwrap_script(root, lxml_html)
    root = unwrapped if unwrapped is not None else root
    for bad in root.xpath("//" + " | //".join(_DROP)):
        bad.drop_tree()
    lines: list[str] = []
    _walk(_article(root), lines, [])
    text = "\n".join(line for line in (re.sub(r"[ \t\r\f\v]+", " ", l).strip() for l in lines) if line)
    if not text.strip():
        raise InputError("HTML page: no text in it")
    return text


_INLINE_TABLE = re.compile(r"<table\b.*?</table\s*>", re.S | re.I)


def inline_tables(text: str) -> str:
    """Text (markdown, as PDF converters write it) whose tables are HTML tables set among its lines:
    each table becomes its rows as lines of cells, the text around it kept as it is."""
    if _INLINE_TABLE.search(text) is None:
        return text
    lxml_html = need("lxml.html", "html", "table in HTML")

    def lines_of(match: re.Match) -> str:
        try:
            table = lxml_html.fragment_fromstring(match.group())
        except Exception:  # lxml raises several kinds on hopeless markup: leave it as printed
            return match.group()
        return "\n" + "\n".join(table_lines(table_grid(table))) + "\n"
    return _INLINE_TABLE.sub(lines_of, text)


def _article(root):
    """The report among the site: the nearest element holding every table of the report and its
    title ('…年度报告'); the whole page if no table looks like the report's."""
    tables = [t for t in root.iter("table") if any(w in t.text_content() for w in spec.TABLE_WORDS)]
    if not tables:
        return root
    node = tables[0]
    while node.getparent() is not None and not all(_within(t, node) for t in tables):
        node = node.getparent()
    while node.getparent() is not None and not _TITLE.search(node.text_content()):
        node = node.getparent()
    return node


def _within(element, ancestor) -> bool:
    while element is not None:
        if element is ancestor:
            return True
        element = element.getparent()
    return False


def _walk(node, lines: list[str], current: list[str]) -> None:
    """Text in document order: a table becomes its rows, a block element ends a line."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag == "table":
        _flush(lines, current)
        lines.extend(table_lines(table_grid(node)))
        if node.tail:
            current.append(node.tail)
        return
    if tag in _BLOCKS:
        _flush(lines, current)
    if node.text and tag:
        current.append(node.text)
    for child in node:
        _walk(child, lines, current)
    if tag in _BLOCKS:
        _flush(lines, current)
    if node.tail:
        current.append(node.tail)


def _flush(lines: list[str], current: list[str]) -> None:
    if current:
        lines.append("".join(current).replace("\n", " "))
        current.clear()


def table_grid(table) -> list[list[Optional[str]]]:
    """The table's rows with spans expanded: a cell's text in its first row and column, None
    where a merged cell covers the position. Nested tables are read as their own text."""
    rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
    grid: list[list[Optional[str]]] = []
    pending: dict[tuple[int, int], bool] = {}  # positions covered by rowspans from rows above
    for r, tr in enumerate(rows):
        row: list[Optional[str]] = []
        col = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while pending.pop((r, col), False):
                row.append(None)
                col += 1
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            row.append(cell.text_content())
            for dc in range(1, colspan):
                row.append(None)
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    pending[(r + dr, col + dc)] = True
            col += colspan
        while pending.pop((r, col), False):
            row.append(None)
            col += 1
        grid.append(row)
    return grid


def _owner(tr):
    node = tr.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _span(value: Optional[str]) -> int:
    try:
        return max(1, min(int(str(value).strip()), _MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def _unwrap_script(root, lxml_html):
    """A page whose report sits in a script string ('var content = "<table>…"'): its markup."""
    for script in root.iter("script"):
        code = script.text or ""
        if not any(word in code for word in spec.EMBEDDED_REPORT_WORDS) or "<" not in code:
            continue
        parts = []
        for match in _JS_STRING.finditer(code):
            raw = match.group(1) if match.group(1) is not None else match.group(2)
            if "<" in raw or any(word in raw for word in spec.EMBEDDED_REPORT_WORDS):
                parts.append(_js_unescape(raw))
        markup = "".join(parts)
        if any(word in markup for word in spec.EMBEDDED_REPORT_WORDS):
            try:
                return lxml_html.fromstring(markup)
            except Exception:
                return None
    return None


def _js_unescape(raw: str) -> str:
    try:
        return json.loads('"' + raw.replace('"', '\\"').replace("\\'", "'").replace('\\\\"', '\\"') + '"')
    except ValueError:
        return raw.replace("\\n", "\n").replace('\\"', '"').replace("\\/", "/")
