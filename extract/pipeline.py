"""Policy: extract, verify, decide the record's status (`extract.intake` reads inputs and stores
the records).

The only module that decides. Extractors propose readings, the verifier reports issues, and
this module turns them into one record per document with a status a user can rely on:

- verified            complete, grounded, every relation holds; a promise, so any doubt at all
                      (a lost cell filled by arithmetic, a row placed by position) withholds it
- source_inconsistent faithful to the source, but the source itself breaks a relation
- needs_review        anything uncertain; the issues say what to look at
- failed              unreadable, or not such a report
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from extract import fields
from extract.choose import PARSERS_ONLY, choose
from extract.errors import InputError
from extract.formats import read_document
from extract.intake import (Extracted, Outcome, Prepared, Record, load_file, store_unreadable,
                            write_records)
from extract.packing import (Packed, encode_json, pack_attempt_result, pack_cell_provenance, pack_confidence,
                             pack_issue, pack_provenance, pack_values)
from extract.parsers import parse_normalized
from extract.record import LLM, Cell, Extraction, MetaField
from extract.session import LLMSession
from extract.settings import Settings
from extract.store import FAILED, NEEDS_REVIEW, SOURCE_INCONSISTENT, VERIFIED, JSONText, Store, dump_json
from extract.text import normalize
from verify import Issue, Report, verify_extraction
from verify.grounding import IN_ORDER, ground_reading
from verify.report import EXTRACTION, INFO

_REPORT_WORDS = ("政府信息公开", "政务公开", "信息公开")
_TEMPLATE_WORDS = ("第二十条", "本年新收", "主动公开政府信息情况", "行政复议", "年度报告")


def prepare_file(path: Path, store: Store, run_id: int, settings: Settings = Settings()) -> Prepared | Outcome:
    """Read, hash and decode one input; store it. An Outcome means it is finished already
    (unreadable, undecodable, or done in an earlier run)."""
    loaded = load_file(path, store, run_id, settings)
    if isinstance(loaded, Outcome):
        return loaded
    try:
        decoded = read_document(loaded.data, loaded.path, settings.max_bytes)
    except InputError as exc:
        return store_unreadable(loaded, exc, store, run_id)
    store.add_document(loaded.sha256, loaded.path, len(loaded.data), decoded.text, decoded.encoding)
    return Prepared(loaded.path, loaded.sha256, decoded.text, loaded.owner)


def record_of(parsed: Extraction, parse_s: float, found: "Assessment") -> Record:
    attempt = pack_attempt_result(extraction_to_dict(parsed))
    # The record of the parsers' own reading has the values its attempt packed: the same list.
    values = attempt["values"] if found.extraction is parsed and isinstance(attempt["values"], list) else None
    return Record(parse_s, JSONText(dump_json(attempt)), result_fields(found, values))


def parse_text(text: str) -> tuple[str, Extraction, float]:
    """The normalised text, the parsers' reading of it, and the seconds it took."""
    started = time.perf_counter()
    norm = normalize(text)
    parsed = parse_normalized(norm)
    return norm, parsed, time.perf_counter() - started


def extract_offline(name: str, data: bytes, max_bytes: int) -> Extracted:
    """Decode, parse, verify and decide one input without the store or the LLM: the work a
    worker process does (`extract --workers N`)."""
    try:
        decoded = read_document(data, name, max_bytes)
        norm, parsed, parse_s = parse_text(decoded.text)
        # A UTF-8 file's text is its bytes, which the writer has: the text need not travel back.
        text = None if decoded.encoding == "utf-8" else decoded.text
        return Extracted(text, decoded.encoding, record_of(parsed, parse_s, assess(norm, parsed, None)))
    except InputError as exc:
        return Extracted(error=exc)
    except Exception as exc:  # a bug of the reader's must not end a run of thousands: this input is noted
        what = " ".join(str(exc).split())[:200]  # one line, however the exception reads
        return Extracted(error=InputError(f"internal error reading this file ({type(exc).__name__}: {what}); "
                                          "please report it; the next run tries it again", retry=True))


