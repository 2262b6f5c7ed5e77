"""Admin login and comment moderation.

An admin logs in at /admin/login by posting the admin token in a form; the answer sets an
HttpOnly, SameSite=Strict cookie holding a random session id (never the token). The token is
not accepted in a URL: ``/admin?token=…`` only leads to the login form.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from nqpf.web.common import Id
from nqpf.web.guards import csrf_ok
from nqpf.web.i18n import label
from nqpf.web.security import ADMIN_COOKIE, session_ok, token_ok
from nqpf.web.state import lang_of, render, web

__all__ = ["check_admin_form", "router"]

router = APIRouter(prefix="/admin", include_in_schema=False)
#: Where a login may lead back to.
NEXT = ("/admin", "/ingest")


def to_login(request: Request, msg: str = "login") -> RedirectResponse:
    nxt = request.url.path if request.url.path in NEXT else "/admin"
    return RedirectResponse(f"/admin/login?next={nxt}&msg={msg}", status_code=303)


def check_admin_form(request: Request, csrf: str) -> None:
    """For a form an admin posts: 401 without a session, 403 without the page's CSRF token."""
    if not session_ok(request):
        raise HTTPException(401, "log in at /admin/login first")
    if not csrf_ok(request.cookies.get("csrf"), csrf):
        raise HTTPException(403, "invalid form token; reload the page")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/admin") -> HTMLResponse:
    return render(request, "login.html", next=next if next in NEXT else "/admin")


@router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=500)] = "",
          csrf: Annotated[str, Form(max_length=100)] = "",
          next: Annotated[str, Form(max_length=100)] = "/admin") -> HTMLResponse:
    """Check the token; on success start a session and go to ``next``."""
    state = web(request)
    if not csrf_ok(request.cookies.get("csrf"), csrf):
        raise HTTPException(403, "invalid form token; reload the page")
    if not state.login_limiter.allow(state.proxies.client(request)):
        raise HTTPException(429, "too many login attempts; wait a minute")
    if not token_ok(token, state.settings.admin_token):
        return render(request, "login.html", status_code=401, next=next if next in NEXT else "/admin",
                      error=label("msg_login_failed", lang_of(request)))
    response = RedirectResponse(next if next in NEXT else "/admin", status_code=303)
    response.set_cookie(ADMIN_COOKIE, state.sessions.new(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    if not csrf_ok(request.cookies.get("csrf"), csrf):
        raise HTTPException(403, "invalid form token; reload the page")
    web(request).sessions.end(request.cookies.get(ADMIN_COOKIE))
    response = RedirectResponse("/?msg=logged_out", status_code=303)
    response.delete_cookie(ADMIN_COOKIE, path="/")
    return response


@router.get("", response_class=HTMLResponse)
def admin(request: Request) -> HTMLResponse:
    """Held comments (approve or delete) and the latest visible ones."""
    if not session_ok(request):
        return to_login(request, "token_in_url" if "token" in request.query_params else "login")
    store = web(request).store
    held = store.query("SELECT * FROM comments WHERE status = 'held' ORDER BY id")
    visible = store.query("SELECT * FROM comments WHERE status = 'visible' ORDER BY id DESC "
                          "LIMIT 100")
    return render(request, "admin.html", held=held.to_dict("records"),
                  visible=visible.to_dict("records"))


@router.post("/comments/{comment_id}")
def moderate(request: Request, comment_id: Id, action: Annotated[str, Form(max_length=10)],
             csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    check_admin_form(request, csrf)
    if action not in ("approve", "delete"):
        raise HTTPException(400, "action is approve or delete")
    store = web(request).store
    if store.query("SELECT 1 FROM comments WHERE id = ?", [comment_id]).empty:
        raise HTTPException(404, f"no comment {comment_id}")
    store.set_comment_status(comment_id, "visible" if action == "approve" else "deleted")
    return RedirectResponse("/admin?msg=moderated", status_code=303)
