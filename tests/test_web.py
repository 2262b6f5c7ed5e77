"""The dashboard through its HTTP interface: API, pages, comments and their protections."""

import re

import pytest
from fastapi.testclient import TestClient

from nqpf.extract import extract_article
from nqpf.store import Store
from nqpf.web import create_app


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, samples_dir):
    store = Store(tmp_path_factory.mktemp("web") / "w.duckdb")
    store.add_article(extract_article(samples_dir / "seed_article.txt"))
    return store


@pytest.fixture
def client(seeded):
    return TestClient(create_app(seeded, admin_token="letmein", moderation=False))


ADMIN = {"Authorization": "Bearer letmein"}


def login(client, token="letmein"):
    """Log in at /admin/login as a person would: the form, its CSRF token, the token."""
    html = client.get("/admin/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    return client.post("/admin/login", data={"csrf": csrf, "token": token, "next": "/admin"},
                       follow_redirects=False)


def answer_of(client, cid):
    return client.app.state.captchas._answers[cid][0]


def comment_form(client, url):
    html = client.get(url).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    cid = re.search(r'name="captcha_id" value="([^"]+)"', html).group(1)
    page_id = re.search(r'name="page_id" value="([^"]+)"', html).group(1)
    return {"csrf": csrf, "captcha_id": cid, "page_id": page_id, "back": url}


def test_api_endpoints(client):
    regions = client.get("/api/regions").json()
    assert len(regions) == 31 and regions[0]["adcode"] == "110000"
    idx = client.get("/api/index", params={"preset": "innovation", "flavour": "scale"}).json()
    assert idx["ranking"][0]["province"] == "广东" and idx["year"] == 2023
    assert client.get("/api/index", params={"preset": "x"}).status_code == 404
    iv = client.get("/api/rank-intervals", params={"year": 2023}).json()
    assert len(iv) == 31 and iv[0]["province"] == "北京"
    panel = client.get("/api/panel", params={"indicator": "rd_intensity", "year": 2021}).json()
    assert any(r["province"] == "北京" and r["value"] == 6.53 for r in panel)
    assert client.get("/api/panel", params={"indicator": "nope"}).status_code == 404
    targets = client.get("/api/targets", params={"region": "陝西"}).json()
    assert targets["total"] == 2 and targets["next"] is None
    assert sorted(t["deadline"] for t in targets["items"]) == [2025, 2035]
    # pages: limit and offset, the total and the next page's address
    every = client.get("/api/targets").json()
    first = client.get("/api/targets", params={"limit": 2}).json()
    assert first["total"] == every["total"] > 2 and len(first["items"]) == 2
    assert first["items"] == every["items"][:2] and "offset=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["items"] == every["items"][2:4]
    assert client.get("/api/targets", params={"limit": 5000}).status_code == 422
    assert client.get("/api/targets", params={"status": "late"}).status_code == 422
    arts = client.get("/api/articles", params={"limit": 1}).json()
    assert (arts["total"], [a["id"] for a in arts["items"]], arts["next"]) == (1, [1], None)
    assert client.get("/api/articles", params={"offset": 1}).json()["items"] == []
    docs = client.get("/api/documents", params={"region": "上海"}).json()
    assert docs["total"] == len(docs["items"]) > 0
    assert {d["region"] for d in docs["items"]} == {"310000"}
    assert client.get("/api/targets", params={"region": "火星"}).status_code == 404
    art = client.get("/api/articles/1").json()
    assert len(art["documents"]) == 4 and art["script"] == "traditional"
    assert {i["term"] for i in client.get("/api/industries").json()} >= {"人工智能", "集成电路"}
    schema = client.get("/openapi.json").json()
    assert "/api/targets" in schema["paths"] and "/api/index" in schema["paths"]


def test_api_observation(client):
    tid = client.get("/api/targets", params={"region": "上海"}).json()["items"][0]["id"]
    obs = {"value": 5e11, "date": "2025-04-15", "source": "年报"}
    assert client.post(f"/api/targets/{tid}/observations", json=obs).status_code == 401
    r = client.post(f"/api/targets/{tid}/observations", json=obs, headers=ADMIN)
    assert r.status_code == 201
    row = client.get("/api/targets", params={"region": "上海"}).json()["items"][0]
    assert row["observations"] == 1 and row["latest"] == 5e11
    bad = client.post(f"/api/targets/{tid}/observations", json={"value": 1, "date": "soon"},
                      headers=ADMIN)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("date:")


def test_pages_render_offline(client):
    home = client.get("/").text
    assert '<script src="/static/plotly.min.js">' in home and "cdn" not in home.split("<body>")[0]
    assert client.get("/static/plotly.min.js").headers["content-type"].startswith(
        "application/javascript")
    assert "Overview" not in home and "NQPF observatory" in client.get("/?lang=en").text
    ranking = client.get("/ranking").text
    assert "北京" in ranking and "–" in ranking
    province = client.get("/province/陕西").text
    assert "陕西省" in province and "百亿元级产业创新集群" in province
    beijing = client.get("/province/北京?lang=zh").text  # the seed's claim beside the index's rank
    claims = re.search(r'<table id="claims">(.*?)</table>', beijing, re.S).group(1)
    assert "<td>排名 1</td><td>新质生产力发展程度</td>" in claims
    assert client.get("/province/火星").status_code == 404
    article = client.get("/article/1?lang=zh").text
    assert '<mark class="repair"' in article and '<mark class="target"' in article
    assert "评论仅代表网友意见，与本站立场无关" in article
    targets = client.get("/targets", params={"region": "310000"}).text
    assert "上海金融助力" in targets and "陕西省高水平" not in targets
    # quantities read as written: 2万亿元, 一批 with its scale class
    assert "<td>2万亿元</td>" in targets
    shaanxi = client.get("/targets", params={"region": "610000"}).text
    assert "<td>≥ 10个（每个≥100亿元）</td>" in shaanxi and "<td>一批（每个≥1000亿元）</td>" in shaanxi


