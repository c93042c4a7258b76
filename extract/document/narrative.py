"""Statements in the report's prose that restate a table number.

For now one kind: how many information requests the agency received this year
("共收到政府信息公开申请2件", "新收政府信息公开申请 2 件", "本年度未收到依申请公开事项").
Only prose is read: lines with tabs or '|' are table rows, and a line must carry sentence
punctuation or be long, so a flattened table row cannot pass for a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Iterator

_SENTENCE_MARK: Final = re.compile("[。，,；;！!？?]")
_LONG_LINE: Final = 40
_SENTENCE_END: Final = re.compile(r"[。；;！!？?]")
_CLAUSE_END: Final = re.compile(r"[。，,；;！!？?:：]")
_QUOTE_TAIL: Final = 16
_GAP: Final = r"[^\d。，,；;:：！!？?()（）\n]{0,24}?"
# "(共/新/本年度)收到 … 申请 2 件": the count directly follows the phrase; only 件/宗 count
# requests (条 / 人次 / 次 count other things).
_RECEIVED: Final = re.compile(rf"(?:新收到?|收到|受理|接收|接到)(?P<gap>{_GAP})(?P<n>\d+)\s*(?:件|宗)")
_NONE_RECEIVED: Final = re.compile(rf"(?:未|没有|无)\s*(?:新)?(?:收到|受理|接到|接收)(?P<gap>{_GAP}申请(?!人))")
# Requests for review or litigation, complaints and petitions are not information requests.
_OTHER_MATTERS: Final = re.compile(r"复议|诉讼|投诉|举报|信访|来信|咨询")
_REQUEST: Final = re.compile(r"申请(?!人)")  # 申请人 is the applicant, not the request


@dataclass(frozen=True)
class Statement:
    value: int
    start: int
    end: int
    quote: str


def is_prose(line: str) -> bool:
    if "\t" in line or "|" in line:
        return False
    stripped = line.strip()
    return len(stripped) >= _LONG_LINE or _SENTENCE_MARK.search(stripped) is not None


def find_requests_received(text: str) -> list[Statement]:
    """Every prose statement of this year's number of requests received, in text order."""
    out: list[Statement] = []
    # Every statement names 申请: only the lines that hold it are looked at, found by str.find.
    at = text.find("申请")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if is_prose(line):
            out.extend(_statements_in_line(line, start))
        at = text.find("申请", end)
    return out


def _statements_in_line(line: str, base: int) -> list[Statement]:
    out = []
    start = 0
    for end in [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line)]:
        sentence = line[start:end]
        if "申请" in sentence:  # every statement names it (see _first_statement): the others are skipped
            found = _first_statement(sentence, base + start)
            if found is not None:
                out.append(found)
        start = end
    return out


def _first_statement(sentence: str, base: int) -> Statement | None:
    # Only the first count in a sentence: what follows ("其中网上申请1件") is a part of it.
    candidates = []
    for m in _RECEIVED.finditer(sentence):
        if _is_request_phrase(m.group("gap")):
            candidates.append((m.start(), m.end(), int(m.group("n"))))
            break
    for m in _NONE_RECEIVED.finditer(sentence):
        if not _OTHER_MATTERS.search(m.group("gap")):
            candidates.append((m.start(), m.end(), 0))
            break
    if not candidates:
        return None
    s, e, value = min(candidates)
    return Statement(value, base + s, base + e, _quote(sentence, s, e))


def _quote(sentence: str, start: int, end: int) -> str:
    """The statement up to the end of its clause ("未收到依申请" → "未收到依申请公开事项")."""
    clause_end = _CLAUSE_END.search(sentence, end)
    stop = clause_end.start() if clause_end else len(sentence)
    return sentence[start:min(stop, end + _QUOTE_TAIL)].strip()


def _is_request_phrase(gap: str) -> bool:
    return bool(_REQUEST.search(gap)) and not _OTHER_MATTERS.search(gap)


# "集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件": counts of documents
# that the 第二十条 table restates. A clause says which column by its verb.
_DOC_COUNT: Final = re.compile(r"(?:行政)?规范性文件[^\d。，,；;]{0,6}?(?P<n>\d+)\s*件")
_CLAUSE_MARKS: Final = "。，,；;\n"  # what ends a clause of the prose
_CLAUSE_MARK: Final = re.compile(f"[{_CLAUSE_MARKS}]")
_DOC_COLUMNS: Final = (
    ("active.normative_docs.in_force", re.compile(r"现行有效"), re.compile(r"废止|清理|制发|印发|出台")),
    ("active.normative_docs.issued", re.compile(r"制发|印发|出台|制定"), re.compile(r"现行|废止|清理|修改|审查")),
    ("active.normative_docs.repealed", re.compile(r"废止"), re.compile(r"现行|制发|印发|出台|拟")),
)


def find_document_counts(text: str) -> dict[str, set[int]]:
    """What the prose says of this year's normative documents: {canonical key: values stated}."""
    out: dict[str, set[int]] = {}
    for sentence in _clauses_with(text, "规范性文件"):
        if "\t" in sentence or "|" in sentence:
            continue
        counts = [int(m.group("n")) for m in _DOC_COUNT.finditer(sentence)]
        if len(counts) != 1:
            continue
        for key, says, excludes in _DOC_COLUMNS:
            if says.search(sentence) and not excludes.search(sentence):
                out.setdefault(key, set()).add(counts[0])
    return out


def _clauses_with(text: str, word: str) -> Iterator[str]:
    """The clauses (runs between _CLAUSE_MARKS) that hold `word`, in text order: found from the
    word's places by str.find, not by matching each of a report's thousand clauses."""
    at, end = text.find(word), 0
    while at >= 0:
        # Looked for back to the last clause's end only, and forward to the first mark: linear in
        # the text, however often the word is printed.
        start = max(text.rfind(mark, end, at) for mark in _CLAUSE_MARKS) + 1
        found = _CLAUSE_MARK.search(text, at)
        end = found.start() if found else len(text)
        yield text[start:end]
        at = text.find(word, end)
