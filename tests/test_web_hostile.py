"""Hostile requests against the dashboard, table-driven: each names what it sends and what must
come back (status and body). Visitors may read and comment; nothing else is theirs to do."""

import re

import pytest
from fastapi.testclient import TestClient

from nqpf.extract import extract_article
from nqpf.store import Store
from nqpf.web import create_app

TOKEN = "s3cret-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
NDJSON = {"Content-Type": "application/x-ndjson"}
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def store(tmp_path_factory, samples_dir):
    store = Store(tmp_path_factory.mktemp("hostile") / "h.duckdb")
    store.add_article(extract_article(samples_dir / "seed_article.txt"))
    return store


@pytest.fixture(scope="module")
def target_id(store):
    return int(store.query("SELECT min(id) AS i FROM targets WHERE kind = 'target'").i[0])


@pytest.fixture(scope="module")
def app(store):
    return create_app(store, admin_token=TOKEN, max_upload_bytes=LIMIT, moderation=False)


@pytest.fixture
def client(app):
    return TestClient(app)


def csrf_of(client, url="/article/1"):
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).text).group(1)


def chunks(data: bytes, size: int = 8192):
    """A body sent in chunks with no Content-Length (Transfer-Encoding: chunked)."""
    for i in range(0, len(data), size):
        yield data[i:i + size]


OBS = "/api/targets/{tid}/observations"
GOOD_OBS = {"value": 1.0, "date": "2025-01-01"}

