"""Build synthetic reports from known values, in the layouts scrapers produce: a report rendered from
values we chose must parse back to exactly those values (or, where the layout really loses information,
to None with a doubt). The template facts come from extract.template; how tables are drawn is ours."""
from __future__ import annotations

import random
import re
import zlib
from functools import lru_cache
from typing import NamedTuple, Optional

from extract import template
from extract.template import spec
from extract.template.keys import active_cells

# Printed by the form but not in the spec (its tables' cells): the prose sections, R1 as worded above 三's rows.
NARRATIVE = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
RELATION_NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
# A row's number as the spec writes it: '三(三)1' is section 三, item (三), sub-row 1; '一、' a section.
_NUMBER = re.compile(r"(?P<section>.+?)(?P<item>\(.+\))?(?P<sub>\d*)")
_UNITS = {key: c.unit for v in spec.VERSIONS for key, _, c in active_cells(v) if c.unit}


class PrintedRow(NamedTuple):
    """A row of 三 with its number split: item '(三)' (under 三、本年度办理结果), sub-row '1', its group;
    and the headings printed before it: (三、本年度办理结果, its group's), each before its first row."""
    row: spec.RequestRow
    item: str
    sub: str
    group: Optional[spec.Group]
    opens: tuple[bool, bool]


@lru_cache(maxsize=None)
def printed_rows(fmt: str) -> tuple[PrintedRow, ...]:
    out: list[PrintedRow] = []
    for row in (r for r in spec.REQUEST_ROWS if fmt in r.versions):
        section, item, sub = _NUMBER.fullmatch(row.number).groups("")
        group = next((g for g in spec.GROUPS if sub and fmt in g.versions and g.number == section + item), None)
        opens = (bool(item) and not any(p.item for p in out), bool(group) and all(p.group != group for p in out))
        out.append(PrintedRow(row, item, sub, group, opens))
    return tuple(out)


def request_label(fmt: str, row: str) -> str:
    """'三、本年度办理结果\t(一) 予以公开', '(三) 不予公开\t1. 属于国家秘密', '一、本年新收…'."""
    p = next(p for p in printed_rows(fmt) if p.row.key == row)
    headings = [spec.OUTCOMES_HEADING] * p.opens[0] + ([f"{p.item} {p.group.label}"] if p.opens[1] else [])
    number = f"{p.sub}. " if p.sub else f"{p.item} " if p.item else p.row.number
    return "".join(h + "\t" for h in headings) + number + p.row.label


def applicant_columns() -> tuple[list[str], str, list[str], list[str]]:
    """三's columns under 申请人情况: 自然人, 法人或其他组织 over the organisations, 总计. The spec names
    法人或其他组织 only as the 其他 column's note; the form prints it over those after 自然人, up to 其他."""
    labels, noted = [c.label for c in spec.COLUMNS], next(i for i, c in enumerate(spec.COLUMNS) if c.note)
    return labels[:1], spec.COLUMNS[noted].note, labels[1:noted + 1], labels[noted + 1:]


def appeal_header() -> list[list[str]]:
    """四's header rows, merged cells once each: a group labelled 'A B' prints A over B (行政诉讼 over
    未经复议直接起诉), its columns under it; a group of one word, its columns beside the B's."""
    paths, columns = [label.split(" ") for _, label in spec.APPEAL_GROUPS], [c.label for c in spec.APPEAL_COLUMNS]
    return [list(dict.fromkeys(p[0] for p in paths)), [x for p in paths for x in p[1:] or columns],
            [x for p in paths if p[1:] for x in columns]]


def active_tables(fmt: str) -> list[tuple[str, list[str], list[template.Row]]]:
    """二's small tables in printed order: clause, header (a unit as the 2021 form prints it:
    本年收费金额（单位：万元）), the items' rows (active_rows keeps their order)."""
    rows = iter(template.active_rows(fmt))
    return [(t.clause, [spec.ACTIVE_ITEM_HEADING] + [f"{c.label}（单位：{c.unit}）" if c.unit else c.label for c in t.columns],
             [next(rows) for _ in t.items]) for t in spec.ACTIVE[fmt]]


def random_values(fmt: str, seed: int, busy: float = 0.3) -> dict:
    """Values that satisfy every relation; `busy` is the share of non-zero cells."""
    rng = random.Random(seed)
    pick = lambda hi: rng.randint(1, hi) if rng.random() < busy else 0  # noqa: E731
    (new, carried_over), (total, carried_forward) = next((r.left, r.right) for r in spec.COLUMN_RELATIONS if r.code == "R1")
    handling = [r for r in template.request_row_keys(fmt) if r not in (new, carried_over, total, carried_forward)]  # R2
    v: dict = {}
    for c in template.columns()[:-1]:  # columns() ends with 总计, the others' sum (R3, below)
        for r in handling:
            v[f"{r}.{c}"] = pick(30)
        v[f"{total}.{c}"] = sum(v[f"{r}.{c}"] for r in handling)
        v[f"{carried_forward}.{c}"] = pick(5)
        handled = v[f"{total}.{c}"] + v[f"{carried_forward}.{c}"]
        v[f"{carried_over}.{c}"] = rng.randint(0, handled) if rng.random() < busy else 0
        v[f"{new}.{c}"] = handled - v[f"{carried_over}.{c}"]  # R1
    appeals = template.appeals_row(fmt)
    v.update({appeals.keys[i]: pick(9) for s in appeals.sums for i in s.parts})
    for row in template.request_rows(fmt) + (appeals,):  # each row's totals: R3, R4
        v.update({row.keys[s.total]: sum(v[row.keys[i]] for i in s.parts) for s in row.sums})
    for key in template.active_keys(fmt):
        v[key] = (rng.choice([0, 0, 3, -2, 16]) if key in template.signed_keys()
                  else rng.choice([0.0, 12.3, 71.0, 125.26]) if key in template.money_keys() else pick(500))
    return {k: v[k] for k in template.numeric_keys(fmt)}


