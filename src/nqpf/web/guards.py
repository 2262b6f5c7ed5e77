"""Comment protections: server-generated captchas (single use, expiring), CSRF tokens and a
per-client rate limit. All state is in memory, per server process.

>>> book = CaptchaBook(ttl=60)
>>> cid, svg = book.new()
>>> right = book._answers[cid][0]
>>> book.check(cid, "wrong"), book.check(cid, right)  # a wrong answer spends the captcha
(False, False)
>>> cid, svg = book.new()
>>> book.check(cid, book._answers[cid][0]), "<svg" in svg
(True, True)
"""

from __future__ import annotations

import hmac
import random
import secrets
import threading
import time
from collections import deque

__all__ = ["CaptchaBook", "RateLimiter", "csrf_ok", "new_csrf_token"]

_DIGITS = "零一二三四五六七八九"


class CaptchaBook:
    """Arithmetic captchas drawn as SVG with noise; each id answers once, then is gone."""

    def __init__(self, ttl: float = 300.0, seed: int | None = None):
        self.ttl = ttl
        self._answers: dict[str, tuple[str, float]] = {}
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def new(self) -> tuple[str, str]:
        a, b = self._rng.randint(2, 9), self._rng.randint(1, 9)
        question = f"{_DIGITS[a]} 加 {_DIGITS[b]} 等于？"
        cid = secrets.token_urlsafe(12)
        with self._lock:
            now = time.monotonic()
            self._answers = {k: v for k, v in self._answers.items() if v[1] > now}
            self._answers[cid] = (str(a + b), now + self.ttl)
        return cid, self._svg(question)

    def check(self, cid: str, answer: str) -> bool:
        """True once for the right answer; a used, wrong or expired id is spent."""
        with self._lock:
            entry = self._answers.pop(cid, None)
        if entry is None or entry[1] < time.monotonic():
            return False
        return hmac.compare_digest(entry[0], str(answer).strip())

    def _svg(self, text: str) -> str:
        r = self._rng
        lines = "".join(
            f'<line x1="{r.randint(0, 200)}" y1="{r.randint(0, 44)}" x2="{r.randint(0, 200)}" '
            f'y2="{r.randint(0, 44)}" stroke="#{r.randint(0, 0xAAAAAA):06x}" stroke-width="1"/>'
            for _ in range(6))
        chars = "".join(
            f'<text x="{12 + 19 * i}" y="{28 + r.randint(-4, 4)}" font-size="18" '
            f'transform="rotate({r.randint(-12, 12)} {12 + 19 * i} 28)">{c}</text>'
            for i, c in enumerate(text))
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="44" role="img" '
                f'aria-label="captcha"><rect width="200" height="44" fill="#f4f4f4"/>{lines}'
                f'{chars}</svg>')


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per client."""

    def __init__(self, limit: int = 5, window: float = 60.0):
        self.limit, self.window = limit, window
        self._events: dict[str, deque] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            q = self._events.setdefault(client, deque())
            while q and q[0] < now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now)
            return True


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(cookie: str | None, form: str | None) -> bool:
    """Double-submit check: the form's token must equal the cookie's."""
    return bool(cookie) and bool(form) and hmac.compare_digest(cookie, form)
