"""Every issue code the tool can emit, explained for the person who must act on it: what it
means, whether it withholds `verified`, whose doubt it is, and what to do.

One table (data), read by `govreport codes` and rendered into the README's "Issue codes"
section (`markdown_table`); tests/test_codes.py holds it complete against the codes the source
emits (parsers' doubts, verifier checks, relations, policy, the LLM's choice, `verify`).
"""
from __future__ import annotations

from typing import Final, NamedTuple, Sequence

from extract.errors import UsageError
from verify.report import SERIOUS

# Whose doubt: our reading ('extraction'), the agency's own text ('source'), or 'either' — the
# source when every cell involved was read as printed (the issue's `origin` then says which).
EXTRACTION, SOURCE, EITHER = "extraction", "source", "either"


class IssueCode(NamedTuple):
    code: str
    severity: str        # 'error' | 'warning' | 'info', or 'error|warning' where it depends on the case
    origin: str          # EXTRACTION | SOURCE | EITHER
    meaning: str
    action: str

    @property
    def withholds_verified(self) -> bool:
        return not SERIOUS.isdisjoint(self.severity.split("|"))

    @property
    def effect(self) -> str:
        """Whether it withholds `verified`, and the status it leads to (needs_review outranks source_inconsistent)."""
        if not self.withholds_verified:
            return "no (noted only)"
        if self.origin == SOURCE:
            return "yes → source_inconsistent"
        if self.origin == EITHER:
            return "yes → source_inconsistent if the source's, else needs_review"
        return "yes → needs_review"


_LOOK = "Compare the named cells with the source (`govreport review --all-issues` shows where each was printed)"
_RELATION = ("If every cell is stored as printed, the agency's own table is wrong: the values stay as printed (status "
             "source_inconsistent). Otherwise a reading of ours is wrong: compare the named cells with the source.")
_GLANCE = "Nothing required; glance at the row if the numbers look swapped."

