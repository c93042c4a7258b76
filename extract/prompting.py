"""What the LLM is sent: the prompt files, the excerpt of a report, and the cache key.

Only the parts that hold data go out: the title, the table sections (二 to the end of 四) with
their whitespace squeezed, and the narrative sentences that state numbers. The prompts' hash,
the model and the schema's hash form the cache key, so changing any of them re-asks.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from string import Template

from extract import template
from extract.template import strip_ordinal

PROMPT_DIR = Path(os.environ.get("GOVREPORT_PROMPTS", Path(__file__).resolve().parents[1] / "prompts"))
_TABLES_START = re.compile(r"第二十条|^\s*(?:#+\s*)?二\s*[、.]\s*主动公开", re.M)
_TABLES_END = re.compile(r"^\s*(?:#+\s*)?(?:五|六)\s*[、.].{0,20}(?:问题|改进|收费|其他需要报告)", re.M)
_ACTIVE_LABEL = re.compile("|".join(sorted({r.pattern.pattern for fmt in ("2019", "2021") for r in template.active_rows(fmt)})))
_REQUEST_LABELS = tuple({r.pattern.pattern: r.pattern for fmt in ("2019", "2021") for r in template.request_rows(fmt)}.values())
_SECTION = re.compile(r"^(?:#+\s*)?[二三四][、.]")
# Narrative sentences that restate table numbers: "共收到政府信息公开申请2件", "未收到…申请".
_NUMBER_SENTENCE = re.compile(r"[^。;；\n]*(?:\d\s*件|未(?:收到|发生|受理))[^。;；\n]*[。;；]?")
_LONG_NOTE = re.compile(r"\([^()\d]{8,}\)")  # "(区分处理的,只计这一情形,不计其他情形)": boilerplate


@lru_cache(maxsize=None)
def load_prompt(name: str) -> Template:
    return Template((PROMPT_DIR / f"{name}.md").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def prompt_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(PROMPT_DIR.glob("*.md")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=None)
def schema_hash(fmt: str) -> str:
    from extract.schema import llm_response_model  # pydantic models: built only when the LLM is on

    schema = json.dumps(llm_response_model(fmt).model_json_schema(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(schema.encode()).hexdigest()[:16]


def cache_key(doc_sha: str, fmt: str, model: str, mode: str, kind: str) -> str:
    """Same document, prompts, schema, model and mode → same answer: no second call."""
    parts = [doc_sha, fmt, model, mode, kind, prompt_hash(), schema_hash(fmt)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def build_excerpt(norm: str, fmt: str | None = None) -> str:
    """Title + the tables' region (found by their labels, as the parsers find it) + the prose's
    sentences that state numbers; whitespace squeezed. Site chrome and narrative stay out."""
    from extract.parsers import find_regions

    lines = norm.split("\n")
    title = next((l.strip() for l in lines if l.strip()), "")
    start, end = None, None
    if fmt is not None:
        regions = find_regions(norm, fmt)
        if regions.start < regions.end and any(x is not None for x in (regions.active, regions.requests)):
            start, end = regions.start, regions.end
    if start is None:
        start_match = re.search(r"^\s*(?:#+\s*)?二\s*[、.]\s*主动公开", norm, re.M) or _TABLES_START.search(norm)
        start = norm.rfind("\n", 0, start_match.start()) + 1 if start_match else 0
        end_match = _TABLES_END.search(norm, start)
        end = end_match.start() if end_match else len(norm)
    prose = norm[:start] + "\n" + norm[end:]
    sentences = [m.group().strip() for m in _NUMBER_SENTENCE.finditer(prose)]
    table = "\n".join(_squeeze(l) for l in norm[start:end].split("\n") if _holds_data(l))
    parts = [title] + sentences + [table]
    return "\n".join(p for p in parts if p)


def _holds_data(line: str) -> bool:
    """Rows with numbers, and label-only lines (one-cell-per-line layouts); not column headers."""
    if not line.strip():
        return False
    if any(ch.isdigit() for ch in line):
        return True
    name = strip_ordinal(line)
    return (any(p.search(name) for p in _REQUEST_LABELS) or _ACTIVE_LABEL.fullmatch(name) is not None
            or bool(_SECTION.match(line.strip())))


def _squeeze(line: str) -> str:
    return re.sub(r"[ ]{2,}", " ", _LONG_NOTE.sub("", line).strip())


def build_messages(fmt: str, excerpt: str, issues: list[str] | None = None) -> list[dict[str, str]]:
    """One user turn: some chat formats (gemma on llama.cpp) drop system messages."""
    text = load_prompt("extract").substitute(format=fmt, excerpt=excerpt)
    if issues:
        text += load_prompt("reask").substitute(issues="\n".join(f"- {i}" for i in issues))
    return [{"role": "user", "content": text}]
