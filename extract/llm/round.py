"""One document's LLM round: ask, check the answer, re-ask once quoting the verifier's issues.

LLM → pydantic (instructor re-asks once on a validation error) → the answer grounded in the
document (each row's values printed in order at its own label) and verified → if the verifier
finds anything, one re-ask quoting every issue of substance. Answers come from the store's
cache where they were asked before. Runs in a worker thread: it never touches the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Optional

from extract.document import Document
from extract.llm.prompting import build_excerpt, build_messages
from extract.llm.session import LLMSession
from extract.progress import plural
from extract.packing.record import LLMTally
from extract.reading import LLM, Cell, MetaField, Reading
from extract.template.schema import answer_model, answer_values
from verify import verify_reading
from verify.grounding import IN_ORDER, ground_reading
from verify.report import SERIOUS

FIRST: Final = "first"
REASK: Final = "reask"
KINDS: Final = (FIRST, REASK)
MAX_QUOTED_ISSUES: Final = 12
# Not the model's to fix: the meta it cannot know, a cell left empty (listed apart).
_NOT_QUOTED: Final = frozenset({"ungrounded", "missing", "meta_missing"})


@dataclass
class LLMRound:
    """What asking the LLM about one document gave: its reading, the new attempts to store, and
    why it could not be asked, if so."""

    cached: dict[str, Optional[dict]] = field(default_factory=dict)  # kind → the stored attempt, if any
    attempts: list[dict] = field(default_factory=list)
    reading: Optional[Reading] = None
    unavailable: Optional[str] = None   # why there is no usable answer (endpoint, answer, breaker)
    calls: int = 0      # calls made (each may have made several requests: retries, re-asks)
    requests: int = 0
    failed: int = 0     # calls that gave no usable answer
    cache_hits: int = 0

    @property
    def note(self) -> Optional[str]:
        """Why the record has no answer of the LLM's, as its issue says it; None when it has one."""
        if self.unavailable is None:
            return None
        if not self.calls:
            return f"the LLM was not asked: {self.unavailable}"
        return f"no usable answer from the LLM ({plural(self.calls, 'call')}): {self.unavailable}"

    def tally(self) -> LLMTally:
        """What the round took: its calls and their requests, the failed ones, the tokens used."""
        tokens: dict[str, int] = {}
        for attempt in self.attempts:
            for name, count in (attempt.get("usage") or {}).items():
                tokens[name] = tokens.get(name, 0) + count
        return LLMTally(self.calls, self.requests, self.failed, self.cache_hits, tuple(tokens.items()),
                        self.unavailable is not None)


def ask_llm(document: Document, sha256: str, session: LLMSession, cached: dict[str, Optional[dict]]) -> LLMRound:
    """The round for one document whose version is known; `cached` holds the answers stored
    already ({kind: attempt or None})."""
    version = document.version
    assert version is not None, "only a document of a known version is sent"
    llm_round = LLMRound(cached)
    excerpt = build_excerpt(document)
    deadline = session.deadline()
    reading, issues = _ask(llm_round, document, sha256, session, FIRST, build_messages(version, excerpt), deadline)
    if reading is not None and issues:
        second, _ = _ask(llm_round, document, sha256, session, REASK, build_messages(version, excerpt, issues), deadline)
        reading = second or reading
    llm_round.reading = reading
    return llm_round


def _ask(llm_round: LLMRound, document: Document, sha256: str, session: LLMSession, kind: str, messages: list,
         deadline: float) -> tuple[Optional[Reading], list[str]]:
    """One answer (from the cache or the model) as a grounded reading, and the issues to quote."""
    version = str(document.version)
    model = answer_model(version)
    cached = (llm_round.cached.get(kind) or {}).get("result") or {}
    if cached.get("parsed") is not None:
        llm_round.cache_hits += 1
        parsed = model.model_validate(cached["parsed"])
    elif session.off_reason is not None:
        llm_round.unavailable = session.off_reason
        return None, []
    else:
        key = session.cache_key(sha256, version, kind)
        answer = session.ask(messages, model, deadline, key)
        llm_round.calls += 1
        llm_round.requests += getattr(answer, "requests", 1)
        if getattr(answer, "failure", None):
            llm_round.failed += 1
            llm_round.unavailable = session.describe(answer.failure, answer.error or "")
        parsed = answer.parsed
        llm_round.attempts.append(attempt_of(answer, kind, session.endpoint.model, key))
    if parsed is None:
        return None, []
    reading = grounded_reading(version, parsed, document)
    report = verify_reading(reading, document)
    # Every doubt of substance goes back to the model, the narrative's included.
    issues = [f"{i.code}: {i.message}" for i in report.issues
              if i.severity in SERIOUS and i.code not in _NOT_QUOTED][:MAX_QUOTED_ISSUES]
    unprinted = [k for k, c in reading.cells.items() if c.value is not None and c.start is None]
    if unprinted:
        issues.append(f"not printed in this order in their rows: {', '.join(unprinted[:15])}"
                      + (f" and {len(unprinted) - 15} more" if len(unprinted) > 15 else ""))
    return reading, issues


def attempt_of(answer: Any, kind: str, model: str, key: str) -> dict:
    """An LLM call as the store keeps it. Only a usable answer is cached: a failed call, or an
    answer that cannot be read, is asked again by the next run."""
    parsed = answer.parsed
    return dict(method=f"llm_{kind}", model=model, usage=answer.usage, latency_s=answer.latency_s,
                cache_key=key if parsed is not None else None, request=answer.request, response=answer.response,
                error=None if parsed is not None else answer.error,
                result={"parsed": parsed.model_dump() if parsed is not None else None,
                        "problem": None if parsed is not None else answer.error})


def grounded_reading(version: str, answer: Any, document: Document) -> Reading:
    """The model's answer as a Reading: each cell printed in order at its row carries its span."""
    values = answer_values(answer.tables)
    where = ground_reading(values, document)
    cells = {key: Cell(value, LLM, where[key].start, where[key].end, where[key].line)
             if key in where and where[key].state == IN_ORDER else Cell(value, LLM) for key, value in values.items()}
    return Reading("llm", version, MetaField(answer.year, LLM), MetaField(getattr(answer, "agency", None), LLM), cells)
