"""What a run of `extract` is told: the input size limit, whether to redo done documents, and
the name its claims go by. Kept apart so that the writer and the reader can both read them
without importing each other."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final

MAX_BYTES_DEFAULT: Final = 2 * 1024 * 1024  # real reports are 5–100 KB of text; a larger text file is a dump, not a report


@dataclass(frozen=True)
class Settings:
    max_bytes: int = MAX_BYTES_DEFAULT
    force: bool = False
    owner: str = ""   # this run's name in the store's claims ('host:pid:run'); '' claims nothing
