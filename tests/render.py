"""Build synthetic reports from known values, in the layouts scrapers produce.

Used by the layout tests: a report rendered from values we chose must parse back to exactly
those values (or, where the layout really loses information, to None with a doubt).
"""
from __future__ import annotations

import random
import zlib

from extract import fields, template

# Printed labels come from the template description; rendering adds only the group headings
# that real tables print before a group's first row.
_GROUP_HEADINGS = {
    "requests.granted": "三、本年度办理结果\t(一) ",
    "requests.partly_granted": "(二) ",
    "requests.refused.state_secret": "(三) 不予公开\t",
    "requests.unable.not_held": "(四) 无法提供\t",
    "requests.not_processed.complaint": "(五) 不予处理\t",
    "requests.other": "(六) ",
    "requests.other.overdue_correction": "(六) 其他处理\t",
    "requests.total": "(七) ",
}
_NUMBERED = {"requests.new": "一、", "requests.carried_over": "二、", "requests.carried_forward": "四、"}


def request_label(fmt: str, row: str) -> str:
    spec = next(r for r in template.request_rows(fmt) if r.key == row)
    ordinal = f"{spec.ordinal}. " if spec.ordinal else ""
    return _GROUP_HEADINGS.get(row, "") + _NUMBERED.get(row, "") + ordinal + spec.label