def _fmt_cell(key: str, value, zero_as: str = "0") -> str:
    """A cell as agencies print it: a signed change sometimes as 增16 / 减3, money sometimes with its unit."""
    crc = zlib.crc32(key.encode())
    if value == 0 and zero_as != "0":
        return zero_as
    if key in template.signed_keys() and (value > 0 and crc % 2 or value < 0 and crc % 3 == 0):
        return f"增{value}" if value > 0 else f"减{-value}"
    if key in _UNITS:
        return f"{value:g}{_UNITS[key]}" if crc % 2 else f"{value:g}"
    return str(value)


def render(fmt: str, values: dict, layout: str, year: int = 2022, agency: str = "青山县交通运输局",
           zero_as: str = "0", fullwidth: bool = False) -> str:
    """A whole report in one of the layouts: tabs, pipes, cells_per_line, lines, spaces, flat, unlabelled."""
    if layout == "page":  # a scraped page: everything on one line, cells run together, stray spaces
        return _as_one_line(render(fmt, values, "flat", year, agency, zero_as, fullwidth))
    sep = {"tabs": "\t", "pipes": " | ", "spaces": "   ", "unlabelled": " | "}.get(layout, "\t")
    out = [f"{year}年{agency}政府信息公开工作年度报告", "", NARRATIVE["overview"],
           f"{year}年，本机关认真贯彻落实《条例》，做好政府信息公开工作。", "", spec.SECTIONS["active"]]

    def row(label: str, cells: list[str], lose_label: bool = False) -> None:
        if layout == "label_split":  # markdown from a PDF: the label row's cells empty, its numbers below
            out.extend(["| " + label.replace("\t", " ") + " |" + " |" * len(cells), "| |" + "".join(f" {c} |" for c in cells)])
        elif layout == "cells_per_line":
            out.extend(["", *("\t" + part for part in label.split("\t")), *("\t" + c for c in cells)])
        elif layout == "lines":  # one cell a line, nothing between rows: a blank cell is an empty line
            out.extend([*label.split("\t"), *cells])
        elif layout == "flat":
            out.append(label.replace("\t", "") + "".join(cells))
        else:
            shown = "" if lose_label and layout == "unlabelled" else label.replace("\t", sep)
            out.append(sep.join([shown] + cells) + (sep.rstrip() if layout == "pipes" else ""))

    for clause, header, items in active_tables(fmt):
        out += [clause, ("\t" if layout != "pipes" else " | ").join(header)]
        for item in items:
            row(item.label, [_fmt_cell(k, values[k]) for k in item.keys])
    # 三's header as a tab-separated scrape prints it: each header cell in its column.
    first, note, orgs, rest = applicant_columns()
    out += ["", spec.SECTIONS["requests"], f"({RELATION_NOTE})\t{spec.COLUMN_HEADING}",
            "\t".join(["", *first, note, *[""] * (len(orgs) - 1), *rest]), "\t".join(["", *[""] * len(first), *orgs])]
    for p, r in zip(printed_rows(fmt), template.request_rows(fmt)):  # unlabelled: 一、二、四、 keep their labels
        row(request_label(fmt, r.key), [_fmt_cell(k, values[k], zero_as) for k in r.keys], bool(p.item))
    out += ["", spec.SECTIONS["appeals"]] + ["\t".join(cells) for cells in appeal_header()]
    appeal = [str(values[k]) for k in template.appeal_keys()]
    out += {"flat": ["".join(appeal)], "label_split": ["|" + "".join(f" {a} |" for a in appeal)],
            "cells_per_line": ["\t" + a for a in appeal], "lines": appeal}.get(layout, [sep.join(appeal)])
    out += ["", NARRATIVE["problems"], "公开内容还不够丰富。", NARRATIVE["other"], "无。", agency, f"{year + 1}年1月20日"]
    text = "\n".join(out)
    return text.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"}) if fullwidth else text


def _as_one_line(text: str) -> str:
    """Join every line with nothing or one space, and put a stray space inside some labels and
    digit runs (never inside a number that a sign, decimal point or unit belongs to)."""
    rng = random.Random(zlib.crc32(text.encode()))
    lines = [line for line in text.split("\n") if line.strip()]
    for n, line in enumerate(lines):
        if n > 0 and rng.random() < 0.15 and len(line) > 6:
            cut = rng.randrange(1, len(line) - 1)
            if not (line[cut - 1] in "+-.增减" or line[cut] in "." + "".join(_UNITS.values())):
                lines[n] = line[:cut] + " " + line[cut:]
    return "".join(part + (" " if rng.random() < 0.3 else "") for part in lines)
