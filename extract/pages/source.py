"""A document's stored text as a page shows it: escaped, each printed cell's span wrapped in an
element that names its cells, so that a cell and the characters it was read from find each other.

The spans are cut here, in Python, from the provenance's character offsets into the stored text:
a browser counts characters differently (UTF-16 code units), so the page never does arithmetic on
offsets. Spans that overlap (one printed run that several cells were cut from) are cut into pieces,
each naming every cell it belongs to (by its place among the page's cells); a span outside the text is left out, as `where_printed` would
find nothing there.
"""
from __future__ import annotations

from typing import Iterable, Optional

from extract.pages.markup import esc_text


def printed_spans(cells: Iterable, text: str) -> list[tuple[int, int, str]]:
    """(start, end, n) of every cell printed at one place inside the text, n its place among the cells
    (the page's data lists them in the same order)."""
    return [(c.start, c.end, str(n)) for n, c in enumerate(cells)
            if isinstance(c.start, int) and isinstance(c.end, int) and 0 <= c.start < c.end <= len(text)]


def marked_text(text: Optional[str], spans: list[tuple[int, int, str]]) -> str:
    """The text as HTML, every span a `<span class="p" data-c="N …">` naming its cells."""
    if not text:
        return ""
    spans = sorted(spans)
    out = []
    at = 0
    for start, end, n in spans:
        if start < at:  # spans overlap: cut them into pieces
            return _overlapping(text, spans)
        out.append(esc_text(text[at:start]))
        out.append(f'<span class="p" data-c="{n}">{esc_text(text[start:end])}</span>')
        at = end
    out.append(esc_text(text[at:]))
    return "".join(out)


def _overlapping(text: str, spans: list[tuple[int, int, str]]) -> str:
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for start, end, n in spans:
        opens.setdefault(start, []).append(n)
        closes.setdefault(end, []).append(n)
    cuts = sorted(set(opens) | set(closes))
    out = [esc_text(text[:cuts[0]])]
    active: list[str] = []
    for at, following in zip(cuts, cuts[1:] + [len(text)]):
        for n in closes.get(at, ()):
            active.remove(n)
        active.extend(opens.get(at, ()))
        piece = esc_text(text[at:following])
        out.append(f'<span class="p" data-c="{" ".join(active)}">{piece}</span>' if active and piece else piece)
    return "".join(out)
