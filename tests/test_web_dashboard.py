"""The analyst's dashboard through HTTP: readable numbers, one language per page, the view in
the URL (and back), CSV downloads that match the API, the indicator pages, province pages
with their explanation, the comparison, targets with their observations and reasons, and the
page cache."""

import html as htmlmod
import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from nqpf.extract import extract_article
from nqpf.store import Store
from nqpf.web import create_app
from nqpf.web.fmt import amount_en, article_title, number, quantity
from nqpf.web.indexdata import bundle
from nqpf.web.views import FLAVOURS, PRESETS, View

STATUS_EN = ("met", "on track", "at risk", "missed", "no data")
STATUS_ZH = ("已达成", "按计划", "有风险", "未达成", "无数据")


@pytest.fixture(scope="module")
def store(tmp_path_factory, samples_dir):
    store = Store(tmp_path_factory.mktemp("dash") / "d.duckdb")
    store.add_article(extract_article(samples_dir / "seed_article.txt"))
    return store


@pytest.fixture(scope="module")
def ids(store):
    """The seed's targets: Shanghai's 2万亿元 (with two entered observations), Shaanxi's 10
    clusters (no canonical metric) and its 一批 (no number)."""
    q = store.query("SELECT id, region, value FROM targets WHERE kind = 'target' ORDER BY id")
    sh = int(q[q.region == "310000"].id.iloc[0])
    store.add_observation(sh, 5e11, "2024-06-30", "上海市金融局年报")
    store.add_observation(sh, 9e11, "2025-06-30", None)
    sx = q[q.region == "610000"]
    return {"shanghai": sh, "clusters": int(sx[sx.value.notna()].id.iloc[0]),
            "batch": int(sx[sx.value.isna()].id.iloc[0])}


@pytest.fixture(scope="module")
def client(store, ids):
    return TestClient(create_app(store, admin_token="tok", moderation=False))


