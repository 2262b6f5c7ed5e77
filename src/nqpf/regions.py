"""The 31 provincial units of mainland China and the one function that names them.

Every other module refers to a province by its 6-digit adcode (``"610000"``) and asks
:func:`resolve` to turn whatever a user or an article wrote into a :class:`Province`.

>>> from nqpf.regions import resolve
>>> resolve("陝西").adcode == resolve("Shaanxi").adcode == resolve("610000").adcode
True
>>> resolve("山西").name_en
'Shanxi'

Neighbours are land borders between provincial units (Hong Kong and Macao are not
units of the panel, so Guangdong's borders with them are ignored). Hainan has no land
border; by default it is linked to Guangdong across the Qiongzhou Strait (the ferry and rail
link, and the rule most Chinese spatial-econometrics papers use so that no unit is an
island in the weights matrix). Pass ``hainan="isolated"`` to :func:`neighbour_matrix` to
leave it without neighbours instead.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np

__all__ = [
    "PROVINCES",
    "REGION_GROUPS",
    "Province",
    "UnknownRegionError",
    "adcodes",
    "neighbour_matrix",
    "neighbours",
    "resolve",
    "try_resolve",
]

#: NBS's four economic regions (国家统计局 东中西部和东北地区划分方法, 2011).
REGION_GROUPS: dict[str, str] = {
    "东部": "East",
    "中部": "Central",
    "西部": "West",
    "东北": "Northeast",
}


@dataclass(frozen=True, slots=True)
class Province:
    """One provincial unit."""

    adcode: str
    name: str  # full simplified name, 北京市
    short: str  # 北京
    name_tc: str  # full traditional name, 北京市
    name_en: str
    group: str  # 东部 / 中部 / 西部 / 东北
    abbr: str  # one-character abbreviation, 京
    tile: tuple[int, int]  # (row, col) on the tile-grid map
    aliases: tuple[str, ...] = ()

    @property
    def short_tc(self) -> str:
        return _strip_suffix_tc(self.name_tc)

    @property
    def group_en(self) -> str:
        return REGION_GROUPS[self.group]


def _strip_suffix_tc(name: str) -> str:
    for suffix in ("維吾爾自治區", "回族自治區", "壯族自治區", "自治區", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# adcode, full name, short, traditional full, English, group, abbreviation, tile (row, col), aliases
_TABLE: tuple[tuple, ...] = (
    ("110000", "北京市", "北京", "北京市", "Beijing", "东部", "京", (1, 5), ("Peking",)),
    ("120000", "天津市", "天津", "天津市", "Tianjin", "东部", "津", (1, 6), ()),
    ("130000", "河北省", "河北", "河北省", "Hebei", "东部", "冀", (2, 5), ()),
    ("140000", "山西省", "山西", "山西省", "Shanxi", "中部", "晋", (2, 4), ()),
    ("150000", "内蒙古自治区", "内蒙古", "內蒙古自治區", "Inner Mongolia", "西部", "蒙", (1, 4),
     ("Nei Mongol", "Nei Menggu", "Neimenggu", "Inner Mongolia Autonomous Region", "内蒙")),
    ("210000", "辽宁省", "辽宁", "遼寧省", "Liaoning", "东北", "辽", (2, 7), ()),
    ("220000", "吉林省", "吉林", "吉林省", "Jilin", "东北", "吉", (1, 7), ()),
    ("230000", "黑龙江省", "黑龙江", "黑龍江省", "Heilongjiang", "东北", "黑", (0, 7), ()),
    ("310000", "上海市", "上海", "上海市", "Shanghai", "东部", "沪", (3, 7), ("滬",)),
    ("320000", "江苏省", "江苏", "江蘇省", "Jiangsu", "东部", "苏", (3, 6), ()),
    ("330000", "浙江省", "浙江", "浙江省", "Zhejiang", "东部", "浙", (4, 6), ()),
    ("340000", "安徽省", "安徽", "安徽省", "Anhui", "中部", "皖", (3, 5), ()),
    ("350000", "福建省", "福建", "福建省", "Fujian", "东部", "闽", (5, 5), ("閩",)),
    ("360000", "江西省", "江西", "江西省", "Jiangxi", "中部", "赣", (4, 5), ("贛",)),
    ("370000", "山东省", "山东", "山東省", "Shandong", "东部", "鲁", (2, 6), ("魯",)),
    ("410000", "河南省", "河南", "河南省", "Henan", "中部", "豫", (3, 4), ()),
    ("420000", "湖北省", "湖北", "湖北省", "Hubei", "中部", "鄂", (4, 4), ()),
    ("430000", "湖南省", "湖南", "湖南省", "Hunan", "中部", "湘", (5, 4), ()),
    ("440000", "广东省", "广东", "廣東省", "Guangdong", "东部", "粤", (6, 4), ("Canton", "粵")),
    ("450000", "广西壮族自治区", "广西", "廣西壯族自治區", "Guangxi", "西部", "桂", (6, 3),
     ("Guangxi Zhuang Autonomous Region", "广西自治区")),
    ("460000", "海南省", "海南", "海南省", "Hainan", "东部", "琼", (7, 3), ("瓊",)),
    ("500000", "重庆市", "重庆", "重慶市", "Chongqing", "西部", "渝", (4, 3), ()),
    ("510000", "四川省", "四川", "四川省", "Sichuan", "西部", "川", (4, 2), ("蜀", "Szechwan")),
    ("520000", "贵州省", "贵州", "貴州省", "Guizhou", "西部", "黔", (5, 3), ("贵",)),
    ("530000", "云南省", "云南", "雲南省", "Yunnan", "西部", "滇", (5, 2), ()),
    ("540000", "西藏自治区", "西藏", "西藏自治區", "Tibet", "西部", "藏", (4, 1),
     ("Xizang", "Xizang Autonomous Region", "Tibet Autonomous Region")),
    ("610000", "陕西省", "陕西", "陝西省", "Shaanxi", "西部", "陕", (3, 3),
     ("陜西省", "陜西", "陜", "陝", "秦", "Shensi")),
    ("620000", "甘肃省", "甘肃", "甘肅省", "Gansu", "西部", "甘", (2, 2), ("陇", "隴")),
    ("630000", "青海省", "青海", "青海省", "Qinghai", "西部", "青", (3, 2), ()),
    ("640000", "宁夏回族自治区", "宁夏", "寧夏回族自治區", "Ningxia", "西部", "宁", (2, 3),
     ("Ningxia Hui Autonomous Region", "宁夏自治区", "寧")),
    ("650000", "新疆维吾尔自治区", "新疆", "新疆維吾爾自治區", "Xinjiang", "西部", "新", (2, 1),
     ("Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur", "新疆自治区")),
)

#: Land borders between provincial units, by short name (symmetric; checked by the tests).
_BORDERS: dict[str, tuple[str, ...]] = {
    "北京": ("天津", "河北"),
    "天津": ("北京", "河北"),
    "河北": ("北京", "天津", "山西", "内蒙古", "辽宁", "山东", "河南"),
    "山西": ("河北", "内蒙古", "陕西", "河南"),
    "内蒙古": ("黑龙江", "吉林", "辽宁", "河北", "山西", "陕西", "宁夏", "甘肃"),
    "辽宁": ("河北", "内蒙古", "吉林"),
    "吉林": ("辽宁", "内蒙古", "黑龙江"),
    "黑龙江": ("吉林", "内蒙古"),
    "上海": ("江苏", "浙江"),
    "江苏": ("上海", "浙江", "安徽", "山东"),
    "浙江": ("上海", "江苏", "安徽", "江西", "福建"),
    "安徽": ("江苏", "浙江", "江西", "湖北", "河南", "山东"),
    "福建": ("浙江", "江西", "广东"),
    "江西": ("浙江", "安徽", "湖北", "湖南", "广东", "福建"),
    "山东": ("河北", "河南", "安徽", "江苏"),
    "河南": ("河北", "山西", "陕西", "湖北", "安徽", "山东"),
    "湖北": ("河南", "安徽", "江西", "湖南", "重庆", "陕西"),
    "湖南": ("湖北", "江西", "广东", "广西", "贵州", "重庆"),
    "广东": ("福建", "江西", "湖南", "广西"),
    "广西": ("广东", "湖南", "贵州", "云南"),
    "海南": (),
    "重庆": ("四川", "贵州", "湖南", "湖北", "陕西"),
    "四川": ("重庆", "贵州", "云南", "西藏", "青海", "甘肃", "陕西"),
    "贵州": ("四川", "重庆", "湖南", "广西", "云南"),
    "云南": ("四川", "贵州", "广西", "西藏"),
    "西藏": ("新疆", "青海", "四川", "云南"),
    "陕西": ("山西", "内蒙古", "宁夏", "甘肃", "四川", "重庆", "湖北", "河南"),
    "甘肃": ("陕西", "内蒙古", "宁夏", "青海", "新疆", "四川"),
    "青海": ("甘肃", "新疆", "西藏", "四川"),
    "宁夏": ("内蒙古", "陕西", "甘肃"),
    "新疆": ("甘肃", "青海", "西藏"),
}

PROVINCES: tuple[Province, ...] = tuple(
    Province(adcode=a, name=n, short=s, name_tc=t, name_en=e, group=g, abbr=b, tile=tile,
             aliases=al)
    for a, n, s, t, e, g, b, tile, al in _TABLE
)

_BY_ADCODE = {p.adcode: p for p in PROVINCES}
_BY_SHORT = {p.short: p for p in PROVINCES}


class UnknownRegionError(KeyError, ValueError):
    """Raised by :func:`resolve` for a name that is not a provincial unit."""

    def __init__(self, name: object, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; closest matches: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown province {name!r}{hint}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.args[0]


_EN_SUFFIX = re.compile(r"\b(province|municipality|city|shi|sheng|autonomous region|zizhiqu)\b")


def _key(text: str) -> str:
    """Normalise a name for lookup: NFKC, case-fold, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    text = _EN_SUFFIX.sub("", text)
    return re.sub(r"[\s\-_'.,·]", "", text)


