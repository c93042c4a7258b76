"""The national template (国办公开办函〔2019〕60号 and 〔2021〕30号), described once, as data.

Everything else is derived from these tables: the canonical keys and labels (the dataset's
columns, equal to the spec's fields.json), the patterns that find each printed label however
agencies shorten, renumber or mistype it, the relations (勾稽关系) that the verifier checks and
the readers ask, the section bounds, the pydantic models the LLM answers in, and the tests'
renderings. To recognise a new way of printing a label, add its words to the row's `words`.

`words` are regular expressions matched on the label with whitespace and table markup
removed; they are tolerant on purpose (a few distinctive words suffice), because agencies
reword labels and OCR slips letters (其他法律行政止公开).
"""
from __future__ import annotations

import re
from typing import Final, NamedTuple, Optional

VERSIONS: Final = ("2019", "2021")
BOTH: Final = VERSIONS


class Column(NamedTuple):
    """A column of a table: its key, its label as fields.json prints it, and the extra words the
    LLM is told (`note`), the unit of money columns and whether it may be negative."""

    key: str
    label: str
    note: str = ""
    unit: str = ""
    signed: bool = False


class Item(NamedTuple):
    """A 第二十条 item (a row of 二、): its key, its printed label per version, its label's words."""

    key: str
    label: str
    words: str


class SubTable(NamedTuple):
    """One of 二's small tables: the 第二十条 clause it reports, its columns, its items. `shape`
    names the items' common form (the pydantic model of such an item)."""

    clause: str
    shape: str
    columns: tuple[Column, ...]
    items: tuple[Item, ...]


class RequestRow(NamedTuple):
    """A row of 三: its key, its number as fields.json prints it ('三(三)1': the digit is the
    printed ordinal), its label, its label's words, and the versions that have it."""

    key: str
    number: str
    label: str
    words: str
    versions: tuple[str, ...] = BOTH


class Group(NamedTuple):
    """Rows of 三 printed under a common heading ('(三) 不予公开'); the LLM answers them nested.
    `shape` names its pydantic model, `versions` those that print it as a group."""

    key: str
    number: str
    label: str
    shape: str
    versions: tuple[str, ...] = BOTH


# The tables' sections, as the template titles them.
SECTIONS: Final = {"active": "二、主动公开政府信息情况", "requests": "三、收到和处理政府信息公开申请情况",
                   "appeals": "四、政府信息公开行政复议、行政诉讼情况"}

# --- 三、收到和处理政府信息公开申请情况: rows × the applicant columns -----------------------------
COLUMNS: Final = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_org", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other_org", "其他", note="法人或其他组织"),
    Column("total", "总计"),
)
# Printed once above the rows: the column header and the relation the form states.
COLUMN_HEADING: Final = "申请人情况"
_CJK: Final = r"\u4e00-\u9fff"

REQUEST_ROWS: Final = (
    RequestRow("requests.new", "一、", "本年新收政府信息公开申请数量", r"本年新收|新收.{0,12}申请数"),
    RequestRow("requests.carried_over", "二、", "上年结转政府信息公开申请数量", r"上年结转|上年度结转"),
    RequestRow("requests.granted", "三(一)", "予以公开", r"予以公开"),
    RequestRow("requests.partly_granted", "三(二)", "部分公开", r"部分公开"),
    RequestRow("requests.refused.state_secret", "三(三)1", "属于国家秘密", r"国家秘密"),
    RequestRow("requests.refused.prohibited_by_law", "三(三)2", "其他法律行政法规禁止公开",
               r"禁止公开|法规.?止公开|其他法律行政"),
    RequestRow("requests.refused.security_stability", "三(三)3", "危及“三安全一稳定”", r"三安全|一稳定|危及"),
    RequestRow("requests.refused.third_party", "三(三)4", "保护第三方合法权益", r"第三方"),
    RequestRow("requests.refused.internal_affairs", "三(三)5", "属于三类内部事务信息", r"内部事务"),
    RequestRow("requests.refused.process_info", "三(三)6", "属于四类过程性信息", r"过程性"),
    RequestRow("requests.refused.enforcement_file", "三(三)7", "属于行政执法案卷", r"执法案卷"),
    RequestRow("requests.refused.admin_query", "三(三)8", "属于行政查询事项", r"行政查询"),
    RequestRow("requests.unable.not_held", "三(四)1", "本机关不掌握相关政府信息", r"不掌握"),
    RequestRow("requests.unable.needs_creation", "三(四)2", "没有现成信息需要另行制作", r"另行制作|没有现成"),
    RequestRow("requests.unable.unclear", "三(四)3", "补正后申请内容仍不明确", r"不明确"),
    RequestRow("requests.not_processed.complaint", "三(五)1", "信访举报投诉类申请", r"信访|举报|投诉"),
    RequestRow("requests.not_processed.duplicate", "三(五)2", "重复申请", r"重复申请"),
    RequestRow("requests.not_processed.publication", "三(五)3", "要求提供公开出版物", r"出版物"),
    RequestRow("requests.not_processed.excessive", "三(五)4", "无正当理由大量反复申请", r"大量反复|反复申请"),
    RequestRow("requests.not_processed.confirmation", "三(五)5", "要求行政机关确认或重新出具已获取信息",
               r"重新出具|确认"),
    # 三(六)其他处理: one row in 2019, three sub-rows in 2021 (some 2021 reports still print the one).
    RequestRow("requests.other", "三(六)", "其他处理", r"其他处理", ("2019",)),
    RequestRow("requests.other.overdue_correction", "三(六)1",
               "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", r"不补正", ("2021",)),
    RequestRow("requests.other.unpaid_fee", "三(六)2",
               "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
               r"缴纳费用|收费通知|未按.{0,4}缴", ("2021",)),
    # A bare 其他: only where it is a word of its own (not 其他处理, 法人或其他组织, a column's 其他总计).
    RequestRow("requests.other.other", "三(六)3", "其他", rf"(?<![{_CJK}])其他(?![{_CJK}])", ("2021",)),
    RequestRow("requests.total", "三(七)", "总计", r"(?:^|[(（]?\s*[七7]\s*[)）]?\s*[.、]?\s*)总\s*计"),
    RequestRow("requests.carried_forward", "四、", "结转下年度继续办理", r"结转下年|转入下年|结转至下年"),
)
SINGLE_OTHER: Final = "requests.other"  # the 2019 row that 2021 splits into the rows under it

