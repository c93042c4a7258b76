"""The national template, described once: tables, rows, printed labels and their variants.

Keys and canonical labels come from `fields.json` (via `extract.fields`); this module adds
what a reader needs to find them in scraped text: for each row the words that identify its
label however agencies shorten, renumber or mistype it, the ordinal printed before it, how
many cells it holds and which of them sum. The relations between rows live in
`verify.rules` (derived from the same keys); readers ask them, they do not restate them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from extract import fields


@dataclass(frozen=True)
class Row:
    """One printed row of a template table."""

    key: str                      # 'requests.refused.state_secret', 'active.licensing', 'appeals'
    keys: tuple[str, ...]         # its cells' canonical keys, in printed order
    label: str                    # the label as the template prints it (ordinal stripped)
    pattern: re.Pattern           # matched on the label with whitespace and markup removed
    ordinal: str = ""             # '1'…'8' for the numbered sub-rows of 三, else ''
    groups: tuple[int, ...] = ()  # cell groups whose last cell is the sum of the others (R3, R4)


# 三、 request rows: distinctive words of each label. Labels are matched tolerantly (a few
# words suffice) because agencies reword them and OCR slips letters (其他法律行政止公开).
_REQUEST_WORDS: Final = {
    "requests.new": r"本年新收|新收.{0,12}申请数",
    "requests.carried_over": r"上年结转|上年度结转",
    "requests.granted": r"予以公开",
    "requests.partly_granted": r"部分公开",
    "requests.refused.state_secret": r"国家秘密",
    "requests.refused.prohibited_by_law": r"禁止公开|法规.?止公开|其他法律行政",
    "requests.refused.security_stability": r"三安全|一稳定|危及",
    "requests.refused.third_party": r"第三方",
    "requests.refused.internal_affairs": r"内部事务",
    "requests.refused.process_info": r"过程性",
    "requests.refused.enforcement_file": r"执法案卷",
    "requests.refused.admin_query": r"行政查询",
    "requests.unable.not_held": r"不掌握",
    "requests.unable.needs_creation": r"另行制作|没有现成",
    "requests.unable.unclear": r"不明确",
    "requests.not_processed.complaint": r"信访|举报|投诉",
    "requests.not_processed.duplicate": r"重复申请",
    "requests.not_processed.publication": r"出版物",
    "requests.not_processed.excessive": r"大量反复|反复申请",
    "requests.not_processed.confirmation": r"重新出具|确认",
    "requests.other": r"其他处理",
    "requests.other.overdue_correction": r"不补正",
    "requests.other.unpaid_fee": r"缴纳费用|收费通知|未按.{0,4}缴",
    # A bare 其他: only where it is a word of its own (not 其他处理, 法人或其他组织, a column's 其他总计).
    "requests.other.other": r"(?<![\u4e00-\u9fff])其他(?![\u4e00-\u9fff])",
    "requests.total": r"(?:^|[(（]?\s*[七7]\s*[)）]?\s*[.、]?\s*)总\s*计",
    "requests.carried_forward": r"结转下年|转入下年|结转至下年",
}

# 二、 active disclosure items (第二十条): label words and the item's fields in column order.
_ACTIVE_WORDS: Final = {
    "rules": r"规章",
    "normative_docs": r"(?:行政)?规范性文件",
    "licensing": r"行政许可",
    "other_services": r"其他对外管理服务(?:事项)?",
    "penalty": r"行政处罚",
    "coercion": r"行政强制",
    "fees": r"行政事业性收费",
    "procurement": r"政府集中采购",
}

# Header words that decide the template version (searched with all whitespace removed).
FORMAT_MARKERS: Final = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "不补正", "收费通知", "本年处理决定数量"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量",
             "其他对外管理服务事项", "政府集中采购"),
}

# Where the tables begin and end.
ACTIVE_START: Final = re.compile(r"第\s*二\s*十\s*条")
APPEALS_START: Final = re.compile(r"行\s*政\s*法?\s*复\s*议")
SECTION_FIVE: Final = re.compile(r"(?:^|[\s#])(?:五|六|七)\s*[、.．]\s*(?:政府信息公开工作)?(?:存在|主要问题|其他需要|工作)"
                          r"|存在的主要问题|其他需要报告")
# Words of the 四、 appeals header: numbers glued to them start the appeals row.
APPEAL_HEADER_WORDS: Final = re.compile(r"(?:总计|审结|起诉|维持|纠正|结果|其他)\s*$")

_ORDINAL: Final = re.compile(r"^(\d)\s")


@lru_cache(maxsize=None)
def request_rows(fmt: str) -> tuple[Row, ...]:
    """The request table's rows in printed order, each with its seven cells."""
    labels = fields.labels(fmt)
    out = []
    for row in fields.request_rows(fmt):
        printed = labels[f"{row}.total"].split(" / ")[0]
        # fields.json writes '三(三)1 属于国家秘密': the digit after the group is the printed ordinal.
        tail = re.sub(r"^[一二三四五六七八九十]+[、(（)）一二三四五六七八九十]*", "", printed)
        ordinal = _ORDINAL.match(tail)
        out.append(Row(row, tuple(f"{row}.{c}" for c in fields.columns()), tail[2:] if ordinal else tail.strip(),
                       re.compile(_REQUEST_WORDS[row]), ordinal.group(1) if ordinal else "", (len(fields.columns()),)))
    return tuple(out)


