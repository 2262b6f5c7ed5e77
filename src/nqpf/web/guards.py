"""Write protections: server-drawn captchas (single use, expiring), CSRF tokens, per-client
rate limits and admin sessions. All state is in memory, per server process, and bounded.

>>> book = CaptchaBook(ttl=60)
>>> cid, svg = book.new()
>>> right = book._answers[cid][0]
>>> book.check(cid, "wrong"), book.check(cid, right)  # a wrong answer spends the captcha
(False, False)
>>> cid, svg = book.new()
>>> book.check(cid, book._answers[cid][0].lower()), "<svg" in svg, "<text" in svg
(True, True, False)
"""

from __future__ import annotations

import hmac
import random
import secrets
import threading
import time
from collections import OrderedDict, deque

from nqpf.web.glyphs import ALPHABET, draw

__all__ = ["CaptchaBook", "RateLimiter", "SessionBook", "csrf_ok", "new_csrf_token"]


def _same(a: str, b: str) -> bool:
    """Constant-time equality of two strings (any characters)."""
    return secrets.compare_digest(a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass"))


class _Expiring:
    """Keys with an expiry time, at most ``cap`` of them (the oldest go first)."""

    def __init__(self, ttl: float, cap: int):
        self.ttl, self.cap = ttl, cap
        self._items: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, value: str) -> None:
        now = time.monotonic()
        with self._lock:
            while self._items and (len(self._items) >= self.cap
                                   or next(iter(self._items.values()))[1] < now):
                self._items.popitem(last=False)
            self._items[key] = (value, now + self.ttl)

    def get(self, key: str, pop: bool = False) -> str | None:
        with self._lock:
            entry = self._items.pop(key, None) if pop else self._items.get(key)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def drop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)


class CaptchaBook:
    """Codes of ``length`` characters drawn as SVG paths; each id answers once, then is gone."""

    def __init__(self, ttl: float = 300.0, seed: int | None = None, length: int = 5,
                 cap: int = 50_000):
        self.length = length
        self._book = _Expiring(ttl, cap)
        self._answers = self._book._items  # id -> (answer, expiry); tests read it
        self._rng = random.Random(seed) if seed is not None else random.SystemRandom()
        self._lock = threading.Lock()

    def new(self) -> tuple[str, str]:
        """(captcha id, SVG image)."""
        with self._lock:
            code = "".join(self._rng.choice(ALPHABET) for _ in range(self.length))
            svg = draw(code, random.Random(self._rng.random()))
        cid = secrets.token_urlsafe(12)
        self._book.put(cid, code)
        return cid, svg

    def check(self, cid: str, answer: str) -> bool:
        """True once for the right answer (any case, spaces ignored); a used, wrong or expired
        id is spent."""
        right = self._book.get(cid, pop=True)
        given = "".join(str(answer).split()).upper()
        return right is not None and _same(right, given)


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per client (at most ``cap`` clients
    remembered; the least recently seen are forgotten first)."""

    def __init__(self, limit: int = 5, window: float = 60.0, cap: int = 100_000):
        self.limit, self.window, self.cap = limit, window, cap
        self._events: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            q = self._events.pop(client, None) or deque()
            self._events[client] = q
            while len(self._events) > self.cap:
                self._events.popitem(last=False)
            while q and q[0] < now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now)
            return True


class SessionBook:
    """Admin sessions: random ids (the cookie's value), never the admin token."""

    def __init__(self, ttl: float = 8 * 3600.0, cap: int = 1000):
        self._book = _Expiring(ttl, cap)

    def new(self) -> str:
        sid = secrets.token_urlsafe(32)
        self._book.put(sid, "admin")
        return sid

    def valid(self, sid: str | None) -> bool:
        return bool(sid) and self._book.get(sid) is not None

    def end(self, sid: str | None) -> None:
        if sid:
            self._book.drop(sid)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(cookie: str | None, form: str | None) -> bool:
    """Double-submit check: the form's token must equal the cookie's."""
    return bool(cookie) and bool(form) and hmac.compare_digest(
        cookie.encode("utf-8", "surrogatepass"), form.encode("utf-8", "surrogatepass"))
