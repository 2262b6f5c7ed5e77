"""Read articles from .txt, .html, .jsonl files, directories of these, and stdin.

HTML goes through trafilatura (main text, title, date, site); when it finds no date or
source, our own patterns do (发布时间/發布時間: 2022-12-17, 来源/來源: …; the date by
:func:`nqpf.extract.published.find_published`). Plain text (files, stdin, JSONL "text") takes
its date from :func:`~nqpf.extract.published.find_published` (address, page time stamp, label,
signature, dateline). A scraped .txt whose first line is an http(s) address has that address as
its ``source``; the line stays in the text (downstream extraction ignores it).

>>> import tempfile, pathlib, json
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.jsonl").write_text(json.dumps({"text": "到2025年", "url": "u"}) + "\\n")
>>> [(x.source, x.text) for x in read_inputs([d])]
[('u', '到2025年')]
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nqpf.extract.published import find_published

__all__ = ["InputArticle", "InputError", "InputWarning", "check_date", "count_inputs", "decode",
           "json_line", "parse_html", "read_inputs"]

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


class InputError(ValueError):
    """An input that cannot be read; names the file and line."""


class InputWarning(UserWarning):
    """An input read with a caveat (a cut last character) or skipped (nothing in it); names
    the file and line."""


def _skip_empty(art: InputArticle, where: str) -> Iterator[InputArticle]:
    """The article, unless it has no text: then a warning naming ``where`` and nothing."""
    if art.text.strip():
        yield art
    else:
        warnings.warn(f"{where}: no text, skipped", InputWarning, stacklevel=2)


@dataclass
class InputArticle:
    text: str
    source: str | None = None
    published: str | None = None
    title: str | None = None


#: A source line: 来源：鄂州市人民政府门户网站 (group 1: the publisher).
SOURCE_LINE = re.compile(r"(?:来源|來源)\s*[:：]\s*([^\s<>|，,]{2,30})")


_URL_LINE = re.compile(r"\ufeff?\s*(https?://\S+)[ \t]*(?:\r?\n|$)")


def parse_text(text: str, source: str | None = None, url: str | None = None) -> InputArticle:
    """A scraped plain-text page: its publication date (see :func:`find_published`) and source.
    A first line holding an http(s) address is the page's address: it becomes ``source``
    unless ``source`` is an address already; else a 来源：… label gives the source when
    ``source`` is None.

    >>> a = parse_text("https://example.cn/2024/0125/c1.html\\n正文", source="a.txt")
    >>> (a.source, a.published)
    ('https://example.cn/2024/0125/c1.html', '2024-01-25')
    """
    line = _URL_LINE.match(text)
    if line and not (source or "").startswith(("http://", "https://")):
        source = line.group(1)
    url = url or (line.group(1) if line else None)
    if url is None and (source or "").startswith(("http://", "https://")):
        url = source
    s = SOURCE_LINE.search(text)
    return InputArticle(text=text, source=s.group(1) if s and source is None else source,
                        published=find_published(text, url)[0])


_CANONICAL = re.compile(r"""<(?:link[^>]*rel=["']canonical["'][^>]*href|meta[^>]*property=["']og:url["']"""
                        r"""[^>]*content)=["'](https?://[^"']+)["']""", re.I)
_BLOCK = re.compile(r"<(?:br|/?p|/?div|/?li|/?h\d|/?tr|/?table|/title|/?span[^>]*class=[^>]*date)\b[^>]*>",
                    re.I)


def _canonical(html: str) -> str | None:
    """The page's own address, from <link rel="canonical"> or <meta property="og:url">."""
    m = _CANONICAL.search(html)
    return m.group(1) if m else None


def _lines(html: str) -> str:
    """The page's visible text, one block a line (scripts and styles left out)."""
    html = re.sub(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", " ", html,
                  flags=re.S | re.I)
    html = re.sub(r"<(script|style)\b.*", " ", html, flags=re.S | re.I)  # never closed
    text = re.sub(r"<[^>]+>", " ", _BLOCK.sub("\n", html))
    text = re.sub(r"&nbsp;|&#160;", " ", text)
    return re.sub(r"[ \t]*\n\s*", "\n", text)


def parse_html(html: str, url: str | None = None) -> InputArticle:
    """Main text, title, publication date and source of an HTML page."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      favor_recall=True)
    meta = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    text = meta.get("text") or ""
    title = meta.get("title")
    published = meta.get("date")
    source = meta.get("sitename") or meta.get("hostname") or url
    plain = _lines(html)  # visible text only: never a script, a style or JSON-LD
    ours, how = find_published(plain, url or _canonical(html))
    # Ours fills in when trafilatura finds no date; the page's own label (发布时间：…) beats
    # trafilatura's guess, and so does any of our dates beat a bare year (htmldate's 2024-01-01).
    if ours and (not published or how == "label" or str(published).endswith("-01-01")):
        published = ours
    s = SOURCE_LINE.search(plain)
    if s:
        source = s.group(1)
    if not text.strip():
        text = re.sub(r"\s+\n", "\n", plain).strip()
    return InputArticle(text=text, source=source, published=published, title=title)


def json_line(line: str, where: str) -> object:
    """One line of JSON Lines, or :class:`InputError` naming ``where``.

    >>> json_line('{"text": "x"}', "a.jsonl, line 1")
    {'text': 'x'}
    """
    try:
        return json.loads(line)
    except (json.JSONDecodeError, RecursionError) as e:
        msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
        raise InputError(f"{where}: not JSON ({msg})") from None


def _read_jsonl(path: Path) -> Iterator[InputArticle]:
    with open(path, encoding="utf-8") as f:
        n = 0
        while True:
            try:
                line = f.readline()
            except UnicodeDecodeError as e:
                raise InputError(f"{path}, line {n + 1}: not UTF-8 (byte {e.start} of the "
                                 "line); JSON Lines must be UTF-8") from None
            if not line:
                return
            n += 1
            if not line.strip():
                continue
            obj = json_line(line, f"{path}, line {n}")
            if not isinstance(obj, dict) or not ({"text", "html"} & set(obj)):
                raise InputError(f"{path}, line {n}: an object with \"text\" or \"html\" is needed")
            key = "html" if "html" in obj else "text"
            for field in (key, "url", "published", "title"):
                value = obj.get(field)
                if value is not None and not isinstance(value, str):
                    raise InputError(f"{path}, line {n}: \"{field}\" must be a string, not "
                                     f"{type(value).__name__}")
            if obj[key] is None:
                raise InputError(f"{path}, line {n}: \"{key}\" is null")
            if obj.get("published"):
                obj["published"] = check_date(obj["published"], f"{path}, line {n}: \"published\"")
            if key == "html":
                art = parse_html(obj["html"], obj.get("url"))
                art.source = obj.get("url") or art.source
                art.published = obj.get("published") or art.published
            else:
                art = parse_text(obj["text"], source=obj.get("url"), url=obj.get("url"))
                art.published = obj.get("published") or art.published
                art.title = obj.get("title")
            yield from _skip_empty(art, f"{path}, line {n}")


def check_date(value: str, where: str) -> str:
    """The date of ``value`` as YYYY-MM-DD if it is an ISO date or date and time (2024-01-25,
    2024-01-25T10:32:00+08:00), else :class:`InputError` naming ``where``.

    >>> check_date("2024-02-29 10:32", "x")
    '2024-02-29'
    """
    from datetime import datetime

    try:
        if not re.match(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        day = datetime.fromisoformat(value).date()
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
    if not 1900 <= day.year <= 2100:
        raise InputError(f"{where}: {value!r} is not a plausible publication date")
    return day.isoformat()


_DECLARED = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
#: Supersets to decode with: a page that says GB2312 or GBK is written in GB18030's subset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def decode(data: bytes, name: str, html: bool = False) -> str:
    """The text of a file's bytes: UTF-8 (with or without a BOM) or UTF-16 with a BOM; else,
    for HTML, the charset the page declares; else the best fit among Chinese encodings by
    charset_normalizer (GB18030, Big5 …). Raises :class:`InputError` naming the file when
    nothing fits.

    >>> decode("新质生产力".encode("gbk"), "a.txt")
    '新质生产力'
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        first = e
    if first.reason == "unexpected end of data" and len(data) - first.start < 4:
        try:
            text = data[:first.start].decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            warnings.warn(f"{name}: cut inside its last character (byte {first.start}); read "
                          "without it", InputWarning, stacklevel=2)
            return text
    if html:
        declared = _DECLARED.search(data[:4096])
        if declared:
            enc = declared.group(1).decode("ascii").lower()
            try:
                return data.decode(_SUPERSETS.get(enc, enc))
            except (LookupError, UnicodeDecodeError):
                pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "big5hkscs"]).best()
    if best is None:
        raise InputError(f"{name}: not UTF-8 (byte {first.start}) and not GB18030 or Big5 either")
    return str(best)


