"""The few ways text from the store enters a page, each safe: as HTML text or attribute (escaped),
as JSON inside a <script> element (no '<' can end it), as a number shown in a cell."""
from __future__ import annotations

import html
import json
from typing import Any

# str.replace, not str.translate: the text is long and these characters are few (5x faster here).
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def esc(value: Any) -> str:
    """Text or attribute value, escaped ('<script>' stays text)."""
    return html.escape(str(value), quote=True)


def esc_text(value: str) -> str:
    """Element text, escaped: the fast form of `esc` for the many pieces of a document's text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def script_json(data: Any) -> str:
    """JSON to place inside <script type="application/json">: no '</script>' or '<!--' can occur in it."""
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_SAFE:
        out = out.replace(character, escaped)
    return out


def number_text(value: Any) -> str:
    """A cell's value as shown: '12', '12.3', '—' for none (a float that is whole shows as a whole
    number; the exact value travels in the page's data)."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
