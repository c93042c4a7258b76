"""Pydantic models of one report's numbers, both template versions.

This is the boundary schema: the LLM answers in it, and `flatten_values` turns it into the
canonical dotted keys of fields.json (a test asserts the two agree). Every cell is optional:
a cell the source does not give is None, never an invented 0. Provenance lives beside the
values, in `extract.record`, because the model is never asked where it read a number.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Count = Annotated[Optional[int], Field(default=None, ge=0)]
Change = Annotated[Optional[int], Field(default=None, description="本年增/减, signed: 增16 → 16, 减3 → -3")]
Amount = Annotated[Optional[float], Field(default=None, ge=0, description="金额, 万元")]
Format = Literal["2019", "2021"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- 二、主动公开 (第二十条) -----------------------------------------------------------
class Docs2019(_Part):
    new_made: Count = Field(None, description="本年新制作数量")
    new_published: Count = Field(None, description="本年新公开数量")
    total_published: Count = Field(None, description="对外公开总数量")


class Items2019(_Part):
    prev_items: Count = Field(None, description="上一年项目数量")
    change: Change = None
    decisions: Count = Field(None, description="处理决定数量")


class Fees2019(_Part):
    prev_items: Count = Field(None, description="上一年项目数量")
    change: Change = None


class Procurement2019(_Part):
    items: Count = Field(None, description="采购项目数量")
    amount: Amount = Field(None, description="采购总金额, 万元")


class Active2019(_Part):
    rules: Docs2019 = Field(default_factory=Docs2019, description="规章")
    normative_docs: Docs2019 = Field(default_factory=Docs2019, description="规范性文件")
    licensing: Items2019 = Field(default_factory=Items2019, description="行政许可")
    other_services: Items2019 = Field(default_factory=Items2019, description="其他对外管理服务事项")
    penalty: Items2019 = Field(default_factory=Items2019, description="行政处罚")
    coercion: Items2019 = Field(default_factory=Items2019, description="行政强制")
    fees: Fees2019 = Field(default_factory=Fees2019, description="行政事业性收费")
    procurement: Procurement2019 = Field(default_factory=Procurement2019, description="政府集中采购")


class Docs2021(_Part):
    issued: Count = Field(None, description="本年制发件数")
    repealed: Count = Field(None, description="本年废止件数")
    in_force: Count = Field(None, description="现行有效件数")


class Decisions2021(_Part):
    decisions: Count = Field(None, description="本年处理决定数量")


class Fees2021(_Part):
    amount: Amount = Field(None, description="本年收费金额, 万元")


class Active2021(_Part):
    rules: Docs2021 = Field(default_factory=Docs2021, description="规章")
    normative_docs: Docs2021 = Field(default_factory=Docs2021, description="行政规范性文件")
    licensing: Decisions2021 = Field(default_factory=Decisions2021, description="行政许可")
    penalty: Decisions2021 = Field(default_factory=Decisions2021, description="行政处罚")
    coercion: Decisions2021 = Field(default_factory=Decisions2021, description="行政强制")
    fees: Fees2021 = Field(default_factory=Fees2021, description="行政事业性收费")


# --- 三、收到和处理政府信息公开申请 -----------------------------------------------------
class RequestRow(_Part):
    """One row of the request table: six applicant columns and their total."""

    natural_person: Count = Field(None, description="自然人")
    commercial: Count = Field(None, description="商业企业")
    research: Count = Field(None, description="科研机构")
    social_org: Count = Field(None, description="社会公益组织")
    legal_service: Count = Field(None, description="法律服务机构")
    other_org: Count = Field(None, description="其他")
    total: Count = Field(None, description="总计")


def _row(label: str) -> Any:
    return Field(default_factory=RequestRow, description=label)


class Refused(_Part):
    state_secret: RequestRow = _row("1.属于国家秘密")
    prohibited_by_law: RequestRow = _row("2.其他法律行政法规禁止公开")
    security_stability: RequestRow = _row("3.危及“三安全一稳定”")
    third_party: RequestRow = _row("4.保护第三方合法权益")
    internal_affairs: RequestRow = _row("5.属于三类内部事务信息")
    process_info: RequestRow = _row("6.属于四类过程性信息")
    enforcement_file: RequestRow = _row("7.属于行政执法案卷")
    admin_query: RequestRow = _row("8.属于行政查询事项")


class Unable(_Part):
    not_held: RequestRow = _row("1.本机关不掌握相关政府信息")
    needs_creation: RequestRow = _row("2.没有现成信息需要另行制作")
    unclear: RequestRow = _row("3.补正后申请内容仍不明确")


class NotProcessed(_Part):
    complaint: RequestRow = _row("1.信访举报投诉类申请")
    duplicate: RequestRow = _row("2.重复申请")
    publication: RequestRow = _row("3.要求提供公开出版物")
    excessive: RequestRow = _row("4.无正当理由大量反复申请")
    confirmation: RequestRow = _row("5.要求行政机关确认或重新出具已获取信息")


class OtherHandling2021(_Part):
    overdue_correction: RequestRow = _row("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    unpaid_fee: RequestRow = _row("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    other: RequestRow = _row("3.其他")


class _Requests(_Part):
    new: RequestRow = _row("一、本年新收政府信息公开申请数量")
    carried_over: RequestRow = _row("二、上年结转政府信息公开申请数量")
    granted: RequestRow = _row("三(一)予以公开")
    partly_granted: RequestRow = _row("三(二)部分公开")
    refused: Refused = Field(default_factory=Refused, description="三(三)不予公开")
    unable: Unable = Field(default_factory=Unable, description="三(四)无法提供")
    not_processed: NotProcessed = Field(default_factory=NotProcessed, description="三(五)不予处理")


class Requests2019(_Requests):
    other: RequestRow = _row("三(六)其他处理")
    total: RequestRow = _row("三(七)总计")
    carried_forward: RequestRow = _row("四、结转下年度继续办理")


class Requests2021(_Requests):
    other: OtherHandling2021 = Field(default_factory=OtherHandling2021, description="三(六)其他处理")
    total: RequestRow = _row("三(七)总计")
    carried_forward: RequestRow = _row("四、结转下年度继续办理")


# --- 四、行政复议、行政诉讼 -------------------------------------------------------------
class AppealGroup(_Part):
    upheld: Count = Field(None, description="结果维持")
    corrected: Count = Field(None, description="结果纠正")
    other: Count = Field(None, description="其他结果")
    pending: Count = Field(None, description="尚未审结")
    total: Count = Field(None, description="总计")


class Litigation(_Part):
    direct: AppealGroup = Field(default_factory=AppealGroup, description="未经复议直接起诉")
    after_review: AppealGroup = Field(default_factory=AppealGroup, description="复议后起诉")


# --- whole report ------------------------------------------------------------------
class Meta(BaseModel):
    year: Optional[int] = Field(None, ge=1990, le=2100, description="the year reported on, not the year published")
    agency: Optional[str] = Field(None, description="publishing agency's full name")
    format: Optional[Format] = Field(None, description="template version, decided from the table headers")


class Tables2019(_Part):
    active: Active2019 = Field(default_factory=Active2019, description="二、主动公开政府信息情况")
    requests: Requests2019 = Field(default_factory=Requests2019, description="三、收到和处理政府信息公开申请情况")
    review: AppealGroup = Field(default_factory=AppealGroup, description="四、行政复议")
    litigation: Litigation = Field(default_factory=Litigation, description="四、行政诉讼")


class Tables2021(_Part):
    active: Active2021 = Field(default_factory=Active2021, description="二、主动公开政府信息情况")
    requests: Requests2021 = Field(default_factory=Requests2021, description="三、收到和处理政府信息公开申请情况")
    review: AppealGroup = Field(default_factory=AppealGroup, description="四、行政复议")
    litigation: Litigation = Field(default_factory=Litigation, description="四、行政诉讼")


TABLES: dict[str, type[BaseModel]] = {"2019": Tables2019, "2021": Tables2021}


def flatten_values(tables: BaseModel) -> dict[str, int | float | None]:
    """Nested model → {canonical dotted key: value}."""
    out: dict[str, int | float | None] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(f"{prefix}.{name}" if prefix else name, child)
        else:
            out[prefix] = node

    walk("", tables.model_dump())
    return out


def nest_values(fmt: str, values: dict[str, int | float | None]) -> BaseModel:
    """{canonical key: value} → nested model of that version (unknown keys are an error)."""
    tree: dict[str, Any] = {}
    for key, value in values.items():
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return TABLES[fmt].model_validate(tree)


class ExportIssue(BaseModel):
    code: str
    keys: list[str]
    message: str
    severity: str = "error"
    expected: Optional[float] = None
    found: Optional[float] = None


class ExportRecord(BaseModel):
    """One document in the JSONL export; the interface downstream users rely on."""

    path: str
    sha256: str
    status: Literal["verified", "source_inconsistent", "needs_review", "failed"]
    reason: Optional[str] = None
    meta: Meta
    values: dict[str, Optional[float | int]]
    issues: list[ExportIssue] = []
    confidence: dict[str, str] = {}


# --- what the LLM is asked to fill -----------------------------------------------------------
# Rows of numbers go to the model as fixed-length lists in printed column order: the answer is
# a quarter of the tokens of named cells, and reads the way the table is printed.
REQUEST_COLUMNS = "[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他(法人或其他组织), 总计]"
APPEAL_COLUMNS = "[结果维持, 结果纠正, 其他结果, 尚未审结, 总计]"


def _row_list(size: int) -> Any:
    from pydantic import conlist

    return conlist(Optional[int], min_length=size, max_length=size)


def _required_copy(model: type[BaseModel], cache: dict) -> type[BaseModel]:
    """The same fields, all required, rows as lists: a schema-constrained decoder then writes
    every cell (null where the source gives nothing) instead of stopping at an empty object."""
    if model in cache:
        return cache[model]
    from pydantic import create_model

    definitions: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation, description = info.annotation, info.description
        if annotation is RequestRow:
            annotation, description = _row_list(7), f"{description} {REQUEST_COLUMNS}"
        elif annotation is AppealGroup:
            annotation, description = _row_list(5), f"{description} {APPEAL_COLUMNS}"
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = _required_copy(annotation, cache)
        definitions[name] = (annotation, Field(..., description=description))
    copy = create_model(f"LLM{model.__name__}", __config__=ConfigDict(extra="forbid"), **definitions)
    copy.__doc__ = model.__doc__
    cache[model] = copy
    return copy


_LLM_MODELS: dict = {}


def llm_response_model(fmt: str) -> type[BaseModel]:
    """The model the LLM answers in: meta plus every cell of version `fmt`, all required."""
    from pydantic import create_model

    key = ("report", fmt)
    if key not in _LLM_MODELS:
        tables = _required_copy(TABLES[fmt], _LLM_MODELS)
        _LLM_MODELS[key] = create_model(
            f"AnnualReport{fmt}", __config__=ConfigDict(extra="forbid"),
            year=(Optional[int], Field(..., description="报告所属年度 (the year reported on)")),
            # Kept short: a free string is where small models emit stray characters. The choice
            # takes it only where the text prints it exactly.
            agency=(Optional[str], Field(..., max_length=40, description="发布机关, exactly as printed (title or signature)")),
            tables=(tables, Field(..., description="表格数据, copied exactly as printed")),
        )
    return _LLM_MODELS[key]


def llm_values(tables: BaseModel) -> dict[str, int | float | None]:
    """The LLM's nested answer (rows as lists) → {canonical key: value}."""
    columns = {7: list(RequestRow.model_fields), 5: list(AppealGroup.model_fields)}
    out: dict[str, int | float | None] = {}
    for key, value in flatten_values(tables).items():
        if isinstance(value, list):
            for name, cell in zip(columns[len(value)], value):
                out[f"{key}.{name}"] = cell
        else:
            out[key] = value
    return out


def llm_answer(fmt: str, values: dict[str, int | float | None], year: Optional[int],
               agency: Optional[str] = None) -> dict:
    """{canonical key: value} → the LLM's answer shape (for hand-made, "synthetic" answers)."""
    nested = nest_values(fmt, values).model_dump()

    def listify(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == set(RequestRow.model_fields) or set(node) == set(AppealGroup.model_fields):
                return list(node.values())
            return {k: listify(v) for k, v in node.items()}
        return node

    return {"year": year, "agency": agency, "tables": listify(nested)}