@cache
def _lookup() -> dict[str, Province]:
    table: dict[str, Province] = {}
    for p in PROVINCES:
        names = {p.adcode, p.adcode[:2], p.name, p.short, p.name_tc, p.short_tc, p.name_en,
                 p.abbr, *p.aliases}
        # "陕西省" written with the suffix in traditional script, and adcodes as integers.
        names |= {p.short + "省", p.short_tc + "省"} if p.name.endswith("省") else set()
        for n in names:
            table[_key(n)] = p
    return table


def try_resolve(name: object) -> Province | None:
    """Like :func:`resolve` but returns ``None`` for an unknown name."""
    if isinstance(name, Province):
        return name
    if isinstance(name, int | np.integer) or (isinstance(name, float) and float(name).is_integer()):
        name = str(int(name))
    if not isinstance(name, str):
        return None
    return _lookup().get(_key(name))


def resolve(name: object) -> Province:
    """Return the province that ``name`` denotes.

    Accepts full, short, Traditional and English names, aliases and one-character
    abbreviations, and adcodes as strings or integers.

    >>> resolve("Inner Mongolia").name
    '内蒙古自治区'
    >>> resolve(460000).short
    '海南'
    """
    province = try_resolve(name)
    if province is None:
        raise UnknownRegionError(name, _suggest(name))
    return province


