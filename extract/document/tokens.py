"""Turn a report's text into a stream of table cells, whatever layout the scraper left.

Tables arrive as tab- or pipe-separated rows, one cell per line, space-separated numbers, or
runs with no separator at all. All of them become the same stream of tokens: TEXT (a label
or heading), NUM (a printed number) and BLANK (a printed empty cell, 0 by convention). Each
token keeps its offsets, so every value can be traced back to where it was printed.
"""
from __future__ import annotations

import re
from itertools import repeat
from typing import Final, Iterable, Iterator, NamedTuple, Optional, Union

from extract.document.amounts import parse_number

TEXT: Final = "text"
NUM: Final = "num"
BLANK: Final = "blank"
EMPTY_LINE: Final = "\n"  # the text of a BLANK token that is a whole empty line
# The text of a grid's empty cell in a table some of whose numbers stand outside the grid: the
# cell's place is certain, its content is not (a conversion may have moved it out).
MOVED: Final = "(moved?)"

_SEPARATORS: Final = re.compile(r"[ ]*[\t|][ ]*|\s{2,}")
_SEPARATED: Final = re.compile(f"({_SEPARATORS.pattern})")  # the same, kept by re.split
# Whether a line has a separator at all: the lines _SEPARATORS finds, written so that sre can scan
# for a first character (a leading [ ]* makes it try a match at every position).
_HAS_SEPARATOR: Final = re.compile(r"[\t|]|\s\s")
_ODD_SPACE: Final = re.compile(r"[^\S \t]")  # whitespace but a space or a tab (normalize leaves few)
BLANK_MARKS: Final = frozenset({"-", "/", "—", "——", "–", "&nbsp;", "\\", "无"})
# A page number ('- 3 -', '—3—' as the 公文 standard prints it, '·3·', '第 3 页 共 5 页', '3/8'): data-looking
# noise between table rows.
_FOOTER_FIRST: Final = frozenset("-—–－·•第共")  # a footer's first printed character: most lines skip the regex
_PAGE_OF: Final = re.compile(r"\d+\s*/\s*\d+")  # '3/8': page 3 of 8
_FOOTER: Final = re.compile(r"^\s*(?:([-—–－·•]{1,2})\s*\d+\s*\1|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页)\s*$")
# A number as agencies print it: 增16, 减 3, -6, 12.3万元, 1,234, 0.
NUMBER: Final = re.compile(
    r"(?P<sign>(?:增加?|减少?|[+\-])\s*)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)(?P<unit>\s*(?:万元|亿元|元))?"
)
_NUMBER_FIRST: Final = re.compile(r"[增减+\-\d]")  # what every NUMBER match starts with


def number_matches(text: str) -> Iterator[re.Match]:
    """NUMBER.finditer(text), without its cost on a long line: sre cannot scan ahead for NUMBER's
    first character (its sign is optional), so it would try a match at every position; the
    places a number can start are found first, and NUMBER is tried only there."""
    pos = 0
    while True:
        first = _NUMBER_FIRST.search(text, pos)
        if first is None:
            return
        match = NUMBER.match(text, first.start())
        if match is None:
            pos = first.start() + 1
        else:
            yield match
            pos = match.end()


# After a number these make it prose, not a cell: dates, counts in sentences, ordinals.
_NOT_A_CELL_AFTER: Final = re.compile(r"\s*(?:[年月日号条件个项次页%％人家起]|[.、]\s*(?!\d))")
_HAS_DIGIT: Final = re.compile(r"\d")
# A grid cell that prints no words: a number (with its unit or count word), a blank mark, nothing.
_NO_WORDS: Final = re.compile(r"\s*(?:[-+]?[\d.,]+\s*(?:万元|亿元|元|个|件)?|——|&nbsp;|[-/—–\\无])?\s*")
# A label's one-digit ordinal and words with no digit ('1. 属于国家秘密', '2、其他'): all text.
_ORDINAL_LABEL: Final = re.compile(r"\d[.、]\D*$")
_COUNTED_CELL: Final = re.compile(r"^((?:增加?|减少?|[+\-])\s*)?(\d+)\s*[件条个项]$")
_NOT_A_CELL_BEFORE: Final = ("第", "共", "附件", "表")  # just before a number (spaces between): an ordinal or a reference