ACTIVE_LAYOUT = {
    "2019": [
        ("第二十条第（一）项", "信息内容|本年新制作数量|本年新公开数量|对外公开总数量", [("规章", "rules"), ("规范性文件", "normative_docs")]),
        ("第二十条第（五）项", "信息内容|上一年项目数量|本年增/减|处理决定数量", [("行政许可", "licensing"), ("其他对外管理服务事项", "other_services")]),
        ("第二十条第（六）项", "信息内容|上一年项目数量|本年增/减|处理决定数量", [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("第二十条第（八）项", "信息内容|上一年项目数量|本年增/减", [("行政事业性收费", "fees")]),
        ("第二十条第（九）项", "信息内容|采购项目数量|采购总金额", [("政府集中采购", "procurement")]),
    ],
    "2021": [
        ("第二十条第（一）项", "信息内容|本年制发件数|本年废止件数|现行有效件数", [("规章", "rules"), ("行政规范性文件", "normative_docs")]),
        ("第二十条第（五）项", "信息内容|本年处理决定数量", [("行政许可", "licensing")]),
        ("第二十条第（六）项", "信息内容|本年处理决定数量", [("行政处罚", "penalty"), ("行政强制", "coercion")]),
        ("第二十条第（八）项", "信息内容|本年收费金额（单位：万元）", [("行政事业性收费", "fees")]),
    ],
}


def random_values(fmt: str, seed: int, busy: float = 0.3) -> dict:
    """Values that satisfy every relation; `busy` is the share of non-zero cells."""
    rng = random.Random(seed)
    cols = fields.columns()[:-1]
    rows = fields.request_rows(fmt)
    outcome = [r for r in rows if r not in ("requests.new", "requests.carried_over", "requests.total", "requests.carried_forward")]
    v: dict = {}
    pick = lambda hi: rng.randint(1, hi) if rng.random() < busy else 0  # noqa: E731
    for c in cols:
        for r in outcome:
            v[f"{r}.{c}"] = pick(30)
        v[f"requests.total.{c}"] = sum(v[f"{r}.{c}"] for r in outcome)
        v[f"requests.carried_forward.{c}"] = pick(5)
        handled = v[f"requests.total.{c}"] + v[f"requests.carried_forward.{c}"]
        v[f"requests.carried_over.{c}"] = rng.randint(0, handled) if rng.random() < busy else 0
        v[f"requests.new.{c}"] = handled - v[f"requests.carried_over.{c}"]
    for r in rows:
        v[f"{r}.total"] = sum(v[f"{r}.{c}"] for c in cols)
    for g in ("review", "litigation.direct", "litigation.after_review"):
        parts = [pick(9) for _ in range(4)]
        for name, x in zip(("upheld", "corrected", "other", "pending"), parts):
            v[f"{g}.{name}"] = x
        v[f"{g}.total"] = sum(parts)
    for key in fields.active_keys(fmt):
        if key.endswith(".change"):
            v[key] = rng.choice([0, 0, 3, -2, 16])
        elif key.endswith(".amount"):
            v[key] = rng.choice([0.0, 12.3, 71.0, 125.26])
        else:
            v[key] = pick(500)
    return {k: v[k] for k in fields.numeric_keys(fmt)}


def _fmt_cell(key: str, value, zero_as: str = "0") -> str:
    if value == 0 and zero_as != "0":
        return zero_as
    if key.endswith(".change") and value > 0 and zlib.crc32(key.encode()) % 2:
        return f"增{value}"
    if key.endswith(".change") and value < 0 and zlib.crc32(key.encode()) % 3 == 0:
        return f"减{-value}"
    if key.endswith(".amount"):
        return f"{value:g}万元" if zlib.crc32(key.encode()) % 2 else f"{value:g}"
    return str(value)


def render(fmt: str, values: dict, layout: str, year: int = 2022, agency: str = "青山县交通运输局",
           zero_as: str = "0", fullwidth: bool = False) -> str:
    """A whole report in one of the layouts: tabs, pipes, cells_per_line, spaces, flat, unlabelled."""
    if layout == "page":  # a scraped page: everything on one line, cells run together, stray spaces
        return _as_one_line(render(fmt, values, "flat", year, agency, zero_as, fullwidth))
    sep = {"tabs": "\t", "pipes": " | ", "spaces": "   ", "unlabelled": " | "}.get(layout, "\t")
    out = [f"{year}年{agency}政府信息公开工作年度报告", "",
           "一、总体情况", f"{year}年，本机关认真贯彻落实《条例》，做好政府信息公开工作。", "",
           "二、主动公开政府信息情况"]

    def row(label: str, cells: list[str], lose_label: bool = False) -> None:
        if layout == "label_split":  # markdown from a PDF: the label row's cells empty, its numbers below
            out.append("| " + label.replace("\t", " ") + " |" + " |" * len(cells))
            out.append("| |" + "".join(f" {c} |" for c in cells))
        elif layout == "cells_per_line":
            out.append("")
            out.extend("\t" + part for part in label.split("\t"))
            out.extend("\t" + c for c in cells)
        elif layout == "flat":
            out.append(label.replace("\t", "") + "".join(cells))
        else:
            shown = "" if lose_label and layout == "unlabelled" and not label.startswith(("一", "二", "四")) else label.replace("\t", sep)
            out.append(sep.join([shown] + cells) + (sep.rstrip() if layout == "pipes" else ""))

    for title, header, items in ACTIVE_LAYOUT[fmt]:
        out.append(title)
        out.append(header.replace("|", "\t" if layout != "pipes" else " | "))
        for label, item in items:
            keys = [k for k in fields.active_keys(fmt) if k.split(".")[1] == item]
            row(label, [_fmt_cell(k, values[k]) for k in keys])
    out += ["", "三、收到和处理政府信息公开申请情况",
            "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况",
            "\t自然人\t法人或其他组织\t\t\t\t\t总计",
            "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
    for r in fields.request_rows(fmt):
        row(request_label(fmt, r), [_fmt_cell(f"{r}.{c}", values[f"{r}.{c}"], zero_as) for c in fields.columns()], True)
    out += ["", "四、政府信息公开行政复议、行政诉讼情况", "行政复议\t行政诉讼",
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉",
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"]
    appeal = [str(values[k]) for k in fields.appeal_keys()]
    if layout in ("flat", "page"):
        out.append("".join(appeal))
    elif layout == "label_split":
        out.append("|" + "".join(f" {a} |" for a in appeal))
    elif layout == "cells_per_line":
        out.extend("\t" + a for a in appeal)
    else:
        out.append(sep.join(appeal))
    out += ["", "五、存在的主要问题及改进情况", "公开内容还不够丰富。", "六、其他需要报告的事项", "无。", agency, f"{year + 1}年1月20日"]
    text = "\n".join(out)
    if fullwidth:
        text = text.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"})
    return text


def _as_one_line(text: str) -> str:
    """Join every line with nothing or one space, and put a stray space inside some labels and
    digit runs (never inside a number that a sign or decimal point belongs to)."""
    rng = random.Random(zlib.crc32(text.encode()))
    lines = [line for line in text.split("\n") if line.strip()]
    out = []
    for n, line in enumerate(lines):
        if n > 0 and rng.random() < 0.15 and len(line) > 6:
            cut = rng.randrange(1, len(line) - 1)
            if not (line[cut - 1] in "+-.增减" or line[cut] in ".元万"):
                line = line[:cut] + " " + line[cut:]
        out.append(line)
    return "".join(part + (" " if rng.random() < 0.3 else "") for part in out)
