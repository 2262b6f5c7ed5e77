"""Reading and checking index specifications (frameworks, recipes, step options).

Everything that turns a file, text or mapping into plain Python values lives here, so that
every bad input ends in one line that names the file, the line, the key or the value at
fault — a :class:`RecipeError` (or the caller's own ``ValueError`` subclass), never another
exception type.

>>> try:
...     load_yaml("a: &x [1, *x]", "demo.yaml", RecipeError)
... except RecipeError as e:
...     print(e)
demo.yaml: YAML error at line 1, column 11: alias *x refers to its own anchor (a cycle)
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Iterable, Mapping
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import yaml

__all__ = ["RecipeError", "check_acyclic", "check_keys", "check_number", "check_scope",
           "load_json", "load_yaml", "located", "make_step", "read_text", "year_ranges"]

SCOPES = ("panel", "year")


class RecipeError(ValueError):
    """A recipe, or one of its steps' options, that cannot be used; names the key at fault."""


def located(error: ValueError, prefix: str, key: str | None = None) -> ValueError:
    """The same kind of error with ``prefix: `` in front (and ``key`` remembered)."""
    new = type(error)(f"{prefix}: {error}")
    new.key = key if key is not None else getattr(error, "key", None)  # type: ignore[attr-defined]
    return new


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------- files and text
def read_text(path: str | Path, error: type[ValueError], what: str = "file") -> str:
    """The UTF-8 text of ``path``; missing, directory, empty and undecodable files are errors."""
    p = Path(path)
    if not p.exists():
        raise error(f"{p}: no such {what}")
    if p.is_dir():
        raise error(f"{p}: is a directory, not a {what}")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise error(f"{p}: cannot read the {what}: {e.strerror or e}") from None
    if not data.strip():
        raise error(f"{p}: the {what} is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[:e.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise error(f"{p}: not UTF-8 text: byte 0x{data[e.start]:02x} at line {line}, "
                    f"column {column}; save the {what} as UTF-8") from None
    return text.removeprefix("\ufeff")


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses an alias inside its own anchor (a cycle) and duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._open: set[str] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise yaml.composer.ComposerError(
                    None, None, f"alias *{event.anchor} refers to its own anchor (a cycle)",
                    event.start_mark)
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            return super().compose_node(parent, index)
        self._open.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.discard(anchor)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if (key.tag, key.value) in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key.value!r}", key.start_mark)
                    seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, source: str, error: type[ValueError]) -> tuple[Any, dict[str, int]]:
    """The YAML document in ``text`` and the line of each top-level key.

    Syntax errors give the line and column of the problem."""
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        context = f" ({_one_line(e.context)})" if e.context and e.problem else ""
        raise error(f"{source}: YAML error{where}: {_one_line(e.problem or e.context)}{context}"
                    ) from None
    except yaml.reader.ReaderError as e:
        line = text[:e.position].count("\n") + 1
        raise error(f"{source}: YAML error at line {line}: character #x{e.character:04x} is "
                    "not allowed in YAML") from None
    except yaml.YAMLError as e:
        raise error(f"{source}: YAML error: {_one_line(e)}") from None
    except RecursionError:
        raise error(f"{source}: the document is nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value
                 if isinstance(k, yaml.ScalarNode)}
    return data, lines


