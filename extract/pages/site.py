"""Writing the review site into a folder: review.css and review.js, one page per flagged document
(named by its content's hash), then index.html, which lists them in the order the pages link to
each other.

Each file appears whole or not at all, and the index is written last: a run that fails leaves the
folder's previous index, and says why in one line (a folder that cannot be written is bad usage;
a full disk, a failed write). The index and the assets go through `extract.output.atomic_output`;
the pages are written beside their name and renamed over it, but not synced to disk one by one:
a page is a view the next run writes again, and a thousand syncs would double the site's time.
One document is held at a time, with the page before it (which links to it as the next one): a
store of any size fits.
"""
from __future__ import annotations

import errno
import os
import secrets
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from extract.cell_states import cell_states
from extract.errors import OutputError, UsageError
from extract.output import atomic_output
from extract.pages.document_page import Document, document_page, nav_html, page_name
from extract.pages.index_page import Row, index_html
from extract.pages.script_document import DOCUMENT_JS
from extract.pages.script_shared import SHARED_JS
from extract.pages.style import REVIEW_CSS
from extract.review import AUDIT, flagged_documents
from extract.store import Store


@dataclass
class Site:
    """What was written: the folder, its pages, the documents its index lists."""
    folder: Path
    pages: int
    listed: int

    @property
    def index(self) -> Path:
        return self.folder / "index.html"


def write_site(store: Store, folder: Path, statuses: Optional[Iterable[str]] = None, codes: Iterable[str] = ()) -> Site:
    """The review site of the documents `govreport review` would list (these statuses and codes)."""
    make_folder(folder)
    write_file(folder / "review.css", REVIEW_CSS)
    write_file(folder / "review.js", SHARED_JS + DOCUMENT_JS)
    nonce = secrets.token_urlsafe(18)  # per run: only this run's script and style may load
    rows: list[Row] = []
    by_sha: dict[str, Row] = {}
    waiting: Optional[tuple[str, str, str, Optional[str]]] = None   # a page that waits for its next: name, parts, prev
    pages = 0
    for found in flagged_documents(store, statuses, codes=codes):
        record = found.record
        if record is None:                       # an unreadable input: listed with its reason, no page
            rows.append(Row(found.status, found.reason, [found.path]))
            continue
        sha = record["sha256"]
        if sha in by_sha:                        # the same content under another path: one page
            by_sha[sha].paths.append(found.path)
            continue
        document = Document(sha, found.path, found.status, found.reason, record, store.get_text(sha),
                            cell_states(record, audit=found.status == AUDIT))
        name = page_name(sha)
        by_sha[sha] = Row(found.status, found.reason, [found.path], sha, name,
                          sorted(found.codes), record.get("agency"),
                          record.get("year"), document.to_check)
        rows.append(by_sha[sha])
        before, after = document_page(document, nonce)
        if waiting is not None:
            _write_page(folder, waiting, name)
            pages += 1
        waiting = (name, before, after, waiting[0] if waiting else None)
    if waiting is not None:
        _write_page(folder, waiting, None)
        pages += 1
    write_file(folder / "index.html", index_html(rows, nonce))
    return Site(folder, pages, len(rows))


def _write_page(folder: Path, page: tuple[str, str, str, Optional[str]], following: Optional[str]) -> None:
    name, before, after, previous = page
    write_page(folder / name, before + nav_html(previous, following) + after)


def make_folder(folder: Path) -> None:
    """The folder, created if need be; one that cannot be is bad usage."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise UsageError(f"cannot write {folder}: {os.strerror(errno.ENOTDIR)}") from exc
    except OSError as exc:
        raise UsageError(f"cannot write {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {folder}: {os.strerror(errno.EACCES)}")


def write_file(path: Path, text: str) -> None:
    with atomic_output(path) as out:
        out.write(text)


_BAD_PATH = (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)


def write_page(path: Path, text: str) -> None:
    """A page that appears whole: written beside its name, then renamed over it (not synced)."""
    temporary = path.parent / f".{path.name}.tmp"
    try:
        with open(temporary, "wb") as out:
            out.write(text.encode("utf-8"))
        os.replace(temporary, path)
    except BaseException as exc:  # Ctrl-C too: no temporary file stays behind
        with suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            kind = UsageError if isinstance(exc, _BAD_PATH) else OutputError
            raise kind(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
