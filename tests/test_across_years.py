"""`govreport check`: the template's chains across consecutive years of one agency (carry-over in each
applicant column, documents in force), on reports rendered from the template with values of our own:
chained years pass, a break is reported on both records with the cells, both values and the
relation and changes neither record; an agency printed two ways is one agency."""
from __future__ import annotations

import pytest
from render import random_values, render

from extract import template
from extract.agency import agency_key, read_aliases
from extract.cli import main
from extract.errors import UsageError
from extract.store import Store
from verify.series import year_breaks

OVER, FORWARD = "requests.carried_over", "requests.carried_forward"
SIX = template.columns()[:-1]


def chained(earlier: dict, seed: int) -> dict:
    """A year's values whose carry-over and documents in force follow from the year before (every
    relation of the year itself holding)."""
    for attempt in range(200):
        later = random_values("2021", seed * 1000 + attempt, busy=0.5)
        for column in SIX:   # R1: new + carried over == total + carried forward
            later[f"{OVER}.{column}"] = earlier[f"{FORWARD}.{column}"]
            later[f"requests.new.{column}"] = (later[f"requests.total.{column}"] + later[f"{FORWARD}.{column}"]
                                               - later[f"{OVER}.{column}"])
        for row in (OVER, "requests.new"):
            later[f"{row}.total"] = sum(later[f"{row}.{c}"] for c in SIX)
        for group in ("active.rules", "active.normative_docs"):
            later[f"{group}.repealed"] = min(later[f"{group}.repealed"], earlier[f"{group}.in_force"])
            later[f"{group}.in_force"] = (earlier[f"{group}.in_force"] + later[f"{group}.issued"]
                                          - later[f"{group}.repealed"])
        if all(v >= 0 for k, v in later.items() if k.startswith("requests.new.")):
            return later
    raise AssertionError("no chained year found")


@pytest.fixture
def series(tmp_path):
    first = random_values("2021", 5, busy=0.5)
    for group in ("active.rules", "active.normative_docs"):
        first[f"{group}.in_force"] = max(first[f"{group}.in_force"], first[f"{group}.issued"]) + 7
    second = chained(first, 6)
    third = chained(second, 7)
    folder = tmp_path / "in"
    folder.mkdir()
    return folder, [first, second, third]


def write(folder, year: int, values: dict, agency: str = "淮安市洪泽区人民政府", signature: str = "") -> None:
    text = render("2021", values, "tabs", year=year, agency=agency) + (f"\n{signature}\n" if signature else "")
    (folder / f"{year}.txt").write_text(text, encoding="utf-8")


def extract(folder, db) -> None:
    assert main(["extract", str(folder), "--db", str(db), "--no-llm", "--workers", "1"]) == 0


def records(db) -> dict:
    with Store(db) as store:
        return {r["path"].rsplit("/", 1)[-1]: r for r in store.iter_results()}


def test_chained_years_pass(series, tmp_path, capsys):
    folder, years = series
    for year, values in zip((2021, 2022, 2023), years):
        write(folder, year, values)
    extract(folder, tmp_path / "s.db")
    assert all(r["status"] == "verified" for r in records(tmp_path / "s.db").values())
    capsys.readouterr()
    assert main(["check", "--db", str(tmp_path / "s.db")]) == 0
    assert "3 records of 1 agency: 0 pairs of copies of one report (0 cells filled from a copy, 0 differences), 2 pairs of consecutive years: 0 breaks" in capsys.readouterr().err


