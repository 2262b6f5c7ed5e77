"""Quantities in Chinese text: value in base units, unit, comparator, range, scale class.

Hand-written (no library parses quantities, comparators and scale classes together):
Arabic numbers with 万/亿/万亿/兆 multipliers, simple Chinese numerals (十, 二十五, 两千 …),
ranges (3—4个), comparators from the words around (以上, 不少于, 超过, 突破, 左右, 近, 以内 …)
and scale classes (百亿元级 = at least 1e10 元 each).

>>> q = find_quantities("累计投放2万亿元")[0]
>>> q.value, q.unit, q.comparator
(2000000000000.0, '元', '=')
>>> q = find_quantities("培育壮大10个以上国内领先的百亿元级产业创新集群")[0]
>>> q.value, q.unit, q.comparator, q.threshold, q.threshold_unit
(10.0, '个', '>=', 10000000000.0, '元')
>>> [x.value for x in find_quantities("第十五个五年规划，“20+8”产业集群，“33618”体系")]
[]
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

__all__ = ["Quantity", "chinese_number", "find_quantities"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "万亿": 1e12, "兆": 1e12}
CN_NUM = "零〇一二两三四五六七八九十百千"


def _words_number(s: str) -> float | None:
    """十二点五 → 12.5; digits pass through."""
    if s and s[0].isdigit():
        try:
            return float(s)
        except ValueError:
            return None
    whole, _, frac = s.partition("点")
    value = chinese_number(whole)
    if value is None or any(c not in _DIGITS for c in frac):
        return None
    return value + (float("0." + "".join(str(_DIGITS[c]) for c in frac)) if frac else 0.0)


def chinese_number(s: str) -> float | None:
    """Value of a simple Chinese numeral: 十 → 10, 二十五 → 25, 两千三百 → 2300, 三万 → 30000."""
    if not s:
        return None
    total, section, digit = 0.0, 0.0, None
    i = 0
    while i < len(s):
        c = s[i]
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[c]
            digit = None
        elif c in ("万", "萬", "亿", "億"):
            section += digit or 0
            total = (total + section) * _BIG[c]
            section, digit = 0.0, None
        else:
            return None
        i += 1
    return total + section + (digit or 0)


UNITS = ("亿元", "万元", "元", "美元", "亿美元", "港元", "个", "家", "项", "件", "人", "名", "台", "套",
         "辆", "架", "艘", "吨", "万吨", "千瓦", "万千瓦", "千瓦时", "亿千瓦时", "兆瓦", "吉瓦", "GW", "MW",
         "平方米", "平方公里", "公里", "千米", "亩", "户", "座", "条", "所", "次", "个百分点", "%", "倍",
         "年", "家次", "款", "张", "部", "只", "块", "片", "GB", "TB", "PB", "EFLOPS", "P", "万人",
         "亿人", "万户", "万家", "万个", "万台", "万辆", "万套", "万件", "万项", "万名", "万吨标准煤",
         "吨标准煤", "万吨二氧化碳", "吨二氧化碳", "立方米", "万立方米")
_UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_MULT = r"(?:万亿|亿|万|兆|千|百)?"
_QTY = re.compile(
    rf"(?P<n1>{_NUM})(?:(?P<m1>{_MULT})(?P<dash>[—\-–~～至到])(?P<n2>{_NUM}))?(?P<over1>余|多)?"
    rf"(?P<mult>{_MULT})(?P<over2>余|多)?(?:(?P<unit>{_UNIT_RE})|(?P<tenths>成)(?![为立果功本员效熟型绩交都长不]))?")
#: Doubling: 翻一番 = 2×, 翻两番 = 4×, 实现翻番 = 2×.
_DOUBLING = re.compile(r"翻了?(?P<n>一|两|二|三)番|翻番|翻一倍")
#: Shares written in words: 百分之五 = 5 %, 百分之十二点五 = 12.5 %, 三分之一 = 33.3 %.
_FRACTION = re.compile(r"(?P<den>百|[二两三四五六七八九十])分之"
                       r"(?P<num>[零〇一二两三四五六七八九十百\d.]+(?:点[零〇一二三四五六七八九]+)?)")
#: Currency words before a sum, and currency units (ISO 4217 codes).
_CURRENCY_BEFORE = re.compile(r"(?P<cur>新台币|新臺幣|台币|人民币|港币|港元|美元|欧元)[约近超逾达]{0,2}$")
_CURRENCY_CODES = {"新台币": "TWD", "新臺幣": "TWD", "台币": "TWD", "人民币": "CNY", "港币": "HKD",
                   "港元": "HKD", "美元": "USD", "亿美元": "USD", "欧元": "EUR"}
_MONEY_UNITS = ("元", "亿元", "万元", "美元", "亿美元", "港元")
_SCALE = re.compile(r"(?P<lead>[一二两三四五六七八九]|\d+(?:\.\d+)?)?"
                    r"(?P<mag>十|百|千|万|十万|百万|千万|亿|十亿|百亿|千亿|万亿)"
                    r"(?P<unit>亿元|万元|元|亿|万)?级")
_BATCH = re.compile(r"一批|若干|一系列|多个|一大批")

_AFTER = [("以上", ">="), ("及以上", ">="), ("以下", "<="), ("以内", "<="), ("左右", "~"),
          ("上下", "~"), ("多", ">"), ("余", ">"), ("余个", ">")]
_BEFORE = [("不少于", ">="), ("不低于", ">="), ("至少", ">="), ("力争超过", ">"), ("超过", ">"),
           ("突破", ">"), ("超", ">"), ("逾", ">"), ("过", ">"), ("高于", ">"), ("不超过", "<="),
           ("不高于", "<="), ("低于", "<"), ("控制在", "<="), ("约", "~"), ("近", "~"),
           ("将近", "~"), ("大约", "~"), ("达到", "="), ("达", "=")]
_MAG = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7,
        "亿": 1e8, "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12}


_COUNTS = ("个", "家", "项", "件", "座", "所", "条", "户", "款", "台", "套")


@dataclass
class Quantity:
    value: float | None  # in base units (元, 个 …); None for "一批 … 千亿元级"
    unit: str
    comparator: str  # =, >=, >, <=, <, ~, range
    start: int
    end: int
    text: str
    upper: float | None = None  # for ranges
    threshold: float | None = None  # scale class: each counted thing is at least this big
    threshold_unit: str | None = None
    multiplier: float = 1.0
    currency: str | None = None  # ISO 4217 code of a sum of money (CNY unless the text says)

    def to_dict(self) -> dict:
        return asdict(self)


def _num(s: str) -> float | None:
    if s and s[0].isdigit():
        return float(s.replace(",", ""))
    return chinese_number(s)


def _base(value: float, mult: str, unit: str | None) -> tuple[float, str]:
    """Value in base units; 15 significant digits, so 8.7万亿 is 8.7e12, not 8699999999999.999."""
    factor = _BIG.get(mult, _SMALL.get(mult, 1.0)) if mult else 1.0
    unit = unit or ""
    for prefix, f in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return float(f"{value * factor * f:.15g}"), unit[len(prefix):]
    return float(f"{value * factor:.15g}"), unit


def _currency(text: str, start: int, unit: str) -> str | None:
    """The currency of a sum: a currency unit (美元), else a currency word just before
    (新台币3000亿元), else 人民币."""
    if unit not in _MONEY_UNITS and not unit.endswith("元"):
        return None
    if unit in _CURRENCY_CODES:
        return _CURRENCY_CODES[unit]
    m = _CURRENCY_BEFORE.search(text[max(0, start - 6):start])
    return _CURRENCY_CODES[m.group("cur")] if m else "CNY"


def _comparator(text: str, start: int, end: int) -> str:
    if start and text[start - 1] == "上" and text[start:start + 1] in "百千万亿":
        return ">="  # 上千家: a thousand or more
    after = text[end:end + 3]
    for word, comp in _AFTER:
        if after.startswith(word):
            return comp
    before = re.sub(r"(?:新台币|新臺幣|人民币|美元|港币)$", "", text[max(0, start - 8):start])[-4:]
    for word, comp in sorted(_BEFORE, key=lambda x: -len(x[0])):
        if before.endswith(word):
            return comp
    return "="


#: A size qualifier after a count: 3—5家营收超百亿元的龙头企业 → each at least 1e10 元.
_QUALIFIER = re.compile(r"^[^，。；！？\d]{0,8}?(?:营收|营业收入|产值|规模|收入|销售额)?"
                        r"(?:超过|超|过|逾|达到|达)(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<mult>万亿|亿|万)元(?:以上)?的")


def _qualifier_after(text: str, end: int) -> tuple[float | None, int]:
    """(threshold in 元, end of the qualifier) for a size qualifier right after a count."""
    m = _QUALIFIER.search(text[end:end + 30])
    if not m:
        return None, -1
    value = _num(m.group("num"))
    if value is None:
        return None, -1
    return value * _BIG[m.group("mult")], end + m.end()


def _scale_before(text: str, start: int) -> tuple[float | None, str | None]:
    """A scale class in the same list item before a count: 万亿级产业集群2个 → 1e12 元."""
    window = text[max(0, start - 30):start]
    cut = max((m.end() for m in re.finditer(r"[、，。；：！？,;:]", window)), default=0)
    found = list(_SCALE.finditer(window, cut))
    return _scale_value(window, found[-1]) if found else (None, None)


def _scale_after(text: str, end: int) -> tuple[float | None, str | None]:
    """A scale class shortly after a count: 10个以上…的百亿元级集群 → 1e10 元."""
    window = text[end:end + 30]
    stop = re.search(r"[，。；！？]", window)
    window = window[:stop.start()] if stop else window
    m = _SCALE.search(window)
    if not m:
        return None, None
    return _scale_value(window, m)


def _scale_value(window: str, m: re.Match) -> tuple[float, str]:
    """Threshold of a scale class: 百亿元级 = 1e10 元, 五千亿级 = 5e11 元."""
    lead = m.group("lead")
    value = _MAG[m.group("mag")] * (float(lead) if lead and lead[0].isdigit()
                                     else _DIGITS[lead] if lead else 1)
    unit = m.group("unit") or ""
    if unit in ("亿元", "亿"):
        value *= 1e8
    elif unit in ("万元", "万"):
        value *= 1e4
    # 亿/万 scales are sums of money unless the text says otherwise (千亿级企业 = 1e11 元)
    money = unit or "元" in window[m.start():m.end() + 1] or value >= 1e4
    return value, "元" if money else ""


def _excluded(text: str, m: re.Match) -> bool:
    s, e = m.start(), m.end()
    before, after = text[max(0, s - 1):s], text[e:e + 1]
    if before == "第":  # ordinal
        return True
    if before and after and before in "“\"「『" and after in "”\"」』+":  # code: “33618”
        return True
    if before == "+" or text[e:e + 1] == "+":  # “20+8”
        return True
    if m.group("tenths") and (m.group("n1")[0].isdigit() or m.group("mult") or m.group("n2")):
        return True  # only 一成 … 九成 are tenths
    if m.group("n1")[0].isdigit() and not m.group("unit") and not m.group("mult") \
            and not m.group("tenths"):
        return True  # a bare number (a year, a code) is not a quantity
    if m.group("unit") == "年":  # years and durations are dates, not quantities
        return True
    if m.group("unit") in ("人", "万人") and text[e:e + 1] == "口":
        return True  # 百万人口城市: a class of city, not a count (人口 is one word)
    # a Chinese numeral with no unit is a word, not a quantity: 一体化, 三角, 千兆宽带, 百万人口
    return not m.group("n1")[0].isdigit() and not m.group("unit") and not m.group("tenths")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` with its unit, comparator, range and scale class; and
    counted scale classes without a number (一批千亿元级集群 → value None)."""
    out: list[Quantity] = []
    consumed: list[tuple[int, int]] = []  # qualifiers that are thresholds, not quantities
    for m in _QTY.finditer(text):
        if _excluded(text, m) or any(a <= m.start() < b for a, b in consumed):
            continue
        v1 = _num(m.group("n1"))
        if v1 is None:
            continue
        mult = m.group("mult") or m.group("m1") or ""
        if m.group("tenths"):  # 两成 = 20 %
            if v1 > 9:
                continue
            value, unit = v1 * 10, "%"
        else:
            value, unit = _base(v1, mult, m.group("unit"))
        upper = None
        comp = ">" if m.group("over1") or m.group("over2") else _comparator(text, m.start(), m.end())
        if m.group("n2"):
            v2 = _num(m.group("n2"))
            if v2 is not None:
                upper, _ = _base(v2, mult, m.group("unit"))
                comp = "range"
        threshold, t_unit = None, None
        if unit in _COUNTS:  # 集群2个: the item's own scale comes first; else 10个…百亿级集群
            threshold, t_unit = _scale_before(text, m.start())
            if threshold is None:
                threshold, t_unit = _scale_after(text, m.end())
        if _SCALE.fullmatch(text[m.start():m.end() + 1]) or text[m.end():m.end() + 1] == "级":
            continue  # "百亿元级" itself is a scale class, not a count
        if unit in _COUNTS and threshold is None:
            qualifier, q_end = _qualifier_after(text, m.end())
            if qualifier is not None:
                threshold, t_unit = qualifier, "元"
                consumed.append((m.end(), q_end))
        out.append(Quantity(value=value, unit=unit, comparator=comp, start=m.start(),
                            end=m.end(), text=m.group(), upper=upper, threshold=threshold,
                            threshold_unit=t_unit, multiplier=_BIG.get(mult, 1.0),
                            currency=_currency(text, m.start(), unit)))
    for m in _FRACTION.finditer(text):
        num = _words_number(m.group("num"))
        den = 100.0 if m.group("den") == "百" else chinese_number(m.group("den"))
        if num is None or not den:
            continue
        out.append(Quantity(value=round(num / den * 100, 10), unit="%",
                            comparator=_comparator(text, m.start(), m.end()), start=m.start(),
                            end=m.end(), text=m.group()))
    for m in _DOUBLING.finditer(text):
        times = {"一": 2, None: 2, "两": 4, "二": 4, "三": 8}[m.group("n")]
        out.append(Quantity(value=float(times), unit="倍", comparator="=", start=m.start(),
                            end=m.end(), text=m.group()))
    for m in _BATCH.finditer(text):
        threshold, t_unit = _scale_after(text, m.end())
        if threshold is not None:
            out.append(Quantity(value=None, unit="个", comparator=">=", start=m.start(),
                                end=m.end(), text=m.group(), threshold=threshold,
                                threshold_unit=t_unit))
    return sorted(out, key=lambda q: q.start)
