"""Year, agency and template version from titles and headers as agencies really write them."""
from __future__ import annotations

import random
import re

import pytest

from extract.document.meta import detect_version, find_agency, find_year, place_mentions
from extract.document.tokens import tokenize
from extract.text import normalize

BODY = "\n一、总体情况\n本机关认真做好政府信息公开工作。\n"


@pytest.mark.parametrize("text,year,agency", [
    ("2021 年嘉善县人力资源和社会保障局政府信息公开工作年度报告" + BODY, 2021, "嘉善县人力资源和社会保障局"),
    ("青山县交通运输局二〇二一年政府信息公开工作年度报告" + BODY, 2021, "青山县交通运输局"),
    ("关于青山县交通运输局2022年度政府信息公开工作年度报告" + BODY, 2022, "青山县交通运输局"),
    ("绿水市生态环境局2020年政府信息公开工作\n\n年度报告" + BODY, 2020, "绿水市生态环境局"),
    ("# ２０２３年度政府信息公开工作年度报告" + BODY + "\n绿水市生态环境局\n2024年1月20日\n", 2023, "绿水市生态环境局"),
    ("县人社局2021年政府信息公开工作年度报告" + BODY + "\n东乡县人力资源和社会保障局\n2022年1月11日", 2021,
     "东乡县人力资源和社会保障局"),
    ("人力资源和社会保障局 2023 年政府信息公开工作年度报告" + BODY + "全年通过市人力资源和社会保障局网发布。"
     "其中“济源示范区人社局”微博发布210条。", 2023, "济源示范区人力资源和社会保障局"),
    ("正文\n2022 年绿水市发改委政府信息公开工作\n年度报告" + BODY, 2022, "绿水市发改委"),
    ("关于印发红河镇人民政府2023年政府信息公开工作年度报告的通知" + BODY, 2023, "红河镇人民政府"),
    ("关于公布绿水市发改委2020年度政府信息公开工作年度报告的公告" + BODY, 2020, "绿水市发改委"),
    ("关于印发《红河镇人民政府2021年政府信息公开工作年度报告》的通知" + BODY, 2021, "红河镇人民政府"),
], ids=["year-first", "chinese-year", "guanyu", "split-title", "signature-only", "abbreviated", "place-from-text",
        "a-converters-word-first", "a-notice-publishing-it", "a-notice-announcing-it",
        "a-notice-quoting-its-title"])
def test_year_and_agency(text, year, agency):
    norm = normalize(text)
    assert (find_year(norm).value, find_agency(norm).value) == (year, agency)


def test_year_from_the_reporting_period_when_the_title_has_none():
    norm = normalize("青山县交通运输局政府信息公开工作年度报告\n本报告所列数据统计期限为2021年1月1日至12月31日。")
    assert find_year(norm).value == 2021


@pytest.mark.parametrize("headers,fmt", [
    ("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "2021"),
    ("信息内容\t本年新\n制作数量\t本年新\n公开数量\t对外公开总数量\n上一年项目数量\t本年增/减", "2019"),
])
def test_format_from_headers_not_year(headers, fmt):
    found, _, _ = detect_version(normalize(headers), 2023)
    assert found == fmt


def test_a_count_with_its_unit_in_a_cell_is_still_a_cell():
    tokens = tokenize("行政许可\t3件\t增2件\t减1")
    assert [(t.kind, t.value) for t in tokens] == [("text", None), ("num", 3), ("num", 2), ("num", -1)]


def test_ordinals_and_references_are_not_cells_however_far_along_a_flattened_line():
    # A one-line page: what sits just before a number decides, not anything earlier on the line.
    prose = "本机关在本年度依法公开信息并接受监督" * 40
    line = prose + "第 3 项 附件2 表 4 规章 5 6 共 7 页" + prose + "行政许可 12 增 3"
    cells = [(t.text, t.value) for t in tokenize(line) if t.kind == "num"]
    assert cells == [("5", 5), ("6", 6), ("12", 12), ("增 3", 3)]
    assert [t.start for t in tokenize(line) if t.kind == "num"] == [line.index(" 5 ") + 1, line.index(" 6 ") + 1,
                                                                    line.index("12"), line.index("增 3")]


def _mentions_by_pattern(text: str, core: str) -> list[tuple[str, str]]:
    """The specification place_mentions follows, as the regular expression it replaced."""
    cjk = r"[\u4e00-\u9fff]"
    short = re.escape(core[0]) + cjk + "{0,3}?" + re.escape(core[-1])
    pattern = re.compile(rf"(?<!{cjk})({cjk}{{2,}}?(?:省|市|县|区|州|盟|旗))({re.escape(core)}|{short})")
    return [(m.group(1), m.group(2)) for m in pattern.finditer(text)]


def test_place_mentions_match_the_pattern_they_replace():
    rng = random.Random(7)
    cores = ["人社局", "局", "人力资源和社会保障局", "市场监督管理局", "(中心)", "A局", "区政府", "发展和改革委员会"]
    for _ in range(3000):
        core = rng.choice(cores)
        pieces = [core, core[0], core[-1], *rng.sample(core, len(core)), "省", "市", "县", "区", "旗", "东乡", "济源示范",
                  "全年通过", "我", "的", "，", "“", "”", " ", "\n", "A", "1", "(", "发布", "微博"]
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
        assert list(place_mentions(text, core)) == _mentions_by_pattern(text, core), (text, core)


def test_a_title_glued_to_the_report_on_a_one_line_page():
    """A scraped page on one line: the title runs on into 一、总体情况 with no break."""
    text = ("2023年青山县交通运输局政府信息公开工作年度报告一、总体情况2023年，本机关认真贯彻落实《条例》，"
            "做好政府信息公开工作。二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年制发件数")
    assert find_agency(normalize(text)).value == "青山县交通运输局"
    assert find_year(normalize(text)).value == 2023
    # A first line that runs long but holds no 年度报告 within its first words stays no title.
    assert find_agency(normalize("本机关" * 30 + "\n")).value is None
