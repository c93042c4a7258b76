"""Each template row's printed cells, as the reader finds them: for checking any reading.

The verifier's grounding asks this, so that a value proposed by any reader is checked at the
place the reader's own front end puts the row (its label's span), never "somewhere in the
section". Rows whose labels are not found have no span here.
"""
from __future__ import annotations

from functools import lru_cache

from extract import template
from extract.parsers import active, appeals, front_end, requests
from extract.tokens import Token


@lru_cache(maxsize=8)  # one document's LLM round grounds up to three readings against the same text
def printed_rows(norm: str, fmt: str) -> dict[str, tuple[tuple[str, ...], list[Token]]]:
    """{row key: (its cells' keys, the numbers and blanks printed in its span)}; read-only."""
    labels, regions, tokens = front_end(norm, fmt)
    out: dict[str, tuple[tuple[str, ...], list[Token]]] = {}
    active_end = regions.active_end
    if regions.active is not None:
        anchors = active.find_rows(labels, fmt, regions.active, active_end)
        for k, anchor in enumerate(anchors):
            end = anchors[k + 1].start if k + 1 < len(anchors) else active_end
            out[anchor.row.key] = (anchor.row.keys,
                                   requests.span_values(norm, tokens, anchor, end, last=k + 1 == len(anchors)))
    request_end = regions.requests_end
    if regions.requests is not None:
        own = {r.key for r in template.request_rows(fmt)}
        anchors = requests.find_rows(labels, fmt, regions.requests, request_end) or []
        for k, anchor in enumerate(anchors):
            if anchor.row.key in own:
                end = anchors[k + 1].start if k + 1 < len(anchors) else request_end
                out[anchor.row.key] = (anchor.row.keys, requests.span_values(norm, tokens, anchor, end))
    if regions.appeals is not None:
        row = template.appeals_row()
        out[row.key] = (row.keys, appeals.appeal_values(norm, tokens, regions.appeals, regions.end))
    return out
