"""The exception tree. Foreign exceptions are translated once, at the boundary that meets them.

GovReportError                 base of everything this package raises on purpose
├── UsageError                 what was asked cannot be done as asked (no store to read, a gold
│                              folder with no gold); the command line says so and exits 2
├── InputError                 an input file cannot be read as a report (its message is the
│                              one-line reason stored and shown in `review`)
├── StoreError                 the SQLite store is unusable (locked, corrupt, newer schema)
├── OutputError                an output could not be written (a full disk); nothing partial is left
└── LLMError                   an LLM call failed after its retry budget (transport or protocol)
    └── TruncatedOutput        the model stopped at max_tokens: the answer is cut off
"""
from __future__ import annotations


class GovReportError(Exception):
    """Base class."""


class UsageError(GovReportError):
    """A command was given something it cannot work with; the message says what, in one line."""


class InputError(GovReportError):
    """An input file is empty, binary, not a report, or otherwise unreadable.

    `retry` marks a failure that is not the file's for good: a setting decided it (a size
    limit), or the reader itself failed on it. No result is stored, so the next run tries again.
    """

    def __init__(self, message: str, retry: bool = False) -> None:
        super().__init__(message)
        self.retry = retry


class StoreError(GovReportError):
    """The store cannot be opened or written."""


class OutputError(GovReportError):
    """The output could not be written (a full disk, an I/O error); the message names where and why."""


class LLMError(GovReportError):
    """An LLM call failed for good (after retries)."""


class TruncatedOutput(LLMError):
    """The completion ended because it hit max_tokens."""
