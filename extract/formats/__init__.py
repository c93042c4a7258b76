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
from extract.formats.html import html_to_text, inline_tables
from extract.formats.pdf import pdf_to_text
from extract.formats.word import doc_to_text, docx_to_text
from extract.settings import DOCUMENT_SIZE_FACTOR, MAX_BYTES_DEFAULT, too_large
from extract.text import Decoded, decode_bytes

_HTML_MARKS = (b"<html", b"<!doctype html", b"<table", b"<body", b"<div", b"<p>", b"<p ")
# Archives by their first bytes (tar by its header's magic at 257): unpacked, they may hold reports.
_ARCHIVES = ((b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "a gzip archive (.gz, .tar.gz)"),
             (b"\xfd7zXZ\x00", "an xz archive"), (b"7z\xbc\xaf\x27\x1c", "a 7z archive"), (b"Rar!\x1a\x07", "a RAR archive"))


def read_document(data: bytes, name: str = "", max_bytes: int = MAX_BYTES_DEFAULT) -> Decoded:
    """The text of one input file, or InputError with a one-line reason naming its format."""
    lower = name.lower()
    if data.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and len(data) > max_bytes * DOCUMENT_SIZE_FACTOR:
        raise InputError(too_large(len(data), max_bytes * DOCUMENT_SIZE_FACTOR), retry=True)
    if data.startswith(b"%PDF"):
        return Decoded(pdf_to_text(data), "pdf")
    if data.startswith(b"PK\x03\x04") and (lower.endswith(".docx") or b"word/" in data[:4096]):
        return Decoded(docx_to_text(data), "docx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return Decoded(doc_to_text(data, name), "doc")
    archive = next((what for magic, what in _ARCHIVES if data.startswith(magic)), None)
    if archive is None and data[257:262] == b"ustar":
        archive = "a tar archive"
    if archive is None and data[:3] == b"BZh" and data[3:4].isdigit():
        archive = "a bzip2 archive"
    if archive is not None:
        raise InputError(f"{archive}, not a report (unpack it and extract the files inside)")
    decoded = decode_bytes(data, max_bytes)  # enforces the size limit of text
    if lower.endswith((".html", ".htm", ".shtml", ".xhtml")) or _looks_like_html(data):
        return Decoded(html_to_text(decoded.text), f"html ({decoded.encoding})")
    if b"<table" in data or b"<TABLE" in data:  # markdown with its tables in HTML (a PDF converter's)
        text = inline_tables(decoded.text)
        return decoded if text == decoded.text else Decoded(text, f"text with html tables ({decoded.encoding})")
    return decoded


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048]
    if b"<" not in head:  # every mark starts with one: most texts are settled without lowering the head
        return False
    head = head.lower()
    return any(mark in head for mark in _HTML_MARKS)
