"""The review site's index: every flagged document (status, issue codes, agency, year, how many
cells need a look, its page), filterable in the page by status, code and agency, and a button that
saves the decisions of every document at once where the browser shares its storage among pages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extract.pages.document_page import STORAGE_HELP, head
from extract.pages.markup import esc


@dataclass
class Row:
    """A document on the index (an unreadable input has no sha256 and no page)."""
    status: str
    reason: str
    paths: list[str]
    sha256: Optional[str] = None
    page: Optional[str] = None
    codes: list[str] = field(default_factory=list)
    agency: Optional[str] = None
    year: Optional[int] = None
    to_check: int = 0


def index_html(rows: list[Row], nonce: str) -> str:
    statuses = sorted({r.status for r in rows})
    codes = sorted({c for r in rows for c in r.codes})
    options = lambda values: "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)  # noqa: E731
    body = "".join(_row(r) for r in rows)
    return (head(f"govreport review: {len(rows)} documents", nonce, "index")
            + f'<header><h1>{len(rows)} documents to check</h1>'
            f'<p class="help">Open a document, decide its cells, save. Keys on a page: j / k cells to check, '
            f'Enter accept, e edit, n note, 1–9 pick a reading, s save, ] / [ next / previous document. '
            f'{esc(STORAGE_HELP)} Then <code>govreport correct FILE</code>.</p>'
            f'<div class="filters"><label>status <select id="f-status"><option value="">all</option>{options(statuses)}'
            f'</select></label> <label>issue code <select id="f-code"><option value="">all</option>{options(codes)}'
            f'</select></label> <label>agency <input id="f-agency" type="search" placeholder="part of its name"></label>'
            f' <button id="save-all" type="button">Save all decisions</button> <span id="shown"></span></div>'
            f'</header><main class="index"><table id="docs"><thead><tr><th>status</th><th>issues</th><th>agency</th>'
            f'<th>year</th><th>cells to check</th><th>decided here</th><th>document</th></tr></thead>'
            f'<tbody>{body}</tbody></table></main>'
            f'<script src="review.js" nonce="{nonce}"></script></body></html>\n')


def _row(r: Row) -> str:
    paths = "<br>".join(esc(p) for p in r.paths)
    document = f'<a href="{esc(r.page)}">{paths}</a>' if r.page else paths
    reason = f'<div class="reason">{esc(r.reason)}</div>' if r.reason else ""
    return (f'<tr data-status="{esc(r.status)}" data-codes=" {esc(" ".join(r.codes))} " '
            f'data-agency="{esc(r.agency or "")}" data-sha="{esc(r.sha256 or "")}">'
            f'<td><span class="status st-{esc(r.status)}">{esc(r.status)}</span></td>'
            f'<td class="codes">{esc(" ".join(r.codes))}</td><td class="agency">{esc(r.agency or "")}</td>'
            f'<td>{esc(r.year or "")}</td><td class="num">{r.to_check}</td><td class="num decided"></td>'
            f'<td>{document}{reason}</td></tr>')
