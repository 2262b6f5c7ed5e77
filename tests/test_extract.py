"""Extraction: the seed article's acceptance list, the development set, and each piece."""

import json
import shutil
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import REPO
from nqpf.cli import app
from nqpf.extract import InputError, extract_article, extract_text, read_inputs
from nqpf.extract.dates import find_deadlines
from nqpf.extract.evaluate import evaluate
from nqpf.extract.numbers import find_quantities
from nqpf.extract.places import find_places


@pytest.fixture(scope="module")
def seed(samples_dir):
    return extract_article(samples_dir / "seed_article.txt")


def doc_by(seed, fragment):
    return next(d for d in seed.documents if fragment in d["title"])


def test_seed_shanghai(seed):
    d = doc_by(seed, "上海金融助力新质生产力发展三年行动计划")
    assert d["issuer"] == "上海科创金融联盟" and d["date"] == "2024-04-15"
    assert d["short_names"] == ["行动计划"] and d["region"] == "310000"
    t = next(t for t in seed.targets if t.unit == "元")
    assert (t.value, t.comparator, t.deadline, t.region, t.document) == (2e12, "=", 2027, "310000",
                                                                        d["id"])
    assert seed.original[t.original_span[0]:t.original_span[1]] == "2萬億元"


def test_seed_shaanxi(seed):
    d = doc_by(seed, "陕西省高水平推进产业创新集群建设加快形成新质生产力实施方案")
    assert d["issuer"] == "陕西省发展和改革委员会" and d["date"] == "2024-03-19"
    assert d["region"] == "610000"
    ten = next(t for t in seed.targets if t.value == 10)
    assert (ten.unit, ten.comparator, ten.threshold, ten.threshold_unit, ten.deadline) == (
        "个", ">=", 1e10, "元", 2025)
    assert ten.metric == "百亿元级产业创新集群" and ten.region == "610000"
    batch = next(t for t in seed.targets if t.deadline == 2035)
    assert batch.value is None and batch.threshold == 1e11 and batch.document == d["id"]


def test_seed_shenzhen_has_no_invented_target(seed):
    d = doc_by(seed, "加快发展新质生产力进一步推进战略性新兴产业集群")
    assert d["short_names"] == ["深圳实施方案"] and d["date"] == "2024-03-14"
    assert d["issuer"] == "深圳市" and d["city"] == "440300"
    assert not [t for t in seed.targets if t.document == d["id"]]
    assert len(seed.targets) == 3 and not seed.statistics


def test_seed_beijing(seed):
    claim = seed.claims[0]
    assert (claim.region, claim.rank, claim.subject) == ("110000", 1, "新质生产力发展程度")
    d = doc_by(seed, "进一步推动首都高质量发展取得新突破的行动方案2024年工作要点")
    assert d["date"] == "2024-03" and d["region"] == "110000"
    assert {"数字经济", "人工智能", "集成电路", "新能源", "智能网联汽车", "合成生物制造"} <= set(
        d["industries"])


def test_seed_press_conference_and_text(seed):
    e = seed.events[0]
    assert (e.name, e.organiser, e.date) == ("新闻发布会", "国务院新闻办", "2024-04-16")
    assert e.topic == "2024年一季度国民经济运行情况"
    assert "验证码" not in seed.text and "昵称" not in seed.text
    assert seed.script == "traditional" and seed.converter == "t2s"
    assert "上海科创金融联盟" in seed.text and "深圳实施方案》提出：到2025年" in seed.text


def test_development_set(tmp_path, samples_dir):
    work = tmp_path / "dev"
    shutil.copytree(REPO / "dev" / "articles", work)
    shutil.copy(samples_dir / "seed_article.txt", work)
    scores = evaluate(work, REPO / "dev" / "gold.jsonl")
    assert scores["articles"] == 13
    assert scores["f1"] == 1.0
    assert all(v == 1.0 for v in scores["field_accuracy"].values())


@pytest.mark.parametrize(("text", "expected"), [
    ("累计投放2万亿元", (2e12, "元", "=")), ("1.6万亿", (1.6e12, "", "=")),
    ("十个", (10, "个", "=")), ("新臺幣5兆元", (5e12, "元", "=")),
    ("超过500亿元", (5e10, "元", ">")), ("不少于100家", (100, "家", ">=")),
    ("300家左右", (300, "家", "~")), ("近50个", (50, "个", "~")), ("3万吨以内", (3e4, "吨", "<=")),
    ("突破1000家", (1000, "家", ">")), ("过千亿元", (1e11, "元", ">")),
    ("1500多亿元", (1.5e11, "元", ">")), ("500余项", (500, "项", ">")), ("3万余家", (3e4, "家", ">")),
    ("上千家企业", (1000, "家", ">=")), ("增长两成", (20, "%", "=")), ("经济总量翻两番", (4, "倍", "=")),
    ("数量翻了一番", (2, "倍", "=")), ("增长百分之五", (5, "%", "=")),
    ("提高百分之十二点五", (12.5, "%", "=")), ("占比达到五分之四以上", (80, "%", ">=")),
    ("总收入达到8.7万亿元", (8.7e12, "元", "=")), ("4860.8亿元", (4.8608e11, "元", "="))])
def test_quantities(text, expected):
    q = find_quantities(text)[0]
    assert (q.value, q.unit, q.comparator) == expected


def test_not_quantities():
    assert find_quantities("第十五个五年规划、“20+8”产业集群和“33618”体系，到2025年") == []
    assert find_quantities("一成不变，十五成为") == []
    r = find_quantities("建设3—4个示范区")[0]
    assert (r.value, r.upper, r.comparator) == (3, 4, "range")


@pytest.mark.parametrize(("text", "expected"), [
    ("未来三年，培育10家", [(2027, "within-years")]), ("用三年左右时间", [(2027, "within-years")]),
    ("今后五年", [(2029, "within-years")]), ("2024—2026年，每年新增", [(2026, "period")]),
    ("过去十年间", []), ("近三年内", []), ("2024年间", [])])
def test_horizons(text, expected):
    assert [(d.year, d.kind) for d in find_deadlines(text, base_year=2024, publication_year=2024)] == expected


def test_deadlines():
    got = [(d.year, d.kind) for d in find_deadlines(
        "到2025年；2027年底前；三年内；今年；“十四五”期间；截至2023年底", base_year=2024,
        publication_year=2024)]
    assert got == [(2025, "by-year"), (2027, "by-year"), (2027, "within-years"),
                   (2024, "this-year"), (2025, "plan-period")]


@pytest.mark.parametrize(("text", "expected"), [
    ("北京市朝阳区到2025年建成", [("北京市", "110000")]),
    ("阿里巴巴在杭州", [("杭州", "330100")]),
    ("中山大学发布报告", []),
    ("珠海、中山两市", [("珠海", "440400"), ("中山", "442000")]),
    ("中山市印发方案", [("中山市", "442000")]),
    ("黄山风景区", [])])
def test_short_city_names_that_are_something_else(text, expected):
    assert [(p.name, p.adcode) for p in find_places(text)] == expected


def test_places():
    got = [(p.name, p.adcode) for p in find_places("吉林省长春市和吉林市、湖北武汉、内蒙古包头")]
    assert ("长春市", "220100") in got and ("武汉", "420100") in got
    assert got[0] == ("吉林省", "220000") and ("内蒙古", "150000") in got


def test_html_input_with_fallback_metadata(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>浙江发布未来产业方案</title></head><body><div class='nav'>首页</div>"
        "<div class='info'>發布時間：2022-12-17 來源：浙江日報</div><article><p>近日，浙江省發展改革委"
        "印發《浙江省未來產業先導區建設方案》。方案提出，到2027年，建成10個左右未來產業先導區。</p>"
        "<p>這是第一批先導區建設。</p></article><div class='comment'>昵稱 驗證碼</div></body></html>",
        encoding="utf-8")
    a = extract_article(page)
    assert a.published == "2022-12-17" and a.source == "浙江日報"
    assert a.targets[0].value == 10 and a.targets[0].deadline == 2027
    assert "验证码" not in a.text


