"""The dashboard app: ``create_app(store)`` wires the routers to the shared state.

One router per concern — :mod:`~nqpf.web.pages` (the index pages), :mod:`~nqpf.web.corpus`
(targets, articles, documents), :mod:`~nqpf.web.downloads` (CSV of every table and chart),
:mod:`~nqpf.web.api` (JSON), :mod:`~nqpf.web.comments`, :mod:`~nqpf.web.admin` (login,
moderation), :mod:`~nqpf.web.ingest` (upload form and ingest API) and :mod:`~nqpf.web.assets`
(static files, offline API docs).
Visitors may read and comment; every other write needs the admin token. ``nqpf serve`` runs it
with uvicorn; no page needs the network.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from nqpf.store import Store
from nqpf.web import admin, api, assets, comments, corpus, downloads, ingest, pages
from nqpf.web.security import BodyLimit, SecurityHeaders, bearer_ok, security_headers
from nqpf.web.state import Settings, WebState, templates

__all__ = ["create_app"]

UPLOAD_PATHS = ("/ingest", "/api/ingest")


def _load_extraction_models() -> None:
    """Load the dictionaries and character and word models now, once per process: loading
    them (jieba builds its cache on a fresh install) is long C work that holds the GIL, and
    must not land in the middle of the first upload while visitors read pages."""
    from nqpf.extract import extract_text

    extract_text("新聞發(fā)布會,上??苿?chuàng)金融聯盟提出，到2025年培育10个产业集群。")


def create_app(store: Store, moderation: bool = True, admin_token: str | None = None,
               comment_limit: int = 5, max_upload_bytes: int = 2 * 1024 * 1024,
               trusted_proxies: Iterable[str] = ()) -> FastAPI:
    """The app, bound to ``store``.

    ``moderation`` holds comments until an admin approves them at /admin (False publishes
    at once); ``admin_token`` is what an admin logs in with at /admin/login or sends as
    ``Authorization: Bearer <token>`` (without one, nobody can write but commenters);
    ``comment_limit`` comments a minute per client; ``max_upload_bytes`` bounds an ingest
    body (413 past it); ``trusted_proxies`` (addresses or networks) are the peers whose
    X-Forwarded-For names the client.
    """
    _load_extraction_models()
    settings = Settings(moderation=moderation, admin_token=admin_token,
                        comment_limit=comment_limit, max_upload_bytes=max_upload_bytes,
                        trusted_proxies=tuple(trusted_proxies))
    app = FastAPI(title="nqpf", description="新质生产力观测 · NQPF observatory API",
                  version="0.1.0", docs_url=None, redoc_url=None)
    state = WebState(store=store, settings=settings, templates=templates())
    app.state.web = state
    app.state.store, app.state.captchas = store, state.captchas  # as before, for callers

    for module in (api, ingest, pages, corpus, downloads, comments, admin, assets):
        app.include_router(module.router)

    def body_limit(path: str) -> int:
        return settings.max_upload_bytes if path in UPLOAD_PATHS else settings.max_form_bytes

    app.add_middleware(BodyLimit, limit_for=body_limit)
    app.add_middleware(SecurityHeaders)  # outermost: every response gets the headers
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, server_error)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_page(status: int, detail: str) -> HTMLResponse:
    """A plain error page (no template, so it cannot fail itself)."""
    return HTMLResponse(f'<!doctype html><meta charset="utf-8"><title>{status}</title>'
                        f'<h1>{status}</h1><p id="detail">{html.escape(detail)}</p>'
                        '<p><a href="/">←</a></p>', status_code=status)


def _unauthorised_write(request: Request) -> bool:
    return _is_api(request) and request.method not in ("GET", "HEAD") and not bearer_ok(request)


def _needs_token() -> JSONResponse:
    return JSONResponse({"detail": "admin token required: send the header "
                         "'Authorization: Bearer <token>'"}, status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """``{"detail": "…"}`` under /api, a small HTML page elsewhere. A body FastAPI cannot
    parse (not UTF-8) is a 422 like any bad body; an API write without the token, a 401."""
    detail, status = str(exc.detail), exc.status_code
    if status == 400 and detail == "There was an error parsing the body":
        if _unauthorised_write(request):
            return _needs_token()
        detail, status = "body: not readable as JSON (UTF-8)", 422
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=exc.headers)
    response = error_page(status, detail)
    response.headers.update(exc.headers or {})
    return response


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    """422 naming each bad field (``date: …``); an API write without the admin token is a
    401 first, whatever its body."""
    if _unauthorised_write(request):
        return _needs_token()
    parts = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path", "header")]
        parts.append(f"{'.'.join(loc) or 'body'}: {e.get('msg', 'invalid')}")
    detail = "; ".join(parts) or "invalid request"
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=422)
    return error_page(422, detail)


async def server_error(request: Request, exc: Exception) -> Response:
    """A bug's 500, in the same shapes (it is sent from outside the other middleware, so it
    carries the security headers itself)."""
    response = (JSONResponse({"detail": "internal server error"}, status_code=500)
                if _is_api(request) else error_page(500, "internal server error"))
    response.headers.update(security_headers(secrets.token_urlsafe(16)))
    return response
