"""PDFs with a text layer (pdfplumber): tables from their ruling lines, the rest as text lines.

Each page's tables are read as grids (rows and columns line up, merged cells once), the text
outside them as lines, all in the order they stand on the page; a table split across pages
simply continues on the next page's lines. Page footers ('- 3 -') are dropped by the reader.
A scanned PDF has no text layer: that is said, not guessed at.
"""
from __future__ import annotations

import io

from extract.errors import InputError
from extract.formats.optional import need
from extract.formats.grid import cell_text, table_lines

_MIN_TEXT = 20  # characters: fewer on every page means there is no text layer to speak of


def pdf_to_text(data: bytes) -> str:
    pdfplumber = need("pdfplumber", "pdf", "PDF")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds on broken or encrypted files
        reason = "encrypted (a password is needed)" if "password" in str(exc).lower() or \
            type(exc).__name__.lower().startswith("pdfpassword") else f"cannot be read ({type(exc).__name__})"
        raise InputError(f"PDF: {reason}") from exc
    lines: list[str] = []
    try:
        with pdf:
            for page in pdf.pages:
                lines.extend(_page_lines(page))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"PDF: a page cannot be read ({type(exc).__name__})") from exc
    text = "\n".join(lines)
    if sum(not ch.isspace() for ch in text) < _MIN_TEXT:
        raise InputError("PDF: no text layer (a scanned document; OCR is not supported)")
    return text


def _page_lines(page) -> list[str]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    blocks: list[tuple[float, list[str]]] = []
    for line in page.filter(outside).extract_text_lines():
        blocks.append((line["top"], [line["text"]]))
    for table in tables:
        rows = table.extract()
        if rows and max(len(r) for r in rows) == 1:
            body = [cell_text(r[0]) if r and r[0] else "" for r in rows]  # a framed paragraph, not a table
            blocks.append((table.bbox[1], [b for b in body if b]))
        else:
            blocks.append((table.bbox[1], table_lines(rows)))
    blocks.sort(key=lambda b: b[0])
    return [line for _, block in blocks for line in block]
