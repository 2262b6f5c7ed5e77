"""The indicator page in one language: the dictionary's notes and break reasons, the input
series a break comes through and the provinces it concerns, in Chinese on the Chinese page and
in English on the English one; and the dictionary refuses an English note without its Chinese."""

import html as htmlmod
import re

import pytest
import yaml
from fastapi.testclient import TestClient

from nqpf.data import load_dictionary
from nqpf.data.dictionary import DICTIONARY_PATH
from nqpf.store import Store
from nqpf.web import create_app
from nqpf.web.indexdata import indicator_info

CJK = re.compile(r"[\u4e00-\u9fff]")
FOLDED = re.compile(r"[\u4e00-\u9fff\uff01-\uff5e\u3001\u3002]\s[\u4e00-\u9fff]")  # a line joined by `>-`


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("indicator-lang") / "d.duckdb")
    return TestClient(create_app(store, admin_token="tok", moderation=False))


def _page(client, indicator: str, lang: str) -> str:
    r = client.get(f"/indicator/{indicator}", params={"lang": lang})
    assert r.status_code == 200, (indicator, lang)
    return r.text


def _dd(page: str, block: str) -> str:
    """The text of one fact of the page (tags dropped, entities decoded)."""
    inner = re.search(rf'id="indicator-{block}">(.*?)</dd>', page, re.S).group(1)
    return htmlmod.unescape(re.sub(r"<[^>]+>", "", inner))


def _title(page: str) -> str:
    return htmlmod.unescape(re.search(r'id="indicator-name" title="([^"]*)"', page).group(1))


def _flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- a raw series with a break
def test_notes_and_break_reason_follow_the_page_language(client):
    spec = load_dictionary()["hitech_revenue"]
    (brk,) = spec["breaks"]
    assert brk["year"] == 2019 and "营业收入 (operating revenue)" in brk["reason"]
    note_en, note_zh = _flat(spec["notes"]), spec["notes_zh"].strip()
    reason_en, reason_zh = _flat(brk["reason"]), brk["reason_zh"].strip()
    assert note_zh == "摘录中没有2017年数据。"

    zh = _page(client, "hitech_revenue", "zh")
    assert note_zh in _dd(zh, "definition") and note_en not in zh
    assert f"2019: {reason_zh}" in _dd(zh, "breaks")
    assert reason_en not in zh and "operating revenue" not in zh
    assert note_zh in _title(zh) and note_en not in _title(zh)

    en = _page(client, "hitech_revenue", "en")
    assert note_en in _dd(en, "definition") and note_zh not in en
    assert f"2019: {reason_en}" in _dd(en, "breaks") and reason_zh not in en
    assert note_en in _title(en) and note_zh not in _title(en)


def test_several_breaks_and_long_notes_are_translated(client):
    spec = load_dictionary()["urban_unit_employment"]
    zh, en = _page(client, spec["id"], "zh"), _page(client, spec["id"], "en")
    breaks_zh, breaks_en = _dd(zh, "breaks"), _dd(en, "breaks")
    for b in spec["breaks"]:
        assert b["reason_zh"].strip() in breaks_zh and _flat(b["reason"]) not in zh
        assert _flat(b["reason"]) in breaks_en and b["reason_zh"].strip() not in en
    assert "劳动工资统计调查" in breaks_zh and "labour-wage survey" in breaks_en
    assert "城镇非私营单位" in _dd(zh, "definition") and "non-private" not in zh
    assert "non-private units" in _dd(en, "definition") and "城镇非私营单位" not in en


# ---------------------------------------------------------------- a break inherited through a formula
def test_an_inherited_break_names_its_input_in_the_page_language(client):
    d = load_dictionary()
    # population's 2006 break (its chained 2005) falls before the ratio's first year, 2010
    (brk,) = [b for b in d.breaks("rd_fte_per_10k_pop") if b["year"] > 2010]
    assert brk["via"] == "population" and brk["year"] == 2015
    pop = d["population"]
    reason_zh, reason_en = brk["reason_zh"].strip(), _flat(brk["reason"])

    zh = _page(client, "rd_fte_per_10k_pop", "zh")
    breaks = _dd(zh, "breaks")
    assert reason_zh in breaks and reason_en not in zh
    assert f"（源自{pop['name_zh']}）" in breaks
    assert "(population)" not in breaks and pop["name_en"] not in breaks
    assert re.search(r'<a href="/indicator/population\?[^"]*lang=zh[^"]*">年末常住人口</a>', zh)
    note_zh = d["rd_fte_per_10k_pop"]["notes_zh"].strip()
    assert note_zh in _dd(zh, "definition") and _flat(d["rd_fte_per_10k_pop"]["notes"]) not in zh

    en = _page(client, "rd_fte_per_10k_pop", "en")
    breaks = _dd(en, "breaks")
    assert reason_en in breaks and reason_zh not in en
    assert f"(via {pop['name_en']})" in breaks and pop["name_zh"] not in breaks
    assert "(population)" not in breaks
    assert re.search(r'<a href="/indicator/population\?[^"]*lang=en[^"]*">Year-end resident '
                     r"population</a>", en)


