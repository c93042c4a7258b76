"""`govreport merge A.db B.db … --into C.db`: stores made by separate runs (other machines, halves
of a corpus) combined into one. Content hashes key everything, so a merge is idempotent: a source
merged twice, or a store merged with itself, changes nothing.

    documents          one per content hash (the first one kept)
    files              each input path; where both name one, the later sighting
    runs               each run once (by its start and command line); the others' ids renumbered
    attempts           each once (document, method, time, cache key): answers cached there are cached here
    results, issues    per document the newer record (updated_at), with its own issues
    corrections        each person's decision once (document, cell, value, who, when)
    batch work         requests and batches not known here
A source written by an older govreport is migrated in a temporary copy, never in place. The
breaks across years are checked again over the merged store."""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Sequence

from extract.across import check_store
from extract.errors import UsageError
from extract.store import Store
from extract.store.migrations import MIGRATIONS, read_applied


@dataclass
class Merged:
    added: dict[str, int] = field(default_factory=dict)   # rows added (or replaced) per table


def merge_stores(sources: Sequence[Path], into: Path, aliases: Optional[Mapping[str, str]] = None) -> Merged:
    done = Merged()
    for source in sources:
        if not source.is_file():
            raise UsageError(f"no store at {source}")
    with tempfile.TemporaryDirectory(prefix="govreport-merge-") as tmp:
        # Every source read and made current first: a source that is no store makes no target.
        current = [None if source.resolve() == into.resolve() else _current(source, Path(tmp) / f"source{n}.db")
                   for n, source in enumerate(sources)]
        with Store(into) as target:
            for path in current:
                if path is None:
                    continue   # a store merged with itself: nothing to add
                for table, count in target.merge_from(path).items():
                    done.added[table] = done.added.get(table, 0) + count
            check_store(target, aliases)
    return done


def _current(source: Path, copy: Path) -> Path:
    """The source as this govreport's schema has it: itself, or a migrated temporary copy."""
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            applied = read_applied(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UsageError(f"{source} is not a govreport store: {exc}") from None
    known = {m.__name__ for m in MIGRATIONS}
    if applied - known:
        raise UsageError(f"{source} was written by a newer govreport (migrations {', '.join(sorted(applied - known))}); "
                         "merge it with that version")
    if applied >= known:
        return source
    shutil.copyfile(source, copy)
    Store(copy).close()   # migrates the copy (and refuses a store from a newer govreport)
    return copy
