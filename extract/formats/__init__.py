"""Inputs as users have them → the text the reader reads (and the store keeps).

A file is recognised by its bytes (and its name where bytes cannot tell): a PDF, a Word
document (.docx, or legacy .doc), an HTML page, or text in any common encoding. Each
format becomes the same kind of text: paragraphs as lines, every table row as one line of
cells between pipes (`| 一、本年新收… | 21 | 0 | … |`), blank cells kept as empty cells. The
reader then works the same for all; offsets point into this text, which the store keeps.
Optional libraries load only for their format; a missing one is a one-line hint.
"""
from __future__ import annotations

from extract.errors import InputError
from extract.formats.html import html_to_text
from extract.formats.pdf import pdf_to_text
from extract.formats.word import doc_to_text, docx_to_text
from extract.settings import MAX_BYTES_DEFAULT
from extract.text import Decoded, decode_bytes

_HTML_MARKS = (b"<html", b"<!doctype html", b"<table", b"<body", b"<div", b"<p>", b"<p ")
DOCUMENT_SIZE_FACTOR = 10  # a PDF or Word file carries pictures and fonts: it may be this much larger than text


def read_document(data: bytes, name: str = "", max_bytes: int = MAX_BYTES_DEFAULT) -> Decoded:
    """The text of one input file, or InputError with a one-line reason naming its format."""
    lower = name.lower()
    if data.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and len(data) > max_bytes * DOCUMENT_SIZE_FACTOR:
        limit = max_bytes * DOCUMENT_SIZE_FACTOR
        raise InputError(f"file too large: {len(data) / 1e6:.1f} MB (limit {limit / 1e6:.1f} MB; see --max-mb); not a single report", retry=True)
    if data.startswith(b"%PDF"):
        return Decoded(pdf_to_text(data), "pdf")
    if data.startswith(b"PK\x03\x04") and (lower.endswith(".docx") or b"word/" in data[:4096]):
        return Decoded(docx_to_text(data), "docx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return Decoded(doc_to_text(data, name), "doc")
    if data.startswith(b"PK\x03\x04"):
        raise InputError("a ZIP archive, not a report (unpack it and extract the files inside)")
    decoded = decode_bytes(data, max_bytes)  # enforces the size limit of text
    if lower.endswith((".html", ".htm", ".shtml", ".xhtml")) or _looks_like_html(data):
        return Decoded(html_to_text(decoded.text), f"html ({decoded.encoding})")
    return decoded


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048]
    if b"<" not in head:  # every mark starts with one: most texts are settled without lowering the head
        return False
    head = head.lower()
    return any(mark in head for mark in _HTML_MARKS)