def extract_many(items: list[tuple[str, bytes]], max_bytes: int) -> list[Extracted]:
    """extract_offline over several inputs: one call (one round trip to a worker) for them all."""
    return [extract_offline(name, data, max_bytes) for name, data in items]


def process_file(path: Path, store: Store, run_id: int, settings: Settings = Settings(),
                 llm: Optional[LLMSession] = None) -> Outcome:
    """One input file → one stored record (failures included), unless it is already done."""
    prepared = prepare_file(path, store, run_id, settings)
    if isinstance(prepared, Outcome):
        return prepared
    work = start_extraction(prepared, store, llm)
    return finish_extraction(prepared, run_llm_round(work, llm) if work.needs_llm else work, store, run_id)


@dataclass
class Work:
    """Everything one document's extraction needs; the LLM round runs on it without the store."""

    prepared: Prepared
    norm: str
    parsed: Extraction
    parse_s: float
    cached: dict[str, Optional[dict]] = field(default_factory=dict)
    needs_llm: bool = False
    attempts: list[dict] = field(default_factory=list)   # new LLM attempts, to store
    llm_reading: Optional[Extraction] = None
    llm_unavailable: Optional[str] = None   # why the LLM could not be asked (endpoint failure, breaker)
    calls: int = 0
    cache_hits: int = 0


def start_extraction(prepared: Prepared, store: Store, llm: Optional[LLMSession]) -> Work:
    """Parse (cheap, always) and look up cached LLM answers; main thread, store access."""
    norm, parsed, parse_s = parse_text(prepared.text)
    work = Work(prepared, norm, parsed, parse_s)
    if llm is not None and parsed.format is not None and looks_like_report(norm):
        work.needs_llm = True
        for kind in (FIRST, REASK):
            work.cached[kind] = store.cached_attempt(llm.cache_key(prepared.sha256, parsed.format, kind))
    return work


def finish_extraction(prepared: Prepared, work: Work, store: Store, run_id: int) -> Outcome:
    """Choose, verify, decide; store every attempt and the record; main thread."""
    found = assess(work.norm, work.parsed, work.llm_reading)
    if work.llm_unavailable and found.report is not None:
        # Noted, not a doubt: the record is what the parsers read; the next run asks again.
        note = Issue("llm_unavailable", (), f"the LLM was not asked: {work.llm_unavailable}", INFO, EXTRACTION)
        found.report = Report.of([*found.report.issues, note])
    tokens: dict[str, int] = {}
    for attempt in work.attempts:
        for name, count in (attempt.get("usage") or {}).items():
            tokens[name] = tokens.get(name, 0) + count
    write_records([(prepared, record_of(work.parsed, work.parse_s, found), work.attempts)], store, run_id)
    return Outcome(prepared.path, found.status, found.reason, prepared.sha256, work.calls, work.cache_hits, tokens,
                   bool(work.llm_unavailable))


# --- the LLM round (policy; runs in worker threads, never touches the store) -----------------
FIRST, REASK = "first", "reask"
MAX_QUOTED_ISSUES = 12
# Not the model's to fix: the meta it cannot know, a cell left empty (listed apart).
_NOT_QUOTED = frozenset({"ungrounded", "missing", "meta_missing"})


def run_llm_round(work: Work, llm: LLMSession) -> Work:
    """LLM → pydantic → verifier → one re-ask quoting the verifier's issues if it fails."""
    from extract.prompting import build_excerpt, build_messages  # the prompts load only when the LLM is on

    fmt = work.parsed.format
    excerpt = build_excerpt(work.norm, fmt)
    deadline = llm.deadline()
    reading, issues = _ask(work, llm, FIRST, build_messages(fmt, excerpt), deadline)
    if reading is not None and issues:
        second, _ = _ask(work, llm, REASK, build_messages(fmt, excerpt, issues), deadline)
        reading = second or reading
    work.llm_reading = reading
    return work


