"""What the routers share: settings, the store, the in-memory guards, and the page renderer.

``create_app`` builds one :class:`WebState` and keeps it at ``app.state.web``; a handler
reaches it with :func:`web`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from nqpf.extract.display import amount
from nqpf.store import Store
from nqpf.web.assets import plotly_preempt
from nqpf.web.guards import CaptchaBook, RateLimiter, SessionBook, new_csrf_token
from nqpf.web.i18n import LABELS, label
from nqpf.web.security import TrustedProxies, session_ok

__all__ = ["Settings", "WebState", "render", "web"]

NOTICE = {"zh": "评论仅代表网友意见，与本站立场无关",
          "en": "Comments are readers' own views, not this site's."}


@dataclass(frozen=True)
class Settings:
    """How the app behaves; ``create_app``'s keyword arguments."""

    moderation: bool = True
    admin_token: str | None = None
    comment_limit: int = 5
    max_upload_bytes: int = 2 * 1024 * 1024
    max_form_bytes: int = 64 * 1024
    trusted_proxies: tuple[str, ...] = ()


@dataclass
class WebState:
    """The store, the settings and the per-process guards."""

    store: Store
    settings: Settings
    templates: Jinja2Templates
    captchas: CaptchaBook = field(default_factory=CaptchaBook)
    limiter: RateLimiter | None = None
    login_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(limit=10, window=60.0))
    sessions: SessionBook = field(default_factory=SessionBook)
    proxies: TrustedProxies = field(default_factory=TrustedProxies)

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = RateLimiter(limit=self.settings.comment_limit, window=60.0)
        self.proxies = TrustedProxies(self.settings.trusted_proxies)


def templates() -> Jinja2Templates:
    """The page templates, with the ``amount`` and ``share`` filters."""
    t = Jinja2Templates(directory=str(resources.files("nqpf.web") / "templates"))
    t.env.filters["amount"] = _amount
    t.env.filters["share"] = _share
    t.env.globals["plotly_preempt"] = plotly_preempt()
    return t


def _amount(row: dict) -> str:
    """A quantity as written (2万亿元); what it can of a malformed row."""
    try:
        return amount(row.get("value"), row.get("unit") or "", row.get("comparator") or "=",
                      row.get("upper"), row.get("threshold"), row.get("currency"),
                      bool(row.get("per_year")))
    except Exception:  # a bad stored row must not break the page
        return str(row.get("quantity_text") or "—")


def _share(x: object) -> float:
    """A progress share clipped to 0–1 (0 for a missing or non-finite one)."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return min(1.0, max(0.0, v)) if v == v else 0.0


def web(request: Request) -> WebState:
    return request.app.state.web


def lang_of(request: Request) -> str:
    q = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return "en" if q == "en" else "zh"


def render(request: Request, template: str, page_id: str | None = None, status_code: int = 200,
           **ctx) -> HTMLResponse:
    """A page in the visitor's language, with its comments and a fresh captcha when
    ``page_id`` names a commentable page, and the CSRF cookie the forms need."""
    state = web(request)
    lang = lang_of(request)
    token = request.cookies.get("csrf") or new_csrf_token()
    msg = request.query_params.get("msg")
    comments, captcha = [], None
    if page_id is not None:
        comments = state.store.query(
            "SELECT id, nickname, body, created_at FROM comments WHERE page = ? AND "
            "status = 'visible' ORDER BY id", [page_id]).to_dict("records")
        captcha = state.captchas.new()
    response = state.templates.TemplateResponse(request, template, {
        "t": lambda key: label(key, lang), "lang": lang, "csrf": token, "page_id": page_id,
        "comments": comments, "captcha": captcha, "notice": NOTICE[lang],
        "message": msg if f"msg_{msg}" in LABELS else None, "moderation": state.settings.moderation,
        "path": request.url.path, "admin": session_ok(request), **ctx}, status_code=status_code)
    response.set_cookie("csrf", token, httponly=True, samesite="strict")
    if request.query_params.get("lang"):
        response.set_cookie("lang", lang, samesite="lax")
    return response
