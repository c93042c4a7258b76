"""The year reported on, the publishing agency, and the template version.

The year and agency come from the title first; scraped titles often drop the place name
("人力资源和社会保障局 2023 年…"), so the agency is completed from the signature line at the
end or from a mention of the same agency with its place elsewhere in the text.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Final, Iterator, Optional

from extract.reading import READ, MetaField
from extract.template.spec import TABLE_OPENINGS, VERSION_MARKERS

_HEADING: Final = re.compile(r"^\s*(?:#+\s*)?(?:一[、.]|\(一\)|概述|总体情况)")
_YEAR: Final = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD: Final = re.compile(r"((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日")
_TITLE_TAIL: Final = re.compile(r"(?:政府信息公开|政务公开|信息公开)")
_CJK: Final = r"\u4e00-\u9fff"  # the CJK ideographs, as a range of a regex class
_PLACE_ENDS: Final = "省市县区州盟旗"  # the last character of a place name
_PLACE: Final = re.compile(rf"[{_CJK}]{{2,}}?[{_PLACE_ENDS}]")
_PLACE_PREFIX: Final = re.compile(rf"^[{_CJK}]*?[{_PLACE_ENDS}]")  # the shortest: '县人社局' → '县'
_AGENCY_SUFFIX: Final = r"(?:局|委员会|委|办公室|办|厅|部|院|政府|中心|署|会|所|站|队|处|馆|(?:实验|示范|开发|高新|试验|合作|新)区)"
_SIGNATURE: Final = re.compile(rf"^[{_CJK}()]{{4,40}}" + _AGENCY_SUFFIX + r"$")


# A scraper's record fields before the title ("标题: …"); the field name is not part of it.
_FIELD_NAME: Final = re.compile(r"^(?:标题|题目|title)\s*[:：]\s*", re.I)
# A title glued to what follows it (one-line pages): up to its 年度报告 / 年报, within 60 characters.
_GLUED_TITLE: Final = re.compile(r"^.{4,56}?(?:工作年度报告|年度报告|年报)")


def title_text(text: str) -> tuple[str, int]:
    """The title: the first non-empty lines before the first section heading, and its offset."""
    parts: list[str] = []
    start: Optional[int] = None
    for offset, line in _leading_lines(text):
        stripped = _FIELD_NAME.sub("", line.strip().lstrip("#").strip())
        if stripped:
            glued = _GLUED_TITLE.match(stripped) if not parts and len(stripped) > 60 else None
            if glued:   # a one-line page: the title runs on into the report
                return glued.group(), offset + line.index(stripped)
            if _HEADING.match(line) or len(stripped) > 60 or len(parts) == 3:
                break
            if start is None:
                start = offset + line.index(stripped)
            parts.append(stripped)
    return "".join(parts), start or 0


def _leading_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of text.split("\n"), from the top: the title needs a few, not the whole report's."""
    offset = 0
    while True:
        end = text.find("\n", offset)
        if end < 0:
            yield offset, text[offset:]
            return
        yield offset, text[offset:end]
        offset = end + 1


_CN_DIGITS: Final = str.maketrans("〇零一二三四五六七八九", "00123456789")  # normalize() already made 〇 a 0
_CN_YEAR: Final = re.compile(r"[0〇零一二三四五六七八九]{4}(?=\s*年)")


def _arabic_years(text: str) -> str:
    """'二〇二一年' → '2021年' (same length, so offsets hold)."""
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), text)


def find_year(text: str) -> MetaField:
    title, offset = title_text(text)
    title = _arabic_years(title)
    match = _YEAR.search(title)
    if match:
        return MetaField(int(match.group(1)), READ, offset, offset + len(title))
    match = _PERIOD.search(text)
    if match:
        return MetaField(int(match.group(1)), "narrative", match.start(), match.end())
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(text[:3000]))
    if years:
        return MetaField(years.most_common(1)[0][0], "guessed")
    return MetaField(None, "missing")


def find_agency(text: str) -> MetaField:
    title, offset = title_text(text)
    name = _agency_in_title(title)
    if name and _has_place(name):
        return MetaField(name, READ, offset, offset + len(title))
    signature = _signature(text)
    if signature and (not name or _abbreviates(name, signature) or signature[0].endswith(_core(name))):
        return MetaField(signature[0], READ, signature[1], signature[1] + len(signature[0]))
    if name:
        placed = _place_from_mentions(text, name)
        if placed:
            return MetaField(placed, "narrative")
        return MetaField(name, "title_without_place", offset, offset + len(title))
    if signature:
        return MetaField(signature[0], READ, signature[1], signature[1] + len(signature[0]))
    return MetaField(None, "missing")