def _ask(work: Work, llm: LLMSession, kind: str, messages: list, deadline: float):
    """One answer (from the cache or the model) as a grounded reading, and the issues to quote."""
    from extract.schema import llm_response_model  # pydantic models: built only when the LLM is on

    fmt = work.parsed.format
    model = llm_response_model(fmt)
    cached = work.cached.get(kind)
    if cached is not None:
        work.cache_hits += 1
        payload = (cached.get("result") or {}).get("parsed")
        parsed = model.model_validate(payload) if payload is not None else None
    elif llm.off_reason is not None:
        work.llm_unavailable = llm.off_reason
        return None, []
    else:
        answer = llm.ask(messages, model, deadline)
        work.calls += 1
        if getattr(answer, "failure", None):
            work.llm_unavailable = llm.describe(answer.failure, answer.error or "")
        parsed = answer.parsed
        problem = None if parsed is not None or answer.response is None else answer.error
        work.attempts.append(dict(
            method=f"llm_{kind}", model=llm.endpoint.model, usage=answer.usage, latency_s=answer.latency_s,
            # A transport failure is not cached (the next run tries again); a bad answer is.
            cache_key=llm.cache_key(work.prepared.sha256, fmt, kind) if answer.response is not None else None,
            request=answer.request, response=answer.response,
            error=None if answer.response is not None else answer.error,
            result={"parsed": parsed.model_dump() if parsed is not None else None, "problem": problem}))
    if parsed is None:
        return None, []
    reading = llm_extraction(fmt, parsed)
    where = ground_reading(fmt, reading.values(), work.norm)
    reading.cells = {k: Cell(c.value, LLM, where[k].start, where[k].end, where[k].line)
                     if k in where and where[k].state == IN_ORDER else c for k, c in reading.cells.items()}
    report = verify_extraction(reading, work.norm)
    # Every doubt of substance goes back to the model, the narrative's included.
    issues = [f"{i.code}: {i.message}" for i in report.issues
              if i.severity in ("error", "warning") and i.code not in _NOT_QUOTED][:MAX_QUOTED_ISSUES]
    unprinted = [k for k, c in reading.cells.items() if c.value is not None and c.start is None]
    if unprinted:
        issues.append(f"not printed in this order in their rows: {', '.join(unprinted[:15])}"
                      + (f" and {len(unprinted) - 15} more" if len(unprinted) > 15 else ""))
    return reading, issues


def llm_extraction(fmt: str, parsed: Any) -> Extraction:
    """The model's answer as an Extraction (values only; `verify.grounding` finds where they are printed)."""
    from extract.schema import llm_values

    values = llm_values(parsed.tables)
    return Extraction("llm", fmt, MetaField(parsed.year, LLM), MetaField(getattr(parsed, "agency", None), LLM),
                      {key: Cell(value, LLM) for key, value in values.items()})


# --- deciding ---------------------------------------------------------------------------------
@dataclass
class Assessment:
    """One document's chosen reading, its verification, and the status they earn."""

    extraction: Extraction
    report: Optional[Report]
    status: str
    reason: str
    confidence: dict[str, str] = field(default_factory=dict)


def assess_text(text: str) -> Assessment:
    """Parse and verify a decoded report with the parsers alone; no store involved."""
    norm = normalize(text)
    return assess(norm, parse_normalized(norm), None)


def assess(norm: str, parsed: Extraction, llm_reading: Optional[Extraction]) -> Assessment:
    if llm_reading is not None:
        chosen, confidence = choose(parsed, llm_reading, norm)
    else:
        chosen = parsed
        confidence = {key: PARSERS_ONLY for key, cell in parsed.cells.items() if cell.value is not None}
    not_report = why_not_a_report(norm, chosen)
    if not_report:
        return Assessment(chosen, None, FAILED, not_report)
    report = verify_extraction(chosen, norm)
    status, reason = decide_status(report)
    return Assessment(chosen, report, status, reason, confidence)