def test_a_break_is_reported_on_both_records_and_changes_neither(series, tmp_path, capsys):
    folder, (first, second, _) = series
    second = dict(second)
    # The agency's 2022 report carries over 3 more natural-person requests than 2021 carried forward,
    # granted 3 more (its own relations all holding), and its 规范性文件 in force do not follow from 2021's.
    for row in (OVER, "requests.total", "requests.granted"):
        for column in ("natural_person", "total"):
            second[f"{row}.{column}"] += 3
    second["active.normative_docs.in_force"] += 2
    write(folder, 2021, first)
    # Printed without its city, which only its signature names: the same agency.
    write(folder, 2022, second, agency="洪泽区人民政府", signature="淮安市洪泽区人民政府办公室")
    db = tmp_path / "s.db"
    capsys.readouterr()
    extract(folder, db)                                      # checked after the run too
    assert "across years: 3 breaks between consecutive reports of one agency" in capsys.readouterr().err
    before = records(db)
    assert before["2022.txt"]["values"] == second and before["2022.txt"]["status"] == "verified"
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "1 pair of consecutive years: 3 breaks (3 printed plainly on both sides: the sources')" in err
    assert f"{OVER}.natural_person is {second[f'{OVER}.natural_person']}, the year before makes it " \
           f"{first[f'{FORWARD}.natural_person']}" in out
    after = records(db)
    for name in ("2021.txt", "2022.txt"):
        assert after[name]["values"] == before[name]["values"] and after[name]["status"] == before[name]["status"]
        found = [i for i in after[name]["issues"] if i["code"] == "year_chain_break"]
        assert len(found) == 3 and {i["origin"] for i in found} == {"source"}
    later = {tuple(i["keys"]) for i in after["2022.txt"]["issues"] if i["code"] == "year_chain_break"}
    assert later == {(f"{OVER}.natural_person",), (f"{OVER}.total",), (
        "active.normative_docs.in_force", "active.normative_docs.issued", "active.normative_docs.repealed")}
    capsys.readouterr()
    assert main(["review", "--db", str(db), "--status", "verified", "--code", "year_chain_break", "--all-issues"]) == 0
    listed = capsys.readouterr().out
    assert "2021.txt" in listed and "2022.txt" in listed and "the sources disagree" in listed
    assert main(["check", "--db", str(db)]) == 1            # checked again: the same breaks, not twice
    assert len([i for i in records(db)["2022.txt"]["issues"] if i["code"] == "year_chain_break"]) == 3


def test_a_break_through_a_cell_not_read_plainly_may_be_a_reading():
    earlier = {"format": "2021", "values": {f"{FORWARD}.research": 4},
               "provenance": {f"{FORWARD}.research": {"method": "split"}}}
    later = {"format": "2021", "values": {f"{OVER}.research": 5}, "provenance": {f"{OVER}.research": {"method": "table"}}}
    (found,) = year_breaks(earlier, later)
    assert not found.plain and "a reading of one of the reports may be at fault" in found.message
    assert year_breaks(earlier, {"format": "2021", "values": {f"{OVER}.research": None}}) == []   # not read: not checked


def test_the_stock_chain_is_the_2021_templates_only():
    earlier = {"format": "2019", "values": {"active.rules.in_force": 3}}
    later = {"format": "2021", "values": {"active.rules.in_force": 9, "active.rules.issued": 1, "active.rules.repealed": 0}}
    assert year_breaks(earlier, later) == []


def test_agencies_of_one_name_are_one_where_their_cities_agree():
    from extract.agency import cluster, parse_agency   # noqa: PLC0415 (what only this test uses)
    found = cluster([(1, parse_agency("海州区人民政府", "……连云港市海州区人民政府……")),   # the text: 云港市 at least
                     (2, parse_agency("连云港市海州区人民政府")), (3, parse_agency("海州区人民政府"))])
    assert found == {1: "连云港市海州区政府", 2: "连云港市海州区政府",
                     3: "海州区政府"}                   # where the third is, nothing says: its own
    two = cluster([(1, parse_agency("鼓楼区人民政府", "福州市鼓楼区")), (2, parse_agency("鼓楼区人民政府", "南京市鼓楼区")),
                   (3, parse_agency("鼓楼区人民政府"))])
    assert two == {1: "福州市鼓楼区政府", 2: "南京市鼓楼区政府", 3: "鼓楼区政府"}


def test_agency_keys():
    assert agency_key("淮安市洪泽区人民政府") == agency_key("洪泽区人民政府", "……淮安市洪泽区人民政府办公室……")
    assert agency_key("江苏省淮安市人民政府") == agency_key("淮安市人民政府") == "淮安市政府"
    assert agency_key("江苏省交通运输厅") != agency_key("浙江省交通运输厅")      # a province's agency keeps it
    assert agency_key("广西壮族自治区人民政府") != agency_key("江苏省人民政府")
    assert agency_key("洪泽区人民政府办公室") != agency_key("洪泽区人民政府")   # another agency
    assert agency_key("洪泽区人民政府", "no city printed") == "洪泽区政府"
    assert agency_key("洪泽政府", aliases={"洪泽政府": "淮安市洪泽区人民政府"}) == "淮安市洪泽区政府"
    # A place's government goes by the place, its 人民政府 or its 管理委员会 (a title, a signature).
    assert agency_key("平潭综合实验区") == agency_key("平潭综合实验区管委会") == agency_key("平潭综合实验区管理委员会")
    assert agency_key(None) is None


def test_the_alias_file(tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_text("printed,key\n洪泽 区政府,淮安市洪泽区人民政府\n", encoding="utf-8")
    assert read_aliases(path) == {"洪泽区政府": "淮安市洪泽区人民政府"}
    path.write_text("洪泽区政府\n", encoding="utf-8")
    with pytest.raises(UsageError, match="expected `printed name,key`"):
        read_aliases(path)
