"""Numbers, quantities and titles as people read them, in Chinese or English.

Indicator values carry the data dictionary's unit; large money reads in 亿元 / 万亿元 in
Chinese and in mn / bn / trillion yuan in English; percentages get a %; missing values are a
dash, never ``nan`` or ``None``.

>>> quantity(85930, "元", "zh"), quantity(85930, "元", "en")
('85,930 元', '85,930 yuan')
>>> quantity(6.53, "%", "zh"), quantity(None, "%", "en"), quantity(float("nan"), "元", "zh")
('6.53%', '—', '—')
>>> quantity(5e11, "元", "zh"), quantity(5e11, "元", "en")
('5,000 亿元', '500 bn yuan')
>>> quantity(12345.6, "亿元", "zh"), quantity(12345.6, "亿元", "en")
('1.23 万亿元', '1.23 trillion yuan')
>>> quantity(1234.5, "万人", "en"), quantity(0.01234, "万吨/亿元", "zh")
('12.35 mn people', '0.0123 万吨/亿元')
>>> number(8.593e4), number(0.000123), number(-3.14159), score(0.28784)
('85,930', '0.000123', '-3.14', '0.288')
>>> amount_en({"value": 2e12, "unit": "元", "comparator": "="})
'2 trillion yuan'
>>> amount_en({"value": 10, "unit": "个", "comparator": ">=", "threshold": 1e10})
'≥ 10 (each ≥ 10 bn yuan)'
>>> amount_en({"value": None, "unit": "个", "threshold": 1e11})
'a batch (each ≥ 100 bn yuan)'
>>> amount_en({"value": 1000, "unit": "家", "per_year": True})
'1,000 firms/year'
"""

from __future__ import annotations

import math
import re

__all__ = ["DASH", "amount_en", "article_title", "is_missing", "number", "quantity", "score",
           "signed", "unit_en"]

DASH = "—"

