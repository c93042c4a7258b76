"""An agency across years and copies: its printed name normalised, and the city the name or the
report's text puts it in.

    淮安市洪泽区人民政府                          → city 淮安市, name 洪泽区政府
    洪泽区人民政府 (the text prints 淮安市洪泽区…)  → city 淮安市, name 洪泽区政府
    江苏省淮安市人民政府                          → name 淮安市政府 (a province before a city is dropped)
    江苏省交通运输厅                              → name 江苏省交通运输厅 (a province agency keeps it)
    平潭综合实验区管委会, 平潭综合实验区           → name 平潭综合实验区政府 (a place's government)

Records of one name are one agency where their cities agree, one the end of the other (a text gives
the shortest city it can mean: 云港市 for 连云港市); the key is the longest city and the name
(`cluster`); a record whose city nothing says is an agency of its own. What cannot be inferred goes
in the alias file: CSV rows `printed name,key` (`--agencies FILE`), the key read as a printed name."""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Hashable, Mapping, NamedTuple, Optional, Sequence

from extract.errors import UsageError

# Short forms printed for the same organ: the key holds the full form.
FULL_FORMS: tuple[tuple[str, str], ...] = (("管委会", "管理委员会"),)
_CJK = "\u4e00-\u9fff"
_CITY = rf"[{_CJK}]{{2,4}}?(?:市|州|盟)"
_BELOW = rf"[{_CJK}]{{1,6}}?(?:区|县|旗)"
# A province dropped only where a city follows it: a province's own agencies keep it.
_PROVINCE = re.compile(rf"^[{_CJK}]{{2,7}}?(?:省|自治区)(?={_CITY})")
_CITY_THEN_BELOW = re.compile(rf"^({_CITY})(?={_BELOW})")
_BELOW_CITY = re.compile(rf"^{_BELOW}")
_CITY_ENDS = ("市", "州", "盟")
GOVERNMENT = "政府"
_GOVERNMENT = re.compile(rf"(?<=[{_CJK}][区县市旗州盟])(?:人民政府|管理委员会)?$")


class Agency(NamedTuple):
    city: Optional[str]   # the city it is in, where the name or the text says (None: not said)
    name: str             # the normalised name, without a province before a city, or that city


def parse_agency(printed: Optional[str], text: str = "", aliases: Mapping[str, str] = {}) -> Optional[Agency]:
    if not printed:
        return None
    name = "".join(printed.split())
    name = "".join(aliases.get(name, name).split())   # an alias is read as the name it gives
    for short, full in FULL_FORMS:
        name = name.replace(short, full)
    name = _PROVINCE.sub("", name)
    # A place's government goes by the place, its 人民政府 or its 管理委员会: one key.
    name = _GOVERNMENT.sub(GOVERNMENT, name)
    city = _CITY_THEN_BELOW.match(name)
    if city:
        return Agency(city.group(1), name[city.end():])
    if _BELOW_CITY.match(name) and text:
        return Agency(_city_in(name, text), name)
    return Agency(None, name)


def below_city(printed: Optional[str]) -> bool:
    """Whether the name starts below the city level without its city: its city is in the text."""
    found = parse_agency(printed)
    return found is not None and found.city is None and _BELOW_CITY.match(found.name) is not None


def bare_name(printed: Optional[str], aliases: Mapping[str, str] = {}) -> Optional[str]:
    """The name without its city (no text needed): records can be of one agency only if these are equal."""
    found = parse_agency(printed, "", aliases)
    return None if found is None else found.name


def agency_key(printed: Optional[str], text: str = "", aliases: Mapping[str, str] = {}) -> Optional[str]:
    """One record's key on its own (`cluster` gives records of one name the same key)."""
    found = parse_agency(printed, text, aliases)
    return None if found is None else (found.city or "") + found.name


def cluster(agencies: Sequence[tuple[Hashable, Agency]]) -> dict[Hashable, str]:
    """Keys for records of one name: records whose cities agree (one the end of the other) share
    the longest city's key; a record whose city nothing says is keyed by its name alone."""
    reps: list[str] = []
    out: dict[Hashable, str] = {}
    for ident, agency in sorted(agencies, key=lambda item: -len(item[1].city or "")):
        if agency.city is None:
            continue
        rep = next((r for r in reps if r.endswith(agency.city) or agency.city.endswith(r)), None)
        if rep is None:
            reps.append(agency.city)
            rep = agency.city
        out[ident] = rep + agency.name
    for ident, agency in agencies:
        if agency.city is None:   # where it is, nothing says: an agency of its own (an alias may join it)
            out[ident] = agency.name
    return out


def _city_in(name: str, text: str) -> Optional[str]:
    """The shortest city the text prints right before the name's place (`淮安市洪泽区…`: 淮安市)."""
    place = _BELOW_CITY.match(name)
    assert place is not None
    flat = "".join(text.split())
    start = flat.find(place.group())
    while start >= 0:
        if start >= 3 and flat[start - 1] in _CITY_ENDS and re.fullmatch(rf"[{_CJK}]{{2}}", flat[start - 3:start - 1]):
            return flat[start - 3:start]
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