CODES: Final[tuple[IssueCode, ...]] = (
    # --- relations and plausibility (verify/checks.py over extract/template) ---
    IssueCode("R1", "error", EITHER, "Down one applicant column of 三, 本年新收 + 上年结转 does not equal "
              "总计 + 结转下年度, as the form itself requires.", _RELATION),
    IssueCode("R2", "error", EITHER, "Down one applicant column of 三, 总计 does not equal the sum of the handling "
              "rows (予以公开 … 其他处理).", _RELATION),
    IssueCode("R3", "error", EITHER, "In one row of 三, 总计 does not equal the sum of the six applicant columns.",
              _RELATION),
    IssueCode("R4", "error", EITHER, "In one group of 四 (行政复议, or one kind of 行政诉讼), 总计 does not equal "
              "维持 + 纠正 + 其他 + 尚未审结.", _RELATION),
    IssueCode("in_force_below_issued", "info", SOURCE, "2021 template, 二: an item's 现行有效件数 is smaller than "
              "its 本年制发件数. Unusual, not impossible.", _GLANCE),
    IssueCode("total_below_new", "info", SOURCE, "2019 template, 二: an item's 对外公开总数量 is smaller than its "
              "本年新公开数量. Unusual, not impossible.", _GLANCE),
    # --- values ---
    IssueCode("missing", "warning", EXTRACTION, "Cells of the record's template have no value: the source does not "
              "print them, or they could not be read. They are null, never guessed.",
              "Look the cells up in the source; fill in the ones it prints, leave null the ones it lacks."),
    IssueCode("not_a_number", "error", EXTRACTION, "A value is not a finite number (text, NaN): no check can use it.",
              "Read the cell from the source."),
    IssueCode("not_integer", "error", EXTRACTION, "A count has a fractional part; only amounts in 万元 may.",
              "Read the cell from the source: a decimal point or a unit was probably misread."),
    IssueCode("negative", "error", EITHER, "A count is below zero; only 本年增/减 may be.",
              "Check the sign in the source (a dash read as a minus?); if the source prints it so, it stays."),
    IssueCode("unknown_key", "warning", EXTRACTION, "The record has keys that are not cells of its template version, "
              "so no check covers them.", "Check the record's template version; rename or drop the keys."),
    IssueCode("meta_missing", "warning", EXTRACTION, "The year, the agency or the template version could not be read.",
              "Fill them in from the report's title, signature or table headers."),
    IssueCode("ungrounded", "error|warning", EXTRACTION, "A value is not what the text prints where its provenance "
              "points (error), or a value the LLM proposed is not printed in order at its row (warning).",
              _LOOK + "; such a value is not trusted."),
    IssueCode("narrative_mismatch", "warning", EITHER, "The prose's count of requests received (共收到…申请N件) "
              "differs from the table's 本年新收 总计 (also counting the requests carried over).",
              "See which the source prints; if both are printed so, the report contradicts itself."),
    # --- how cells were read (verify/checks.py, from each cell's method) ---
    IssueCode("cell_positional", "warning", EXTRACTION, "The scraped text lost these rows' labels; their values were "
              "placed on the template's rows by order alone.", "Check the rows against the original page or PDF."),
    IssueCode("cell_split", "warning", EXTRACTION, "The digits of a row were printed run together (21710000218); "
              "every cut the relations and the prose's counts allow gives these values, but no cut is printed.",
              "Confirm the cut against the original layout."),
    IssueCode("cell_inferred", "warning", EXTRACTION, "Not printed: the value is forced by arithmetic (a part of a "
              "total that is 0).", "Confirm that the source does not print the cell."),
    IssueCode("cell_blank_line", "warning", EXTRACTION, "An empty line was read as a blank cell (0); it may as well "
              "be a cell the scrape lost.", "Check the row in the original page or PDF."),
    IssueCode("cell_forced", "info", EXTRACTION, "A 2021 report prints the 2019 single row （六）其他处理 as zeros; "
              "its three 2021 sub-rows are 0 by arithmetic.", "Nothing required."),
    # --- the parsers' doubts (extract/parsers) ---
    IssueCode("format_unknown", "warning", EXTRACTION, "The tables' headers name no template version, so the tables "
              "were not read.", "Check that the document is a template report; if so, set its version and re-read."),
    IssueCode("format_guessed", "warning", EXTRACTION, "The headers did not decide the template version; it was "
              "taken from the report's year.", "Confirm it: 本年制发件数 in 二 means 2021, 本年新制作数量 means 2019."),
    IssueCode("section_missing", "warning", EXTRACTION, "A whole table (二, 三 or 四) was not found in the text; its "
              "cells are null.", "See whether the source has it (an image, an attachment, another page)."),
    IssueCode("row_missing", "warning", EXTRACTION, "Rows of a table were not found in the text; their cells are null.",
              "Find the rows in the source and fill them in if printed."),
    IssueCode("rows_unlabelled", "warning", EXTRACTION, "Numbers stand where rows lost their labels, but they could "
              "not be placed on those rows by position; the cells are null.", "Read the rows from the original."),
    IssueCode("cells_missing", "warning", EXTRACTION, "A row was found but its cells could not be read (too few "
              "printed, or no cut of its run-together digits fits its sum); they are null.",
              "Read the row from the source."),
    IssueCode("ambiguous_row", "warning", EXTRACTION, "Several cuts of a row's run-together digits fit every relation; "
              "the cells they disagree on are null.", "Read the row from the original layout."),
    IssueCode("ambiguous_cells", "warning", EXTRACTION, "Several readings of the printed digits of a row of 二 or of "
              "四 remain; the cells they disagree on are null.", "Read the cells from the original layout."),
    IssueCode("extra_cells", "warning", EXTRACTION, "A row prints more numbers than it has columns; the row's sums "
              "picked which are its cells (in 二, those the readings agree on).",
              "Check that the stray number (a footnote, a page number) was the one left out."),
    IssueCode("cells_displaced", "warning", EXTRACTION, "A row's label line prints empty cells and its numbers stand "
              "on another line; those numbers were taken as the row's.", "Check the row in the original."),
    IssueCode("other_single_row", "warning", EXTRACTION, "A 2021 report prints the 2019 single row （六）其他处理 with "
              "numbers; how they divide among its three 2021 sub-rows is not printed, so those are null.",
              "Leave them null unless the prose says how they divide."),
    IssueCode("appeals_unreadable", "warning", EXTRACTION, "The table 四 was found but its 15 numbers could not be "
              "read (too few printed, or too many readings of run-together digits); they are null.",
              "Read the 15 cells from the source."),
    # --- the choice between the parsers and the LLM (extract/choose.py) and the policy ---
    IssueCode("llm_picked_a_reading", "warning", EXTRACTION, "The parsers left cells null because the printed text "
              "has several readings; the LLM's values fill them, but it only picked one of those readings.",
              "Check the cells against the original layout."),
    IssueCode("methods_disagree", "warning", EXTRACTION, "The parsers and the LLM read cells differently, both values "
              "are printed there and both fit the relations; the parsers' value is kept.", _LOOK + "."),
    IssueCode("llm_unavailable", "info", EXTRACTION, "The LLM is configured but gave no usable answer for this "
              "document (the endpoint failed, its answer could not be used, or the circuit breaker is open); the "
              "record holds the parsers' reading.",
              "Nothing; the next `govreport extract` asks again."),
    # --- govreport check: across reports (extract/across.py) ---
    IssueCode("copies_disagree", "warning", EITHER, "`govreport check`: another copy of the same report (the same "
              "agency, year and template: a page and its text, a page and its PDF) gives this cell another value. "
              "Its origin is the source when both copies print it plainly, else either: a reading may be at fault. "
              "Copies that differ fill nothing from each other.",
              "Compare both copies with their sources (the message names the other); correct a wrong reading with "
              "`govreport correct`."),
    IssueCode("year_chain_break", "info", EITHER, "`govreport check`: a chain across consecutive years of one agency "
              "breaks between this report and the other year's: 上年结转 is not the year before's 结转下年度 (Y1), or "
              "现行有效件数 is not the year before's plus 本年制发 minus 本年废止 (Y2). Its origin is the source when "
              "every cell involved is printed plainly in both reports (the agencies' own figures disagree), else "
              "either: a reading may be at fault. Neither record's values nor status change.",
              "Compare both reports' cells with their sources (the message names them); correct a wrong reading "
              "with `govreport correct`; a source's own break stays as printed."),
    # --- a person's corrections (extract/corrections.py) ---
    IssueCode("correction_stale", "warning", EXTRACTION, "A person corrected these cells against a machine value "
              "(`was`) that a later extraction no longer reads there, so the correction is not applied.",
              "Look at the cells again in `govreport review` and save a new correction (or accept the new reading)."),
    # --- govreport verify FILE.json --text REPORT (extract/check_record.py) ---
    IssueCode("not_as_printed", "warning", EXTRACTION, "`govreport verify` only: a value of the checked record is not "
              "what the parsers read at a printed place of the given text (or that cell was not read).",
              "Check the record's value against the text."),
)
BY_CODE: Final = {c.code: c for c in CODES}


