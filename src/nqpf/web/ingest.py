"""Adding articles (admin only): the /ingest form and ``POST /api/ingest``.

Both read the body on the event loop (bounded by the upload limit) and hand parsing,
extraction and storing to a worker thread (``anyio.to_thread.run_sync``), so readers are
never held up.
"""

from __future__ import annotations

import sys
from functools import partial

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from nqpf.web.admin import check_admin_form, to_login
from nqpf.web.common import PUBLISHED_DATE, errors
from nqpf.web.ingestion import NDJSON, Ingested, IngestError, form_item, parse_body, store_items
from nqpf.web.security import bearer_ok, require_bearer, session_ok
from nqpf.web.state import render, web

__all__ = ["router"]

router = APIRouter()

_EXAMPLE = ('{"text": "2024年5月6日，安徽省出台《安徽省科技金融行动计划》……", "published": "2024-05-06"}\n'
            '{"html": "<html>…</html>", "url": "https://example.cn/a.html"}\n')
#: One article to ingest (a line of JSON Lines, or an item of a JSON array).
ITEM = {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["html"]}], "properties": {
    "text": {"type": "string", "description": "Plain text (a first line holding an http(s) "
             "address is the page's address). Needed unless html is given."},
    "html": {"type": "string", "description": "A whole HTML page; its main text is kept."},
    "url": {"type": ["string", "null"], "description": "The page's address (its source)."},
    "published": {"type": ["string", "null"], "pattern": f"^$|{PUBLISHED_DATE}",
                  "example": "2024-05-06", "description": "YYYY-MM-DD, 1900–2100 (empty or "
                  "null: found in the text if it says, else none)."},
    "title": {"type": ["string", "null"]}}}
_BODY = {"required": True, "content": {
    # OpenAPI 3.1 has no way to say "a sequence of"; for JSON Lines the schema is each line's.
    NDJSON[0]: {"schema": ITEM | {"description": "JSON Lines: each line one such object."},
                "example": _EXAMPLE},
    "application/json": {"schema": {"type": "array", "minItems": 1, "items": ITEM}}}}


#: How long (s) a thread may hold the GIL before another may take it, while the server also
#: extracts: Python's default of 5 ms lets a worker thread that extracts for seconds delay
#: each of a reader's many hand-offs; 1 ms keeps reads fast during an upload.
SWITCH_INTERVAL = 0.001


async def _run(fn, *args):
    """``fn(*args)`` in a worker thread; an :class:`IngestError` becomes an HTTP error."""
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        return await anyio.to_thread.run_sync(partial(fn, *args))
    except IngestError as e:
        raise HTTPException(e.status, e.detail) from None


@router.post("/api/ingest", tags=["articles"], response_model=Ingested,
             dependencies=[Depends(require_bearer)], responses=errors(401, 413, 415, 422),
             openapi_extra={"requestBody": _BODY})
async def api_ingest(request: Request) -> dict:
    """Extract and store articles (admin: ``Authorization: Bearer <token>``). The body is JSON
    Lines (``application/x-ndjson``) or a JSON array (``application/json``) of objects with
    "text" or "html"; at most the upload limit (2 MB by default). A bad line is a 422 naming
    it, and then nothing is stored."""
    state = web(request)
    body = bytearray()
    async for chunk in request.stream():  # BodyLimit stops it past the limit
        body += chunk
    items = await _run(parse_body, bytes(body), request.headers.get("content-type", ""))
    return await _run(store_items, state.store, items)


@router.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
def ingest_form(request: Request) -> Response:
    if not session_ok(request):
        return to_login(request)
    return render(request, "ingest.html", max_bytes=web(request).settings.max_upload_bytes)


@router.post("/ingest", include_in_schema=False)
async def ingest_post(request: Request) -> Response:
    """The form: a pasted text or an uploaded file, then the article's page."""
    state = web(request)
    if not (session_ok(request) or bearer_ok(request)):
        raise HTTPException(401, "log in at /admin/login first")
    limit = state.settings.max_upload_bytes
    async with request.form(max_files=1, max_fields=10, max_part_size=limit) as form:
        if not bearer_ok(request):
            check_admin_form(request, str(form.get("csrf") or ""))
        upload = form.get("file")
        text, published = str(form.get("text") or ""), str(form.get("published") or "").strip()
        name, data = None, None
        if isinstance(upload, UploadFile) and upload.filename:
            name, data = upload.filename, await upload.read()
    try:
        item = await anyio.to_thread.run_sync(form_item, text, published, name, data)
    except IngestError as e:
        if e.detail == "encoding":
            return RedirectResponse("/ingest?msg=encoding", status_code=303)
        return render(request, "ingest.html", status_code=422, error=e.detail, text=text,
                      published=published, max_bytes=limit)
    if not ((item.text or "").strip() or (item.html or "").strip()):
        return RedirectResponse("/ingest?msg=empty", status_code=303)
    result = await _run(store_items, state.store, [item])
    if result["ids"][0] is None:
        return RedirectResponse("/ingest?msg=empty", status_code=303)
    return RedirectResponse(f"/article/{result['ids'][0]}", status_code=303)