def test_an_input_name_loses_its_trailing_parenthetical_only():
    info = indicator_info("professional_staff_per_10k_pop")
    vias = {b["via_id"]: b["via"] for b in info.breaks if b["via"]}
    assert vias["population"] == {"zh": "年末常住人口", "en": "Year-end resident population"}
    assert vias["professional_staff"]["zh"] == "公有经济企事业单位专业技术人员"
    rendered = info.breaks_in("en")
    liaoning = next(b for b in rendered if b["year"] == 2009)
    assert liaoning["provinces"] == " [Liaoning]" and liaoning["via"].startswith("Professional")
    assert next(b for b in info.breaks_in("zh") if b["year"] == 2009)["provinces"] == "［辽宁］"


def test_provinces_of_a_break_are_named_in_the_page_language(client):
    zh = _dd(_page(client, "hospital_beds_per_10k", "zh"), "breaks")
    en = _dd(_page(client, "hospital_beds_per_10k", "en"), "breaks")
    assert "北京、天津、上海" in zh and "Beijing" not in zh
    assert "[Beijing, Tianjin, Shanghai]" in en
    assert not CJK.search(en)
    assert "2012年出现水平断点" in zh and "Level break in 2012" in en


# ---------------------------------------------------------------- the embedded dictionary
def test_every_note_and_reason_has_a_chinese_counterpart():
    d = load_dictionary()
    notes = reasons = 0
    for spec in d.indicators:
        if spec.get("notes"):
            zh = str(spec.get("notes_zh") or "")
            assert CJK.search(zh), spec["id"]
            assert _flat(zh) != _flat(spec["notes"]), spec["id"]
            assert not FOLDED.search(zh), spec["id"]
            assert indicator_info(spec["id"]).notes == {"zh": zh.strip(),
                                                          "en": _flat(spec["notes"])}
            notes += 1
        for b in spec.get("breaks", []):
            zh = str(b.get("reason_zh") or "")
            assert CJK.search(zh), (spec["id"], b["year"])
            assert _flat(zh) != _flat(b["reason"]), (spec["id"], b["year"])
            assert not FOLDED.search(zh), (spec["id"], b["year"])
            reasons += 1
    assert notes >= 30 and reasons >= 12
    for ind in d.ids:  # every break as a page shows it has its Chinese reason
        for b in indicator_info(ind).breaks_in("zh"):
            assert CJK.search(b["reason"]), (ind, b["year"])


def _doc():
    with open(DICTIONARY_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _write(doc, path):
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_dictionary_refuses_a_note_without_its_chinese(tmp_path):
    doc = _doc()
    spec = next(s for s in doc["indicators"] if s["id"] == "hitech_firms")
    del spec["notes_zh"]
    path = _write(doc, tmp_path / "no-notes-zh.yaml")
    with pytest.raises(ValueError, match=r"no-notes-zh\.yaml: indicator 'hitech_firms' has "
                                         r"notes but no notes_zh"):
        load_dictionary(path)
    # the same document with the translation is accepted
    assert load_dictionary(_write(_doc(), tmp_path / "complete.yaml"))["hitech_firms"]["notes_zh"]


def test_the_dictionary_refuses_a_break_without_its_chinese_reason(tmp_path):
    doc = _doc()
    spec = next(s for s in doc["indicators"] if s["id"] == "so2_per_gdp")
    del spec["breaks"][0]["reason_zh"]
    path = _write(doc, tmp_path / "no-reason-zh.yaml")
    with pytest.raises(ValueError, match=r"no-reason-zh\.yaml: indicator 'so2_per_gdp': the 2016 "
                                         r"break has a reason but no reason_zh"):
        load_dictionary(path)
    doc = _doc()
    spec = next(s for s in doc["indicators"] if s["id"] == "so2_per_gdp")
    spec["breaks"][0]["reason_en"] = "an unknown key"
    with pytest.raises(ValueError, match="each break needs"):
        load_dictionary(_write(doc, tmp_path / "unknown-key.yaml"))