GROUPS: Final = (
    Group("requests.refused", "三(三)", "不予公开", "Refused"),
    Group("requests.unable", "三(四)", "无法提供", "Unable"),
    Group("requests.not_processed", "三(五)", "不予处理", "NotProcessed"),
    Group("requests.other", "三(六)", "其他处理", "OtherHandling2021", ("2021",)),
)
# What the printed table puts before a row: the heading of 三's outcome rows, the group headings.
OUTCOMES_HEADING: Final = "三、本年度办理结果"

# --- 二、主动公开政府信息情况 (第二十条): small tables of items × columns -----------------------
_DOCS_2019: Final = (Column("new_made", "本年新制作数量"), Column("new_published", "本年新公开数量"),
                     Column("total_published", "对外公开总数量"))
_ITEMS_2019: Final = (Column("prev_items", "上一年项目数量"), Column("change", "本年增/减", signed=True),
                      Column("decisions", "处理决定数量"))
_DOCS_2021: Final = (Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"),
                     Column("in_force", "现行有效件数"))
_DECISIONS_2021: Final = (Column("decisions", "本年处理决定数量"),)

RULES: Final = Item("rules", "规章", r"规章")
LICENSING: Final = Item("licensing", "行政许可", r"行政许可")
PENALTY: Final = Item("penalty", "行政处罚", r"行政处罚")
COERCION: Final = Item("coercion", "行政强制", r"行政强制")
FEES: Final = Item("fees", "行政事业性收费", r"行政事业性收费")
_NORMATIVE_WORDS: Final = r"(?:行政)?规范性文件"

ACTIVE: Final = {
    "2019": (
        SubTable("第二十条第（一）项", "Docs2019", _DOCS_2019,
                 (RULES, Item("normative_docs", "规范性文件", _NORMATIVE_WORDS))),
        SubTable("第二十条第（五）项", "Items2019", _ITEMS_2019,
                 (LICENSING, Item("other_services", "其他对外管理服务事项", r"其他对外管理服务(?:事项)?"))),
        SubTable("第二十条第（六）项", "Items2019", _ITEMS_2019, (PENALTY, COERCION)),
        SubTable("第二十条第（八）项", "Fees2019", _ITEMS_2019[:2], (FEES,)),
        SubTable("第二十条第（九）项", "Procurement2019",
                 (Column("items", "采购项目数量"), Column("amount", "采购总金额", unit="万元")),
                 (Item("procurement", "政府集中采购", r"政府集中采购"),)),
    ),
    "2021": (
        SubTable("第二十条第（一）项", "Docs2021", _DOCS_2021,
                 (RULES, Item("normative_docs", "行政规范性文件", _NORMATIVE_WORDS))),
        SubTable("第二十条第（五）项", "Decisions2021", _DECISIONS_2021, (LICENSING,)),
        SubTable("第二十条第（六）项", "Decisions2021", _DECISIONS_2021, (PENALTY, COERCION)),
        SubTable("第二十条第（八）项", "Fees2021", (Column("amount", "本年收费金额", unit="万元"),), (FEES,)),
    ),
}
ACTIVE_ITEM_HEADING: Final = "信息内容"  # the first header cell of each of 二's tables

