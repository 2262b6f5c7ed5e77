"""The dashboard's protections, end to end through HTTP: response headers, admin login and
sessions, the captcha, comment cleaning and escaping, per-client rate limits behind proxies,
offline pages and docs, and an OpenAPI schema that documents every error."""

import re

import pytest
from fastapi.testclient import TestClient

from nqpf.extract import extract_article
from nqpf.store import Store
from nqpf.web import create_app
from nqpf.web.comments import clean_text

TOKEN = "another-s3cret"


@pytest.fixture(scope="module")
def store(tmp_path_factory, samples_dir):
    store = Store(tmp_path_factory.mktemp("sec") / "s.duckdb")
    store.add_article(extract_article(samples_dir / "seed_article.txt"))
    return store


def csrf_of(html):
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def comment_form(client, url):
    html = client.get(url).text
    cid = re.search(r'name="captcha_id" value="([^"]+)"', html).group(1)
    page_id = re.search(r'name="page_id" value="([^"]+)"', html).group(1)
    return {"csrf": csrf_of(html), "captcha_id": cid, "page_id": page_id}, html


def answer(client, cid):
    return client.app.state.captchas._answers[cid][0]


def post_comment(client, url, nickname, body, **kw):
    form, _ = comment_form(client, url)
    return client.post("/comments", data={**form, "nickname": nickname, "body": body,
                                          "captcha_answer": answer(client, form["captcha_id"])},
                       follow_redirects=False, **kw)


def login(client, token=TOKEN):
    csrf = csrf_of(client.get("/admin/login").text)
    return client.post("/admin/login", data={"csrf": csrf, "token": token},
                       follow_redirects=False)


# ---------------------------------------------------------------- headers
@pytest.mark.parametrize(("method", "url", "kw"), [
    ("GET", "/", {}), ("GET", "/api/regions", {}), ("GET", "/static/app.css", {}),
    ("GET", "/static/plotly.min.js", {}), ("GET", "/docs", {}), ("GET", "/openapi.json", {}),
    ("GET", "/nope", {}), ("GET", "/api/nope", {}), ("GET", "/admin", {}),
    ("POST", "/api/ingest", {"content": b"x" * 3_000_000}), ("GET", "/article/abc", {}),
    ("GET", "/redoc", {})])
def test_security_headers_on_every_response(store, method, url, kw):
    client = TestClient(create_app(store, admin_token=TOKEN))
    r = client.request(method, url, follow_redirects=False, **kw)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"


