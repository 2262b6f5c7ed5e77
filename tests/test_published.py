"""The page's own publication date: address, time stamp, label, signature, dateline."""

import json
from pathlib import Path

import pytest

from nqpf.extract.inputs import parse_html, parse_text, read_inputs
from nqpf.extract.published import find_published

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://www.example.cn/zyfz/2024/0125/c4633a160354/page.htm", "2024-01-25"),
    ("https://news.example.com/n/20240125/47783755.html", "2024-01-25"),
    ("http://www.example.cn/cn/local/202401/t20240125_7328647.html", "2024-01-25"),
    ("http://m.example.net/hyzx/202401/25/14087.html", "2024-01-25"),
    ("http://m.example.com/news/guonei/2024-01-25/1844815.html", "2024-01-25"),
    ("http://m.example.com/news/35/20221124103833.html", "2022-11-24"),
    ("http://www.example.org/news_20240125.shtml", "2024-01-25"),
    ("https://www.example.com.hk/news-article/20260306847", "2026-03-06"),  # a longer number
    ("http://www.example.cn/news/20241325.html", None),  # month 13
    ("http://www.example.cn/news/20990125.html", None),  # implausible year
    ("http://www.example.cn/p/12576133.html", None),
    ("https://news.example.net/1/detail/1215205954699677696/web/c.html", None),
    ("http://20240125.example.cn/a/1.html", None),  # the host is not a date
])
def test_address(url, expected):
    assert find_published("正文。", url) == (expected, "url" if expected else None)


@pytest.mark.parametrize(("text", "expected"), [
    # page time stamps
    ("标题\n2024-01-25 10:32\n正文。", ("2024-01-25", "timestamp")),
    ("標題\n2024年01月25日 10:32 來源：人民網\n正文。", ("2024-01-25", "timestamp")),
    ("标题\n2024/01/25\n正文。", ("2024-01-25", "timestamp")),
    ("标题\n2024.01.25 星期四\n正文。", ("2024-01-25", "timestamp")),
    ("打造15个千亿级产业群！某省发布政府工作报告2023-01-30 14:22来源:某网浏览数:255次\n正文",
     ("2023-01-30", "timestamp")),
    (" date 2026-01-27 未來五年，北京將做大產業集群。", ("2026-01-27", "timestamp")),
    ("2024-01-25T10:32:00+08:00\n正文。", ("2024-01-25", "timestamp")),
    ("标题\n２０２４－０１－２５　１０：３２\n正文。", ("2024-01-25", "timestamp")),
    ("25/01/2024 15:23\n正文。", ("2024-01-25", "timestamp")),  # day first: unambiguous
    ("06/03/2026 15:23\n正文。", ("2026-03-06", "timestamp")),  # ambiguous: day first
    ("06/03/2026 15:23\n新华社北京6月3日电 正文。", ("2026-06-03", "dateline")),  # resolved
    # labels, Simplified and Traditional, either colon, pinyin glosses
    ("发布时间：2024-01-25\n正文。", ("2024-01-25", "label")),
    ("發布時間:2024年1月25日\n正文。", ("2024-01-25", "label")),
    ("發(fā)布時(shí)間:2022-12-17 10:31:00來源: 人民網(wǎng)\n正文", ("2022-12-17", "label")),
    ("发布日期：2024.01.25\n正文。", ("2024-01-25", "label")),
    ("来源：某某网   时间：2018-10-24\n正文。", ("2018-10-24", "label")),
    ("時間：2024-01-25\n正文。", ("2024-01-25", "label")),
    ("日期 2024-01-25\n正文。", ("2024-01-25", "label")),
    ("新闻发布时间：2024-01-25\n正文。", ("2024-01-25", "label")),
    # a notice's signature
    ("各市人民政府：\n现印发给你们。\n某某省人民政府\n\n2024年4月22日\n（此件公开发布）",
     ("2024-04-22", "signature")),
    ("现印发给你们。\n某某市人民政府办公厅\n二〇二四年四月二十二日", ("2024-04-22", "signature")),
    ("成文日期：2024年04月22日\n正文。", ("2024-04-22", "signature")),
    # datelines
    ("新华社北京2024年1月25日电（记者 某某）正文。", ("2024-01-25", "dateline")),
    ("新華社北京1月25日電 正文。", (None, None)),  # no year anywhere
    # body dates, events and the site's "today" are not the page's date
    ("2023年12月26日，某省人民政府办公厅印发《方案》。", (None, None)),
    ("【某网 政策法规】2023年12月26日，某省人民政府办公厅印发《方案》。", (None, None)),
    ("2024年1月25日国务院常务会议\n正文。", (None, None)),
    ("（2024年1月5日）\n正文。", (None, None)),
    ("会议时间：2024年1月25日\n正文。", (None, None)),
    ("截止时间：2024-01-25 17:00\n正文。", (None, None)),
    ("今天是2024年1月25日 星期四\n正文。", (None, None)),
    ("于2024年1月25日 10:00举行会议。", (None, None)),
    ("2月24日，某省发布《方案》。提出到2025年，某某超过42%。", (None, None)),
])
def test_text(text, expected):
    assert find_published(text) == expected


