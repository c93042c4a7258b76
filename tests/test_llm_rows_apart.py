"""The LLM beside the readers on tables printed with labels apart (the Shanghai style), answered
by the test oracle from the values each report is built from: bare rows placed by the grid's
order are trusted only where the LLM places every one of them alike (one differing, none is),
and a 总计 moved out of its grid row is taken only where it is printed and the row's sum holds."""
from __future__ import annotations

from oracle import Oracle
from render import random_values, render
from test_labels_apart import COLS, _apart, _bare_lines, _markdown, by_order, with_rows
from test_llm_oracle import _run

AGENCY = "青山县交通运输局"
MOVED = ("部分公开", "其他法律行政法规", "本机关不掌握", "没有现成信息")


def _report(tmp_path, values: dict, text: str, answer: dict):
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    title = text.split("\n", 1)[0]
    with Oracle({title: {"meta": {"year": 2022, "agency": AGENCY, "format": "2021"}, "values": answer}}) as oracle:
        return _run([path], oracle, tmp_path)[str(path)]


def test_bare_rows_the_llm_places_alike_are_trusted(tmp_path):
    """Nothing the LLM reads of the lost labels (loose lines, fragments) places a row otherwise."""
    values = random_values("2021", 21, busy=0.5)
    record = _report(tmp_path, values, _apart(_markdown(render("2021", values, "pipes")), *MOVED), values)
    assert record["values"] == values and record["status"] == "verified"
    assert by_order(values) and {record["provenance"][k]["method"] for k in by_order(values)} == {"positional_confirmed"}
    assert {record["confidence"][k] for k in by_order(values)} == {"agree"}


def test_one_bare_cell_the_llm_reads_otherwise_leaves_every_placement_in_doubt(tmp_path):
    values = random_values("2021", 26, busy=0.5)
    ordered = sorted(by_order(values))
    answer = {**values, ordered[-1]: values[ordered[-1]] + 1}
    record = _report(tmp_path, values, _apart(_markdown(render("2021", values, "pipes")), *MOVED), answer)
    assert record["values"] == values and record["status"] == "needs_review"
    assert {record["provenance"][k]["method"] for k in ordered} == {"positional"}


def test_an_llm_that_reads_a_row_of_one_value_otherwise_confirms_no_placement(tmp_path):
    """Two gaps of three each lose their second row and print their first twice; where the rows
    differ the order places them (and happens to be right), where the printed lines agree each
    takes their value — wrong for the lost rows, their errors cancelling in every sum. The LLM
    reads the lost rows right: its reading of the bare rows is not the parsers', so no placement
    is confirmed."""
    values = with_rows({"requests.unable.not_held": [3, 2, 0, 0, 0, 0, 5],
                        "requests.unable.needs_creation": [3, 0, 2, 0, 0, 0, 5],
                        "requests.unable.unclear": [0, 2, 0, 0, 0, 0, 2],
                        "requests.not_processed.duplicate": [3, 0, 2, 0, 0, 0, 5],
                        "requests.not_processed.publication": [3, 2, 0, 0, 0, 0, 5],
                        "requests.not_processed.excessive": [0, 0, 2, 0, 0, 0, 2]})
    lines = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息", "补正后", "重复申请",
                   "公开出版物", "无正当理由大量").split("\n")
    bare = _bare_lines(lines)
    lines[bare[1]], lines[bare[4]] = lines[bare[0]], lines[bare[3]]
    record = _report(tmp_path, values, "\n".join(lines), values)
    assert record["values"] != values and record["status"] == "needs_review"
    assert "positional_confirmed" not in {p["method"] for p in record["provenance"].values()}


def test_lone_bare_rows_printed_in_each_others_places_stay_in_doubt_when_the_llm_reads_them_right(tmp_path):
    """The order misplaces them (the sums still hold); an LLM reading them right is evidence
    against the order, so the parsers' placement stays flagged and the LLM's values are shown."""
    values = random_values("2021", 6, busy=0.5)
    lines = _apart(_markdown(render("2021", values, "pipes")), "部分公开", "其他法律行政法规").split("\n")
    a, b = _bare_lines(lines)[:2]
    assert lines[a] != lines[b]
    lines[a], lines[b] = lines[b], lines[a]
    record = _report(tmp_path, values, "\n".join(lines), values)
    assert record["status"] == "needs_review"
    moved = [k for k in values if k.startswith("requests.partly_granted.") and values[k] != record["values"][k]]
    assert moved and {record["provenance"][k]["method"] for k in moved} == {"positional"}
    assert all(record["proposals"][k] == values[k] for k in moved)


def test_an_llm_that_reads_two_bare_rows_the_other_way_round_changes_nothing(tmp_path):
    values = {**random_values("2021", 22, busy=0.5), **{f"requests.unable.needs_creation.{c}": 1 for c in COLS[:-1]},
              "requests.unable.needs_creation.total": 6}
    swapped = dict(values)
    for c in COLS:
        a, b = f"requests.unable.not_held.{c}", f"requests.unable.needs_creation.{c}"
        swapped[a], swapped[b] = values[b], values[a]
    record = _report(tmp_path, values, _apart(_markdown(render("2021", values, "pipes")), *MOVED), swapped)
    assert record["values"] == values and record["status"] == "needs_review"   # the parsers' placement stays
    assert {record["provenance"][f"requests.unable.not_held.{c}"]["method"] for c in COLS
            if values[f"requests.unable.not_held.{c}"] != 1} == {"positional"}
    assert record["proposals"]["requests.unable.not_held.total"] == 6        # the LLM's, shown, not exported


def _moved_total(values: dict) -> str:
    """结转's 总计 left empty in its grid row, printed instead on a line of its own among the bare
    rows of (四)无法提供 (whose labels stand apart), as a PDF conversion does."""
    lines = _apart(_markdown(render("2021", values, "pipes")), "本机关不掌握", "没有现成信息").split("\n")
    at = next(n for n, line in enumerate(lines) if "结转下年度" in line)
    head, total = lines[at].rstrip(" |").rsplit(" | ", 1)
    lines[at] = head + " |  |"
    bare = next(n for n, line in enumerate(lines) if line.startswith("| ")
                and all(c.strip().isdigit() for c in line.strip("| ").split(" | ")))
    lines.insert(bare + 1, total)
    return "\n".join(lines)


def test_a_total_moved_out_of_its_grid_row_is_taken_where_it_is_printed(tmp_path):
    values = random_values("2021", 23, busy=0.5)
    record = _report(tmp_path, values, _moved_total(values), values)
    assert record["values"] == values
    assert record["provenance"]["requests.carried_forward.total"]["method"] == "llm"
    assert record["confidence"]["requests.carried_forward.total"] == "llm_grounded"


def test_a_moved_total_the_llm_gives_a_value_not_printed_for_stays_empty(tmp_path):
    values = random_values("2021", 24, busy=0.5)
    wrong = {**values, "requests.carried_forward.total": values["requests.carried_forward.total"] + 1000}
    record = _report(tmp_path, values, _moved_total(values), wrong)
    assert record["values"]["requests.carried_forward.total"] is None and record["status"] == "needs_review"
    assert record["proposals"]["requests.carried_forward.total"] == values["requests.carried_forward.total"] + 1000


def test_a_moved_total_the_llm_reads_as_0_is_not_taken_for_the_empty_place(tmp_path):
    values = random_values("2021", 25, busy=0.5)
    assert values["requests.carried_forward.total"] != 0
    record = _report(tmp_path, values, _moved_total(values), {**values, "requests.carried_forward.total": 0})
    assert record["values"]["requests.carried_forward.total"] is None and record["status"] == "needs_review"