# --- 四、政府信息公开行政复议、行政诉讼情况: three groups of five, printed as one row -------------
APPEAL_COLUMNS: Final = (Column("upheld", "结果维持"), Column("corrected", "结果纠正"), Column("other", "其他结果"),
                         Column("pending", "尚未审结"), Column("total", "总计"))
APPEAL_GROUPS: Final = (("review", "行政复议"), ("litigation.direct", "行政诉讼 未经复议直接起诉"),
                        ("litigation.after_review", "行政诉讼 复议后起诉"))
APPEALS_LABEL: Final = "行政复议、行政诉讼"

# --- relations (勾稽关系, spec/format.md) ---------------------------------------------------
class ColumnRelation(NamedTuple):
    """Down each applicant column of 三: sum(left rows) == sum(right rows). Right rows None: the
    handling rows, those that no column relation names (三's outcomes)."""

    code: str
    left: tuple[str, ...]
    right: Optional[tuple[str, ...]]
    says: str


COLUMN_RELATIONS: Final = (
    ColumnRelation("R1", ("requests.new", "requests.carried_over"), ("requests.total", "requests.carried_forward"),
                   "本年新收 + 上年结转 == 总计 + 结转下年度"),
    ColumnRelation("R2", ("requests.total",), None, "三(七)总计 == sum of the handling rows 三(一)…(六)"),
)
# Within a printed row, the last column is the sum of the others: every row of 三 (R3) and each
# group of 四 (R4).
ROW_SUM_REQUESTS: Final = ("R3", "总计 == sum of the six applicant columns")
ROW_SUM_APPEALS: Final = ("R4", "总计 == 维持 + 纠正 + 其他 + 尚未审结")
# Across consecutive years of one agency (`govreport check`): a year's 上年结转 is the year
# before's 结转下年度, in each applicant column (Y1); in the 2021 template, a document stock in force
# is the year before's, plus this year's issued, minus this year's repealed (Y2), for 规章 and
# 行政规范性文件. Real series break them; a break is reported, never mended.
CARRY_OVER_CHAIN: Final = ("Y1", "requests.carried_over", "requests.carried_forward",
                           "上年结转(N) == 结转下年度(N−1)")
STOCK_CHAIN: Final = ("Y2", "2021", ("active.rules", "active.normative_docs"), "in_force", "issued", "repealed",
                      "现行有效件数(N) == 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N)")
# Plausibility, not law: a document stock is not smaller than what was added to it this year.
BOUNDS: Final = {"2021": ("in_force_below_issued", "in_force", "issued"),
                 "2019": ("total_below_new", "total_published", "new_published")}

# --- recognising a report, its version and its sections ---------------------------------------
# Header words that decide the template version (searched with all whitespace removed).
VERSION_MARKERS: Final = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "不补正", "收费通知", "本年处理决定数量"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量",
             "其他对外管理服务事项", "政府集中采购"),
}
# Every such report names open government information, and prints the template's headings or labels.
REPORT_WORDS: Final = ("政府信息公开", "政务公开", "信息公开")
TEMPLATE_WORDS: Final = ("第二十条", "本年新收", "主动公开政府信息情况", "行政复议", "年度报告")
# Words only the tables print: an HTML element holding them holds the report.
TABLE_WORDS: Final = ("本年新收", "第二十条", "行政复议", "予以公开")
# Words that tell a report's text kept where it does not belong (a page's script strings).
EMBEDDED_REPORT_WORDS: Final = ("本年新收", "第二十条", "政府信息公开")
# The first words of the tables (plain substrings): the prose before them holds no label.
TABLES_BEGIN_WORDS: Final = ("二十条", "本年新", "新收")
# What opens 二 and 三 (whitespace removed): a text that prints one has the template's tables.
TABLE_OPENINGS: Final = ("第二十条", "本年新收")

# Where the tables begin and end: 二 at the 第二十条 that one of its items follows closely, 三 at
# the 本年新收 that 上年结转 follows closely, 四 at its heading; they end where 五 or 六 begins.
ACTIVE_START: Final = re.compile(r"第\s*二\s*十\s*条")
APPEALS_START: Final = re.compile(r"行\s*政\s*法?\s*复\s*议")
SECTION_FIVE: Final = re.compile(r"(?:^|[\s#])(?:五|六|七)\s*[、.．]\s*(?:政府信息公开工作)?(?:存在|主要问题|其他需要|工作)"
                                 r"|存在的主要问题|其他需要报告")
ACTIVE_REACH: Final = 300   # label characters from 第二十条 to its first item
OPENING_REACH: Final = 400  # label characters from 本年新收 to 上年结转
# Words of 四's header: numbers glued to them start the appeals row.
APPEAL_HEADER_WORDS: Final = re.compile(r"(?:总计|审结|起诉|维持|纠正|结果|其他)\s*$")
