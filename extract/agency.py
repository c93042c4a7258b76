"""An agency's key across years and copies: the printed name, normalised, its city completed from
the report's own text where the name starts below the city level, or what an alias file says.

    淮安市洪泽区人民政府  → 淮安市洪泽区人民政府
    洪泽区人民政府 (the text prints 淮安市洪泽区…) → 淮安市洪泽区人民政府
    江苏省淮安市人民政府 → 淮安市人民政府         (a province is not part of the key)
    平潭综合实验区管委会 → 平潭综合实验区管理委员会

What cannot be inferred (a name printed differently in two years, a city the text never names)
goes in the alias file: CSV rows `printed name,key` (`--agencies FILE`)."""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Mapping, Optional

from extract.errors import UsageError

# Short forms printed for the same organ: the key holds the full form.
FULL_FORMS: tuple[tuple[str, str], ...] = (("管委会", "管理委员会"),)
_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|自治区)(?=[\u4e00-\u9fff]{2})")
# A name that starts with a place below the city level (a district, a county, a banner).
_BELOW_CITY = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:区|县|旗)")
_CITY_SUFFIX = re.compile(r"[\u4e00-\u9fff]{2}(?:市|州|盟)$")
_CITY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2}(?:市|州|盟)")


def below_city(printed: Optional[str]) -> bool:
    """Whether the name starts below the city level, so that its key wants the report's text."""
    return bool(printed) and _BELOW_CITY.match(_PROVINCE.sub("", "".join(str(printed).split()))) is not None


def bare_name(printed: Optional[str], aliases: Mapping[str, str] = {}) -> Optional[str]:
    """The key without its city: two records can be of one agency only if these are equal. Cheap
    (no text): what records are grouped by before any key is completed."""
    if not printed:
        return None
    name = "".join(printed.split())
    name = aliases.get(name, name)
    for short, full in FULL_FORMS:
        name = name.replace(short, full)
    name = _PROVINCE.sub("", name)
    city = _CITY_PREFIX.match(name)
    return name[city.end():] if city and _BELOW_CITY.match(name[city.end():]) else name


def agency_key(printed: Optional[str], text: str = "", aliases: Mapping[str, str] = {}) -> Optional[str]:
    """The key of a printed agency name; `text` (the report's) completes a name that starts below
    the city level; `aliases` (printed name → key) come first."""
    if not printed:
        return None
    name = "".join(printed.split())
    if name in aliases:
        return aliases[name]
    for short, full in FULL_FORMS:
        name = name.replace(short, full)
    name = _PROVINCE.sub("", name)
    if _BELOW_CITY.match(name) and text:
        name = _with_city(name, text) or name
    return aliases.get(name, name)


def _with_city(name: str, text: str) -> Optional[str]:
    """The city the text prints right before the name's place (`淮安市洪泽区…`), with the name."""
    place = _BELOW_CITY.match(name)
    assert place is not None
    flat = "".join(text.split())
    start = flat.find(place.group())
    while start >= 0:
        city = _CITY_SUFFIX.search(flat, max(0, start - 3), start)
        if city is not None:
            return city.group() + name
        start = flat.find(place.group(), start + 1)
    return None


def read_aliases(path: Path) -> dict[str, str]:
    """An alias file: CSV rows `printed name,key` (UTF-8; a header row `printed,key` is allowed)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the agency file {path}: {exc}") from None
    out = {}
    for number, row in enumerate(rows, 1):
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise UsageError(f"{path}:{number}: expected `printed name,key`, not {','.join(row)!r}")
        if number == 1 and [c.strip().lower() for c in row] == ["printed", "key"]:
            continue
        out["".join(row[0].split())] = row[1].strip()
    return out