# The values of the commonest cells, looked up: cheaper than isdigit + isascii + int.
_SMALL_NUMBERS: Final = {str(n): n for n in range(1000)}

# Token(...) runs a Python-level __new__; the per-cell paths build the tuple in C, every field given.
_new = tuple.__new__


class Token(NamedTuple):
    """One printed cell. A NamedTuple: immutable, and cheap to make by the hundred per report."""

    kind: str
    text: str
    start: int
    end: int
    line: int
    value: Optional[Union[int, float]] = None
    digits: str = ""       # the bare digit string of an unsigned integer, for runs that may hold several cells
    unit: str = ""
    glued: bool = False    # printed right after a letter ('数据1', '规章000'): a label's end, or part of a word
    whole: bool = False    # the whole content of a cell that separators (tab, pipe, spaces, line) delimit;
    #                        for a blank, an empty cell of a grid's row ('| 3 |  |'), not a stray tab


def prints_a_cell(t: Token) -> bool:
    """A number, or a blank printed as a cell ('-', an empty grid cell): not an empty line."""
    return t.kind == NUM or (t.kind == BLANK and t.text != EMPTY_LINE)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of the text between offsets `start` and `end`, line by line."""
    tokens: list[Token] = []
    end = len(text) if end is None else end
    offset = start
    line_no = text.count("\n", 0, start) + 1
    lines = text[start:end].split("\n")
    if not lines[-1]:
        lines.pop()  # the region ends with a line's end (or is empty): no line after it
    for line in lines:
        stripped = line.strip()
        if not stripped:
            # An empty line: in one-cell-per-line tables, a blank cell (0); elsewhere structure,
            # which the row readers drop from a row's edges.
            tokens.append(_new(Token, (BLANK, EMPTY_LINE, offset, offset + len(line), line_no, 0, "", "", False, False)))
        elif (value := _SMALL_NUMBERS.get(stripped)) is not None or (stripped.isdigit() and stripped.isascii()):
            # a number alone on its line: the commonest line
            at = offset + line.index(stripped[0])
            tokens.append(_new(Token, (NUM, stripped, at, at + len(stripped), line_no, int(stripped) if value is None else value,
                                       stripped, "", False, True)))
        elif (stripped[0] not in _FOOTER_FIRST or not _FOOTER.match(line)) and not (
                "/" in stripped and _PAGE_OF.fullmatch(stripped)):
            _tokenize_line(line, stripped, offset, line_no, tokens)
        offset += len(line) + 1
        line_no += 1
    return tokens


def _tokenize_line(line: str, stripped: str, base: int, line_no: int, out: list[Token]) -> None:
    if not _HAS_SEPARATOR.search(stripped):
        # One cell on the line (the one-cell-per-line layout, headings): no splitting needed.
        at = base + line.index(stripped[0])
        if stripped not in BLANK_MARKS and not _HAS_DIGIT.search(stripped):  # a label or heading
            out.append(_new(Token, (TEXT, stripped, at, at + len(stripped), line_no, None, "", "", False, False)))
        else:
            _split_piece(stripped, at, line_no, out)
        return
    raws, widths = _cells_of_line(line)
    if len(raws) > 1 and not raws[-1].strip():
        raws.pop()  # "a | b |" or "a\tb\t": the last separator ends the row; it opens no cell
    # A grid's row, closed by its last pipe ('| a |  | b |', as every converted table is printed):
    # an empty cell in it is a cell, wherever it stands; a tab row's last tab may be a stray one.
    grid = stripped[-1] == "|"
    # In a grid row opened by a pipe that prints numbers and no words ('|  | 8 | 5 |'), its leading
    # empty cells are cells too; elsewhere they are indentation, or a label's empty column.
    opened = grid and stripped[0] == "|"
    leading: Optional[list[Token]] = None
    seen_content = False
    at = base  # where the current piece starts
    for raw, width in zip(raws, widths):
        if raw == raw.strip():  # no spaces around the cell: the usual piece
            piece = raw
            start = at
        else:
            piece = raw.strip()
            start = at + len(raw) - len(raw.lstrip())
        if not piece:
            # An empty cell counts only between cells of a row; leading ones are indentation.
            # It sits after the spaces a separator takes ('| |': at the second '|').
            if seen_content:
                end = at + len(raw)
                out.append(_new(Token, (BLANK, "", end - len(raw.lstrip(" ")), end, line_no, 0, "", "", False, grid)))
            elif opened and at != base:  # not the first raw cell: the indentation before the pipe
                end = at + len(raw)
                leading = leading or []
                leading.append(_new(Token, (BLANK, "", end - len(raw.lstrip(" ")), end, line_no, 0, "", "", False, True)))
        else:
            if not seen_content:
                if leading and all(map(_NO_WORDS.fullmatch, line[start - base:].split("|"))):
                    out.extend(leading)
                seen_content = True
            value = _SMALL_NUMBERS.get(piece)
            if value is None and piece.isdigit() and piece.isascii():
                value = int(piece)
            if value is not None:  # the common cells, inline: no call per cell
                out.append(_new(Token, (NUM, piece, start, start + len(piece), line_no, value, piece, "", False, True)))
            elif piece not in BLANK_MARKS and not _HAS_DIGIT.search(piece):
                out.append(_new(Token, (TEXT, piece, start, start + len(piece), line_no, None, "", "", False, False)))
            else:
                _split_piece(piece, start, line_no, out)
        at += len(raw) + width


def _cells_of_line(line: str) -> tuple[list[str], Iterable[int]]:
    """The raw cells of a separated line, and the width of the separator after each: each piece's
    offset is the running length. A raw cell may keep the spaces beside its separators."""
    separator = "\t" if "|" not in line else ("|" if "\t" not in line else "")
    if separator and "  " not in line and _ODD_SPACE.search(line) is None:
        # One kind of separator and no run of spaces: each separator is that character with the
        # spaces beside it, so str.split finds the cells _SEPARATED would, without the regex.
        return line.split(separator), repeat(1)
    parts = _SEPARATED.split(line)  # the separators kept, as odd items
    return parts[0::2], [*map(len, parts[1::2]), 0]


def _split_piece(piece: str, base: int, line_no: int, out: list[Token]) -> None:
    stop = base + len(piece)
    if piece in BLANK_MARKS:
        out.append(_new(Token, (BLANK, piece, base, stop, line_no, 0, "", "", False, False)))
        return
    if piece.isdigit() and piece.isascii():  # the common cell: fast path
        out.append(_new(Token, (NUM, piece, base, stop, line_no, int(piece), piece, "", False, True)))
        return
    if not _HAS_DIGIT.search(piece) or _ORDINAL_LABEL.match(piece):
        # no digit, or '1. 属于国家秘密': the ordinal of a label, no number in it
        out.append(_new(Token, (TEXT, piece, base, stop, line_no, None, "", "", False, False)))
        return
    word = piece.rstrip(_ASCII_DIGITS)
    if word and word != piece and _plain_word(word):
        # A word and the digits glued to its end ('数据1', a header's placeholder): what the loop
        # below makes of it, without the regexes (NUMBER matches exactly the digits; no sign before them).
        at = base + len(word)
        out.append(_new(Token, (TEXT, word, base, at, line_no, None, "", "", False, False)))
        digits = piece[len(word):]
        out.append(_new(Token, (NUM, digits, at, stop, line_no, int(digits), digits, "", True, False)))
        return
    counted = _COUNTED_CELL.match(piece)
    if counted:  # a whole cell such as "3件": the count word does not make it prose
        out.append(_new(Token, (NUM, piece, base, stop, line_no, parse_number(counted.group(1) or "", counted.group(2), ""),
                                "", "", False, False)))
        return
    text_start, counted_end = 0, -1
    for match in number_matches(piece):
        start, end = match.span()
        if not _is_cell(piece, match):
            continue
        sign = match.group("sign") or ""
        if sign and start > 0 and sign.strip() in ("+", "-") and piece[start - 1].isalpha():
            # "ISO-9001": a dash glued to a word is not a minus sign ("2648-18" keeps it: a run and a signed cell).
            start += len(sign)
            sign = ""
        elif sign[:1] == "-" and sign != "-" and piece[text_start:start].strip():
            # '数量 - 135': a dash set apart from words before it and from its digits is a leader or
            # a blank mark, not a minus (a cell that opens with '- 5' keeps its sign).
            _add_text(piece[text_start:start], base + text_start, line_no, out)
            out.append(_new(Token, (BLANK, "-", base + start, base + start + 1, line_no, 0, "", "", False, False)))
            start += len(sign)
            text_start, sign = start, ""
        if start > text_start:
            _add_text(piece[text_start:start], base + text_start, line_no, out)
        num, unit = match.group("num"), match.group("unit") or ""
        if _is_glued_ordinal(piece, match):
            num, end = num[:-1], end - 1  # the last digit numbers the next row label
        counted = None if unit else _COUNT_THEN_NUMBER.match(piece, end)
        if counted:
            end = counted.end()  # '1个': one cell, never digits to cut
        digits = num if not sign and not unit and not counted and num.isdigit() else ""
        value = int(num) if digits else parse_number(sign, num, unit)
        glued = start > 0 and piece[start - 1].isalpha() and start != counted_end  # not after '1个'
        out.append(_new(Token, (NUM, piece[start:end], base + start, base + end, line_no, value, digits, unit.strip(),
                                glued, start == 0 and end == len(piece))))
        text_start = end
        counted_end = end if counted else -1
    if text_start < len(piece):
        _add_text(piece[text_start:], base + text_start, line_no, out)


_ASCII_DIGITS: Final = "0123456789"
_SIGN_ENDS: Final = frozenset("增减加少")  # a word ending so may end in a sign (增, 增加, 减, 减少) that NUMBER takes


def _plain_word(word: str) -> bool:
    """A word its glued digits are simply a number after: it ends in a letter that no sign ends
    with, holds no digit, and does not end in a word that makes the number an ordinal or reference."""
    return (word[-1].isalpha() and word[-1] not in _SIGN_ENDS and not _HAS_DIGIT.search(word)
            and not word.endswith(_NOT_A_CELL_BEFORE))


def _is_cell(piece: str, match: re.Match) -> bool:
    # Both looks stay near the number: slicing or searching the whole piece per number made a
    # one-line page quadratic in its length.
    before = match.start()
    while before and piece[before - 1].isspace():
        before -= 1
    if piece.endswith(_NOT_A_CELL_BEFORE, 0, before):
        return False
    if _NOT_A_CELL_AFTER.match(piece, match.end()) and not match.group("unit"):
        return _is_glued_ordinal(piece, match) or _COUNT_THEN_NUMBER.match(piece, match.end()) is not None
    return True


# '采购1个246900元': a count with its count word, and right after it another number: a row's cell
# (prose says '3个专项', never '3个24'). The count word is the cell's, as a unit is.
_COUNT_THEN_NUMBER: Final = re.compile(r"\s*[件条个项](?=\s*\d)")


_ORDINAL_AFTER: Final = re.compile(r"[.、]\s*\D")


def _is_glued_ordinal(piece: str, match: re.Match) -> bool:
    """'00000002.其他' — a digit run whose last digit numbers the next row: split it off later."""
    num = match.group("num")
    return bool(_ORDINAL_AFTER.match(piece, match.end())) and len(num) > 1 and num.isdigit() and not match.group("sign")


def _add_text(chunk: str, start: int, line_no: int, out: list[Token]) -> None:
    stripped = chunk.strip()
    if not stripped:
        return
    start += len(chunk) - len(chunk.lstrip())
    out.append(_new(Token, (TEXT, stripped, start, start + len(stripped), line_no, None, "", "", False, False)))
