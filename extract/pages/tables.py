"""The template's tables as HTML, each value cell marked by its states.

The markup that is the same for every document of a version (captions, headers, row labels) is
built once per version as a skeleton of fixed pieces and cell keys; a page only fills in its
cells. A cell is a focusable <td data-k="KEY"> whose classes are its states (`s-read`, `s-split`,
…) and `flag` when it needs a look, as `extract.cell_states` decides.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Union

from extract.cell_states import CellState
from extract.pages.grid import Head, Table, sections
from extract.pages.markup import esc, number_text


class Key(str):
    """A place in a skeleton where a cell goes."""


def tables_html(version: str, cells: dict[str, CellState]) -> str:
    """二, 三 and 四 of this version with these cells (a key without a cell shows as missing)."""
    out = []
    for piece in _skeleton(version):
        out.append(cell_html(piece, cells.get(piece)) if isinstance(piece, Key) else piece)
    return "".join(out)


def cell_html(key: str, cell: Union[CellState, None]) -> str:
    if cell is None:
        return f'<td data-k="{key}" tabindex="0" class="s-missing flag">—</td>'
    if cell.value is None and cell.proposal is not None:
        shown = cell.proposal     # pre-filled, marked by s-proposal: not a value until accepted
    elif cell.value is None and cell.options:
        shown = "?"
    else:
        shown = cell.value
    # A number needs no escaping; a value that is text (an LLM's) does.
    shown = number_text(shown) if shown is None or isinstance(shown, (int, float)) else esc(shown)
    return f'<td data-k="{key}" tabindex="0" class="{_classes(frozenset(cell.states), cell.flagged)}">{shown}</td>'


@lru_cache(maxsize=1024)  # a few dozen combinations of states recur over every page
def _classes(states: frozenset, flagged: bool) -> str:
    return " ".join("s-" + s for s in sorted(states)) + (" flag" if flagged else "")


@lru_cache(maxsize=None)
def _skeleton(version: str) -> tuple[Union[str, Key], ...]:
    pieces: list[Union[str, Key]] = []
    text: list[str] = []
    for section in sections(version):
        text.append(f"<h2>{esc(section.title)}</h2>")
        for table in section.tables:
            text.append(_open(table))
            for line in table.body:
                text.append("<tr>" + "".join(_head_cell(h) for h in line.labels))
                for key in line.keys:
                    pieces.append("".join(text))
                    text = []
                    pieces.append(Key(key))
                text.append("</tr>")
            text.append("</tbody></table>")
    pieces.append("".join(text))
    return tuple(pieces)


def _open(table: Table) -> str:
    values = len(table.body[0].keys)
    kind = "t3" if table.id == "t3" else "t4" if table.id == "t4" else "t2"
    # The 三 table's label columns: the outcomes heading and a group's, both upright, then the row's label.
    labels = ('<col class="up"><col class="up2"><col class="label">' if table.label_columns == 3
              else '<col class="label">' * table.label_columns)
    caption = f"<caption>{esc(table.caption)}</caption>" if kind == "t2" else ""
    head = "".join("<tr>" + "".join(_head_cell(h, "col") for h in row) + "</tr>" for row in table.head)
    return (f'<table id="{table.id}" class="grid {kind}">{caption}<colgroup>{labels}'
            f'{"<col class=v>" * values}</colgroup><thead>{head}</thead><tbody>')


def _head_cell(head: Head, scope: str = "row") -> str:
    span = (f' colspan="{head.cols}"' if head.cols > 1 else "") + (f' rowspan="{head.rows}"' if head.rows > 1 else "")
    upright = ' class="upright"' if head.upright else ""
    return f'<th scope="{scope}"{span}{upright}>{esc(head.text)}</th>'