def test_jsonl_and_errors(tmp_path):
    good = tmp_path / "a.jsonl"
    good.write_text(json.dumps({"text": "到2026年，新增10家企业。", "url": "http://x",
                                "published": "2025-01-02"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    items = list(read_inputs([good]))
    assert items[0].published == "2025-01-02" and items[0].source == "http://x"
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"text": "ok"}\n{"body": "no text"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.jsonl, line 2"):
        list(read_inputs([bad]))
    with pytest.raises(InputError, match="no such file"):
        list(read_inputs([tmp_path / "missing.txt"]))


def test_cli_extract_json_and_stdin(samples_dir):
    runner = CliRunner()
    r = runner.invoke(app, ["extract", str(samples_dir / "seed_article.txt"), "--json"])
    assert r.exit_code == 0, r.stdout
    out = json.loads(r.stdout)[0]
    assert out["schema_version"] == 4 and len(out["targets"]) == 3 and out["script"] == "traditional"
    assert {"source", "sha256", "repairs", "documents", "statistics", "industries", "regions",
            "claims", "events", "published", "text"} <= set(out)
    r = runner.invoke(app, ["extract", "-", "--json", "--published", "2024-06-01"],
                      input="今年新增专精特新企业不少于100家。")
    got = json.loads(r.stdout)[0]["targets"][0]
    assert got["deadline"] == 2024 and got["value"] == 100


def test_cli_extract_streams_json_lines_and_a_valid_array_on_error(tmp_path):
    good = tmp_path / "a.jsonl"
    good.write_text("".join(json.dumps({"text": f"到2025年，培育{n}个产业集群。"},
                                       ensure_ascii=False) + "\n" for n in (10, 20, 30)),
                    encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["extract", str(good), "--jsonl", "--published", "2024-01-01"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert [json.loads(x)["targets"][0]["value"] for x in lines] == [10, 20, 30]
    # a bad line after good ones: what was done is valid JSON on stdout, the error on stderr
    bad = tmp_path / "b.jsonl"
    bad.write_text(good.read_text(encoding="utf-8") + '{"body": 1}\n', encoding="utf-8")
    r = runner.invoke(app, ["extract", str(bad), "--json"])
    assert r.exit_code == 2 and "b.jsonl, line 4" in r.stderr
    assert [a["targets"][0]["value"] for a in json.loads(r.stdout)] == [10, 20, 30]
    r = runner.invoke(app, ["extract", str(tmp_path / "missing.txt"), "--json"])
    assert r.exit_code == 2 and json.loads(r.stdout) == [] and "missing.txt" in r.stderr


def test_cli_eval(tmp_path, samples_dir):
    work = tmp_path / "dev"
    shutil.copytree(REPO / "dev" / "articles", work)
    shutil.copy(samples_dir / "seed_article.txt", work)
    r = CliRunner().invoke(app, ["eval", "extract", str(work), str(REPO / "dev" / "gold.jsonl"),
                                 "--json"])
    assert r.exit_code == 0, r.stdout
    assert json.loads(r.stdout)["f1"] == 1.0


@pytest.mark.parametrize(("text", "expected"), [
    ("力争到2025年，全省数字经济核心产业增加值占地区生产总值比重达到12%左右。",
     [("target", 12.0, "%", "~", None, 2025)]),
    ("到2027年，培育形成5个千亿级产业集群，新增规上工业企业3000家以上。",
     [("target", 5.0, "个", "=", 1e11, 2027), ("target", 3000.0, "家", ">=", None, 2027)]),
    ("截至今年6月底，杭州市已累计建成5G基站3.2万个。", [("statistic", 32000.0, "个", "=", None, None)]),
    ("2023年全省规上工业增加值同比增长7.2%。", [("statistic", 7.2, "%", "=", None, None)]),
    ("“十四五”末，全省R&D经费投入强度达到3%。", [("target", 3.0, "%", "=", None, 2025)]),
    ("预计到2025年底，全市算力规模将超过10EFLOPS。", [("target", 10.0, "EFLOPS", ">", None, 2025)]),
    ("力爭到2025年，培育3-5家營收超百億元的龍頭企業。", [("target", 3.0, "家", "range", 1e10, 2025)]),
    ("到2027年，建成智能工厂200个、数字化车间2000个。",
     [("target", 200.0, "个", "=", None, 2027), ("target", 2000.0, "个", "=", None, 2027)]),
    # the scale class of each list item comes before its count
    ("到2027年，培育万亿级产业集群2个、千亿级产业集群10个左右。",
     [("target", 2.0, "个", "=", 1e12, 2027), ("target", 10.0, "个", "~", 1e11, 2027)]),
    ("到2027年，培育形成3个万亿级主导产业集群、6个五千亿级支柱产业集群。",
     [("target", 3.0, "个", "=", 1e12, 2027), ("target", 6.0, "个", "=", 5e11, 2027)]),
    ("到2025年，全市单位GDP能耗控制在0.35吨标准煤以内，数字经济核心产业增加值突破1万亿元大关。",
     [("target", 0.35, "吨标准煤", "<=", None, 2025), ("target", 1e12, "元", ">", None, 2025)]),
    # a past year with no deadline reports, even without 已/同比
    ("2023年，全省技术合同成交额达4860.8亿元。", [("statistic", 4.8608e11, "元", "=", None, None)]),
])
def test_targets_and_statistics_in_unseen_sentences(text, expected):
    a = extract_text(text, published="2024-05-01")
    got = [(t.kind, t.value, t.unit, t.comparator, t.threshold, t.deadline)
           for t in a.targets + a.statistics]
    assert got == expected
    assert all(not t.metric[:1].isdigit() and "、" not in t.metric for t in a.targets + a.statistics)


EXTRACT_PIECES = list("到2025年，培育10个以上百亿元级集群；《方案》(简称《X》)印发发布"
                      "陕西省深圳市北京的排在第一位3—4个“20+8”万亿兆元%?!。\n今年三年内十四五截至已同比增长")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(EXTRACT_PIECES) | st.characters(), max_size=80))
def test_extraction_never_raises_and_spans_stay_inside(text):
    a = extract_text(text)
    json.dumps(a.to_dict(), ensure_ascii=False)
    for t in a.targets + a.statistics:
        assert 0 <= t.original_span[0] <= t.original_span[1] <= len(text)


#: Whole phrases of the patterns above, so that examples combine them.
EXTRACT_FRAGMENTS = [
    "到2025年，", "培育10个以上百亿元级集群", "；", "《方案》", "(简称《X》)", "印发", "陕西省", "深圳市",
    "排在第一位", "前五的省份依次为北京、广东、上海", "分列前三位", "分别突破4000亿元、2000亿元",
    "工程机械、轨道交通装备等产业集群产值", "全国累计建成", "2023年", "同比增长10.1%", "占GDP比重为11.7%",
    "三年内", "今年", "2024—2026年", "百分之五", "五千亿级", "上千家", "1500多亿元", "翻两番", "新台币",
    "兆元", "「AI方案」", "召开新闻发布会，介绍", "5月9日", "?", "，", "。", "\n", "昆山市", "雄安新区",
    "以0.62的得分位居全国第一，较上年提升2位", "过去一年", "拟安排", "比上年增加"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(EXTRACT_FRAGMENTS) | st.text(max_size=2), max_size=25).map("".join),
       st.sampled_from([None, "2024-05-01"]))
def test_extraction_of_combined_phrases_never_raises(text, published):
    a = extract_text(text, published=published)
    json.dumps(a.to_dict(), ensure_ascii=False)
    for t in a.targets + a.statistics:
        assert 0 <= t.original_span[0] <= t.original_span[1] <= len(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("广东省区域创新能力连续7年居全国首位。", ("440000", 1, "区域创新能力", "全国")),
    ("江苏省创新能力排名全国第三。", ("320000", 3, "创新能力", "全国")),
    ("浙江数字经济规模位居全国第2位。", ("330000", 2, "数字经济规模", "全国")),
    ("安徽位居全国前列。", None)])
def test_claims(text, expected):
    from nqpf.extract.statements import find_claims

    got = [(c.region, c.rank, c.subject, c.scope) for c in find_claims(text)]
    assert got == ([expected] if expected else [])


def test_currency_year_and_places_of_facts():
    a = extract_text("2023年湖北技术合同成交额达4860.8亿元。根据《湖北省行动方案（2024—2026年）》，"
                     "到2026年，全省高新技术企业数量将超过3万家，武汉市数字经济核心产业增加值占比提高到12%。",
                     published="2024-05-10")
    (stat,) = a.statistics
    assert (stat.year, stat.currency, stat.region) == (2023, "CNY", "420000")
    firms, share = a.targets
    assert (firms.region, firms.city, firms.currency) == ("420000", None, None)
    assert (share.region, share.city, share.metric) == ("420000", "420100", "数字经济核心产业增加值占比")
    tw = extract_text("經濟部表示，政府將於2030年前投入新臺幣3000億元，並讓資訊服務業產值突破2兆元。")
    assert [(t.value, t.currency, t.metric) for t in tw.targets] == [
        (3e11, "TWD", "政府投入"), (2e12, "TWD", "信息服务业产值")]
    assert extract_text("投资50亿美元").statistics == []
    assert find_quantities("吸引外资50亿美元")[0].currency == "USD"


def test_generic_document_reference_and_issuer():
    a = extract_text("2月19日，浙江省人民政府办公厅日前印发《浙江省加快培育发展未来产业的指导意见》"
                     "（浙政办发〔2023〕80号）。《意见》提出，到2027年，培育形成5个以上千亿级未来产业集群。",
                     published="2024-02-20")
    (doc,) = a.documents
    assert doc["short_names"] == ["意见"] and doc["issuer"] == "浙江省人民政府办公厅"
    assert doc["number"] == "浙政办发〔2023〕80号" and len(doc["mentions"]) == 2
    assert a.targets[0].document == doc["id"] and a.targets[0].region == "330000"


def test_event_date_and_topic_after_the_meeting():
    a = extract_text("湖北省政府新闻办5月9日召开新闻发布会，介绍湖北加快发展新质生产力有关情况。",
                     published="2024-05-10")
    (e,) = a.events
    assert (e.organiser, e.date) == ("湖北省政府新闻办", "2024-05-09")
    assert e.topic == "湖北加快发展新质生产力有关情况"


def test_ranked_lists_scores_scopes_and_rank_changes():
    from nqpf.extract.statements import find_claims

    text = ("报告显示，2023年我国新质生产力发展指数排名前五的省份依次为北京、广东、上海、江苏和浙江。"
            "其中，北京以0.62的得分位居全国第一，广东排名第二。\n"
            "安徽在中部地区排名首位，四川位居西部第一。湖南省新质生产力发展水平居全国第11位，较上年提升2位。\n"
            "从创新能力看，北京、上海、江苏分列全国前三位。江苏省入选第一批试点，浙江排第一梯队。")
    got = [(c.region, c.rank, c.subject, c.scope, c.score, c.rank_change) for c in find_claims(text)]
    index = "新质生产力发展指数"
    assert got == [
        ("110000", 1, index, "全国", 0.62, None), ("440000", 2, index, "全国", None, None),
        ("310000", 3, index, "全国", None, None), ("320000", 4, index, "全国", None, None),
        ("330000", 5, index, "全国", None, None),
        ("340000", 1, "", "中部", None, None), ("510000", 1, "", "西部", None, None),
        ("430000", 11, "新质生产力发展水平", "全国", None, 2),
        ("110000", 1, "创新能力", "全国", None, None), ("310000", 2, "创新能力", "全国", None, None),
        ("320000", 3, "创新能力", "全国", None, None)]


GOV_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>山东省印发《关于加快培育新质生产力的实施意见》_山东省人民政府门户网站</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政策文件</div>
<div class="header">当前位置：首页 > 要闻动态</div>
<h1>山东省印发《关于加快培育新质生产力的实施意见》</h1>
<div class="info">发布时间：2024-04-08 09:30　来源：山东省发展和改革委员会　字号：[大][中][小]　打印本页</div>
<div class="content">
<p>近日，山东省人民政府办公厅印发《关于加快培育新质生产力的实施意见》（鲁政办发〔2024〕5号，以下简称《意见》）。</p>
<p>《意见》提出，到2025年，战略性新兴产业增加值占规上工业比重达到35%以上，培育形成10个左右
千亿级战略性新兴产业集群；到2027年，数字经济核心产业增加值占GDP比重达到12%。</p>
<p>2023年，全省高新技术企业达到3.2万家，同比增长21%。</p></div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="footer">主办单位：山东省人民政府办公厅 网站标识码3700000063 【打印本页】【关闭窗口】</div>
</body></html>"""


def test_government_page_metadata_furniture_and_facts(tmp_path):
    page = tmp_path / "sd.html"
    page.write_text(GOV_PAGE, encoding="utf-8")
    a = extract_article(page)
    assert a.published == "2024-04-08"
    for furniture in ("当前位置", "发布时间", "字号", "分享到", "打印本页", "[大]"):
        assert furniture not in a.text
    assert not any(c.kind.startswith("gbk") for c in a.repairs)
    (doc,) = a.documents
    assert (doc["number"], doc["issuer"]) == ("鲁政办发〔2024〕5号", "山东省人民政府办公厅")
    assert doc["short_names"] == ["意见"]
    assert [(t.value, t.comparator, t.threshold, t.deadline, t.region) for t in a.targets] == [
        (35.0, ">=", None, 2025, "370000"), (10.0, "~", 1e11, 2025, "370000"),
        (12.0, "=", None, 2027, "370000")]
    assert [(t.value, t.year) for t in a.statistics] == [(32000.0, 2023), (21.0, 2023)]


def test_annual_plan_targets_and_reports_of_last_year():
    a = extract_text("政府工作报告提出，2024年经济社会发展主要预期目标是：国内生产总值增长5%左右；"
                     "城镇新增就业1200万人以上。今年拟安排地方政府专项债券3.9万亿元，比上年增加1000亿元。",
                     published="2024-03-06")
    assert [(t.value, t.comparator, t.deadline, t.metric) for t in a.targets] == [
        (5.0, "~", 2024, "国内生产总值增长"), (1.2e7, ">=", 2024, "城镇新增就业"),
        (3.9e12, "=", 2024, "地方政府专项债券"), (1e11, "=", 2024, "地方政府专项债券比上年增加")]
    assert a.statistics == []
    b = extract_text("过去一年，全省新增国家级专精特新“小巨人”企业116家，总数达到394家。",
                     published="2024-01-20")
    assert [(t.kind, t.value, t.year) for t in b.statistics] == [
        ("statistic", 116.0, 2023), ("statistic", 394.0, 2023)]
    # the same sentence a year later reports, it does not plan
    c = extract_text("2024年经济社会发展主要预期目标是：国内生产总值增长5%左右。", published="2025-03-05")
    assert c.targets == []


def test_industry_lexicon_gives_each_term_one_category():
    import collections
    from importlib import resources

    import yaml

    lexicon = yaml.safe_load(resources.files("nqpf.extract").joinpath("industries.yaml").read_text("utf-8"))
    counts = collections.Counter(t for c in lexicon["categories"].values() for t in c["terms"])
    assert [t for t, n in counts.items() if n > 1] == []
    assert len(lexicon["categories"]) == 15


def test_counties_and_zones_give_province_and_city():
    a = extract_text("昆山市提出，到2026年，全市新型显示产业规模突破3000亿元。"
                     "雄安新区力争到2025年集聚高新技术企业1000家以上。", published="2024-05-01")
    assert [(t.region, t.city) for t in a.targets] == [("320000", "320500"), ("130000", None)]
    from nqpf.extract.places import find_places

    assert [p.name for p in find_places("朝阳区和鼓楼区")] == []  # several cities have one


def test_a_title_named_again_completes_its_document():
    from nqpf.extract.documents import find_documents

    (doc,) = find_documents("经国务院同意，国务院办公厅日前印发《关于推动未来产业创新发展的实施意见》。"
                            "工业和信息化部等七部门联合印发《关于推动未来产业创新发展的实施意见》"
                            "（工信部联科〔2024〕12号）。")
    assert (doc.issuer, doc.number, len(doc.mentions)) == ("国务院办公厅", "工信部联科〔2024〕12号", 2)


def test_taiwan_plan_names_in_corner_brackets():
    a = extract_text("行政院會今天通過「AI新十大建設推動方案」，預計2026年前投入新臺幣1,000億元。"
                     "他說「這很重要」。")
    assert [d["title"] for d in a.documents] == ["AI新十大建设推动方案"]
    (t,) = a.targets
    assert (t.value, t.currency, t.deadline, t.document) == (1e11, "TWD", 2026, "d1")


def test_a_bare_change_or_share_names_what_changed():
    a = extract_text("2023年，全省数字经济核心产业增加值达9867亿元，同比增长10.1%，占GDP比重为11.7%。",
                     published="2024-02-20")
    assert [t.metric for t in a.statistics] == [
        "数字经济核心产业增加值", "数字经济核心产业增加值同比增长", "数字经济核心产业增加值占GDP比重"]


def test_national_figures_have_the_national_code():
    a = extract_text("北京市提出，截至2024年底，全国累计建成5G基站425.1万个，千兆宽带用户达2.07亿户。"
                     "到2025年，江苏建成全国领先的集群10个。", published="2025-01-20")
    assert [(t.value, t.region) for t in a.statistics] == [(4.251e6, "100000"), (2.07e8, "100000")]
    assert [(t.value, t.region) for t in a.targets] == [(10.0, "320000")]
    assert find_quantities("千兆宽带、百万人口") == []
    # 全国 as the yardstick of a ranking is no national subject
    b = extract_text("2025年，海南将力争研发投入强度达到1.6%，排名争取达到全国中等水平，"
                     "国家级创新平台达到16家以上。", published="2024-01-20")
    assert [(t.value, t.region) for t in b.targets] == [(1.6, "460000"), (16.0, "460000")]


def test_extract_in_worker_processes_gives_the_same_articles(tmp_path):
    from nqpf.extract.batch import extract_many
    from nqpf.extract.inputs import read_inputs

    items = list(read_inputs([REPO / "dev" / "articles"]))
    one = [a.to_dict() for a in extract_many(items, published="2024-06-01")]
    two = [a.to_dict() for a in extract_many(items, published="2024-06-01", jobs=2, chunk_chars=300)]
    assert one == two and len(one) == len(items) == 12
    r = CliRunner().invoke(app, ["ingest", str(REPO / "dev" / "articles"), "--db",
                                 str(tmp_path / "j.duckdb"), "--jobs", "2"])
    assert r.exit_code == 0 and "stored 12 new article(s)" in r.output
    # the same on a Dask cluster (here one in-process worker), in batches smaller than the input
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        import nqpf.extract.batch as batch

        on_dask = list(batch._on_dask(items, partial(batch._extract_chunk, published="2024-06-01"),
                                      client, workers=1, chunk_chars=300))
        assert [a.to_dict() for a in on_dask] == one
        assert [a.to_dict() for a in extract_many(items, published="2024-06-01", dask=client)] == one
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # nobody listens there
        r = CliRunner().invoke(app, ["extract", str(REPO / "dev" / "articles"), "--dask",
                                     "tcp://127.0.0.1:1"])
    assert r.exit_code == 2 and "error" in r.output


def test_a_quantity_without_words_measures_what_the_one_before_did():
    a = extract_text("到2025年，力争全省规上工业企业研发机构覆盖率达到50%，到2027年达到60%。")
    assert [(t.value, t.deadline, t.metric) for t in a.targets] == [
        (50.0, 2025, "规上工业企业研发机构覆盖率"), (60.0, 2027, "规上工业企业研发机构覆盖率")]


@pytest.mark.parametrize(("text", "expected"), [
    ("到2026年，工程机械、轨道交通装备等产业集群产值分别突破4000亿元、2000亿元。",
     [("工程机械产业集群产值", ">"), ("轨道交通装备产业集群产值", ">")]),
    ("到2025年，电子信息、装备制造、新材料产业营收分别达到1万亿元、8000亿元和5000亿元。",
     [("电子信息产业营收", "="), ("装备制造产业营收", "="), ("新材料产业营收", "=")]),
    ("2023年，全省GDP和一般公共预算收入分别增长5.2%和4.1%。",
     [("GDP增长", "="), ("一般公共预算收入增长", "=")])])
def test_respectively_gives_each_value_its_item(text, expected):
    a = extract_text(text, published="2024-05-01")
    assert [(t.metric, t.comparator) for t in a.targets + a.statistics] == expected


def test_files_in_chinese_encodings_are_decoded(tmp_path):
    text = "发布时间：2024-03-20\n陕西省发展和改革委员会印发《实施方案》，到2025年培育10个以上百亿元级集群。"
    (tmp_path / "gbk.txt").write_bytes(text.encode("gbk"))
    big5 = "陝西省發展和改革委員會印發《實施方案》，到2025年培育10個以上百億元級集群。"
    (tmp_path / "big5.txt").write_bytes(big5.encode("big5"))
    page = ('<html><head><meta charset="gb2312"><title>方案</title></head><body><p>'
            + text.replace("\n", "</p><p>") + "</p></body></html>")
    (tmp_path / "page.html").write_bytes(page.encode("gbk"))
    got = {a.source.rsplit("/", 1)[-1]: a for a in (extract_text(i.text, published=i.published,
                                                                 source=i.source)
                                                    for i in read_inputs([tmp_path]))}
    for name in ("gbk.txt", "big5.txt", "page.html"):
        (t,) = got[name].targets
        assert (t.value, t.threshold, t.deadline, t.region) == (10.0, 1e10, 2025, "610000"), name
    assert got["gbk.txt"].published == "2024-03-20"
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.txt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"x\.txt"):
        list(read_inputs([tmp_path / "bad"]))


def test_a_claim_whose_subject_opens_the_sentence():
    from nqpf.extract.statements import find_claims

    got = [(c.region, c.rank, c.subject, c.scope, c.score, c.rank_change) for c in find_claims(
        "江苏省新质生产力发展水平综合得分为0.58，位列全国第三；浙江位居第四，较上年下降1位。")]
    assert got == [("320000", 3, "新质生产力发展水平", "全国", 0.58, None),
                   ("330000", 4, "新质生产力发展水平", "全国", None, -1)]


def test_a_report_goes_on_in_the_year_its_paragraph_is_about():
    a = extract_text("2024年，我省地区生产总值达到5.9万亿元，比上年增长5.1%。全年新增高新技术企业4200家，"
                     "总数突破2.1万家；技术合同成交额首次突破5000亿元。\n下一步，将培育10个集群。",
                     published="2025-02-10")
    assert [(t.value, t.year, t.metric) for t in a.statistics] == [
        (5.9e12, 2024, "地区生产总值"), (5.1, 2024, "地区生产总值比上年增长"),
        (4200.0, 2024, "新增高新技术企业"), (21000.0, 2024, "总数"), (5e11, 2024, "技术合同成交额")]
    # 将培育10个集群 is an aim with no year stated anywhere: a target whose deadline is unknown
    assert [(t.value, t.deadline, t.deadline_source) for t in a.targets] == [(10.0, None, None)]


def test_values_for_each_year_are_flagged():
    a = extract_text("到2025年，全省研发经费投入年均增长10%以上，每年新增高新技术企业1000家，"
                     "高新技术企业总数达到3万家。")
    assert [(t.value, t.per_year) for t in a.targets] == [(10.0, True), (1000.0, True), (30000.0, False)]


def test_a_year_still_to_come_before_its_subject_and_verb_is_a_deadline():
    a = extract_text("报告指出，2025年装备制造业规模突破1.5万亿元。", published="2023-01-14")
    assert [(t.value, t.deadline, t.comparator) for t in a.targets] == [(1.5e12, 2025, ">")]
    # the same words about a year already past report it
    a = extract_text("报告指出，2022年装备制造业规模突破1.5万亿元。", published="2023-01-14")
    assert not a.targets and [t.year for t in a.statistics] == [2022]


def test_the_time_one_action_takes_does_not_open_a_block():
    a = extract_text("政府工作报告提出，用3年时间突破和推广应用150项产品和工艺。力争培育30家示范企业。",
                     published="2023-01-14")
    assert [(t.value, t.deadline, t.deadline_source) for t in a.targets] == [
        (150.0, 2026, "clause"), (30.0, 2023, "page")]


def test_a_note_on_how_far_an_aim_was_raised_is_not_an_aim():
    a = extract_text("该区主动调增全年各项经济发展目标。该区计划：力争地区生产总值增长12%以上"
                     "(调增2个百分点)；外贸出口增长20%(调增5个百分点)。", published="2018-01-21")
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [(12.0, "%", 2018), (20.0, "%", 2018)]
    assert [t.value for t in a.other_quantities] == [2.0, 5.0]


def test_a_page_that_names_no_place_speaks_for_its_publisher():
    raw = "开发区调增目标\n来源：鄂州市人民政府门户网站\n\n该区计划：到2025年，力争新增规上工业企业16家。"
    (t,) = extract_text(raw).targets
    assert (t.value, t.deadline, t.region) == (16.0, 2025, "420000")
    # a place the text names comes first
    (t,) = extract_text(raw.replace("该区", "武汉市")).targets
    assert t.region == "420000" and t.city == "420100"


def test_words_counted_in_a_text_subsidy_terms_and_forecasts_are_not_aims():
    a = extract_text("经大数据梳理，2026年政府工作报告中，“建设”出现57次。到2027年，对示范项目给予最高20%且"
                     "不超过1000万元支持；培育3至5家千亿元人民币以上规模的企业。高盛预测，到2035年具身智能"
                     "可替代25%制造业岗位。")
    assert [(t.value, t.upper, t.unit, t.threshold) for t in a.targets] == [(3.0, 5.0, "家", 1e11)]
    assert {t.value for t in a.other_quantities} >= {57.0, 20.0, 1e7, 25.0}


def test_a_report_then_an_aim_by_the_end_of_this_year():
    a = extract_text("截至目前，全省新能源装机超6000万千瓦，到年底新能源装备制造产业链产值将突破400亿元。"
                     "相隔不到两个月，又出台新政。", published="2024-10-28")
    assert [(t.value, t.deadline) for t in a.targets] == [(4e10, 2024)]
    assert [t.value for t in a.statistics] == [6e7]


def test_this_year_before_any_year_on_an_undated_page_is_the_first_year_it_names():
    a = extract_text("今年全区新能源领域重大项目力争完成1800亿元以上投资。力争2024年电力装机突破2.6亿千瓦。")
    assert [(t.value, t.deadline) for t in a.targets] == [(1.8e11, 2024), (2.6e8, 2024)]


def test_years_that_label_lists_and_years_paired_with_figures():
    a = extract_text("规划目标：2025年——制氢产能6-8万吨/年，加氢站10座；\n2030年——加氢站70座。\n"
                     "在2023年海洋生产总值占比33.8%的基础上，至2026年达到40%，为2030年、2035年全省"
                     "海洋生产总值突破6000亿元、1万亿元的目标奠定基础。", published="2024-08-28")
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [
        (6e4, "吨/年", 2025), (10.0, "座", 2025), (70.0, "座", 2030), (40.0, "%", 2026),
        (6e11, "元", 2030), (1e12, "元", 2035)]
    assert [(t.value, t.year) for t in a.statistics] == [(33.8, 2023)]


def test_a_headline_restating_a_figure_under_the_plans_period_is_one_target():
    a = extract_text("新疆将培育8个超千亿元产业集群\n《新疆制造业行动方案(2016—2020年)》提出，到2025年，"
                     "形成8个超千亿元、具有较强竞争力的产业集群。培育20家以上年营业收入超100亿元的企业。",
                     published="2016-08-23")
    assert [(t.value, t.threshold, t.deadline, len(t.mentions)) for t in a.targets] == [
        (8.0, 1e11, 2025, 1), (20.0, 1e10, 2025, 0)]


def test_past_actions_and_a_way_walked_are_not_aims():
    a = extract_text("太原市先后出台《数字经济实施方案(2023—2025年)》，设立5000万元专项资金。"
                     "下一步，将走出一条绿色低碳发展之路。")
    assert not a.targets
    assert [q.value for q in a.statistics + a.other_quantities] == [5e7, 1.0]  # found, not aims


def test_quantities_in_units_and_classes_of_real_plans():
    from nqpf.extract.numbers import find_quantities

    got = [(q.value, q.unit, q.comparator, q.threshold) for q in find_quantities(
        "接待游客3000万人(次)，旅游业就业总人数达到35万，集装箱吞吐量达到2150万标箱，总产值迈上万亿元台阶；"
        "培育旅游总收入千亿元地级市3个、亿元乡镇30个以上，超百亿元的具有核心竞争力的龙头企业5家左右")]
    assert got == [(3e7, "人次", "=", None), (3.5e5, "人", "=", None), (2.15e7, "标箱", "=", None),
                   (1e12, "元", ">=", None), (3.0, "个", "=", 1e11), (30.0, "个", ">=", 1e8),
                   (5.0, "家", "~", 1e10)]


def test_five_years_from_a_congress_first_session_count_its_year_as_the_first():
    a = extract_text("贵阳市十四届人大一次会议开幕，市长作政府工作报告。今后五年，全市生产总值年均增长"
                     "11%左右。围绕“一个目标、三个建成”，坚守发展和生态两条底线。", published="2017-02-17")
    assert [(t.value, t.deadline) for t in a.targets] == [(11.0, 2021)]


def test_short_lines_of_a_list_are_not_restatements_of_each_other():
    a = extract_text("2024年主要目标\n\n社会消费品零售总额增长7%\n\n固定资产投资增长7%\n\n"
                     "城镇新增就业110万人以上\n", published="2024-01-29")
    assert [(t.value, t.metric) for t in a.targets] == [
        (7.0, "社会消费品零售总额增长"), (7.0, "固定资产投资增长"), (1.1e6, "城镇新增就业")]


def test_a_years_goals_named_in_one_sentence_carry_through_the_paragraph():
    a = extract_text("报告提出了2024年新的预期目标，其中包括地区生产总值增长6%左右。此外，"
                     "地方一般公共预算收入增长6%，规模工业增加值增长7%等。", published="2024-01-24")
    assert [(t.value, t.deadline) for t in a.targets] == [(6.0, 2024), (6.0, 2024), (7.0, 2024)]


def test_a_line_announcing_a_year_heads_the_list_after_it():
    a = extract_text("2025年重庆在经济发展等方面将呈现以下变化:\n一、经济高质量发展\n-\n预计GDP增长6%左右，"
                     "规上工业增加值增长8%。\n-\n建设100个口袋公园、10座体育公园。\n")
    assert [(t.value, t.deadline) for t in a.targets] == [(6.0, 2025), (8.0, 2025), (100.0, 2025),
                                                          (10.0, 2025)]


def test_an_undated_page_that_names_its_year_through_a_five_year_plan():
    a = extract_text("市长在报告中说，今年是“十五五”开局起步之年。\n今年经济社会发展主要预期目标是："
                     "地区生产总值增长4.5%；城镇新增就业28万人。")
    assert [(t.value, t.deadline) for t in a.targets] == [(4.5, 2026), (2.8e5, 2026)]


def test_paragraphs_opening_with_a_run_in_goal_heading_continue_the_horizon():
    a = extract_text("到2027年，核心产业规模达到500亿元以上。\n领军企业持续壮大。培育20家左右领军企业。\n"
                     "标志性产品持续突破。打造30个以上标志性产品。\n", published="2024-10-09")
    assert [(t.value, t.deadline) for t in a.targets] == [(5e10, 2027), (20.0, 2027), (30.0, 2027)]
    # a run-in heading that reports does not
    a = extract_text("到2027年，核心产业规模达到500亿元以上。\n数字基础设施建设取得积极进展。"
                     "建成4G基站21.5万个。\n", published="2024-10-09")
    assert [t.value for t in a.targets] == [5e10]


def test_an_undated_page_that_names_its_year_through_a_party_congress():
    a = extract_text("今年是全面贯彻党的二十大精神的开局之年。今年经济社会发展主要预期目标是："
                     "经济增长5%左右。")
    assert [(t.value, t.deadline) for t in a.targets] == [(5.0, 2023)]


def test_a_work_reports_five_years_and_a_plans_first_batch():
    a = extract_text("贵州省《政府工作报告》提出，未来五年，数字经济占地区生产总值比重达52%左右。",
                     published="2023-01-16")
    assert [(t.value, t.deadline) for t in a.targets] == [(52.0, 2027)]
    a = extract_text("省长作政府工作报告。建成“十四五”第一批风光电项目。力争开工建设3-4个抽水蓄能电站。",
                     published="2022-01-19")
    assert [(t.value, t.deadline) for t in a.targets] == [(3.0, 2022)]


def test_size_classes_before_ranges_and_floors_of_capacity_in_a_work_report():
    from nqpf.extract.numbers import find_quantities

    assert [(q.value, q.upper, q.threshold) for q in find_quantities("其中10亿元以上规模企业2-5家")] == [
        (2.0, 5.0, 1e9)]
    a = extract_text("省长作政府工作报告。力争并网装机2500万千瓦以上，建成拓展场景应用规模1000万千瓦以上。",
                     published="2023-01-18")
    assert [(t.value, t.deadline) for t in a.targets] == [(2.5e7, 2023), (1e7, 2023)]


def test_goal_leads_plans_presented_at_press_events_and_classes_of_one_industry():
    a = extract_text("1月8日，浙江召开全省经信工作会议，总结2025年工业发展成绩，并明确2026年工业经济"
                     "“作战图”。目标包括规上工业增加值增长6%左右、制造业投资增长8%以上。")
    assert [(t.value, t.deadline) for t in a.targets] == [(6.0, 2026), (8.0, 2026)]
    a = extract_text("记者从19日召开的天津市制造业高质量发展“十四五”规划新闻发布会获悉。重点培育10条以上"
                     "产业链，商业火箭形成年产100发能力，建设时速250公里以上的高铁。", published="2021-08-23")
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [(10.0, "条", 2025), (100.0, "发", 2025)]
    a = extract_text("到2025年，打造绿色能源千亿级产业；到2030年形成千亿级产业规模，打造成为新的万亿级"
                     "产业集群。", published="2023-01-01")
    assert [(t.value, t.threshold, t.deadline) for t in a.targets] == [(1e11, None, 2030), (None, 1e12, 2030)]


def test_comparisons_all_provinces_a_plans_indicators_and_a_plan_that_proposes():
    a = extract_text("到“十五五”末，全省新能源装机总量要突破1.3亿千瓦，相当于6个三峡电站。本文评估中国31个"
                     "省市自治区的竞争度。纲要草案提出29个主要指标、15项二级量化目标。",
                     published="2025-11-01")
    assert [(t.value, t.deadline) for t in a.targets] == [(1.3e8, 2030)]
    a = extract_text("本月初印发的《冰雪旅游实施方案(2025—2026年)》划定目标，力争游客总花费增长15%以上。"
                     "此后公布的“十五五”规划建议更提出，“力争四大产业总规模达到一万亿元”。",
                     published="2025-11-20")
    assert [(t.value, t.deadline) for t in a.targets] == [(15.0, 2026), (1e12, 2030)]


def test_a_work_reports_count_of_products_is_the_years_aim_not_a_structure_built_over_years():
    a = extract_text("省长作政府工作报告。报告指出，贵州将打造数据产品100个以上，打造10个千亿级产业集群。",
                     published="2025-01-22")
    assert [(t.value, t.deadline) for t in a.targets] == [(100.0, 2025), (10.0, None)]


def test_the_year_a_projected_change_starts_from_is_not_its_deadline():
    a = extract_text("重庆市地区生产总值预计从2017年的2.01万亿元增加到2.9万亿元以上。")
    assert all(t.deadline != 2017 for t in a.targets)
    # the level it starts from is reported, the level it goes to is no aim of 2017
    assert 2.01e12 in [t.value for t in a.statistics]
    assert all(t.deadline is None for t in a.targets + a.statistics)


def test_a_voucher_cap_is_not_an_aim_and_robot_density_has_its_rate():
    a = extract_text("到2025年，工业机器人使用密度力争达到360台/万人；发放“成长券”，最高50万元。")
    assert [(t.value, t.unit) for t in a.targets] == [(360.0, "台/万人")]
    from nqpf.extract.numbers import find_quantities

    got = find_quantities("奶牛存栏100万头、滩羊1770万只，培育10家头部企业")
    assert [(q.value, q.unit) for q in got] == [(1e6, "头"), (1.77e7, "只"), (10.0, "家")]


def test_subsidies_people_kinds_and_a_size_before_a_noun():
    from nqpf.extract.numbers import find_quantities

    got = find_quantities("新增年产值10亿元以上制造业企业100家，新引育90名科技人才，培育100种产品，"
                          "形成一种新模式")
    assert [(q.value, q.unit, q.threshold) for q in got] == [
        (100.0, "家", 1e9), (90.0, "人", None), (100.0, "种", None)]
    a = extract_text("到2028年，按照最高不超过合同金额的30%给予支持，最 高不超过2000万元。")
    assert not a.targets
    assert sorted(q.value for q in a.other_quantities) == [30.0, 2e7]  # found, not aims
    a = extract_text("到2028年，按照最高不超过合同金额的30%给予支持。到2028年，新增企业100家。")
    assert [(t.value, t.deadline) for t in a.targets] == [(100.0, 2028)]  # the aim beside it


def test_an_autonomous_prefecture_by_its_short_name():
    from nqpf.extract.places import find_places

    assert [(p.name, p.province, p.city) for p in find_places("黔西南州、恩施州和伊犁州")] == [
        ("黔西南州", "520000", "522300"), ("恩施州", "420000", "422800"), ("伊犁州", "650000", "654000")]


def test_the_base_of_a_comparison_is_not_the_year_a_paragraph_reports_on():
    a = extract_text("到2017年，全省地区生产总值比2010年翻一番以上。公共财政收入年均增长12%以上。",
                     published="2013-01-26")
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [(2.0, "倍", 2017), (12.0, "%", 2017)]


def test_projects_counted_past_their_size_class_are_plan_items():
    a = extract_text("今年，省经信委将重点推进170项10亿元以上重大工业项目和50项在建项目。",
                     published="2014-01-18")
    assert not a.targets
    items = sorted((q.value, q.threshold) for q in a.other_quantities if q.role == "plan_item")
    assert items == [(50.0, None), (170.0, 1e9)]  # 10亿元以上: the size of each of the 170


def test_a_year_still_to_come_before_a_subject_and_a_verb_of_creation():
    a = extract_text("加快开展无人配送等应用场景，2027年全省部署运行1.5万辆以上低速无人配送车。",
                     published="2025-05-13")
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [(15000.0, "辆", 2027)]


def test_a_province_speaking_of_itself_is_not_the_country_and_neither_is_a_national_hub():
    a = extract_text("我省工业实现了从全国中下游向中等靠前水平的跃升，降低陕西经济对资源的依赖。"
                     "力争到2021年，高端装备制造业实现产值5200亿元，飞机制造业保持全国前三位。",
                     published="2017-08-31")
    assert [(t.value, t.region) for t in a.targets] == [(5.2e11, "610000")]
    a = extract_text("山东印发《方案》。《方案》围绕打造全国人工智能示范应用高地，明确到2027年培育20个"
                     "人工智能大模型。", published="2025-05-13")
    assert [(t.value, t.region) for t in a.targets] == [(20.0, "370000")]


def test_a_year_that_opens_a_sentence_looking_ahead_on_an_undated_page():
    a = extract_text("2025年，合肥将持续提升三大产业集群能级。产业规模方面，合肥力争新能源汽车产业营收规模"
                     "突破5000亿元、先进光储产业集群突破2000亿元。")
    assert [(t.value, t.deadline) for t in a.targets] == [(5e11, 2025), (2e11, 2025)]


def test_the_pages_own_year_named_as_a_goal_and_this_years_aim():
    a = extract_text("成都的目标是，2024年人工智能产业规模达到1000亿元，2026年达到1700亿元。",
                     published="2024-06-20")
    assert [(t.value, t.deadline) for t in a.targets] == [(1e11, 2024), (1.7e11, 2026)]
    a = extract_text("带动企业稳产满产，力争一汽集团全年整车生产实现260万辆。", published="2023-02-10")
    assert [(t.value, t.deadline) for t in a.targets] == [(2.6e6, 2023)]
    a = extract_text("2016年，力争全年实现旅游总收入330亿元。全年实现地区生产总值增长6%。",
                     published="2016-01-20")
    assert [(t.value, t.deadline) for t in a.targets] == [(3.3e10, 2016)]


def test_projects_left_over_from_a_plan_period_give_no_deadline():
    a = extract_text("近日，随着“十三五”存量风电项目陆续并网，海西州可再生能源装机规模达到1012万千瓦。")
    assert not a.targets
    assert [t.value for t in a.statistics + a.other_quantities] == [1.012e7]


def test_an_undated_pages_year_with_a_subject_before_its_verb_needs_a_verb_of_the_future():
    a = extract_text("到2025年，低空经济规模力争达到600亿元。2023年产业规模达到450亿元，占全国的10%。")
    assert [(t.value, t.deadline) for t in a.targets] == [(6e10, 2025)]
    a = extract_text("到2025年力争实现低空经济600亿元规模的发展目标。低空经济规模力争达到600亿元。",
                     published="2024-05-20")
    assert len(a.targets) == 1 and len(a.targets[0].mentions) == 1  # one aim, restated


def test_a_target_list_named_without_brackets_and_a_years_expected_targets_heading():
    a = extract_text("省发改委梳理汇总出全省“十四五”县域发展目标任务清单。\n"
                     "我省将创建国家级经开区2个、省级创新示范县25个。", published="2021-08-21")
    assert [(t.value, t.deadline, t.region) for t in a.targets] == [(2.0, 2025, None), (25.0, 2025, None)]
    a = extract_text("哈尔滨新区2024年工作安排\n经济社会发展预期目标\n●地区生产总值增长6.5%左右\n"
                     "●进出口总额增长30%以上", published="2024-02-20")
    assert [(t.value, t.deadline) for t in a.targets] == [(6.5, 2024), (30.0, 2024)]


def test_older_five_year_plans_prices_per_kilogram_and_ranges_with_two_multipliers():
    a = extract_text("在‘十二五’期间，工业增加值将超过2万亿元。", published="2010-07-01")
    assert [(t.value, t.deadline) for t in a.targets] == [(2e12, 2015)]
    a = extract_text("到2025年，氢气终端售价降至30元/千克以下。")
    assert [(t.value, t.unit, t.comparator) for t in a.targets] == [(30.0, "元/千克", "<=")]
    from nqpf.extract.numbers import find_quantities

    assert [(q.value, q.upper) for q in find_quantities("工业总产值从7000亿到2万亿元")] == [(7e11, 2e12)]


def test_a_word_ending_in_a_two_character_county_name_is_not_the_county():
    from nqpf.extract.places import find_places

    assert [p.name for p in find_places("创建省级创新示范县25个，各区和县，河南范县")] == ["河南", "范县"]


def test_a_line_citing_a_plan_that_ends_in_a_colon_leads_its_goals():
    a = extract_text("苏州发布的《苏州市推进新型工业化2026年行动方案》明确：\n"
                     "工业增加值1.2万亿元以上，生产性服务业增加值达8500亿元。")
    assert [(t.value, t.deadline, t.deadline_source) for t in a.targets] == [
        (1.2e12, 2026, "heading"), (8.5e11, 2026, "heading")]


def test_a_year_that_opens_a_sentence_outranks_a_plans_period():
    a = extract_text("《贵州省人工智能行动方案(2025—2027年)》提出目标。\n"
                     "2025年，全省算力规模达到150EFLOPS；打造10个以上高质量数据集。\n"
                     "2026年，全省算力规模达到180EFLOPS。", published="2025-01-08")
    assert [(t.value, t.deadline) for t in a.targets] == [(150.0, 2025), (10.0, 2025), (180.0, 2026)]


def test_a_table_of_indicators_flattened_into_cells():
    a = extract_text("重庆市数字经济创新发展行动计划\n表1 主要指标\n序号 |\n主要指标 |\n单位 |\n2022年 |\n"
                     "2027年 |\n来源 |\n总体 |\n数字经济增加值占GDP的比重 |\n% |\n45.4 |\n50 |\n市统计局 |\n"
                     "数字经济重点企业 |\n家 |\n/ |\n500 |\n市经济信息委 |\n1 |\n全员劳动生产率 |\n"
                     "万元/人 |\n预期性 |\n36左右 |\n- |\n2 |\n城镇调查失业率 |\n% |\n预期性 |\n- |\n"
                     "<5.5 |\n",
                     published="2023-12-13")
    assert [(t.metric, t.value, t.unit, t.comparator, t.deadline, t.region) for t in a.targets] == [
        ("数字经济增加值占GDP的比重", 50.0, "%", "=", 2027, "500000"),
        ("数字经济重点企业", 500.0, "家", "=", 2027, "500000"),
        ("全员劳动生产率", 3.6e5, "元/人", "~", 2027, "500000"),
        ("城镇调查失业率", 5.5, "%", "<", 2027, "500000")]


def test_densities_ages_bare_hundreds_of_billions_and_an_agencys_data():
    from nqpf.extract.numbers import find_quantities

    got = find_quantities("铁路网密度达到507公里/万平方公里，人均预期寿命达到78.8岁，全产业链营收突破千亿")
    assert [(q.value, q.unit, q.comparator) for q in got] == [
        (507.0, "公里/万平方公里", "="), (78.8, "岁", "="), (1e11, "元", ">")]
    got = find_quantities("培育1-2家营业收入过千亿、3-4家营业收入过百亿的龙头企业")
    assert [(q.value, q.upper, q.unit) for q in got] == [(1.0, 2.0, "家"), (3.0, 4.0, "家")]
    a = extract_text("中国民航局发布的数据显示，到2025年，低空经济市场规模将达1.5万亿元。")
    assert not a.targets and [q.value for q in a.other_quantities] == [1.5e12]


def test_the_word_after_a_lists_last_value_is_every_values():
    a = extract_text("到2020年，有色金属、装备制造、农畜产品加工比重分别提高到10%、8%和18%以上。")
    assert [(t.value, t.comparator) for t in a.targets] == [(10.0, ">="), (8.0, ">="), (18.0, ">=")]


def test_one_value_for_each_item_of_a_list():
    a = extract_text("到2017年，汽车及零部件、现代家居、服装服饰产业主营业务收入分别达到4000亿元左右，"
                     "装备制造、食品产业主营业务收入均突破1.2万亿元。")
    assert [(t.metric, t.value) for t in a.targets] == [
        ("汽车及零部件产业主营业务收入", 4e11), ("现代家居产业主营业务收入", 4e11),
        ("服装服饰产业主营业务收入", 4e11), ("装备制造产业主营业务收入", 1.2e12),
        ("食品产业主营业务收入", 1.2e12)]


def test_outperforming_the_country_and_a_park_named_after_a_city():
    a = extract_text("2026年吉林省地区生产总值目标增长5%左右，一般公共预算收入增长3.7%，努力跑赢全国；"
                     "新能源产业产值增长8%以上。", published="2026-01-20")
    assert {t.region for t in a.targets} == {"220000"}
    from nqpf.extract.places import find_places

    assert [p.name for p in find_places("来源：朝阳园管委会，北京市")] == ["北京市"]


def test_a_step_of_a_sum_a_share_in_digits_and_standard_cubic_metres():
    a = extract_text("到2026年，全省地区生产总值达到2万亿台阶，其中二产占GDP比重达到1/3以上，"
                     "氢气年消费量超过3亿标准立方。")
    assert [(t.value, t.unit, t.comparator) for t in a.targets] == [
        (2e12, "元", "="), (33.3333333333, "%", ">="), (3e8, "标准立方米", ">")]
    a = extract_text("到2026年，全产业链营收突破千亿。")  # a clause whose only quantity is a word
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [(1e11, "元", 2026)]


def test_a_year_then_an_aim_with_no_verb_and_each_item_growing_by_one_rate():
    a = extract_text("江西电子信息产业提出到2020年力争5000亿元，2023年力争一万亿元。", published="2017-06-01")
    assert [(t.value, t.deadline) for t in a.targets] == [(5e11, 2020), (1e12, 2023)]
    a = extract_text("到2015年，进出口总额、实际利用外资分别增长20%左右，R&D投入年均增长12%以上。")
    assert [(t.metric, t.value) for t in a.targets[:2]] == [
        ("进出口总额增长", 20.0), ("实际利用外资增长", 20.0)]
    assert [t.value for t in a.targets] == [20.0, 20.0, 12.0]  # 年均 is no 均


def test_the_same_value_for_two_items_of_a_list_is_two_targets():
    a = extract_text("到2020年，发展重点和具体目标是：计算机和网络通信产业集群实现产值2500亿元；"
                     "高端装备产业集群实现产值2200亿元；汽车产业集群实现产值2500亿元。")
    assert [t.value for t in a.targets] == [2.5e11, 2.2e11, 2.5e11]


def test_a_size_class_straight_after_a_count_daily_tonnes_and_visits():
    from nqpf.extract.numbers import find_quantities

    got = find_quantities("形成9个300亿元以上产业集聚区，加氢总能力达到74吨/日，接待旅游人次7300万")
    assert [(q.value, q.unit, q.threshold) for q in got] == [
        (9.0, "个", 3e10), (74.0, "吨/日", None), (7.3e7, "人次", None)]


def test_an_address_that_files_a_page_under_a_month_gives_its_year():
    a = extract_text("http://www.example.cn/a/202409/854.html\n\n未来五年，湖北将力争实现电子信息产业规模突破1.2万亿元。")
    assert [(t.value, t.deadline) for t in a.targets] == [(1.2e12, 2029)]
    assert a.published is None  # a year and month, not a date


def test_a_plan_presented_at_a_quoted_press_conference_and_a_comparisons_base_in_a_list():
    a = extract_text("河北省政府新闻办召开“河北省工业转型升级‘十三五’规划解读”新闻发布会。\n"
                     "具体来看，质量效益方面，河北省工业增加值率比2015年提高2个百分点，制造业质量竞争力"
                     "指数达到82.5；两化融合方面，"
                     "数字化研发设计工具普及率达到65%。", published="2016-11-15")
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [
        (2.0, "个百分点", 2020), (82.5, "", 2020), (65.0, "%", 2020)]


def test_sectors_a_list_counts_figures_of_a_state_and_nouns_of_building_are_no_aim():
    a = extract_text("省政府强调，要培育壮大航空航天、电子信息、新材料、高端装备、农机装备等"
                     "五个战略性新兴产业。"
                     "通过这些措施，全省将形成一个质量引领、多点支撑的新格局，这将是一次质的飞跃。"
                     "兰州新区总面积1744平方公里，建设面积246平方公里，现有人口32万人。")
    assert a.targets == []
    a = extract_text("到2025年，打造电子信息、生命健康、汽车、高端装备4个万亿级产业集群。")
    assert [(t.value, t.threshold) for t in a.targets] == [(4.0, 1e12)]  # counted at a class: an aim


def test_this_years_goals_on_a_page_with_no_year_and_two_measures_of_one_value():
    a = extract_text("今年我区经济社会发展的主要预期目标是：地区生产总值增长7%左右；"
                     "城镇调查失业率控制在5.5%以内。")
    assert [(t.value, t.comparator, t.deadline) for t in a.targets] == [(7.0, "~", None), (5.5, "<=", None)]
    a = extract_text("《规划》明确，到2025年，全市电子信息产业实现营业收入500亿元，《规划》明确，"
                     "全市绿色食品产业实现营业收入500亿元。")
    assert [(t.metric, t.value) for t in a.targets] == [
        ("电子信息产业实现营业收入", 5e10), ("绿色食品产业实现营业收入", 5e10)]


def test_a_plans_first_year_is_no_horizon_and_an_index_has_a_bare_value():
    a = extract_text("作为“十五五”开局之年，2026年山东地区生产总值预期增长5%以上。", published="2026-01-28")
    assert [(t.value, t.deadline) for t in a.targets] == [(5.0, 2026)]
    a = extract_text("到2020年，制造业质量竞争力指数达到82.5。")
    assert [(t.value, t.unit, t.deadline) for t in a.targets] == [(82.5, "", 2020)]


def test_a_heading_of_this_years_goals_over_tag_lines_and_projects_built_listed():
    a = extract_text("全年目标\n【全国】\n国内生产总值增长5%左右。\n【江苏】\n地区生产总值增长5%以上。\n"
                     "扩大内需\n加快建设500个省重大项目和200个民间投资重点产业项目。", published="2025-03-07")
    assert [(t.value, t.comparator, t.deadline, t.deadline_source) for t in a.targets] == [
        (5.0, "~", 2025, "heading")]  # (the same figure for 江苏 joins it: one target)
    assert {t.role for t in a.other_quantities if t.value in (500.0, 200.0)} == {"plan_item"}