def count_inputs(paths: list[Path | str]) -> int:
    """How many articles :func:`read_inputs` will give (files are counted, JSON Lines files
    counted by their non-blank lines, stdin as one), without decoding any: the total of a
    progress bar.

    >>> count_inputs(["-"])
    1
    """
    n = 0
    for p in paths:
        if str(p) == "-":
            n += 1
            continue
        path = Path(p)
        if path.is_dir():
            n += count_inputs(sorted(f for f in path.rglob("*") if f.suffix.lower() in SUFFIXES))
        elif not path.is_file():
            raise InputError(f"{path}: no such file or directory")
        elif path.suffix.lower() == ".jsonl":
            with open(path, "rb") as f:
                n += sum(1 for line in f if line.strip())
        else:
            n += 1
    return n


def read_inputs(paths: list[Path | str]) -> Iterator[InputArticle]:
    """Articles from files, directories (recursively, sorted) and ``-`` (stdin). Files in
    GBK/GB18030 or Big5 are decoded as such (see :func:`decode`); JSONL must be UTF-8."""
    for p in paths:
        if str(p) == "-":
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            text = decode(raw, "stdin") if isinstance(raw, bytes) else raw
            yield from _skip_empty(parse_text(text, source="stdin"), "stdin")
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.suffix.lower() in SUFFIXES)
            if not files:
                warnings.warn(f"{path}: no .txt, .html or .jsonl files in it", InputWarning,
                              stacklevel=2)
            yield from read_inputs(files)
            continue
        if not path.is_file():
            raise InputError(f"{path}: no such file or directory")
        suffix = path.suffix.lower()
        try:
            if suffix == ".jsonl":
                yield from _read_jsonl(path)
            elif suffix in (".html", ".htm"):
                art = parse_html(decode(path.read_bytes(), str(path), html=True))
                art.source = art.source or str(path)
                yield from _skip_empty(art, str(path))
            else:
                art = parse_text(decode(path.read_bytes(), str(path)), source=str(path))
                yield from _skip_empty(art, str(path))
        except UnicodeDecodeError as e:
            raise InputError(f"{path}: not UTF-8 at byte {e.start}") from None
        except OSError as e:
            raise InputError(f"{path}: cannot be read ({e.strerror or e})") from None