class _Text(HTMLParser):
    """The page's own words: its text less scripts, JSON blocks and what the page shows as
    read (class "content": article texts, titles, metrics, dictionary notes)."""

    VOID = frozenset({"br", "input", "meta", "link", "img", "hr", "source", "wbr", "col", "area"})

    def __init__(self, skip_content: bool):
        super().__init__(convert_charrefs=True)
        self.skip_content, self.stack, self.parts = skip_content, [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in ("script", "style", "template") or (self.skip_content and "content" in classes)
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible(page: str, skip_content: bool = False) -> str:
    """The text a reader sees (no tags, scripts or JSON blocks; entities decoded)."""
    parser = _Text(skip_content)
    parser.feed(page)
    return " ".join(parser.parts)


def pages(ids) -> list[str]:
    return ["/", "/ranking", "/province/610000", "/province/310000", "/targets",
            f"/target/{ids['shanghai']}", f"/target/{ids['batch']}", "/article/1", "/document/1",
            "/document/4", "/indicator/rd_intensity", "/compare?p=110000&p=310000",
            "/compare", "/indicators"]


# ---------------------------------------------------------------- formatting
def test_numbers_are_formatted_for_people():
    assert quantity(85930, "元", "zh") == "85,930 元"
    assert quantity(8.593e4, "元", "en") == "85,930 yuan"
    assert quantity(6.53, "%", "zh") == "6.53%" and quantity(42.8, "%", "en") == "42.8%"
    assert quantity(2.5e11, "元", "zh") == "2,500 亿元"
    assert quantity(12345.6, "亿元", "zh") == "1.23 万亿元"
    assert quantity(3528.0, "亿元", "zh") == "3,528 亿元"
    assert quantity(3528.0, "亿元", "en") == "352.8 bn yuan"
    assert quantity(None, "元", "zh") == quantity(float("nan"), "%", "en") == "—"
    assert number(1.234e-5) == "0.0000123" and "e" not in number(3.2e-9)
    assert amount_en({"value": 2e12, "unit": "元", "comparator": ">="}) == "≥ 2 trillion yuan"


def test_a_file_path_is_never_a_title():
    art = {"id": 7, "title": "/work/shared/samples/seed_article.txt", "text": "正文第一段很长。" * 20}
    assert article_title(art, [{"title": "某某行动计划"}]) == "《某某行动计划》"
    assert article_title({"id": 7, "title": "C:\\data\\a.html", "text": ""}) == "#7"
    assert article_title({"id": 7, "title": "国务院通知", "text": "x"}) == "国务院通知"


def test_pages_show_formatted_values_and_imputed_marks(client):
    page = client.get("/province/北京", params={"lang": "zh", "year": 2023}).text
    table = re.search(r'<table id="indicators">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"\d{1,3}(,\d{3})+ 元", table)  # GDP per capita
    assert re.search(r"\d+(\.\d+)?%", table)
    assert not re.search(r"\de[+-]\d", visible(table))
    # an imputed cell carries a † and the legend explains it
    b = bundle("three-elements", "intensity")
    t, u = b.t(2017), b.u("110000")
    assert b.imputed[t, u].any()
    page = client.get("/province/110000", params={"year": 2017}).text
    table = re.search(r'<table id="indicators">(.*?)</table>', page, re.S).group(1)
    assert table.count("†</sup>") == int(b.imputed[t, u].sum()) and "插补值" in page
    # indicator names from the dictionary, definition and source on hover
    assert "人均地区生产总值" in table and 'title="人均地区生产总值 · ' in table and "来源" in table
    en = client.get("/province/110000", params={"year": 2017, "lang": "en"}).text
    assert "GDP per capita" in en and "Imputed" in en


# ---------------------------------------------------------------- one language per page
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_page_is_in_one_language_with_no_nan_or_none(client, ids, lang):
    for url in pages(ids):
        r = client.get(url, params={"lang": lang})
        assert r.status_code == 200, url
        assert not re.search(r"\b(nan|NaN|None|null|undefined)\b", visible(r.text)), url
        text = visible(r.text, skip_content=True)  # the interface, less what was read
        if lang == "zh":
            for word in STATUS_EN:
                assert not re.search(rf"\b{word}\b", text, re.I), (url, word)
            for word in ("Overview", "Ranking", "Province", "Score", "Targets", "Beijing",
                         "three-elements", "intensity", "entropy"):
                assert word not in text, (url, word)
        else:
            for word in (*STATUS_ZH, "排名", "得分", "总览", "省份", "北京", "三要素", "熵权"):
                assert word not in text, (url, word)
        assert "/work/" not in text, url  # no file path as a title


def test_status_words_and_reasons_in_both_languages(client, ids):
    zh = client.get("/targets", params={"region": "610000"}).text
    assert "无数据" in zh and "目标没有具体数值" in zh and "无匹配的统计指标" in zh
    en = client.get("/targets", params={"region": "610000", "lang": "en"}).text
    assert "no data" in en and "no number" in en and "no matching metric" in en
    assert "Shaanxi" in en and ">陕西<" not in en


# ---------------------------------------------------------------- the view in the URL
def _form_query(page: str, form_id: str = "controls") -> list[tuple[str, str]]:
    """What submitting the page's control form would send (its current choices)."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S).group(0)
    pairs = []
    for sel in re.finditer(r'<select name="(\w+)">(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]+)" selected', sel.group(2))
        pairs.append((sel.group(1), chosen.group(1)))
    for inp in re.finditer(r"<input ([^>]*)>", form):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', inp.group(1)))
        if attrs.get("type") == "checkbox" and "checked" not in inp.group(1).split():
            continue
        if "name" in attrs:
            pairs.append((attrs["name"], attrs.get("value", "")))
    return pairs


def _page_body(page: str) -> str:
    """A page less what is drawn per visitor (CSRF token, captcha)."""
    page = re.sub(r'name="(csrf|captcha_id)" value="[^"]+"', "", page)
    return re.sub(r'<span class="captcha">.*?</span>', "", page, flags=re.S)


@pytest.mark.parametrize("path", ["/", "/ranking", "/compare", "/province/610000",
                                  "/indicator/gdp_per_capita"])
def test_a_url_restores_the_view_exactly(client, path):
    query = {"preset": "innovation", "flavour": "scale", "weights": "critic", "year": "2019",
             "p": ["440000", "320000"], "lang": "en"}
    page = client.get(path, params=query).text
    form = _form_query(page)
    assert ("preset", "innovation") in form and ("flavour", "scale") in form
    assert ("weights", "critic") in form and ("year", "2019") in form and ("lang", "en") in form
    assert [v for k, v in form if k == "p"] == ["320000", "440000"]  # one order
    # the form's own query string gives the same page, byte for byte (but the CSRF token)
    again = client.get(f"{path}?{urlencode(form)}").text
    assert _page_body(again) == _page_body(page)
    # the language switch keeps every other choice, and switching back restores the page
    switch = htmlmod.unescape(re.search(r'id="lang-switch" href="([^"]+)"', page).group(1))
    pairs = parse_qsl(urlsplit(switch).query)
    assert ("lang", "zh") in pairs and ("weights", "critic") in pairs and ("year", "2019") in pairs
    zh = client.get(switch).text
    back = htmlmod.unescape(re.search(r'id="lang-switch" href="([^"]+)"', zh).group(1))
    assert _page_body(client.get(back).text) == _page_body(page)
    # links to the other pages carry the same state
    nav = htmlmod.unescape(re.search(r'href="(/ranking\?[^"]+)"', page).group(1))
    assert dict(parse_qsl(urlsplit(nav).query)) | {"p": None} == {
        "preset": "innovation", "flavour": "scale", "weights": "critic", "year": "2019",
        "lang": "en", "p": None}


def test_view_parsing_is_lenient_where_it_can_be_and_strict_where_it_must():
    v = View.from_pairs([("year", "2x"), ("p", "110000,310000,440000,320000,330000,510000")])
    assert v.year is None and len(v.provinces) == 5 and v.truncated
    assert View(year=1999).with_year([2016, 2023]).year == 2016


def test_unknown_choices_are_404s_and_odd_years_are_the_nearest(client):
    assert client.get("/", params={"preset": "nope"}).status_code == 404
    assert client.get("/ranking", params={"weights": "magic"}).status_code == 404
    assert client.get("/compare", params={"p": "火星"}).status_code == 404
    assert client.get("/indicator/nope").status_code == 404
    assert "· 2016</h1>" in client.get("/", params={"year": 1999}).text
    assert "· 2023</h1>" in client.get("/", params={"year": "soon"}).text


# ---------------------------------------------------------------- CSV downloads
def _csv(client, url, **params) -> pd.DataFrame:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/csv") and r.content[:3] == b"\xef\xbb\xbf"
    assert "attachment" in r.headers["content-disposition"]
    return pd.read_csv(io.BytesIO(r.content), encoding="utf-8-sig", dtype={"adcode": str})


@pytest.mark.parametrize("weights", ["entropy", "pca"])
def test_csv_ranking_matches_the_api(client, weights):
    q = {"preset": "tech-green-digital", "flavour": "intensity", "weights": weights,
         "year": 2020}
    api = client.get("/api/index", params=q).json()
    assert api["weights"] == weights and api["year"] == 2020
    csv = _csv(client, "/download/ranking.csv", **q)
    assert list(csv["province"]) == [r["province"] for r in api["ranking"]]
    for col in ["rank", "新质生产力", *api["dimensions"]]:
        assert csv[col].tolist() == pytest.approx([r[col] for r in api["ranking"]], abs=1e-9)
    assert {"adcode", "province_en", "imputed_indicators", "imputed_list"} <= set(csv.columns)


def test_every_table_has_a_csv(client, ids):
    q = {"preset": "three-elements", "year": 2022}
    scores = _csv(client, "/download/scores.csv", **q)
    assert {"node", "year", "province", "score", "rank", "imputed_indicators"} <= set(scores.columns)
    history = _csv(client, "/download/history.csv", province="610000", **q)
    assert set(history["adcode"]) == {"610000"} and history["year"].nunique() == 8
    ind = _csv(client, "/download/indicators.csv", province="610000", **q)
    assert len(ind) == 18 and {"value", "imputed", "national_median", "rank"} <= set(ind.columns)
    explain = _csv(client, "/download/explain.csv", province="610000", **q)
    b = bundle("three-elements", "intensity")
    root = b.scores[b.root][:, b.u("610000")]
    assert explain["contribution"].sum() == pytest.approx(root[-1] - root[0], abs=1e-9)
    cmp = _csv(client, "/download/compare.csv", p=["110000", "310000"], **q)
    assert set(cmp["adcode"]) == {"110000", "310000"} and set(cmp["node"]) >= {"劳动者"}
    indicator = _csv(client, "/download/indicator.csv", id="rd_intensity", **q)
    panel = client.get("/api/panel", params={"indicator": "rd_intensity", "year": 2021}).json()
    got = indicator[(indicator.year == 2021) & ~indicator.imputed].set_index("adcode")["value"]
    assert got.to_dict() == pytest.approx({r["adcode"]: r["value"] for r in panel})
    assert len(_csv(client, "/download/intervals.csv", **q)) == 31 * 8
    assert len(_csv(client, "/download/trajectories.csv", **q)) == 31 * 8
    targets = _csv(client, "/download/targets.csv", region="310000")
    api = client.get("/api/targets", params={"region": "310000"}).json()
    assert targets["id"].tolist() == [t["id"] for t in api["items"]]
    row = targets.set_index("id").loc[ids["shanghai"]]
    assert row["baseline_value"] == 5e11 and row["observations"] == 2
    obs = _csv(client, "/download/target.csv", id=ids["shanghai"])
    assert obs["value"].tolist() == [5e11, 9e11] and obs["source"].iloc[0] == "上海市金融局年报"
    assert client.get("/download/nope.csv").status_code == 404
    assert client.get("/download/history.csv", params={"province": "火星"}).status_code == 404


def test_every_page_links_its_downloads_with_its_state(client):
    page = client.get("/ranking", params={"preset": "innovation", "year": 2020}).text
    link = htmlmod.unescape(re.search(r'id="csv-ranking" href="([^"]+)"', page).group(1))
    assert "preset=innovation" in link and "year=2020" in link
    assert len(_csv(client, link)) == 31


# ---------------------------------------------------------------- indicator pages
def _preset_indicators():
    return sorted({(i, p, f) for p in PRESETS for f in FLAVOURS
                   for i in bundle(p, f).indicators}, key=lambda x: x[0])


def test_the_indicator_page_renders_for_every_indicator_of_every_preset(client):
    from nqpf.web.indexdata import indicator_info

    done = set()
    for ind, preset, flavour in _preset_indicators():
        if ind in done:
            continue
        done.add(ind)
        info = indicator_info(ind)
        for lang in ("zh", "en"):
            r = client.get(f"/indicator/{ind}", params={"preset": preset, "flavour": flavour,
                                                        "lang": lang})
            assert r.status_code == 200, (ind, lang)
            text = visible(r.text)
            assert info.name[lang] in text, (ind, lang)
            assert 'id="indicator-map"' in r.text and 'data-target="indicator-trend"' in r.text
            assert not re.search(r"\b(nan|None)\b", text), (ind, lang)
    assert len(done) >= 40


def test_indicator_page_has_definition_source_breaks_and_imputed_cells(client):
    page = client.get("/indicator/so2_per_gdp").text
    assert "单位GDP二氧化硫排放量" in page and "万吨/亿元" in page
    assert "2016" in re.search(r'id="indicator-breaks">(.*?)</dd>', page, re.S).group(1)
    assert "中国环境统计年鉴" in page
    b = bundle("three-elements", "intensity")
    k = b.indicators.index("hitech_new_product_share")
    t = next(t for t in range(len(b.years)) if b.imputed[t, :, k].any())
    page = client.get("/indicator/hitech_new_product_share", params={"year": b.years[t]}).text
    table = re.search(r'<table id="indicator-values">(.*?)</table>', page, re.S).group(1)
    assert table.count("†</sup>") == int(b.imputed[t, :, k].sum())


# ---------------------------------------------------------------- province, compare, targets
def test_province_page_has_history_explanation_targets_and_claims(client):
    page = client.get("/province/610000").text
    for block in ('data-target="history"', 'data-target="rank-history"', 'data-target="radar"',
                  'id="explain-text"', 'id="contributions"', 'id="province-targets"',
                  'id="claims"', 'id="documents"'):
        assert block in page, block
    text = re.search(r'id="explain-text">(.*?)</p>', page, re.S).group(1)
    assert text.startswith("陕西") and "2016→2023" in text
    assert "Shaanxi" in client.get("/province/610000", params={"lang": "en"}).text
    assert "<meter" in re.search(r'id="province-targets">(.*?)</table>', page, re.S).group(1)


def test_explanations_are_computed_once_per_province(client):
    from nqpf.web.indexdata import _explanation

    client.get("/province/320000", params={"preset": "innovation"})
    before = _explanation.cache_info()
    client.get("/province/320000", params={"preset": "innovation", "lang": "en", "year": 2015})
    after = _explanation.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_compare_picks_up_to_five_provinces(client):
    empty = client.get("/compare").text
    assert 'id="compare-empty"' in empty
    codes = ["110000", "310000", "440000", "320000", "330000", "510000"]
    page = client.get("/compare", params={"p": codes, "year": 2020}).text
    table = re.search(r'<table id="compare-table">(.*?)</table>', page, re.S).group(1)
    assert table.count("<tr>") == 1 + 5 and "四川" not in table
    assert "只保留了前五个" in page
    for chart in ("cmp-score", "cmp-rank", "cmp-dim-0", "cmp-dim-2"):
        assert f'data-target="{chart}"' in page


def test_targets_show_baseline_observations_sources_and_the_straight_line(client, ids):
    page = client.get("/targets", params={"region": "310000"}).text
    row = re.search(rf'href="/target/{ids["shanghai"]}\?[^"]*">.*?</tr>', page, re.S).group(0)
    assert "5,000 亿元 (2024-06-30)" in row and "9,000 亿元 (2025-06-30)" in row
    assert "上海市金融局年报" in row and "录入" in row
    detail = client.get(f"/target/{ids['shanghai']}").text
    assert 'data-target="target-chart"' in detail and "直线进度" in detail
    chart = re.search(r'data-target="target-chart">(.*?)</script>', detail, re.S).group(1)
    assert '"2027-12-31"' in chart  # the line ends at the deadline
    batch = client.get(f"/target/{ids['batch']}").text
    assert "目标没有具体数值" in batch
    clusters = client.get(f"/target/{ids['clusters']}", params={"lang": "en"}).text
    assert "no matching metric" in clusters
    assert client.get("/target/999999").status_code == 404


def test_a_statistic_reporting_on_a_target_links_its_article(tmp_path):
    store = Store(tmp_path / "r.duckdb")
    from nqpf.extract import extract_text

    store.add_article(extract_text("2024年3月1日，湖北省印发《湖北省算力发展行动方案》。方案提出，"
                                   "到2026年，湖北省高新技术企业数量达到3万家。",
                                   published="2024-03-01"))
    store.add_article(extract_text("2025年2月1日，湖北省科技厅发布消息。2024年，湖北省高新技术企业"
                                   "数量达到2.5万家。", published="2025-02-01"))
    client = TestClient(create_app(store))
    items = client.get("/api/targets", params={"region": "湖北"}).json()["items"]
    reported = [t for t in items if t["reported_in"]]
    if not reported:
        pytest.skip("the extractor did not match the statistic to the target")
    tid, aid = reported[0]["id"], reported[0]["reported_in"][0]
    page = client.get(f"/target/{tid}").text
    assert f'href="/article/{aid}?lang=zh"' in page


# ---------------------------------------------------------------- speed: the page cache
def test_pages_are_served_from_the_cache(client):
    state = client.app.state.web
    client.get("/ranking", params={"preset": "innovation", "year": 2018})
    n = len(state.pages)
    a = client.get("/ranking", params={"preset": "innovation", "year": 2018})
    b = client.get("/ranking", params={"preset": "innovation", "year": 2018})
    assert len(state.pages) == n and _page_body(a.text) == _page_body(b.text)
    # the CSRF cookie is still per visitor
    assert a.cookies.get("csrf") or client.cookies.get("csrf")
    assert client.get("/api/index", params={"weights": "equal"}).json()["weights"] == "equal"
    assert client.get("/api/index", params={"weights": "magic"}).status_code == 422