def test_no_inline_script_and_no_outside_url_on_any_page(store):
    client = TestClient(create_app(store, admin_token=TOKEN))
    login(client)
    pages = ["/", "/ranking", "/province/610000", "/targets", "/article/1", "/document/1",
             "/ingest", "/admin", "/admin/login", "/docs", "/?lang=en", "/compare?p=110000",
             "/indicator/rd_intensity", "/indicators", "/target/1", "/province/610000?lang=en"]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.text
        nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"]).group(1)
        for attrs in re.findall(r"<script\b([^>]*)>", html):  # inline only with the nonce
            assert "src=" in attrs or 'type="application/json"' in attrs or nonce in attrs, url
        for tag in re.findall(r"<[a-zA-Z][^>]*>", html):  # no event-handler attributes
            assert not re.search(r"\son[a-z]+\s*=", tag), (url, tag)
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", html), url
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html), url
        assert "cdn" not in html.lower(), url
    for asset in ("/static/swagger/swagger-ui-bundle.js", "/static/swagger/swagger-ui.css",
                  "/static/plotly.css", "/static/charts.js", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc", follow_redirects=False).headers["location"] == "/docs"


def test_docs_are_offline_and_the_schema_documents_every_error(store):
    client = TestClient(create_app(store, admin_token=TOKEN))
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "http" not in docs.replace(
        "http-equiv", "")
    schema = client.get("/openapi.json").json()
    assert schema["components"]["schemas"]["ErrorBody"]["required"] == ["detail"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, ops in schema["paths"].items():
        assert path.startswith("/api/"), path  # pages are not part of the API schema
        for method, op in ops.items():
            codes = set(op["responses"])
            for code in codes - {"200", "201"}:
                ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (path, method, code)
            if op.get("parameters") or op.get("requestBody"):
                assert "422" in codes, (path, method)
            if method == "post":
                assert {"401", "413", "422"} <= codes, path
                assert op["security"] == [{"HTTPBearer": []}]
    ingest = schema["paths"]["/api/ingest"]["post"]
    assert set(ingest["responses"]) == {"200", "401", "413", "415", "422"}
    assert set(ingest["requestBody"]["content"]) == {"application/x-ndjson", "application/json"}
    obs = schema["paths"]["/api/targets/{target_id}/observations"]["post"]
    assert set(obs["responses"]) == {"201", "401", "404", "413", "422"}


# ---------------------------------------------------------------- admin login
def test_login_sets_a_strict_httponly_session_cookie_not_the_token(store):
    client = TestClient(create_app(store, admin_token=TOKEN))
    assert client.get("/admin", follow_redirects=False).status_code == 303
    assert login(client, "wrong").status_code == 401
    r = login(client)
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("nqpf_admin="))
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    sid = cookie.split(";")[0].split("=", 1)[1]
    assert TOKEN not in cookie and len(sid) >= 40
    admin = client.get("/admin")
    assert admin.status_code == 200 and TOKEN not in admin.text
    # another app (another process) does not know the session; the token is never in a URL
    other = TestClient(create_app(store, admin_token=TOKEN), cookies={"nqpf_admin": sid})
    assert other.get("/admin", follow_redirects=False).status_code == 303
    # logging out ends the session
    client.post("/admin/logout", data={"csrf": csrf_of(admin.text)})
    client.cookies.set("nqpf_admin", sid)
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_without_an_admin_token_nobody_logs_in(store):
    client = TestClient(create_app(store))
    assert login(client, "").status_code in (401, 422)
    assert login(client, "None").status_code == 401
    r = client.post("/api/ingest", content=b'{"text": "x"}',
                    headers={"Authorization": "Bearer None", "Content-Type": "application/x-ndjson"})
    assert r.status_code == 401


def test_login_attempts_are_rate_limited(store):
    client = TestClient(create_app(store, admin_token=TOKEN))
    codes = [login(client, f"guess{i}").status_code for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert login(client).status_code == 429  # even the right one, for that minute


def test_admin_can_ingest_and_moderate_with_a_session(store):
    client = TestClient(create_app(store, admin_token=TOKEN))
    post_comment(client, "/document/1", "访客", "等待审核")
    login(client)
    admin = client.get("/admin").text
    cid = re.search(r'id="held-(\d+)"', admin).group(1)
    # a moderation form without the page's CSRF token is refused, even with the session
    assert client.post(f"/admin/comments/{cid}", data={"action": "approve"}).status_code == 403
    r = client.post(f"/admin/comments/{cid}", data={"action": "approve", "csrf": csrf_of(admin)},
                    follow_redirects=False)
    assert r.status_code == 303 and "等待审核" in client.get("/document/1").text


# ---------------------------------------------------------------- captcha
def test_captcha_is_drawn_as_paths_and_its_answer_is_nowhere_in_the_page(store):
    client = TestClient(create_app(store))
    for _ in range(5):
        form, html = comment_form(client, "/article/1")
        svg = re.search(r'<span class="captcha">(<svg.*?</svg>)</span>', html, re.S).group(1)
        code = answer(client, form["captcha_id"])
        assert len(code) == 5 and "<text" not in svg and "<path" in svg
        assert re.sub(r"<[^>]+>", "", svg).strip() == ""  # no text nodes at all
        assert code not in html and code.lower() not in html
        assert svg.count("<path") >= 20  # glyph strokes mixed with as many noise strokes


# ---------------------------------------------------------------- comments
def test_moderation_is_on_by_default(store):
    client = TestClient(create_app(store))
    r = post_comment(client, "/article/1", "甲", "默认先审核")
    assert "msg=held" in r.headers["location"]
    assert "默认先审核" not in client.get("/article/1").text


def test_comments_are_escaped_and_cleaned(store):
    client = TestClient(create_app(store, moderation=False))
    nick = "<img src=x onerror=alert(1)>\u202e读者\u2066"
    body = "第一行\r\n<script>alert(1)</script>\u200f\u0000\u0007\u200b\ufeff第二行\u202a"
    r = post_comment(client, "/province/610000", nick, body)
    assert "msg=posted" in r.headers["location"]
    page = client.get("/province/610000").text
    assert "&lt;img src=x onerror=alert(1)&gt;读者" in page
    assert "第一行\n&lt;script&gt;alert(1)&lt;/script&gt;第二行" in page
    assert "<img src=x" not in page and "<script>alert(1)" not in page
    stored = client.app.state.store.query(
        "SELECT nickname, body FROM comments ORDER BY id DESC LIMIT 1").iloc[0]
    assert stored.nickname == "<img src=x onerror=alert(1)>读者"
    assert stored.body == "第一行\n<script>alert(1)</script>第二行"


@pytest.mark.parametrize(("raw", "nick", "body"), [
    ("a\u202eb", "ab", "ab"), ("a\u2066b\u2069", "ab", "ab"), ("a\u200e\u200fb", "ab", "ab"),
    ("a\nb", "ab", "a\nb"), ("a\r\nb", "ab", "a\nb"), ("a\tb\x1b[31m", "ab[31m", "ab[31m"),
    ("a\u2028b", "ab", "a\nb"), ("a\u00adb", "ab", "ab"), ("天\u200d地", "天地", "天地")])
def test_control_characters_are_stripped(raw, nick, body):
    assert clean_text(raw) == nick and clean_text(raw, newlines=True) == body


def test_a_comment_made_only_of_controls_is_empty(store):
    client = TestClient(create_app(store, moderation=False))
    r = post_comment(client, "/article/1", "\u202e\u202e", "\u200b")
    assert "msg=length" in r.headers["location"]


# ---------------------------------------------------------------- rate limits and proxies
def test_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(store):
    client = TestClient(create_app(store, comment_limit=2, moderation=False))
    msgs = [post_comment(client, "/article/1", "n", f"hi {i}",
                         headers={"X-Forwarded-For": f"203.0.113.{i}"}).headers["location"]
            for i in range(4)]
    assert [m.split("msg=")[1].split("#")[0] for m in msgs] == ["posted", "posted", "rate", "rate"]
    last = client.app.state.store.query("SELECT client FROM comments ORDER BY id DESC LIMIT 1")
    assert last.client[0] == "testclient"


def test_forwarded_for_from_a_trusted_proxy_names_the_client(store):
    app = create_app(store, comment_limit=1, moderation=False,
                     trusted_proxies=["10.0.0.0/8"])
    proxy = TestClient(app, client=("10.1.2.3", 40000))
    results = []
    for who in ("198.51.100.7", "198.51.100.8", "198.51.100.7"):
        # the client may prepend anything; the proxy appends the address it saw
        xff = f"1.1.1.1, {who}, 10.9.9.9"
        r = post_comment(proxy, "/article/1", "n", f"via proxy {who}",
                         headers={"X-Forwarded-For": xff})
        results.append(r.headers["location"].split("msg=")[1].split("#")[0])
    assert results == ["posted", "posted", "rate"]
    clients = app.state.store.query("SELECT client FROM comments WHERE body LIKE 'via proxy%'")
    assert set(clients.client) == {"198.51.100.7", "198.51.100.8"}
    # a direct peer outside the trusted list is itself the client, whatever it forwards
    direct = TestClient(app, client=("192.0.2.50", 40000))
    r = post_comment(direct, "/article/1", "n", "direct", headers={"X-Forwarded-For": "198.51.100.9"})
    assert "msg=posted" in r.headers["location"]
    assert post_comment(direct, "/article/1", "n", "again",
                        headers={"X-Forwarded-For": "198.51.100.10"}).headers["location"].count("rate")


def test_a_bug_is_a_500_in_the_same_shapes_with_the_headers():
    class Broken:
        def query(self, *a, **k):
            raise RuntimeError("disk on fire")

    client = TestClient(create_app(Broken()), raise_server_exceptions=False)  # type: ignore[arg-type]
    r = client.get("/api/industries")
    assert r.status_code == 500 and r.json() == {"detail": "internal server error"}
    assert "disk on fire" not in r.text
    page = client.get("/article/1")
    assert page.status_code == 500 and "disk on fire" not in page.text
    for resp in (r, page):
        assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
        assert resp.headers["x-content-type-options"] == "nosniff"