SINGLE_OTHER: Final = "requests.other"  # 三(六)其他处理: one row in 2019, three sub-rows in 2021


@lru_cache(maxsize=None)
def request_search_rows(fmt: str) -> tuple[Row, ...]:
    """The rows a reader looks for: the template's own, and in a 2021 table also the 2019 single
    （六）其他处理 row, which some 2021 reports still print instead of its three sub-rows."""
    rows = request_rows(fmt)
    if fmt != "2021":
        return rows
    single = next(r for r in request_rows("2019") if r.key == SINGLE_OTHER)
    at = next(i for i, r in enumerate(rows) if r.key.startswith(SINGLE_OTHER + "."))
    return rows[:at] + (single,) + rows[at:]


@lru_cache(maxsize=None)
def active_rows(fmt: str) -> tuple[Row, ...]:
    """The 第二十条 items in printed order, each with its cells (no relations among them)."""
    by_item: dict[str, list[str]] = {}
    for key in fields.active_keys(fmt):
        by_item.setdefault(key.split(".")[1], []).append(key)
    labels = fields.labels(fmt)
    return tuple(Row(f"active.{item}", tuple(keys), labels[keys[0]].split(" ")[0], re.compile(_ACTIVE_WORDS[item]))
                 for item, keys in by_item.items())


@lru_cache(maxsize=None)
def any_active_item(fmt: str) -> re.Pattern:
    """Any one of the 第二十条 items' labels."""
    return re.compile("|".join(r.pattern.pattern for r in active_rows(fmt)))


@lru_cache(maxsize=None)
def appeals_row(fmt: str = "2021") -> Row:
    """四、 one printed row of 15 numbers: three groups of 维持/纠正/其他/尚未审结/总计."""
    keys = fields.appeal_keys(fmt)
    return Row("appeals", keys, "行政复议、行政诉讼", APPEALS_START, "", (5, 5, 5))


# --- label text helpers --------------------------------------------------------------------
_LABEL_NOISE: Final = re.compile(r"[\s()（）【】\[\]“”\"'‘’:：,，;；、.。\-—|#*]")
_LEADING_ORDINAL: Final = re.compile(r"^(?:第?[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+[.、])")


@lru_cache(maxsize=4096)
def compact(label: str) -> str:
    """Label without spaces, brackets and punctuation: '（二） 部分 公开' → '二部分公开'."""
    return _LABEL_NOISE.sub("", label)


@lru_cache(maxsize=4096)  # labels repeat from report to report
def strip_ordinal(label: str) -> str:
    """'(三) 不予公开' → '不予公开'; '1. 属于国家秘密' → '属于国家秘密'."""
    stripped = label.strip()
    while True:
        new = _LEADING_ORDINAL.sub("", stripped).strip()
        if new == stripped:
            return compact(new)
        stripped = new