def test_comment_wrong_then_right_captcha_and_escaping(client):
    form = comment_form(client, "/province/610000")
    bad = client.post("/comments", data={**form, "nickname": "甲", "body": "好", "captcha_answer": "0"},
                      follow_redirects=False)
    assert bad.status_code == 303 and "msg=captcha" in bad.headers["location"]
    form = comment_form(client, "/province/610000")
    right = answer_of(client, form["captcha_id"])
    body = "<script>alert('x')</script> 陕西加油"
    ok = client.post("/comments", data={**form, "nickname": "<b>读者</b>", "body": body,
                                        "captcha_answer": right}, follow_redirects=False)
    assert "msg=posted" in ok.headers["location"]
    page = client.get("/province/610000").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 陕西加油" in page
    assert "<script>alert('x')</script>" not in page and "&lt;b&gt;读者&lt;/b&gt;" in page
    # a captcha answers once
    again = client.post("/comments", data={**form, "nickname": "乙", "body": "再来",
                                           "captcha_answer": right}, follow_redirects=False)
    assert "msg=captcha" in again.headers["location"]


def test_comment_needs_csrf_and_limits(client):
    form = comment_form(client, "/article/1")
    r = client.post("/comments", data={**form, "csrf": "forged", "nickname": "a", "body": "b",
                                       "captcha_answer": answer_of(client, form["captcha_id"])})
    assert r.status_code == 403
    form = comment_form(client, "/article/1")
    long = client.post("/comments", data={**form, "nickname": "a", "body": "长" * 501,
                                          "captcha_answer": answer_of(client, form["captcha_id"])},
                       follow_redirects=False)
    assert "msg=length" in long.headers["location"]


def test_rate_limit(seeded):
    client = TestClient(create_app(seeded, comment_limit=2, moderation=False))
    codes = []
    for i in range(3):
        form = comment_form(client, "/document/1")
        r = client.post("/comments", data={**form, "nickname": f"n{i}", "body": "hi",
                                           "captcha_answer": answer_of(client, form["captcha_id"])},
                        follow_redirects=False)
        codes.append(r.headers["location"].split("msg=")[1].split("#")[0])
    assert codes == ["posted", "posted", "rate"]


def test_moderation_is_the_default(seeded):
    client = TestClient(create_app(seeded, admin_token="tok"))
    form = comment_form(client, "/document/2")
    r = client.post("/comments", data={**form, "nickname": "审", "body": "待审核的评论",
                                       "captcha_answer": answer_of(client, form["captcha_id"])},
                    follow_redirects=False)
    assert "msg=held" in r.headers["location"]
    assert "待审核的评论" not in client.get("/document/2").text
    # the token in the URL no longer opens the admin page: it leads to the login form
    r = client.get("/admin", params={"token": "tok"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/login")
    assert login(client, "wrong").status_code == 401
    r = login(client, "tok")
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    admin = client.get("/admin").text
    cid = re.search(r'id="held-(\d+)"', admin).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', admin).group(1)
    client.post(f"/admin/comments/{cid}", data={"action": "approve", "csrf": csrf})
    assert "待审核的评论" in client.get("/document/2").text


def test_ingest_form(client):
    assert client.get("/ingest", follow_redirects=False).headers["location"].startswith("/admin/login")
    login(client)
    html = client.get("/ingest").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    text = ("2024年5月6日，安徽省科技厅出台《安徽省科技金融行动计划》。"
            "计划提出，力争三年内新增十个国家级创新平台。")
    r = client.post("/ingest", data={"csrf": csrf, "text": text}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/article/")
    page = client.get(r.headers["location"]).text
    assert "安徽省科技金融行动计划" in page
    files = {"file": ("p.html", "<html><body><p>發布時間：2024-01-02</p><article><p>到2026年，"
                                 "新增50家企業，這是目標。</p></article></body></html>", "text/html")}
    r = client.post("/ingest", data={"csrf": csrf}, files=files, follow_redirects=False)
    assert r.status_code == 303


def test_ingest_upload_in_gbk_and_an_unreadable_one(client):
    login(client)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/ingest").text).group(1)
    text = "发布时间：2024-03-20\n湖南省提出，到2027年培育5家以上千亿级领军企业。"
    files = {"file": ("gbk.txt", text.encode("gbk"), "text/plain")}
    r = client.post("/ingest", data={"csrf": csrf}, files=files, follow_redirects=False)
    page = client.get(r.headers["location"] + "?lang=zh").text
    assert "千亿级领军企业" in page and "2024-03-20" in page
    files = {"file": ("bad.txt", bytes(range(256)) * 4, "text/plain")}
    r = client.post("/ingest", data={"csrf": csrf}, files=files, follow_redirects=False)
    assert r.headers["location"] == "/ingest?msg=encoding"
    assert "无法识别文件编码" in client.get("/ingest?msg=encoding&lang=zh").text
    r = client.post("/ingest", data={"csrf": csrf, "text": "到2025年，湖南省每年新增高新技术企业1000家。",
                                     "published": "2024-05-01"}, follow_redirects=False)
    assert "<td>1000家/年</td>" in client.get("/targets", params={"region": "430000"}).text
