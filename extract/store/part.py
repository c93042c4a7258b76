"""What every part of the Store (its mixins) runs its statements through: the Store's own `_run`,
`_run_many` and `transaction`, declared once here for the parts' type checks."""
from __future__ import annotations

import sqlite3
from typing import ContextManager, Union


class StorePart:
    """A mixin of Store: the Store defines these; a part only calls them."""

    path: str
    _conn: sqlite3.Connection

    def _run(self, sql: str, params: Union[tuple, list] = ()) -> sqlite3.Cursor:
        raise NotImplementedError

    def _run_many(self, sql: str, rows: list) -> None:
        raise NotImplementedError

    def transaction(self) -> ContextManager[None]:
        raise NotImplementedError