def lookup(codes: Sequence[str] = ()) -> list[IssueCode]:
    """The entries of these codes (any case), or all; an unknown code is a UsageError."""
    if not codes:
        return list(CODES)
    folded = {c.code.lower(): c for c in CODES}
    unknown = [c for c in codes if c.lower() not in folded]
    if unknown:
        raise UsageError(f"unknown issue code {', '.join(map(repr, unknown))} (`govreport codes` lists them all)")
    return [folded[c.lower()] for c in codes]


def render_text(entries: Sequence[IssueCode]) -> str:
    """For the terminal: each code, its weight, what it means and what to do."""
    blocks = []
    for e in entries:
        weight = f"{e.severity.replace('|', ' or ')}; origin {e.origin}; withholds verified: {e.effect}"
        blocks.append(f"{e.code}  [{weight}]\n"
                      f"    {e.meaning}\n    What to do: {e.action}")
    return "\n".join(blocks)


def markdown_table(entries: Sequence[IssueCode] = CODES) -> str:
    """The README's table (`govreport codes --markdown` prints it)."""
    rows = ["| code | severity | origin | withholds `verified` | what it means | what to do |",
            "|---|---|---|---|---|---|"]
    for e in entries:
        cells = (f"`{e.code}`", e.severity.replace("|", " or "), e.origin, e.effect, e.meaning, e.action)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)
