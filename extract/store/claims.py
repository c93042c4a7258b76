"""Claims: which run is working on which document, so that runs sharing a store share the work."""
from __future__ import annotations

import os
import socket
import time
from typing import Iterable, Iterator, Optional

from extract.store.part import StorePart

CLAIM_STALE_S = 900.0  # a run holds a document for minutes at most (the LLM deadline); older claims are void


class ClaimKeeper(StorePart):
    """The Store's claims (a mixin: it runs its statements through the Store's `_run`)."""

    def claim(self, sha256: str, owner: str, now: Optional[float] = None) -> bool:
        """Take the document for `owner` ('host:pid:…') unless another live run holds it.

        A claim is void when it is old, or when its run was on this machine and has ended
        (an interrupted run must not block the re-run that resumes it).
        """
        return bool(self.claim_each([sha256], owner, now))

    def claim_each(self, sha256s: Iterable[str], owner: str, now: Optional[float] = None) -> set[str]:
        """claim for many: those of the documents now held by `owner`."""
        now = time.time() if now is None else now
        wanted = list(sha256s)
        held: dict[str, tuple[str, float]] = {}
        for chunk in chunks(wanted):
            held.update((row[0], (row[1], row[2])) for row in self._run(
                f"SELECT sha256, owner, claimed_at FROM claims WHERE sha256 IN ({', '.join('?' * len(chunk))})", chunk))
        taken = [sha256 for sha256 in wanted if sha256 not in held or held[sha256][0] == owner
                 or held[sha256][1] < now - CLAIM_STALE_S or not _alive(held[sha256][0])]
        self._run_many("""INSERT INTO claims (sha256, owner, claimed_at) VALUES (?, ?, ?)
                          ON CONFLICT(sha256) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at""",
                       [(sha256, owner, now) for sha256 in taken])
        return set(taken)

    def release(self, sha256: str, owner: str) -> None:
        self.release_each([(sha256, owner)])

    def release_each(self, claims: Iterable[tuple[str, str]]) -> None:
        """Release many claims: (sha256, owner) each."""
        self._run_many("DELETE FROM claims WHERE sha256 = ? AND owner = ?", list(claims))

    def release_all(self, owner: str) -> None:
        self._run("DELETE FROM claims WHERE owner = ?", (owner,))


def chunks(items: list, size: int = 500) -> Iterator[list]:
    """Slices of at most `size`: SQLite limits the parameters of a statement (999 in older builds)."""
    return (items[i:i + size] for i in range(0, len(items), size))


def _alive(owner: str) -> bool:
    """Whether the run named 'host:pid:…' may still be working (other machines: assume so)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
