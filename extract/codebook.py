"""The codebook of the dataset: every cell key of either template version with its Chinese label,
its table, row and column, its unit (万元 for amounts; empty for counts) and the template versions
that have it (`govreport codebook`)."""
from __future__ import annotations

import csv
from typing import TextIO

from extract import template
from extract.export import BOM, chinese_labels

HEAD = ["key", "label", "table", "row", "column", "unit", "template_versions"]
TABLES = {"active": "二、主动公开政府信息情况", "requests": "三、收到和处理政府信息公开申请情况",
          "appeals": "四、政府信息公开行政复议、行政诉讼情况"}


def write_codebook(out: TextIO) -> int:
    """The codebook as CSV (UTF-8 with a BOM, as the export); how many keys."""
    names = chinese_labels()
    writer = csv.writer(out, lineterminator="\n")
    out.write(BOM)
    writer.writerow(HEAD)
    count = 0
    for key in template.template_order():
        row, column = key.rsplit(".", 1)
        versions = [v for v in template.VERSIONS if key in template.numeric_key_set(v)]
        unit = "万元" if key in template.money_keys() else ""   # the others count items, as the template prints them
        writer.writerow([key, names.get(key, key), TABLES.get(key.split(".")[0], ""), row, column, unit,
                         " ".join(versions)])
        count += 1
    return count
