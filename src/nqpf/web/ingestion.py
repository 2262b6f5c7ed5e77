"""Ingestion for the web: request bodies to articles in the store.

One code path for ``POST /api/ingest`` and the /ingest form: :func:`parse_body` (or
:func:`form_item`) gives :class:`Item`s, checked one by one with errors naming the line;
:func:`store_items` extracts and stores them with ``Store.add_articles``. Both are plain
functions that the routes run in a worker thread, never on the event loop.

>>> [i.text for i in parse_body(b'{"text": "a"}\\n\\n{"text": "b"}\\n', "application/x-ndjson")]
['a', 'b']
>>> parse_body(b'{"text": "a"}\\n{"html": 3}', "application/x-ndjson")
Traceback (most recent call last):
...
nqpf.web.ingestion.IngestError: line 2: "html" must be a string, not int
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from nqpf.extract.inputs import (
    InputArticle,
    InputError,
    check_date,
    decode,
    json_line,
    parse_html,
    parse_text,
)
from nqpf.store import Store
from nqpf.web.common import PUBLISHED_DATE

__all__ = ["NDJSON", "IngestError", "Ingested", "Item", "form_item", "parse_body", "store_items"]

log = logging.getLogger("nqpf.web")
NDJSON = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
          "application/jsonlines", "application/json-seq")
FIELDS = ("text", "html", "url", "published", "title")


class IngestError(ValueError):
    """A body that cannot be ingested: ``status`` (413, 415 or 422) and what is wrong."""

    def __init__(self, detail: str, status: int = 422):
        super().__init__(detail)
        self.detail, self.status = detail, status


class Ingested(BaseModel):
    """What an ingest stored."""

    stored: int = Field(description="Articles newly stored.")
    skipped: int = Field(description="Items already in the store (same text) or with no text.")
    ids: list[int | None] = Field(description="Each item's article id, in order (null: no text).")


@dataclass
class Item:
    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None
    where: str = "item"


def item_from(obj: object, where: str) -> Item:
    """An :class:`Item` from one parsed JSON value, or :class:`IngestError` naming ``where``."""
    if not isinstance(obj, dict) or not ({"text", "html"} & set(obj)):
        raise IngestError(f'{where}: an object with "text" or "html" is needed')
    for name in FIELDS:  # text and html, when given, are strings; the others may be null
        value = obj.get(name)
        must = name in ("text", "html") and name in obj
        if (must or value is not None) and not isinstance(value, str):
            raise IngestError(f'{where}: "{name}" must be a string, not '
                              f'{"null" if value is None else type(value).__name__}')
    published = obj.get("published") or None
    if published and not re.fullmatch(PUBLISHED_DATE, published):
        raise IngestError(f'{where}: "published": {published[:40]!r} is not a date '
                          "(YYYY-MM-DD, 1900–2100)")
    return Item(**{k: obj.get(k) for k in FIELDS} | {"published": published, "where": where})


def parse_body(body: bytes, content_type: str) -> list[Item]:
    """The items of a JSON Lines body (one object a line) or of a JSON array."""
    media = content_type.split(";")[0].strip().lower()
    if media not in (*NDJSON, "application/json"):
        raise IngestError("send application/x-ndjson (one JSON object a line) or "
                          "application/json (an array of objects)", 415)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        line = body[:e.start].count(b"\n") + 1
        raise IngestError(f"line {line}: not UTF-8 (byte {e.start} of the body)") from None
    items: list[Item] = []
    if media == "application/json":
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as e:
            where = f"line {e.lineno}" if isinstance(e, json.JSONDecodeError) else "body"
            raise IngestError(f"{where}: not JSON ({getattr(e, 'msg', 'nested too deeply')})") from None
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise IngestError("body: a JSON array of objects is needed")
        items = [item_from(obj, f"item {i}") for i, obj in enumerate(data, 1)]
    else:
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                obj = json_line(line, f"line {n}")
            except InputError as e:
                raise IngestError(str(e)) from None
            items.append(item_from(obj, f"line {n}"))
    if not items:
        raise IngestError("body: no articles in it")
    return items


def form_item(text: str, published: str, filename: str | None, data: bytes | None) -> Item:
    """The /ingest form's article: the uploaded file (UTF-8, GBK/GB18030 or Big5, text or
    HTML) if there is one, else the pasted text."""
    obj: dict = {"text": text, "published": published or None}
    source = "web form"
    if filename and data is not None:
        is_html = filename.lower().endswith((".html", ".htm"))
        try:
            raw = decode(data, filename, html=is_html)
        except InputError:
            raise IngestError("encoding", 400) from None
        obj = {"html" if is_html else "text": raw, "published": published or None}
        source = filename
    item = item_from(obj, "form")
    item.source = source
    return item


def _article(item: Item) -> InputArticle:
    if item.html is not None:
        art = parse_html(item.html, item.url)
        art.source = item.source or item.url or art.source
        art.title = item.title or art.title
    else:
        art = parse_text(item.text or "", source=item.source or item.url, url=item.url)
        art.title = item.title
    art.published = item.published or art.published
    if art.published:
        try:
            art.published = check_date(str(art.published), "published")
        except InputError:
            art.published = None
    return art


def store_items(store: Store, items: list[Item]) -> dict:
    """Extract and store ``items`` (one batch); ``{"stored", "skipped", "ids"}``."""
    from nqpf.extract import extract_text

    articles = []
    for item in items:
        try:
            art = _article(item)
            articles.append(extract_text(art.text, published=art.published, source=art.source,
                                         title=art.title) if art.text.strip() else None)
        except Exception as e:
            log.exception("extraction failed on %s", item.where)
            raise IngestError(f"{item.where}: could not be extracted ({type(e).__name__})") from None
    new = iter(store.add_articles([a for a in articles if a is not None]))
    ids: list[int | None] = []
    stored = 0
    for a in articles:
        if a is None:
            ids.append(None)
            continue
        aid = next(new)
        if aid is None:
            aid = int(store.query("SELECT id FROM articles WHERE sha256 = ?", [a.sha256]).id[0])
        else:
            stored += 1
        ids.append(int(aid))
    return {"stored": stored, "skipped": len(items) - stored, "ids": ids}
