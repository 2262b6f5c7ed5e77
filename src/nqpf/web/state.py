"""What the routers share: settings, the store, the in-memory guards, the page renderer and
the cache of rendered pages.

``create_app`` builds one :class:`WebState` and keeps it at ``app.state.web``; a handler
reaches it with :func:`web`. Pages that do not depend on the visitor are rendered once per
view (:meth:`WebState.pages`) with a placeholder where an admin's CSRF token goes, and served
from memory after that; per-visitor parts (the CSRF cookie, a captcha) are added per request.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib import resources

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from nqpf.extract.display import amount
from nqpf.store import Store
from nqpf.web import fmt
from nqpf.web.assets import plotly_preempt
from nqpf.web.guards import CaptchaBook, RateLimiter, SessionBook, new_csrf_token
from nqpf.web.i18n import LABELS, label, name_of
from nqpf.web.security import TrustedProxies, session_ok
from nqpf.web.views import View, lang_of, view_of

__all__ = ["CSRF_MARK", "LRU", "Settings", "WebState", "base_context", "lang_of", "render",
           "render_string", "web"]

#: Stands for the visitor's CSRF token in a cached page (replaced per request).
CSRF_MARK = "\x00csrf\x00"


class LRU:
    """A bounded, thread-safe mapping that forgets the least recently used entries."""

    def __init__(self, cap: int = 256):
        self.cap = cap
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.cap:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

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
    #: rendered pages and API answers that depend only on their view (not on the visitor)
    pages: LRU = field(default_factory=lambda: LRU(512))

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = RateLimiter(limit=self.settings.comment_limit, window=60.0)
        self.proxies = TrustedProxies(self.settings.trusted_proxies)


def templates() -> Jinja2Templates:
    """The page templates, with filters for quantities (``amount``, ``qty``, ``num``,
    ``score``), progress shares (``share``) and names in the page's language (``named``);
    a missing value (None, NaN) prints as a dash."""
    t = Jinja2Templates(directory=str(resources.files("nqpf.web") / "templates"))
    t.env.finalize = _finalize
    t.env.filters["amount"] = _amount
    t.env.filters["share"] = _share
    t.env.filters["qty"] = _qty
    t.env.filters["num"] = fmt.number
    t.env.filters["score"] = fmt.score
    t.env.filters["signed"] = fmt.signed
    t.env.filters["named"] = _named
    t.env.globals["plotly_preempt"] = plotly_preempt()
    return t


def _finalize(value: object) -> object:
    """None and NaN print as a dash, never as "None" or "nan"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fmt.DASH
    return value


@jinja2.pass_context
def _qty(ctx, value: object, unit: str | None = "") -> str:
    return fmt.quantity(value, unit, ctx.get("lang", "zh"))


@jinja2.pass_context
def _named(ctx, key: object, table: str) -> str:
    return name_of(table, key, ctx.get("lang", "zh"))


@jinja2.pass_context
def _amount(ctx, row: dict) -> str:
    """A quantity as written (2万亿元; in English 2 trillion yuan); what it can of a
    malformed row."""
    try:
        if ctx.get("lang") == "en":
            return fmt.amount_en(row)
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


def switch_href(request: Request, lang: str) -> str:
    """The address of this page in the other language, every other choice kept."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "msg")]
    pairs.append(("lang", "zh" if lang == "en" else "en"))
    from urllib.parse import urlencode

    return f"{request.url.path}?{urlencode(pairs)}"


def base_context(request: Request, view: View | None = None, csrf: str = CSRF_MARK) -> dict:
    """What every page's template reads: labels, language, the view and its links."""
    state = web(request)
    view = view or view_of(request)
    lang = view.lang
    msg = request.query_params.get("msg")
    return {"t": lambda key: label(key, lang), "lang": lang, "csrf": csrf, "page_id": None,
            "comments": [], "captcha": None, "notice": NOTICE[lang],
            "message": msg if msg and f"msg_{msg}" in LABELS else None,
            "moderation": state.settings.moderation, "path": request.url.path,
            "admin": session_ok(request), "view": view, "q": view.query(),
            "lq": f"lang={lang}", "switch": switch_href(request, lang)}


def render_string(request: Request, template: str, ctx: dict) -> str:
    """A template rendered to text (run off the event loop: in a worker thread)."""
    return web(request).templates.get_template(template).render(ctx)


def finish(request: Request, html: str, status_code: int = 200) -> HTMLResponse:
    """A rendered page as a response, with the visitor's CSRF token in its forms and
    cookie."""
    token = request.cookies.get("csrf") or new_csrf_token()
    response = HTMLResponse(html.replace(CSRF_MARK, token), status_code=status_code)
    response.set_cookie("csrf", token, httponly=True, samesite="strict")
    return response


def render(request: Request, template: str, page_id: str | None = None, status_code: int = 200,
           **ctx) -> HTMLResponse:
    """A page in the visitor's language, with its comments and a fresh captcha when
    ``page_id`` names a commentable page, and the CSRF cookie the forms need."""
    state = web(request)
    view = ctx.pop("view", None)
    context = base_context(request, view)
    if view is not None:  # a page of the index: its address is its view
        context["switch"] = f"{request.url.path}?{view.query(lang='zh' if view.lang == 'en' else 'en')}"
    if page_id is not None:
        context["page_id"] = page_id
        context["comments"] = state.store.query(
            "SELECT id, nickname, body, created_at FROM comments WHERE page = ? AND "
            "status = 'visible' ORDER BY id", [page_id]).to_dict("records")
        context["captcha"] = state.captchas.new()
    context.update(ctx)
    return finish(request, render_string(request, template, context), status_code)
