"""What a run of `extract` is told: the input size limit, whether to redo done documents, and
the name its claims go by. Kept apart so that the writer and the reader can both read them
without importing each other."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final

MAX_BYTES_DEFAULT: Final = 2 * 1024 * 1024  # real reports are 5–100 KB of text; a larger text file is a dump, not a report
DOCUMENT_SIZE_FACTOR: Final = 10  # a PDF or Word file carries pictures and fonts: it may be this much larger than text


def too_large(size: int, limit: int) -> str:
    """The reason a file of `size` bytes is refused at `limit` bytes, in the MB of --max-mb."""
    return f"file too large: {size / 2 ** 20:.1f} MB (limit {limit / 2 ** 20:g} MB; see --max-mb); not a single report"


@dataclass(frozen=True)
class Settings:
    max_bytes: int = MAX_BYTES_DEFAULT
    force: bool = False
    owner: str = ""   # this run's name in the store's claims ('host:pid:run'); '' claims nothing
