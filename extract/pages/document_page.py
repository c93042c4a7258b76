"""One document's review page: the extracted tables in the template's layout beside the stored text,
the record's issues, a legend of the cells' states, the keys, and the data its script works from.

Every piece of the store enters through `markup` (escaped text, script-safe JSON); the page links
only review.css and review.js beside it, by relative paths, under a policy that lets nothing else
load. The page is returned in two parts around its navigation, which names the next document and
so is known only once that one is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from extract.cell_states import CellState
from extract.pages.markup import esc, script_json
from extract.pages.page_data import page_data
from extract.pages.source import marked_text, printed_spans
from extract.pages.tables import tables_html

STATE_WORDS = (  # each state, a few words in the legend, and what it means (the legend's tooltip)
    ("read", "read", "read as printed"), ("split", "cut from digits", "cut from a run of digits printed together"),
    ("llm", "LLM only", "read by the LLM only"),
    ("copy", "from a copy", "left open by this text, printed plainly by a copy of the same report (one of its readings)"),
    ("inferred", "guessed", "a guess: placed by position, a blank read as 0, or forced by arithmetic"),
    ("disputed", "disputed", "the parsers and the LLM read it differently"),
    ("relation", "broken relation", "a relation (R1–R4) fails through it"), ("missing", "missing", "no value"),
    ("doubt", "doubt", "a reader's doubt names it"), ("options", "pick a reading", "several readings: pick one with 1–9"),
    ("proposal", "proposal", "a proposal (the LLM's), not a value until accepted"),
    ("human", "a person's", "decided by a person (govreport correct)"),
    ("stale", "stale", "a person's correction made against a reading that has since changed"),
    ("audit", "audit", "sampled for audit: confirm it"),
)
KEYS_HELP = ("j / k next / previous cell to check · ↓ / ↑ or Tab every cell · Enter accept · e edit · n note · "
             "1–9 pick a reading · u undo · s save · A confirm every cell · ] / [ next / previous document · "
             "click a number in the text to find its cell")
STORAGE_HELP = ("Decisions are kept in this browser (localStorage) until saved; save downloads "
                "corrections-….jsonl for `govreport correct`. Chromium shares them with the index's "
                "“save all”; Firefox may keep each page's apart: save from each page.")
_LEGEND = ("cells: " + "".join(f'<span class="key s-{state}" title="{esc(means)}">{esc(words)}</span>'
                               for state, words, means in STATE_WORDS)
           + '<span class="key mine" title="decided on this page, not saved yet">decided here</span>'
           + '<span class="key flag" title="needs a look">to check</span>')


@dataclass
class Document:
    """A flagged document as its page needs it."""
    sha256: str
    path: str
    status: str
    reason: str
    record: dict[str, Any]
    text: Optional[str]
    cells: list[CellState] = field(default_factory=list)

    @property
    def to_check(self) -> int:
        return sum(1 for c in self.cells if c.flagged)


def page_name(sha256: str) -> str:
    """A page is named by its document's content, never by its input path."""
    return f"{sha256[:16]}.html"


def head(title: str, nonce: str, kind: str, attributes: str = "") -> str:
    """The page up to its header: the policy (only the nonce's script and style load, nothing is fetched)."""
    policy = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
              "base-uri 'none'; form-action 'none'")
    return (f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)}</title><link rel="stylesheet" href="review.css" nonce="{nonce}"></head>'
            f'<body data-page="{kind}"{attributes}>')


def document_page(doc: Document, nonce: str) -> tuple[str, str]:
    """The page before its navigation, and after it."""
    record = doc.record
    audit = doc.status == "audit"
    off = "" if doc.cells else " disabled"    # no tables, nothing to decide
    title = " ".join(str(x) for x in (record.get("agency"), record.get("year")) if x) or doc.path
    before = head(f"{title} · {doc.status}", nonce, "doc", f' data-sha="{esc(doc.sha256)}"') + "<header>"
    facts = " · ".join(esc(x) for x in (doc.path, f"sha256 {doc.sha256[:16]}…",
                                        f"template {record.get('format') or 'not recognised'}"))
    after = (f'<h1>{esc(title)} <span class="status st-{esc(doc.status)}">{esc(doc.status)}</span></h1> '
             f'<span class="facts">{facts}</span><p class="reason" title="{esc(doc.reason)}">{esc(doc.reason)}</p>'
             f'<p class="help" id="help">{esc(KEYS_HELP)}</p>'
             f'<div class="actions"><button id="save" type="button"{off}>Save decisions (s)</button>'
             f'<button id="confirm-all" type="button"{" class=audit" if audit else off}>Confirm every cell (A)</button>'
             f'<button id="forget" type="button"{off}>Forget this page\'s decisions</button>'
             f'<span id="tally" aria-live="polite"></span></div>'
             f'<p class="legend" id="legend">{_LEGEND}</p></header>'
             f'<main><section id="left" tabindex="-1">{_issues_html(record)}'
             f'{tables_html(record["format"], {c.key: c for c in doc.cells}) if doc.cells else _no_tables()}'
             f'</section><section id="right"><div id="detail" aria-live="polite">'
             f'<p class="hint">Select a cell (or a number in the text).</p></div>'
             f'<pre id="src">{marked_text(doc.text, printed_spans(doc.cells, doc.text or "")) or "(no text stored)"}'
             f'</pre></section></main><p class="storage">{esc(STORAGE_HELP)}</p>'
             f'<script type="application/json" id="data">{script_json(page_data(record, doc.cells, audit))}</script>'
             f'<script src="review.js" nonce="{nonce}"></script></body></html>\n')
    return before, after


def nav_html(previous: Optional[str], following: Optional[str]) -> str:
    """Links to the index and to the documents before and after this one in the index's order."""
    def link(name: Optional[str], rel: str, words: str) -> str:
        if name is None:
            return f'<span class="off">{words}</span>'
        return f'<a id="{rel}" rel="{rel}" href="{esc(name)}">{words}</a>'
    return (f'<nav><a id="index" href="index.html">all documents</a> {link(previous, "prev", "[ previous")} '
            f'{link(following, "next", "next ]")}</nav>')


def _issues_html(record: dict[str, Any]) -> str:
    issues = record.get("issues") or []
    if not issues:
        return '<p class="issues none">No issues.</p>'
    items = "".join(f'<li data-i="{n}" class="sev-{esc(i.get("severity"))}" tabindex="0"><b>{esc(i.get("code"))}</b> '
                    f'{esc(i.get("message") or "")}</li>' for n, i in enumerate(issues))
    return f'<details class="issues" open><summary>Issues ({len(issues)})</summary><ol id="issues">{items}</ol></details>'


def _no_tables() -> str:
    return '<p class="hint">No tables: the template version was not recognised. The text is on the right.</p>'
