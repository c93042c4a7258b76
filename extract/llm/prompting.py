"""What the LLM is sent: the prompt files, the excerpt of a report, and the cache key.

Only the parts that hold data go out: the title, the tables' region (二 to the end of 四, as
the document model bounds it) with whitespace squeezed, and the prose's sentences that state
numbers. The prompts' hash, the model and the schema's hash form the cache key, so changing
any of them re-asks.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from string import Template

from extract.document import Document
from extract.document.sections import tables_from
from extract.template import active_label_pattern, request_label_patterns, spec, strip_ordinal
from extract.template.schema import answer_model

PROMPT_DIR = Path(os.environ.get("GOVREPORT_PROMPTS", Path(__file__).resolve().parents[2] / "prompts"))
_SECTION = re.compile(r"^(?:#+\s*)?[二三四][、.]")
# Narrative sentences that restate table numbers: "共收到政府信息公开申请2件", "未收到…申请".
_NUMBER_SENTENCE = re.compile(r"[^。;；\n]*(?:\d\s*件|未(?:收到|发生|受理))[^。;；\n]*[。;；]?")
_NUMBER_WORD = re.compile(r"\d\s*件|未(?:收到|发生|受理)")
_SENTENCE_ENDS = "。;；\n"
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
def schema_hash(version: str) -> str:
    schema = json.dumps(answer_model(version).model_json_schema(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(schema.encode()).hexdigest()[:16]


def cache_key(doc_sha: str, version: str, model: str, mode: str, kind: str, extra_body: str = "") -> str:
    """Same document, prompts, schema, model, mode and extra body fields → same answer: no second call."""
    parts = [doc_sha, version, model, mode, kind, prompt_hash(), schema_hash(version)] + ([extra_body] if extra_body else [])
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def build_excerpt(document: Document) -> str:
    """Title + the tables' region (the document model's sections) + the prose's sentences that
    state numbers; whitespace squeezed. Site chrome and narrative stay out. Where the tables'
    labels were not found, the text from their first words to where 五 begins goes (the LLM may
    read what the labels did not find)."""
    norm = document.text
    title = next((line.strip() for line in norm.split("\n") if line.strip()), "")
    sections = document.sections
    if sections is not None and sections.found:
        start, end = sections.start, sections.end
    else:
        start = tables_from(norm)
        five = spec.SECTION_FIVE.search(norm, start)
        end = five.start() if five else len(norm)
    prose = norm[:start] + "\n" + norm[end:]
    sentences = number_sentences(prose)
    table = "\n".join(_squeeze(l) for l in norm[start:end].split("\n") if _holds_data(l))
    parts = [title] + sentences + [table]
    return "\n".join(p for p in parts if p)


def number_sentences(prose: str) -> list[str]:
    """The matches of _NUMBER_SENTENCE in `prose`, stripped, found in linear time: searched from
    every position, the pattern scans each sentence without a number word to its end again and
    again (quadratic: 4 ms on a one-line page). A match starts where the sentence holding the next
    number word starts, so the pattern is tried there only."""
    out, pos = [], 0
    while (word := _NUMBER_WORD.search(prose, pos)) is not None:
        start = max(pos, max(prose.rfind(end, 0, word.start()) for end in _SENTENCE_ENDS) + 1)
        found = _NUMBER_SENTENCE.match(prose, start)
        assert found is not None, "a number word's sentence always matches"
        out.append(found.group().strip())
        pos = found.end()
    return out


def _holds_data(line: str) -> bool:
    """Rows with numbers, and label-only lines (one-cell-per-line layouts); not column headers."""
    if not line.strip():
        return False
    if any(map(str.isdigit, line)):
        return True
    name = strip_ordinal(line)
    return (_any_of(request_label_patterns()).search(name) is not None
            or active_label_pattern().fullmatch(name) is not None or bool(_SECTION.match(line.strip())))


@lru_cache(maxsize=4)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """Any of these patterns, as one (searched once a line, not once a row); keyed by the patterns
    themselves, so that it follows the template's."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


def _squeeze(line: str) -> str:
    return re.sub(r"[ ]{2,}", " ", _LONG_NOTE.sub("", line).strip())


def build_messages(version: str, excerpt: str, issues: list[str] | None = None) -> list[dict[str, str]]:
    """One user turn: some chat formats (gemma on llama.cpp) drop system messages."""
    text = load_prompt("extract").substitute(format=version, excerpt=excerpt)
    if issues:
        text += load_prompt("reask").substitute(issues="\n".join(f"- {i}" for i in issues))
    return [{"role": "user", "content": text}]
