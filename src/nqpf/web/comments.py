"""Readers' comments: the one write a visitor may make.

A comment needs the page's CSRF token and a captcha answer, is rate-limited per client (the
real peer, or the address a trusted proxy forwarded), has control and bidirectional-override
characters stripped, and is held for moderation unless the app publishes at once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from nqpf import regions
from nqpf.web.guards import csrf_ok
from nqpf.web.state import web

__all__ = ["MAX_BODY", "MAX_NICK", "clean_text", "page_path", "router"]

MAX_BODY, MAX_NICK = 500, 30
router = APIRouter(include_in_schema=False)

#: Explicit bidirectional controls (embeddings, overrides, isolates, marks); all are in Cf.
_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}


def clean_text(s: str, newlines: bool = False) -> str:
    """``s`` without control (Cc) and format (Cf) characters, bidirectional controls included;
    with ``newlines``, line breaks are kept as plain ``\\n``.

    >>> clean_text("a\\u202eb\\x00c\\u200bd\\r\\ne", newlines=True)
    'abcd\\ne'
    >>> clean_text("x\\ny\\u2028z")
    'xyz'
    """
    if newlines:
        s = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", s)
    keep = []
    for ch in s:
        if ch == "\n" and newlines:
            keep.append(ch)
        elif ord(ch) in _BIDI or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co"):
            continue
        else:
            keep.append(ch)
    return "".join(keep)


def page_path(page_id: str) -> str | None:
    """The address of a commentable page (``province:610000`` → ``/province/610000``), or
    None for anything else."""
    kind, _, key = page_id.partition(":")
    if kind == "province":
        p = regions.try_resolve(key) if key.isascii() and key.isdigit() else None
        return f"/province/{p.adcode}" if p else None
    if kind in ("article", "document") and re.fullmatch(r"[0-9]{1,15}", key):
        return f"/{kind}/{int(key)}"
    return None


@router.post("/comments")
def post_comment(request: Request, page_id: Annotated[str, Form(max_length=40)],
                 nickname: Annotated[str, Form()] = "", body: Annotated[str, Form()] = "",
                 captcha_id: Annotated[str, Form(max_length=100)] = "",
                 captcha_answer: Annotated[str, Form(max_length=100)] = "",
                 csrf: Annotated[str, Form(max_length=100)] = "",
                 lang: Annotated[str, Form(max_length=5)] = "zh") -> RedirectResponse:
    """Post a comment on a province, article or document page; back to it with a message."""
    state = web(request)
    if not csrf_ok(request.cookies.get("csrf"), csrf):
        raise HTTPException(403, "invalid form token; reload the page")
    back = page_path(page_id)
    if back is None:
        raise HTTPException(400, "unknown page")
    kind, _, key = page_id.partition(":")
    if kind != "province" and state.store.query(f"SELECT 1 FROM {kind}s WHERE id = ?",
                                                [int(key)]).empty:
        raise HTTPException(404, f"no {kind} {int(key)}")

    def go(msg: str) -> RedirectResponse:
        tail = "&lang=en" if lang == "en" else ""
        return RedirectResponse(f"{back}?msg={quote(msg)}{tail}#comments", status_code=303)

    client = state.proxies.client(request)
    if not state.limiter.allow(client):
        return go("rate")
    if not state.captchas.check(captcha_id, captcha_answer):
        return go("captcha")
    nickname, body = clean_text(nickname).strip(), clean_text(body, newlines=True).strip()
    if not nickname or len(nickname) > MAX_NICK or not body or len(body) > MAX_BODY:
        return go("length")
    held = state.settings.moderation
    canonical = f"{kind}:{back.rsplit('/', 1)[1]}"
    state.store.add_comment(canonical, nickname, body, "held" if held else "visible", client)
    return go("held" if held else "posted")
