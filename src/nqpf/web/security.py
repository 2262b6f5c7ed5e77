"""Security plumbing shared by the routers: response headers, body-size limits, the real
client address behind trusted proxies, and the admin checks (bearer token or session).

The admin token never travels in a URL: API clients send ``Authorization: Bearer <token>``;
people log in at /admin/login and carry a random session id in an HttpOnly, SameSite=Strict
cookie.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable, Iterable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ADMIN_COOKIE", "BodyLimit", "SecurityHeaders", "TrustedProxies", "bearer_ok",
           "csp", "require_bearer", "security_headers", "session_ok", "token_ok"]

ADMIN_COOKIE = "nqpf_admin"


def csp(nonce: str) -> str:
    """The Content-Security-Policy: everything from this origin only; inline script only with
    the response's nonce (the API docs page); no framing."""
    return ("default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}' 'report-sample'; style-src 'self' 'report-sample'; "
            "img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


def security_headers(nonce: str) -> dict[str, str]:
    """The headers every response carries."""
    return {"Content-Security-Policy": csp(nonce), "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin"}


class SecurityHeaders:
    """ASGI middleware: CSP (with a fresh nonce in ``request.state.csp_nonce``), nosniff,
    DENY framing and a same-origin referrer on every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(security_headers(nonce))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large(limit: int) -> HTTPException:
    """The 413 error for a body over ``limit`` bytes."""
    return HTTPException(413, f"request body over the limit of {limit} bytes")


class BodyLimit:
    """ASGI middleware: a request body over ``limit_for(path)`` bytes is refused with 413,
    from its Content-Length before reading, or as soon as the bytes read pass the limit."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]):
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path, limit = scope["path"], self.limit_for(scope["path"])
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            detail = too_large(limit).detail
            response = (JSONResponse({"detail": detail}, 413) if path.startswith("/api/")
                        else HTMLResponse(f"<h1>413</h1><p>{detail}</p>", 413))
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise too_large(limit)
            return message

        await self.app(scope, limited, send)


class TrustedProxies:
    """Addresses and networks (``10.0.0.0/8``, ``127.0.0.1``, or a plain name) whose
    X-Forwarded-For is believed; every other peer is the client itself."""

    def __init__(self, entries: Iterable[str] = ()):
        self.networks, self.names = [], set()
        for e in entries:
            try:
                self.networks.append(ipaddress.ip_network(e, strict=False))
            except ValueError:
                self.names.add(e)

    def trusts(self, host: str) -> bool:
        if host in self.names:
            return True
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(ip in n for n in self.networks)

    def client(self, request: Request) -> str:
        """The client's address: the direct peer, unless the peer is a trusted proxy; then the
        nearest address in X-Forwarded-For that is not a trusted proxy."""
        peer = request.client.host if request.client else "unknown"
        if not self.trusts(peer):
            return peer
        hops = [h.strip() for v in request.headers.getlist("x-forwarded-for") for h in v.split(",")]
        for hop in reversed(hops):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                return peer
            if not self.trusts(hop):
                return hop
        return peer


def token_ok(given: str | None, token: str | None) -> bool:
    """Constant-time check of ``given`` against the admin token (never true without one)."""
    return bool(token) and given is not None and secrets.compare_digest(
        given.encode("utf-8", "surrogatepass"), token.encode("utf-8", "surrogatepass"))


def bearer_ok(request: Request) -> bool:
    """True when the request carries ``Authorization: Bearer <admin token>``."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    token = request.app.state.web.settings.admin_token
    return scheme.lower() == "bearer" and token_ok(given.strip(), token)


def session_ok(request: Request) -> bool:
    """True when the request carries a live admin session cookie."""
    return request.app.state.web.sessions.valid(request.cookies.get(ADMIN_COOKIE))


_bearer = HTTPBearer(auto_error=False, description="The admin token (`nqpf serve` prints it).")


def require_bearer(request: Request,
                   _cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Dependency of the API's writes: 401 without the admin token as a bearer token."""
    if not bearer_ok(request):
        raise HTTPException(401, "admin token required: send the header "
                            "'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"})
