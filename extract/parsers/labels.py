"""Row and column labels of the template, as patterns that survive renaming and breakage.

Patterns match the distinctive words of a label, not its full text: agencies shorten,
renumber and re-punctuate labels, and scrapers break them across lines. Data only; the
parsers decide what a match means.
"""
from __future__ import annotations

import re
from functools import lru_cache

# 三、 request table rows, keyed by the canonical row key (the column is appended later).
_REQUEST_ROW_WORDS = {
    "requests.new": r"本年新收|新收.{0,12}申请数",
    "requests.carried_over": r"上年结转|上年度结转",
    "requests.granted": r"予以公开",
    "requests.partly_granted": r"部分公开",
    "requests.refused.state_secret": r"国家秘密",
    "requests.refused.prohibited_by_law": r"禁止公开",
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
    "requests.other.other": r"^(?:\d+|\(?[一二三四五六七八九]\)?)?[.、]?其他$",
    "requests.total": r"^(?:\(?[七7]\)?[.、]?)?总计$",
    "requests.carried_forward": r"结转下年|转入下年|结转至下年",
}
REQUEST_ROW_PATTERNS = {key: re.compile(words) for key, words in _REQUEST_ROW_WORDS.items()}

# 二、 active disclosure items: (label pattern on the compact label, value keys in column order).
ACTIVE_ITEMS = {
    "2019": [
        (r"规章", ("active.rules.new_made", "active.rules.new_published", "active.rules.total_published")),
        (r"(?:行政)?规范性文件", ("active.normative_docs.new_made", "active.normative_docs.new_published",
                               "active.normative_docs.total_published")),
        (r"行政许可", ("active.licensing.prev_items", "active.licensing.change", "active.licensing.decisions")),
        (r"其他对外管理服务事项|其他对外管理服务", ("active.other_services.prev_items", "active.other_services.change",
                                        "active.other_services.decisions")),
        (r"行政处罚", ("active.penalty.prev_items", "active.penalty.change", "active.penalty.decisions")),
        (r"行政强制", ("active.coercion.prev_items", "active.coercion.change", "active.coercion.decisions")),
        (r"行政事业性收费", ("active.fees.prev_items", "active.fees.change")),
        (r"政府集中采购", ("active.procurement.items", "active.procurement.amount")),
    ],
    "2021": [
        (r"规章", ("active.rules.issued", "active.rules.repealed", "active.rules.in_force")),
        (r"(?:行政)?规范性文件", ("active.normative_docs.issued", "active.normative_docs.repealed",
                               "active.normative_docs.in_force")),
        (r"行政许可", ("active.licensing.decisions",)),
        (r"行政处罚", ("active.penalty.decisions",)),
        (r"行政强制", ("active.coercion.decisions",)),
        (r"行政事业性收费", ("active.fees.amount",)),
    ],
}

# Header words that decide the template version (searched with all whitespace removed).
FORMAT_MARKERS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "不补正", "收费通知", "本年处理决定数量"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量",
             "其他对外管理服务事项", "政府集中采购"),
}

# Vocabulary of the 四、 appeals table header: a text cell made only of these is still header.
APPEAL_HEADER_CHARS = set("行政复议诉讼结果维持纠正其他尚未审结总计经直接起后情况表四五、()一二三信息公开单位件数")

SECTION_FIVE = re.compile(r"^(?:#+\s*)?(?:五|六|七)[、.]|存在的主要问题|改进情况|其他需要报告")

_LABEL_NOISE = re.compile(r"[\s()（）【】\[\]“”\"'‘’:：,，;；、.。\-—]")
_ORDINAL = re.compile(r"^(?:第?[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+[.、])")


@lru_cache(maxsize=4096)
def compact(label: str) -> str:
    """Label without spaces, brackets and punctuation: '（二） 部分 公开' → '二部分公开'."""
    return _LABEL_NOISE.sub("", label)


@lru_cache(maxsize=4096)  # labels repeat from report to report
def strip_ordinal(label: str) -> str:
    """'(三) 不予公开' → '不予公开'; '1. 属于国家秘密' → '属于国家秘密'."""
    stripped = label.strip()
    while True:
        new = _ORDINAL.sub("", stripped).strip()
        if new == stripped:
            return compact(new)
        stripped = new


def is_label_like(text: str) -> bool:
    """A table label, not a sentence of the narrative."""
    return len(text) <= 80 and "。" not in text and "；" not in text