def looks_like_report(norm: str) -> bool:
    """Worth asking the LLM: it names open government information and has the template's headings
    or table labels, whatever the parsers made of it."""
    return any(word in norm for word in _REPORT_WORDS) and any(word in norm for word in _TEMPLATE_WORDS)


def why_not_a_report(norm: str, extraction: Extraction) -> str:
    """A one-line reason when the text is not an annual report we can read at all."""
    has_values = any(cell.value is not None for cell in extraction.cells.values())
    if has_values:
        return ""
    if not any(word in norm for word in _REPORT_WORDS):
        return "not an annual report on open government information (no 政府信息公开, no template tables)"
    if extraction.format is None:
        return "no report tables found (no 第二十条 / 申请 / 复议 table headers): not a template annual report"
    return "no table values could be read: the text holds the headings but none of the tables' numbers"


def decide_status(report: Report) -> tuple[str, str]:
    """Policy over the verifier's report: the status and a one-line reason."""
    doubtful = [i for i in report.issues if i.origin == "extraction" and i.severity in ("error", "warning")]
    if doubtful:
        return NEEDS_REVIEW, summarize(doubtful)
    source = [i for i in report.issues if i.origin == "source" and i.severity in ("error", "warning")]
    if source:
        return SOURCE_INCONSISTENT, "the source itself: " + summarize(source)
    return VERIFIED, ""


def summarize(issues: list, limit: int = 3) -> str:
    parts = [i.message if i.message.startswith(i.code) else f"{i.code}: {i.message}" for i in issues[:limit]]
    more = f" (+{len(issues) - limit} more)" if len(issues) > limit else ""
    return "; ".join(parts) + more


def result_fields(found: "Assessment", values_in_order: Optional[list] = None) -> dict[str, Any]:
    """What the store keeps of an assessed document, its cells packed. `values_in_order`: its
    values packed in the template's key order already (as `pack_attempt_result` packs them)."""
    chosen = found.extraction
    fmt = chosen.format
    provenance = pack_cell_provenance(fmt, chosen.cells, meta_provenance(chosen)) \
        or pack_provenance(fmt, provenance_of(chosen))
    values = encode_json(values_in_order) if values_in_order is not None else pack_values(fmt, record_values(chosen))
    issues = tuple(map(pack_issue, found.report.to_dicts())) if found.report else ()
    packed = Packed(values, provenance, pack_confidence(fmt, found.confidence), issues)
    return dict(status=found.status, reason=found.reason, format=fmt, year=chosen.year.value,
                agency=chosen.agency.value, chosen=chosen.method, packed=packed)


def record_values(extraction: Extraction) -> dict[str, Any]:
    """Exactly the keys of fields.json for the record's format, in its order."""
    if extraction.format is None:
        return {}
    return {key: extraction.cells[key].value if key in extraction.cells else None
            for key in fields.numeric_keys(extraction.format)}


def provenance_of(extraction: Extraction) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, cell in extraction.cells.items():
        if cell.value is None:
            continue
        entry: dict[str, Any] = {"method": cell.method}
        if cell.start is not None:
            entry.update(start=cell.start, end=cell.end, line=cell.line)
        if cell.note:
            entry["note"] = cell.note
        out[key] = entry
    out.update(meta_provenance(extraction))
    return out


def meta_provenance(extraction: Extraction) -> dict[str, Any]:
    return {f"meta.{name}": {"method": meta.method, "start": meta.start, "end": meta.end}
            for name, meta in (("year", extraction.year), ("agency", extraction.agency))}


def extraction_to_dict(extraction: Extraction) -> dict[str, Any]:
    """What an attempt produced, kept in full in the store."""
    return {
        "method": extraction.method,
        "format": extraction.format,
        "meta": {"year": extraction.year.value, "agency": extraction.agency.value},
        "values": {key: cell.value for key, cell in extraction.cells.items()},
        "doubts": [{"code": d.code, "keys": list(d.keys), "message": d.message} for d in extraction.doubts],
    }
