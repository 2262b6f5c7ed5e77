"""Provinces, prefecture-level cities, counties and development zones in Simplified text,
resolved to adcodes.

Provinces come from :mod:`nqpf.regions`; prefecture-level cities and county-level units
(districts, county-level cities, counties) from the 2020 adcode table that the ``cpca``
package ships (MIT); national new areas and innovation zones that the table lacks (雄安新区,
中关村, 前海 …) from ``zones.yaml``. Matching is an Aho-Corasick automaton (ahocorasick-rs) with
longest non-overlapping matches. Short city names (深圳 for 深圳市) are used when they have at
least two characters and are not also a province's name; county-level units only by their
full name (昆山市, 顺德区) and only when no other unit in the country has it (朝阳区 is in
Beijing and in Changchun). 首都 is read as Beijing.

>>> [(p.name, p.adcode, p.province) for p in find_places("深圳市出台方案；陕西省印发；首都发展")]
[('深圳市', '440300', '440000'), ('陕西省', '610000', '610000'), ('首都', '110000', '110000')]
>>> [(p.name, p.level, p.city, p.province) for p in find_places("昆山市和雄安新区")]
[('昆山市', 'county', '320500', '320000'), ('雄安新区', 'zone', None, '130000')]
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nqpf import regions
from nqpf.extract.matching import LongestMatcher
from nqpf.records import as_record

__all__ = ["Place", "city_gazetteer", "county_gazetteer", "find_places", "zones"]


@dataclass
class Place:
    name: str
    adcode: str  # of the unit itself (a zone: of its city, else of its province)
    province: str  # the province's adcode
    level: str  # "province", "city", "county" or "zone"
    start: int
    end: int
    city: str | None = None  # adcode of the prefecture-level city it is or lies in

    def to_dict(self) -> dict:
        return as_record(self)


@cache
def city_gazetteer() -> dict[str, tuple[str, str]]:
    """Prefecture-level city name → (adcode, province adcode)."""
    raw = (resources.files("cpca") / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        code = row["adcode"]
        if code[4:] == "00000000" and code[2:4] != "00":
            out[row["name"]] = (code[:6], code[:2] + "0000")
    return out


#: County-level names that many cities share, or that name no place on their own.
_GENERIC_COUNTIES = {"市辖区", "城区", "郊区", "矿区", "市中区", "县", "省直辖县级行政区划",
                     "自治区直辖县级行政区划"}


@cache
def county_gazetteer() -> dict[str, tuple[str, str | None, str]]:
    """County-level unit name → (adcode, prefecture-city adcode or None in a municipality,
    province adcode), for names that only one unit in the country has."""
    raw = (resources.files("cpca") / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        code = row["adcode"]
        if code[4:6] != "00" and code[6:] == "000000" and row["name"] not in _GENERIC_COUNTIES:
            found.setdefault(row["name"], []).append(code[:6])
    out = {}
    for name, codes in found.items():
        if len(codes) == 1:
            code = codes[0]
            municipality = code[:2] in ("11", "12", "31", "50")
            out[name] = (code, None if municipality or code[2:4] == "90" else code[:4] + "00",
                         code[:2] + "0000")
    return out


@cache
def zones() -> dict[str, tuple[str | None, str]]:
    """Zone name → (city adcode or None, province adcode), from ``zones.yaml``."""
    import yaml

    raw = yaml.safe_load(resources.files("nqpf.extract").joinpath("zones.yaml").read_text("utf-8"))
    return {name: (z["city"], z["province"]) for name, z in raw.items()}


_CITY_SUFFIXES = ("市", "地区", "盟")
#: The peoples an autonomous prefecture's full name ends with (黔西南|布依族苗族|自治州).
_ETHNIC_TAIL = re.compile(r"(?:(?:布依|苗|侗|土家|彝|藏|羌|白|傣|景颇|傈僳|哈尼|壮|朝鲜|回|哈萨克|蒙古|"
                          r"柯尔克孜)族?)+$")


@cache
def _matcher() -> LongestMatcher:
    names: dict[str, tuple[str, str, str, str | None]] = {}
    province_names = set()
    for p in regions.PROVINCES:
        for n in {p.name, p.short}:
            names[n] = (p.adcode, p.adcode, "province", None)
            province_names.add(n)
    names["首都"] = ("110000", "110000", "province", None)
    for name, (code, prov) in city_gazetteer().items():
        if name in _GENERIC_COUNTIES:
            continue
        names.setdefault(name, (code, prov, "city", code))
        for suffix in _CITY_SUFFIXES:
            short = name[: -len(suffix)] if name.endswith(suffix) else None
            if short and len(short) >= 2 and short not in province_names:
                names.setdefault(short, (code, prov, "city", code))
        if name.endswith("自治州"):  # 黔西南布依族苗族自治州 is called 黔西南州
            base = _ETHNIC_TAIL.sub("", name[:-3])
            if len(base) >= 2:
                names.setdefault(base + "州", (code, prov, "city", code))
    for name, (code, city, prov) in county_gazetteer().items():
        names.setdefault(name, (code, prov, "county", city))
    for name, (city, prov) in zones().items():
        names.setdefault(name, (city or prov, prov, "zone", city))
    return LongestMatcher({n: (n, *value) for n, value in names.items()})


#: A short city name followed by one of these is a district, street, school, park or company,
#: not the city (朝阳区 is in Beijing, 中山大学 is a university, 阿里巴巴 a company).
_NOT_A_CITY_AFTER = re.compile(r"区|县|镇|乡|街|路|大学|学院|公园|园|风景|巴巴|云|茶|山脉|机场|站")


#: A place name followed by one of these names an institution, wherever it is (北京大学, 四川大学).
_AN_INSTITUTION_AFTER = re.compile(r"大学|师范大学|理工大学|交通大学|工业大学")


#: Words whose last two characters are a county's name: 示范县 (范县), 区和县 (和县).
_WORDS_ENDING_IN_A_COUNTY = frozenset({"示范县", "区和县", "市和县", "镇和县"})


def find_places(text: str) -> list[Place]:
    """Longest non-overlapping province and city mentions, in order. A short city name (without
    市) right before 区, 路, 大学 … is not taken for the city; no name right before 大学.

    >>> [p.name for p in find_places("北京大学教授在江苏")]
    ['江苏']
    """
    out = []
    for s, e, (name, code, prov, level, city) in _matcher().matches(text):
        short = level == "city" and not name.endswith((*_CITY_SUFFIXES, "州"))
        if short and _NOT_A_CITY_AFTER.match(text, e):
            continue
        if _AN_INSTITUTION_AFTER.match(text, e):
            continue  # 北京大学, 浙江大学: a university, not the place
        if level == "county" and e - s == 2 and s and text[s - 1:e] in _WORDS_ENDING_IN_A_COUNTY:
            continue  # 创新示范县 is no 范县, 各区和县 no 和县
        out.append(Place(name, code, prov, level, s, e, city))
    return out
