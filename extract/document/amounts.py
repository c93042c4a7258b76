"""A printed number's value: its sign, and its amount in the template's unit (万元)."""
from __future__ import annotations

from decimal import Decimal
from typing import Union


def parse_number(sign: str, num: str, unit: str) -> Union[int, float]:
    """'减', '3', '' → -3; '', '12.3', '万元' → 12.3; '', '5000', '元' → 0.5 (万元)."""
    negative = sign.strip() in ("减", "减少", "-")
    value: Union[int, float] = float(num.replace(",", "")) if "." in num else int(num.replace(",", ""))
    unit = unit.strip()
    if unit in ("元", "亿元"):  # scaled in decimal: 0.00123亿元 is 12.3 万元, not 12.299999999999999
        exact = Decimal(num.replace(",", ""))
        value = float(exact / 10000) if unit == "元" else float(exact * 10000) if "." in num else int(exact) * 10000
    elif unit == "万元":
        value = float(value)
    return -value if negative else value