@pytest.mark.parametrize(("text", "url", "expected"), [
    ("新华社北京1月25日电 正文。", "http://a.example.cn/2024/news/1.html", "2024-01-25"),
    ("本报北京12月31日电 正文。", "http://a.example.cn/202401/a1.html", "2023-12-31"),
    ("中新社北京1月25日電 正文。", "http://a.example.cn/2026-01-27/1.html", "2026-01-27"),  # never overrides
    ("06/03/2026 15:23\n正文。", "https://a.example.hk/a/20260306847", "2026-03-06"),
    ("发布时间：2024-02-01\n正文。", "http://a.example.cn/2024/0125/c1.html", "2024-01-25"),  # url first
])
def test_evidence_combined(text, url, expected):
    assert find_published(text, url)[0] == expected


def test_first_line_address():
    assert find_published("http://a.example.cn/2024/0125/c1.html\n正文。") == ("2024-01-25", "url")
    assert find_published("http://a.example.cn/p/1.html\n发布时间：2024-01-25\n正文") == (
        "2024-01-25", "label")


def test_plain_text_inputs(tmp_path):
    (tmp_path / "a.txt").write_text("http://a.example.cn/202401/t20240125_1.html\n正文。\n",
                                    encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in [
        {"text": "正文。", "url": "http://a.example.cn/2024/0125/c.html"},
        {"text": "正文。", "url": "http://a.example.cn/2024/0125/c.html", "published": "2024-01-26"},
        {"text": "发布时间：2024-01-27\n正文。"}]) + "\n", encoding="utf-8")
    got = [(a.source, a.published) for a in read_inputs([tmp_path])]
    assert got == [("http://a.example.cn/202401/t20240125_1.html", "2024-01-25"),
                   ("http://a.example.cn/2024/0125/c.html", "2024-01-25"),
                   ("http://a.example.cn/2024/0125/c.html", "2024-01-26"),
                   (None, "2024-01-27")]
    assert parse_text("本报讯 正文。", source="stdin").published is None


def test_html_falls_back_on_our_date(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: {"text": "正文。"})
    page = ("<html><head><title>通知</title></head><body><p>各市人民政府：</p><p>现印发给你们。</p>"
            "<p>某某省人民政府</p><p>2024年4月22日</p></body></html>")
    assert parse_html(page).published == "2024-04-22"
    page = ('<html><head><link rel="canonical" href="https://a.example.cn/2024/0125/c.html">'
            "</head><body><p>正文。</p></body></html>")
    assert parse_html(page).published == "2024-01-25"


@pytest.mark.skipif(not (CORPUS / "gold.jsonl").is_file(), reason="the shared corpus is absent")
def test_corpus_gold_dates():
    gold = [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    got = {g["file"]: find_published((CORPUS / "articles" / g["file"]).read_text(encoding="utf-8"))[0]
           for g in gold}
    assert got == {g["file"]: g["published"] for g in gold}


def test_a_stamp_with_a_time_of_day_before_the_publisher():
    text = "当前位置:新闻资讯 > 正文\n\n标题\n\n2025/3/10 16:02:59  海南省发展和改革委员会     人气:663\n"
    assert find_published(text) == ("2025-03-10", "timestamp")


def test_a_date_glued_to_a_column_code_yields_to_the_page():
    text = ("http://www.example.gov.cn/col/szfbgswj202303312215/pc/content_17.html\n"
            "各县、区人民政府：\n印发给你们，请认真贯彻执行。\n2020年11月17日\n某市实施方案\n")
    assert find_published(text) == ("2020-11-17", "timestamp")
