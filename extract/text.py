"""Pure text handling: bytes → text, and a normalisation that keeps every offset.

`normalize` maps one character to one character (full-width → ASCII, odd spaces → ' ',
CR → newline), so offsets found in the normalised text point at the same place in the
decoded source: provenance stays true to what the agency printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.errors import InputError

MAX_BYTES_DEFAULT = 2 * 1024 * 1024  # real reports are 5–100 KB; a larger file is a dump, not a report

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII block
_TABLE.update({ord(c): " " for c in _SPACES})
_TABLE.update({ord("\u2212"): "-", ord("\u2013"): "-", ord("\u00a0"): " ", ord("\u3007"): "0"})
_CR_BEFORE_LF = re.compile(r"\r(?=\n)")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, max_bytes: int = MAX_BYTES_DEFAULT) -> Decoded:
    """Decode a scraped report, or raise InputError with a one-line reason."""
    if len(data) > max_bytes:
        raise InputError(f"file too large: {len(data) / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB); not a single report")
    if not data.strip():
        raise InputError("empty file" if not data else "file holds only whitespace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16"), "utf-16")
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise InputError(f"binary file (starts {data[:8].hex(' ')}), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        # GB18030 is a superset of GBK and GB2312, the encodings agencies' sites use.
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 50:
        raise InputError(f"undecodable text: neither UTF-8 nor GB18030 ({utf8_error.reason} at byte {utf8_error.start})")
    return Decoded(text, "utf-8 (some bytes replaced)")


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) // 100 + 2


def normalize(text: str) -> str:
    """Full-width → ASCII, exotic spaces → ' ', CR → newline; same length as the input."""
    text = _CR_BEFORE_LF.sub(" ", text).replace("\r", "\n")
    return text.translate(_TABLE)