def load_json(text: str, source: str, error: type[ValueError]) -> tuple[Any, dict[str, int]]:
    """The JSON document in ``text`` (duplicate keys refused) and the line of each top-level key."""

    def pairs(items: list[tuple[str, Any]]) -> dict:
        keys = [k for k, _ in items]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise error(f"{source}: duplicate key(s) {', '.join(map(repr, dup))}")
        return dict(items)

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise error(f"{source}: JSON error at line {e.lineno}, column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise error(f"{source}: the document is nested too deeply") from None
    lines: dict[str, int] = {}
    if isinstance(data, dict):
        for n, line in enumerate(text.splitlines(), start=1):
            for key in data:
                if key not in lines and json.dumps(key, ensure_ascii=False) in line:
                    lines[key] = n
    return data, lines


# ---------------------------------------------------------------------------- values
def check_acyclic(obj: object, where: str, error: type[ValueError]) -> None:
    """Refuse a structure that contains itself (e.g. from a YAML alias to its own anchor)."""
    done: set[int] = set()

    def walk(o: object, path: str, open_ids: set[int]) -> None:
        if not isinstance(o, dict | list | tuple) or id(o) in done:
            return
        if id(o) in open_ids:
            raise error(f"{where}: {path or 'the document'} contains itself (a cyclic reference)")
        open_ids.add(id(o))
        items = o.items() if isinstance(o, dict) else enumerate(o)
        for k, v in items:
            walk(v, f"{path}/{k}".lstrip("/") if isinstance(o, dict) else f"{path}[{k}]", open_ids)
        open_ids.discard(id(o))
        done.add(id(o))

    try:
        walk(obj, "", set())
    except RecursionError:
        raise error(f"{where}: nested too deeply") from None


def check_keys(d: Mapping, allowed: Iterable[str], where: str, error: type[ValueError],
               what: str = "key") -> None:
    """Refuse keys not in ``allowed``, naming them, a close match, and the allowed ones."""
    allowed = list(allowed)
    unknown = [k for k in d if k not in allowed]
    if not unknown:
        return
    hints = [m for k in unknown for m in difflib.get_close_matches(str(k), allowed, n=1)]
    hint = f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""
    err = error(f"{where + ': ' if where else ''}unknown {what}(s) {', '.join(map(repr, unknown))}"
                f"{hint}; allowed: {', '.join(allowed)}")
    err.key = str(unknown[0])  # type: ignore[attr-defined]
    raise err


def check_number(value: object, name: str, error: type[ValueError] = RecipeError, *,
                 minimum: float | None = None, maximum: float | None = None,
                 positive: bool = False) -> float:
    """``value`` as a finite float within bounds, or an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise error(f"{name} must be a number, not {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise error(f"{name} must be a finite number, not {v}")
    if positive and v <= 0:
        raise error(f"{name} must be positive, not {value!r}")
    if minimum is not None and v < minimum:
        raise error(f"{name} must be at least {minimum:g}, not {value!r}")
    if maximum is not None and v > maximum:
        raise error(f"{name} must be at most {maximum:g}, not {value!r}")
    return v


def check_scope(scope: object, name: str = "scope") -> None:
    if scope not in SCOPES:
        raise RecipeError(f"{name} must be one of {', '.join(SCOPES)}, not {scope!r}")


def check_int(value: object, name: str, error: type[ValueError] = RecipeError) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise error(f"{name} must be a whole number, not {value!r}")
    return int(value)


def check_years(value: object, name: str, error: type[ValueError]) -> tuple[int, int]:
    """A (first, last) pair of whole years with first ≤ last."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise error(f"{name} must be [first, last], not {value!r}")
    pair = list(value)
    if len(pair) != 2:
        raise error(f"{name} must be [first, last], not {value!r}")
    first, last = (check_int(y, name, error) for y in pair)
    if first > last:
        raise error(f"{name} must run forwards, not from {first} back to {last}")
    return first, last


def year_ranges(years: Iterable[int]) -> str:
    """``[2012, 2013, 2014, 2016]`` → ``'2012–2014, 2016'``."""
    ys = sorted(set(int(y) for y in years))
    parts: list[str] = []
    start = prev = None
    for y in [*ys, None]:
        if start is not None and (y is None or y != prev + 1):
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if y is not None:
            start = y if start is None else start
            prev = y
    return ", ".join(parts) or "none"


# ---------------------------------------------------------------------------- steps
def make_step(kind: str, registry: Mapping[str, type], method: object, options: Mapping) -> Any:
    """``registry[method](**options)``, refusing unknown methods and options by name.

    The step's own constructor checks the option values."""
    if not isinstance(method, str) or method not in registry:
        raise RecipeError(f"unknown {kind} {method!r}; use one of {sorted(registry)}")
    cls = registry[method]
    allowed = list(getattr(cls, "__dataclass_fields__", {}))
    if allowed:
        check_keys(options, allowed, f"{kind} {method!r}", RecipeError, "option")
    elif options:
        raise RecipeError(f"{kind} {method!r} takes no options, not "
                          f"{', '.join(map(repr, options))}")
    return cls(**options)