#: Dictionary units in English: (factor to the English unit, English unit). A factor other
#: than 1 means the value is scaled to thousands, millions … of the English unit.
_UNITS_EN: dict[str, tuple[float, str]] = {
    "元": (1, "yuan"), "万元": (1e4, "yuan"), "亿元": (1e8, "yuan"), "%": (1, "%"),
    "件": (1, "items"), "项": (1, "items"), "个": (1, ""), "人": (1, "people"),
    "人年": (1, "person-years"), "万人": (1e4, "people"), "亿千瓦时": (1e8, "kWh"),
    "万个": (1e4, ""), "万户": (1e4, "households"), "户": (1, "households"),
    "万吨": (1e4, "t"), "万GB": (1e4, "GB"), "公里": (1, "km"), "台": (1, "units"),
    "亿立方米": (1e8, "m³"), "万吨标准煤": (1e4, "tce"), "百万吨": (1e6, "t"), "张": (1, "cards"),
    "平方米": (1, "m²"), "家": (1, "firms"), "辆": (1, "vehicles"), "套": (1, "sets"),
    "座": (1, ""), "所": (1, "institutions"), "条": (1, "lines"), "名": (1, "people"),
    "款": (1, "models"),
    "人年/万人": (1, "person-years per 10,000 people"), "件/万人": (1, "per 10,000 people"),
    "件/百亿元": (1, "per 10 bn yuan of GDP"), "户/百人": (1, "per 100 people"),
    "人/万人": (1, "per 10,000 people"), "公里/万人": (1, "km per 10,000 people"),
    "万吨/亿元": (1, "10,000 t per 100 mn yuan"), "吨标准煤/万元": (1, "tce per 10,000 yuan"),
    "千瓦时/元": (1, "kWh per yuan"), "吨/万元": (1, "t per 10,000 yuan"),
}
_MONEY_ZH = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
_SIGNS = {"=": "", ">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "~": "about "}


def is_missing(x: object) -> bool:
    """None, NaN, ±inf or not a number."""
    if x is None:
        return True
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return not math.isfinite(v)


def number(x: object) -> str:
    """A number for people: thousands separated, three or so significant digits for small
    ones, never in e-notation; a dash for a missing one."""
    if is_missing(x):
        return DASH
    v = float(x)  # type: ignore[arg-type]
    a = abs(v)
    if a >= 1000 or v == round(v):
        return f"{v:,.0f}"
    if a >= 100:
        return _trim(f"{v:,.1f}")
    if a >= 1:
        return _trim(f"{v:.2f}")
    decimals = min(12, 2 - math.floor(math.log10(a)))
    return _trim(f"{v:.{decimals}f}")


def score(x: object, digits: int = 3) -> str:
    """An index score (0–1) with a fixed number of decimals."""
    return DASH if is_missing(x) else f"{float(x):.{digits}f}"  # type: ignore[arg-type]


def signed(x: object, digits: int = 4) -> str:
    """A change with its sign: +0.0185."""
    return DASH if is_missing(x) else f"{float(x):+.{digits}f}"  # type: ignore[arg-type]


def _scaled_en(v: float, unit: str) -> str:
    a = abs(v)
    for size, word in ((1e12, "trillion"), (1e9, "bn"), (1e6, "mn")):
        if a >= size:
            return f"{_trim(number(v / size))} {word} {unit}".rstrip()
    return f"{_trim(number(v))} {unit}".rstrip()


def _trim(text: str) -> str:
    """2.00 → 2, 1.50 → 1.5 (only after a decimal point)."""
    return re.sub(r"\.0+$|(\.\d*?)0+$", r"\1", text) if "." in text else text


def quantity(x: object, unit: str | None, lang: str = "zh") -> str:
    """A value with its dictionary unit: 85,930 元, 6.53%, 1.23 万亿元 / 1.23 trillion yuan."""
    if is_missing(x):
        return DASH
    v, unit = float(x), unit or ""  # type: ignore[arg-type]
    if unit == "%":
        return f"{number(v)}%"
    if lang == "en":
        factor, word = _UNITS_EN.get(unit, (1, unit))
        if factor != 1 or word in ("yuan", "people", "t", "kWh", "m³", "tce", "GB", "households"):
            return _scaled_en(v * factor, word)
        return f"{number(v)} {word}".rstrip()
    if unit in _MONEY_ZH:
        yuan = v * _MONEY_ZH[unit]
        if abs(yuan) >= 1e12:
            return f"{_trim(number(yuan / 1e12))} 万亿元"
        if abs(yuan) >= 1e8:
            return f"{number(yuan / 1e8)} 亿元"
        return f"{number(yuan)} 元"
    return f"{number(v)} {unit}".rstrip()


def unit_en(unit: str | None) -> str:
    """A dictionary unit in English words (亿元 → 100 mn yuan)."""
    if not unit:
        return ""
    factor, word = _UNITS_EN.get(unit, (1, unit))
    scale = {1e4: "10,000 ", 1e6: "mn ", 1e8: "100 mn "}.get(factor, "")
    return f"{scale}{word}".strip() or "count"


def amount_en(row: dict) -> str:
    """A target's or statistic's quantity in English (the pages' Chinese one is
    :func:`nqpf.extract.display.amount`)."""
    value, unit = row.get("value"), row.get("unit") or ""
    comparator = row.get("comparator") or "="
    if is_missing(value):
        text = "a batch"
    else:
        upper = row.get("upper")
        if comparator == "range" and not is_missing(upper):
            text = f"{_trim(number(value))}–{quantity(upper, unit, 'en')}"
        else:
            text = _SIGNS.get(comparator, "") + quantity(value, unit, "en")
        if row.get("per_year"):
            text += "/year"
    threshold = row.get("threshold")
    if not is_missing(threshold):
        text += f" (each ≥ {quantity(threshold, '元', 'en')})"
    currency = row.get("currency")
    if currency and currency != "CNY":
        text += f" ({currency})"
    return text


_PATHLIKE = re.compile(r"^(?:[A-Za-z]:[\\/]|/|\.{0,2}[\\/]|file:|https?://)|[\\/][^\\/]+\.\w{1,5}$")


def article_title(article: dict, documents: list[dict] | None = None, width: int = 60) -> str:
    """An article's title for people: its stored title unless that is a file path or an
    address; else its first line if that reads as a heading, else the first document it
    names (《…》), else the start of its first line; ``#id`` as the last resort.

    >>> article_title({"id": 3, "title": "/data/a.txt", "text": "国务院印发通知\\n正文……"})
    '国务院印发通知'
    >>> article_title({"id": 3, "title": None, "text": "很长的第一段" * 20}, [{"title": "某方案"}])
    '《某方案》'
    """
    title = str(article.get("title") or "").strip()
    if title and not _PATHLIKE.search(title):
        return title
    text = str(article.get("text") or "")
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    first = first.lstrip("#").strip()
    if first and len(first) <= width and not re.search(r"[。；;]$", first):
        return first
    for d in documents or []:
        if d.get("title"):
            return f"《{d['title']}》"
    if first:
        cut = re.split(r"(?<=[。！？!?])", first)[0]
        return cut if len(cut) <= width else cut[: width - 1] + "…"
    return f"#{article.get('id', '')}"