def _agency_in_title(title: str) -> str:
    compact = _arabic_years(re.sub(r"\s+", "", title))
    compact = re.sub(r"^关于(?:印发|公布|发布|转发|报送|上报)?《?", "", compact)  # a notice publishing the report
    year = _YEAR.search(compact)
    if not year:
        return _agency_named(compact)
    # '沭阳县人民政府2025年…' or '2025年沭阳县人民政府…'; before the year, a converter's word
    # ('正文2024年上海市科委…') is no agency: then the words after it are tried.
    before = _agency_named(compact[:year.start()]) if year.start() > 0 else ""
    return before or _agency_named(re.sub(r"^度", "", compact[year.end():]))


def _agency_named(head: str) -> str:
    tail = _TITLE_TAIL.search(head)
    if tail:
        head = head[:tail.start()]
    head = re.sub(r"(?:关于|年度|工作)$", "", head)
    return head if re.search(_AGENCY_SUFFIX + "$", head) else ""


def _has_place(name: str) -> bool:
    return bool(_PLACE.match(name))


def _core(name: str) -> str:
    """The agency without its place: '县人社局' → '人社局'."""
    return _PLACE_PREFIX.sub("", name)


def _abbreviates(name: str, signature: tuple[str, int]) -> bool:
    """'县人社局' abbreviates '东乡县人力资源和社会保障局': its characters appear in order."""
    core, full = _core(name), _core(signature[0])
    it = iter(full)
    return bool(core) and all(ch in it for ch in core) and core[-1] == full[-1]


def _signature(text: str) -> Optional[tuple[str, int]]:
    """A line at the end holding only an agency name with its place."""
    body = text.rstrip()
    lines = body.rsplit("\n", 8)  # the last 8 lines (and the rest in one piece)
    offset = len(body)
    for line in reversed(lines[-8:]):
        offset -= len(line)
        stripped = line.strip()
        if _SIGNATURE.match(stripped) and _has_place(stripped):
            return stripped, offset + line.index(stripped)
        offset -= 1
    return None


_NOT_IN_PLACE: Final = re.compile(r"年|通过|我|的|了|在|对|由|将|为|其中|以及|并|和|与|向|按")


def _place_from_mentions(text: str, name: str) -> Optional[str]:
    """'“济源示范区人社局”微博' + title '人力资源和社会保障局' → '济源示范区人力资源和社会保障局'."""
    core = _core(name)
    places: Counter[str] = Counter()
    for place, mention in place_mentions(text, core):
        it = iter(core)
        # Sentence words glued before a bare 市/县 ("全年通过市人社局") are not a place name.
        if all(ch in it for ch in mention) and not _NOT_IN_PLACE.search(place):
            places[place] += 1
    return places.most_common(1)[0][0] + core if places else None


_CJK_RUN: Final = re.compile(rf"[{_CJK}]+")


def place_mentions(text: str, core: str) -> Iterator[tuple[str, str]]:
    """(place, mention) of each match of the pattern
    (?<![CJK])([CJK]{2,}?[省市县区州盟旗])(core|c0[CJK]{0,3}?cN), CJK = [\\u4e00-\\u9fff], c0/cN the
    core's first/last character: a place name right before the agency, named in full or
    abbreviated. Without building that pattern for each agency (compiling its CJK classes is
    costly): a match can start only where a run of CJK starts, and takes the shortest place."""
    if not core:
        return
    resume = 0
    for run in _CJK_RUN.finditer(text):
        start, end = run.start(), run.end()
        # The place and its end mark lie in the run; the mention starts with c0 inside it or right after.
        if start < resume or text.find(core[0], start + 3, end + 1) < 0:
            continue
        for at in range(start + 2, end):
            if text[at] in _PLACE_ENDS:
                mention = _mention_at(text, at + 1, core)
                if mention is not None:
                    yield text[start:at + 1], mention
                    resume = at + 1 + len(mention)
                    break


def _mention_at(text: str, i: int, core: str) -> Optional[str]:
    """What core|c0[CJK]{0,3}?cN matches at i: the core in full, else the fewest middle characters."""
    if text.startswith(core, i):
        return core
    if not text.startswith(core[0], i):
        return None
    for j in range(i + 1, min(i + 5, len(text))):  # j: where cN would be, after j - i - 1 middle characters
        if text[j] == core[-1]:
            return text[i:j + 1]
        if not "\u4e00" <= text[j] <= "\u9fff":
            return None
    return None


def detect_version(text: str, year: Optional[int]) -> tuple[Optional[str], str, bool]:
    """Template version from the table headers, how it was decided, and whether the year (which
    only breaks a tie) decided it."""
    compact = "".join(text.split())  # whitespace removed (str.split's whitespace is regex \s)
    scores = {version: sum(marker in compact for marker in markers) for version, markers in VERSION_MARKERS.items()}
    if scores["2021"] != scores["2019"]:
        version = max(scores, key=scores.__getitem__)
        return version, f"headers: 2021={scores['2021']} 2019={scores['2019']}", False
    if year is not None and (scores["2021"] or any(word in compact for word in TABLE_OPENINGS)):
        return ("2021" if year >= 2021 else "2019"), "headers undecided; chosen by year", True
    return None, "no template headers found", False