# (name, method, path, request keyword arguments, status, what the body must contain)
CASES = [
    # ---- writes without the admin token
    ("ingest without a token", "POST", "/api/ingest",
     {"content": b'{"text": "x"}', "headers": NDJSON}, 401, "Authorization: Bearer"),
    ("ingest with a wrong token", "POST", "/api/ingest",
     {"content": b'{"text": "x"}', "headers": NDJSON | {"Authorization": "Bearer nope"}}, 401,
     "admin token required"),
    ("ingest with the token in the query string", "POST", f"/api/ingest?token={TOKEN}",
     {"content": b'{"text": "x"}', "headers": NDJSON}, 401, "admin token required"),
    ("ingest with the token as Basic auth", "POST", "/api/ingest",
     {"content": b'{"text": "x"}', "headers": NDJSON | {"Authorization": f"Basic {TOKEN}"}},
     401, "admin token required"),
    ("ingest with a non-ASCII bearer token", "POST", "/api/ingest",
     {"content": b'{"text": "x"}',
      "headers": NDJSON | {"Authorization": "Bearer t\u00f6ken".encode()}}, 401, "admin token required"),
    ("ingest with an empty bearer token", "POST", "/api/ingest",
     {"content": b'{"text": "x"}', "headers": NDJSON | {"Authorization": "Bearer "}}, 401,
     "admin token required"),
    ("observation without a token", "POST", OBS, {"json": GOOD_OBS}, 401, "admin token required"),
    ("observation with a wrong token", "POST", OBS,
     {"json": GOOD_OBS, "headers": {"Authorization": "Bearer x"}}, 401, "admin token required"),
    ("observation with the token in the query", "POST", OBS + f"?token={TOKEN}",
     {"json": GOOD_OBS}, 401, "admin token required"),
    ("observation, no token, broken JSON: 401 before 422", "POST", OBS,
     {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 401,
     "admin token required"),
    ("ingest form without a session", "POST", "/ingest", {"data": {"text": "x", "csrf": "c"}},
     401, "log in"),
    ("ingest form with the token as a form field", "POST", "/ingest",
     {"data": {"text": "x", "token": TOKEN}}, 401, "log in"),
    ("moderation without a session", "POST", "/admin/comments/1",
     {"data": {"action": "delete", "csrf": "c"}}, 401, "log in"),
    ("moderation with the token in the query", "POST", f"/admin/comments/1?token={TOKEN}",
     {"data": {"action": "delete"}}, 401, "log in"),
    ("admin page with the token in the query", "GET", f"/admin?token={TOKEN}",
     {"follow_redirects": False}, 303, ""),
    ("login with a forged CSRF token", "POST", "/admin/login",
     {"data": {"token": TOKEN, "csrf": "forged"}}, 403, "invalid form token"),
    # ---- sizes
    ("ingest over the size limit (Content-Length)", "POST", "/api/ingest",
     {"content": b'{"text": "' + b"x" * LIMIT + b'"}', "headers": NDJSON | BEARER}, 413,
     f"limit of {LIMIT} bytes"),
    ("ingest over the size limit (chunked)", "POST", "/api/ingest",
     {"content": chunks(b'{"text": "' + b"x" * (2 * LIMIT) + b'"}'), "headers": NDJSON | BEARER},
     413, f"limit of {LIMIT} bytes"),
    ("observation over the form limit", "POST", OBS,
     {"json": GOOD_OBS | {"source": "x" * 70_000}, "headers": BEARER}, 413, "limit of 65536"),
    ("a comment over the form limit", "POST", "/comments",
     {"data": {"page_id": "article:1", "body": "x" * 70_000}}, 413, "limit of 65536"),
    # ---- bodies
    ("ingest as text/html", "POST", "/api/ingest",
     {"content": b"<p>x</p>", "headers": {"Content-Type": "text/html"} | BEARER}, 415,
     "application/x-ndjson"),
    ("ingest with a line that is not JSON", "POST", "/api/ingest",
     {"content": b'{"text": "a"}\n{"text": oops}\n', "headers": NDJSON | BEARER}, 422,
     "line 2: not JSON"),
    ("ingest with a line without text or html", "POST", "/api/ingest",
     {"content": b'\n\n{"title": "t"}', "headers": NDJSON | BEARER}, 422,
     'line 3: an object with "text" or "html" is needed'),
    ("ingest with a number for text", "POST", "/api/ingest",
     {"content": b'{"text": 5}', "headers": NDJSON | BEARER}, 422,
     'line 1: "text" must be a string, not int'),
    ("ingest with a null html", "POST", "/api/ingest",
     {"content": b'{"html": null}', "headers": NDJSON | BEARER}, 422, '"html" must be a string'),
    ("ingest published=not-a-date", "POST", "/api/ingest",
     {"content": b'{"text": "a", "published": "not-a-date"}', "headers": NDJSON | BEARER}, 422,
     "line 1: \"published\": 'not-a-date' is not a date"),
    ("ingest published on 30 February", "POST", "/api/ingest",
     {"content": b'{"text": "a", "published": "2024-02-30"}', "headers": NDJSON | BEARER}, 422,
     "is not a date"),
    ("ingest a JSON array with a bad item", "POST", "/api/ingest",
     {"content": b'[{"text": "a"}, ["b"]]',
      "headers": {"Content-Type": "application/json"} | BEARER}, 422, "item 2:"),
    ("ingest JSON that is not an array of objects", "POST", "/api/ingest",
     {"content": b'"text"', "headers": {"Content-Type": "application/json"} | BEARER}, 422,
     "a JSON array of objects is needed"),
    ("ingest a body that is not UTF-8", "POST", "/api/ingest",
     {"content": b'{"text": "a"}\n{"text": "\xff\xfe"}', "headers": NDJSON | BEARER}, 422,
     "line 2: not UTF-8"),
    ("ingest an empty body", "POST", "/api/ingest", {"content": b"\n \n", "headers": NDJSON | BEARER},
     422, "no articles"),
    ("ingest JSON nested too deeply", "POST", "/api/ingest",
     {"content": b"[" * 100_00 + b"]" * 100_00, "headers": NDJSON | BEARER}, 422, "line 1:"),
    # ---- observations: dates and values
    ("observation date 'soon'", "POST", OBS, {"json": {"value": 1, "date": "soon"}, "headers": BEARER},
     422, "date: "),
    ("observation on 30 February", "POST", OBS,
     {"json": {"value": 1, "date": "2025-02-30"}, "headers": BEARER}, 422, "date: "),
    ("observation in 1900", "POST", OBS, {"json": {"value": 1, "date": "1900-01-01"}, "headers": BEARER},
     422, "outside 1949–2100"),
    ("observation with a date and time", "POST", OBS,
     {"json": {"value": 1, "date": "2025-01-01T00:00"}, "headers": BEARER}, 422, "date: "),
    ("observation value NaN", "POST", OBS,
     {"content": b'{"value": NaN, "date": "2025-01-01"}',
      "headers": {"Content-Type": "application/json"} | BEARER}, 422, "value: "),
    ("observation value Infinity", "POST", OBS,
     {"content": b'{"value": -Infinity, "date": "2025-01-01"}',
      "headers": {"Content-Type": "application/json"} | BEARER}, 422, "finite"),
    ("observation value 1e999", "POST", OBS,
     {"content": b'{"value": 1e999, "date": "2025-01-01"}',
      "headers": {"Content-Type": "application/json"} | BEARER}, 422, "value: "),
    ("observation value 'NaN' as a string", "POST", OBS,
     {"json": {"value": "NaN", "date": "2025-01-01"}, "headers": BEARER}, 422, "value: "),
    ("observation body not UTF-8", "POST", OBS,
     {"content": b'{"value": 1, "date": "\xff"}',
      "headers": {"Content-Type": "application/json"} | BEARER}, 422, "body: not readable"),
    ("observation body not UTF-8, no token", "POST", OBS,
     {"content": b'{"value": 1, "date": "\xff"}', "headers": {"Content-Type": "application/json"}},
     401, "admin token required"),
    ("observation missing its date", "POST", OBS, {"json": {"value": 1}, "headers": BEARER}, 422,
     "date: Field required"),
    ("observation on an unknown target", "POST", "/api/targets/999999/observations",
     {"json": GOOD_OBS, "headers": BEARER}, 404, "no target 999999"),
    # ---- unknown ids and odd parameters
    ("unknown article (API)", "GET", "/api/articles/999999", {}, 404, '{"detail":"no article 999999"}'),
    ("article id past 64 bits (API)", "GET", "/api/articles/99999999999999999999", {}, 422,
     "article_id: "),
    ("negative article id (API)", "GET", "/api/articles/-1", {}, 422, "article_id: "),
    ("unknown region (API)", "GET", "/api/documents?region=火星", {}, 404, "unknown province"),
    ("huge due_before (API)", "GET", "/api/targets?due_before=99999999999999999999", {}, 422,
     "due_before: "),
    ("negative offset (API)", "GET", "/api/targets?offset=-1", {}, 422, "offset: "),
    ("unknown status (API)", "GET", "/api/targets?status=late", {}, 422, "status: "),
    ("unknown API path", "GET", "/api/nope", {}, 404, '{"detail":"Not Found"}'),
    ("DELETE on a read-only endpoint", "DELETE", "/api/regions", {}, 405, "Method Not Allowed"),
    ("unknown article page", "GET", "/article/999999", {}, 404, "no article 999999"),
    ("document page with a word for an id", "GET", "/document/abc", {}, 422, "document_id: "),
    ("targets page with odd numbers", "GET",
     "/targets?due_before=%C2%B2&offset=99999999999999999999", {}, 200, '<table id="targets">'),
    ("a message key that is not one", "GET", "/?msg=%3Cscript%3Ealert(1)%3C/script%3E", {}, 200,
     'id="top10"'),
    # ---- the dashboard's views, downloads and detail pages
    ("unknown preset on a page", "GET", "/ranking?preset=%3Cscript%3Ealert(1)%3C/script%3E", {},
     404, "unknown preset"),
    ("unknown weights in the API", "GET", "/api/index?weights=magic", {}, 422, "weights: "),
    ("a province to compare that is not one", "GET", "/compare?p=%3Cscript%3E", {}, 404,
     "unknown province"),
    ("a year that is not a year", "GET", "/?year=%3Cscript%3E", {}, 200, 'id="top10"'),
    ("an indicator that is not one", "GET", "/indicator/%3Cscript%3Ealert(1)", {},
     404, "unknown indicator"),
    ("a download that is not one", "GET", "/download/..%2F..%2Fstore.csv", {}, 404, ""),
    ("a target download without an id", "GET", "/download/target.csv?id=x", {}, 422, "id:"),
    ("a target page with a word for an id", "GET", "/target/abc", {}, 422, "target_id: "),
    ("an unknown target page", "GET", "/target/999999", {}, 404, "no target 999999"),
    # ---- static files
    ("static path traversal, encoded slash", "GET", "/static/..%2F..%2Fstore.py", {}, 404, ""),
    ("static path traversal, encoded dots", "GET", "/static/%2e%2e/app.py", {}, 404, ""),
    ("static path traversal into swagger", "GET", "/static/swagger/..%2F__init__.py", {}, 404, ""),
    ("static file not on the list", "GET", "/static/swagger/index.html", {}, 404, "no such file"),
    ("static source file", "GET", "/static/app.py", {}, 404, "no such file"),
    # ---- comments
    ("comment with a forged CSRF token", "POST", "/comments",
     {"data": {"page_id": "article:1", "csrf": "forged", "nickname": "a", "body": "b"}}, 403,
     "invalid form token"),
    ("comment on an unknown page kind", "POST", "/comments",
     {"data": {"page_id": "admin:1", "csrf": "@csrf", "nickname": "a", "body": "b"}}, 400,
     "unknown page"),
    ("comment on an article that does not exist", "POST", "/comments",
     {"data": {"page_id": "article:999999", "csrf": "@csrf", "nickname": "a", "body": "b"}}, 404,
     "no article 999999"),
]


@pytest.mark.parametrize(("name", "method", "path", "kwargs", "status", "expect"), CASES,
                         ids=[c[0] for c in CASES])
def test_hostile_request(client, target_id, name, method, path, kwargs, status, expect):
    kwargs = dict(kwargs)
    if kwargs.get("data", {}).get("csrf") == "@csrf":  # the real token of this client's cookie
        kwargs["data"] = kwargs["data"] | {"csrf": csrf_of(client)}
    r = client.request(method, path.format(tid=target_id), **kwargs)
    assert r.status_code == status, (name, r.text[:300])
    if path.startswith("/api/"):  # errors as {"detail": "…"}, always
        assert r.headers["content-type"] == "application/json"
        assert set(r.json()) == {"detail"} and isinstance(r.json()["detail"], str)
        assert expect in r.json()["detail"] or expect in r.text, (name, r.text[:300])
    else:
        assert expect in r.text, (name, r.text[:300])
    assert "<script>alert" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    if status == 401 and path.startswith("/api/"):
        assert r.headers["www-authenticate"] == "Bearer"


def test_there_are_enough_cases():
    assert len(CASES) >= 30