def _suggest(name: object, n: int = 3) -> list[str]:
    key = _key(str(name))
    table = _lookup()
    hits = difflib.get_close_matches(key, list(table), n=n * 3, cutoff=0.5)
    out: list[str] = []
    for h in hits:
        label = table[h].name
        if label not in out:
            out.append(label)
    return out[:n]


def adcodes() -> list[str]:
    """The 31 adcodes in NBS order."""
    return [p.adcode for p in PROVINCES]


def neighbours(name: object, hainan: str = "guangdong") -> list[Province]:
    """Provinces sharing a land border with ``name`` (see the module note on Hainan)."""
    p = resolve(name)
    short = list(_BORDERS[p.short])
    if hainan == "guangdong":
        if p.short == "海南":
            short = ["广东"]
        elif p.short == "广东":
            short = [*short, "海南"]
    elif hainan != "isolated":
        raise ValueError(f"hainan must be 'guangdong' or 'isolated', not {hainan!r}")
    return [_BY_SHORT[s] for s in short]


def neighbour_matrix(
    units: Iterable[object] | None = None, hainan: str = "guangdong", row_standardise: bool = False
) -> np.ndarray:
    """Binary (or row-standardised) contiguity matrix over ``units`` (default: all 31).

    >>> w = neighbour_matrix()
    >>> w.shape, int(w.sum()) // 2
    ((31, 31), 69)
    """
    codes = [resolve(u).adcode for u in units] if units is not None else adcodes()
    index = {c: i for i, c in enumerate(codes)}
    w = np.zeros((len(codes), len(codes)))
    for c, i in index.items():
        for nb in neighbours(c, hainan=hainan):
            j = index.get(nb.adcode)
            if j is not None:
                w[i, j] = 1.0
    if row_standardise:
        rows = w.sum(axis=1, keepdims=True)
        w = np.divide(w, rows, out=np.zeros_like(w), where=rows > 0)
    return w
