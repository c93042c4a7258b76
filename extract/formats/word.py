"""Word documents: .docx through python-docx; a legacy .doc through LibreOffice if it is here.

Paragraphs and tables are read in document order; a merged cell is printed once, in the
first row and column it covers.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from extract.errors import InputError
from extract.formats.optional import need
from extract.formats.grid import table_lines

_CONVERTERS = ("soffice", "libreoffice")
_CONVERT_SECONDS = 120


def docx_to_text(data: bytes) -> str:
    docx = need("docx", "docx", "Word document")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"Word document: cannot be read ({type(exc).__name__})") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(table_lines(_grid(Table(child, document))))
    text = "\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise InputError("Word document: no text in it")
    return text


def _grid(table) -> list[list]:
    """Rows of cell texts; a merged cell (the same cell again, across or down) is None."""
    seen: dict[int, object] = {}  # id → element: holding the element keeps its id from being reused
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            key = id(cell._tc)
            cells.append(None if key in seen else cell.text)
            seen[key] = cell._tc
        rows.append(cells)
    return rows


def doc_to_text(data: bytes, name: str) -> str:
    """A Word 97-2003 file: converted with LibreOffice when it is installed, else a clear hint."""
    converter = next((c for c in _CONVERTERS if shutil.which(c)), None)
    if converter is None:
        raise InputError("Word 97-2003 document (.doc): convert it to .docx first, e.g. "
                         "`soffice --headless --convert-to docx FILE.doc` (LibreOffice)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.doc"
        source.write_bytes(data)
        try:
            subprocess.run([converter, "--headless", "--convert-to", "docx", "--outdir", tmp, str(source)],
                           check=True, capture_output=True, timeout=_CONVERT_SECONDS)
        except (subprocess.SubprocessError, OSError) as exc:
            raise InputError(f"Word 97-2003 document (.doc): {converter} could not convert it") from exc
        converted = Path(tmp) / "report.docx"
        if not converted.is_file():
            raise InputError(f"Word 97-2003 document (.doc): {converter} could not convert it")
        return docx_to_text(converted.read_bytes())
