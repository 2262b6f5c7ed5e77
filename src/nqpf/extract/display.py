"""How a quantity reads (pages, report, command line): base units back to 万/亿/万亿, a
comparator as a sign.

>>> amount(2e12, "元", "=")
'2万亿元'
>>> amount(10, "个", ">=", threshold=1e10)
'≥ 10个（每个≥100亿元）'
>>> amount(3e11, "元", ">", currency="TWD")
'> 3000亿元（新台币）'
>>> amount(3, "个", "range", upper=4)
'3—4个'
>>> amount(None, "个", ">=", threshold=1e11)
'一批（每个≥1000亿元）'
>>> amount(1000, "家", per_year=True)
'1000家/年'
"""

from __future__ import annotations

import math

__all__ = ["amount", "plain_number"]

SIGNS = {"=": "", ">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "~": "约 "}
CURRENCIES = {"TWD": "新台币", "HKD": "港元", "USD": "美元", "EUR": "欧元"}
_MONEY = ("元",)
#: Count units with 万 in front read better from ten thousand up (3.2万家).
_COUNTS = ("个", "家", "项", "件", "人", "台", "辆", "套", "户", "座", "所", "条", "名", "款")


def plain_number(value: float, unit: str) -> str:
    """2e12 元 → 2万亿元; 32000 家 → 3.2万家; 12.0 % → 12%."""
    if unit in _MONEY or unit in _COUNTS:
        for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
            if abs(value) >= size:
                return f"{_digits(value / size)}{word}{unit}"
    return f"{_digits(value)}{unit}"


def _digits(x: float) -> str:
    if math.isclose(x, round(x), abs_tol=1e-9):
        return str(round(x))
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def amount(value: float | None, unit: str, comparator: str = "=", upper: float | None = None,
           threshold: float | None = None, currency: str | None = None,
           per_year: bool = False) -> str:
    """One target's or statistic's quantity as a reader writes it (``per_year``: /年)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        text = "一批"
    elif comparator == "range" and upper is not None and not math.isnan(upper):
        text = f"{_digits(value)}—{plain_number(upper, unit)}"
    else:
        text = SIGNS.get(comparator, "") + plain_number(value, unit)
    if per_year and value is not None:
        text += "/年"
    if threshold is not None and not (isinstance(threshold, float) and math.isnan(threshold)):
        text += f"（每个≥{plain_number(threshold, '元')}）"
    if currency in CURRENCIES:
        text += f"（{CURRENCIES[currency]}）"
    return text
