"""Talk to a running dashboard (``nqpf serve``) instead of opening its store: DuckDB lets one
process write a file, so while the server holds the store, ``nqpf ingest --server URL`` sends
the articles to its ``POST /api/ingest`` (admin token as a bearer token), where they are
extracted and stored off the event loop. Standard library only.

>>> batches([{"text": "x" * 10}] * 3, limit=50)
[2, 1]
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator

__all__ = ["RemoteError", "batches", "ingest_remote"]

#: Bytes of JSON Lines per request, below the server's default upload limit (2 MB).
REQUEST_BYTES = 1_500_000


class RemoteError(RuntimeError):
    """The server refused or could not be reached; says which and why."""


def _lines(items: Iterable[dict], limit: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    size = 0
    for item in items:
        line = json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n"
        if chunk and size + len(line) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(line)
        size += len(line)
    if chunk:
        yield chunk


def batches(items: Iterable[dict], limit: int = REQUEST_BYTES) -> list[int]:
    """How many items each request would carry (for the doctest and the progress bar)."""
    return [len(c) for c in _lines(items, limit)]


def ingest_remote(url: str, token: str, items: Iterable[dict], limit: int = REQUEST_BYTES,
                  on_batch=None) -> tuple[int, int]:
    """Send ``items`` (objects with "text" or "html", optional "url", "published", "title")
    to ``url``/api/ingest in requests of at most ``limit`` bytes; returns (stored, skipped)."""
    endpoint = url.rstrip("/") + "/api/ingest"
    stored = skipped = 0
    for chunk in _lines(items, limit):
        req = urllib.request.Request(endpoint, data=b"".join(chunk), method="POST", headers={
            "Content-Type": "application/x-ndjson", "Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=600) as resp:
                body = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            try:
                detail = json.loads(e.read().decode("utf-8")).get("detail", e.reason)
            except (ValueError, AttributeError):
                detail = e.reason
            raise RemoteError(f"{endpoint}: {e.code} {detail} (stored {stored} new article(s) "
                              "before it)") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise RemoteError(f"{endpoint}: cannot reach the server ({reason})") from None
        stored += int(body.get("stored", 0))
        skipped += int(body.get("skipped", 0))
        if on_batch is not None:
            on_batch(len(chunk))
    return stored, skipped
