"""Score extraction against a gold file (``nqpf eval extract DIR GOLD.jsonl``).

The gold schema is the real-article corpus's (``../shared/corpus/GUIDELINES.md``): targets
match on value (relative tolerance 1e-6; two null values match only when their thresholds
do) + unit + deadline; precision, recall and F1 are micro-averaged over all articles, then
the accuracy of comparator, region (province adcode, "100000" national), city (by name),
upper and threshold on matched pairs, over the gold records that carry the field.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from nqpf.extract.numbers import CANONICAL_UNITS
from nqpf.extract.pipeline import extract_article
from nqpf.extract.places import city_gazetteer

__all__ = ["evaluate"]


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6)


def _canonical(value: float | None, unit: str | None) -> tuple[float | None, str]:
    """A value and unit in the extractor's base units (150 GWh = 1.5e8 千瓦时), so that a
    gold written as the text writes it compares with the extractor's canonical form."""
    unit = "" if unit is None else str(unit)  # no unit (a ratio, 2.3∶1): null in the gold
    if unit.upper().endswith("FLOPS"):
        unit = unit.upper()  # 150Eflops: the extractor writes EFLOPS
    if unit in CANONICAL_UNITS:
        base, factor = CANONICAL_UNITS[unit]
        return (None if value is None else float(value) * factor), base
    return value, unit


def _matches(pred: dict, gold: dict) -> bool:
    if gold.get("value") is None and not _same_value(pred.get("threshold"), gold.get("threshold")):
        return False  # a scale with no count is told apart by its scale
    pv, pu = _canonical(pred.get("value"), pred.get("unit"))
    gv, gu = _canonical(gold.get("value"), gold.get("unit"))
    return (_same_value(pv, gv) and pu.casefold() == gu.casefold()  # PFlops
            and pred.get("deadline") == gold.get("deadline"))


@cache
def _city_names() -> dict[str, str]:
    """City adcode → full name."""
    return {code: name for name, (code, _) in city_gazetteer().items()}


def _field_ok(name: str, pred: dict, gold: dict) -> bool:
    if name in ("threshold", "upper"):
        return _same_value(pred.get(name), gold[name])
    if name == "city":  # the gold gives a name (深圳市) or an adcode
        if pred.get("city") == gold[name]:
            return True
        got = _city_names().get(pred.get("city") or "", pred.get("city"))
        want = gold[name]
        return (got is None and want is None) or (
            got is not None and want is not None and (got.startswith(want) or want.startswith(got)))
    return pred.get(name) == gold[name]


def read_gold(path: str | Path) -> list[dict]:
    """The gold annotations: one JSON object per line with "file" and "targets" (a list);
    a bad line is a ValueError naming the file and line."""
    out = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 (byte {e.start})") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}, line {n}: not JSON ({e.msg})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("file"), str) or not isinstance(
                obj.get("targets", []), list):
            raise ValueError(f'{path}, line {n}: an object with "file" (a name) and "targets" '
                             "(a list) is needed")
        out.append(obj)
    return out


def evaluate(directory: str | Path, gold_path: str | Path) -> dict:
    """Scores and per-article details."""
    directory = Path(directory)
    tp = fp = fn = 0
    fields = {"comparator": [0, 0], "region": [0, 0], "city": [0, 0], "upper": [0, 0],
              "threshold": [0, 0]}
    details = []
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no such directory")
    gold_lines = read_gold(gold_path)
    for g in gold_lines:
        path = directory / g["file"]
        if not path.is_file():
            raise FileNotFoundError(f"{gold_path}: {g['file']} is not in {directory}")
        article = extract_article(path)
        preds = [t.to_dict() for t in article.targets]
        unmatched = list(preds)
        missed = []
        for gt in g.get("targets", []):
            hit = next((p for p in unmatched if _matches(p, gt)), None)
            if hit is None:
                missed.append(gt)
                continue
            unmatched.remove(hit)
            tp += 1
            for name in fields:
                if name in gt:
                    fields[name][1] += 1
                    fields[name][0] += _field_ok(name, hit, gt)
        fp += len(unmatched)
        fn += len(missed)
        details.append({"file": g["file"], "missed": missed,
                        "spurious": [{k: p[k] for k in ("value", "unit", "deadline", "sentence")}
                                     for p in unmatched]})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"articles": len(gold_lines), "true_positives": tp, "false_positives": fp,
            "false_negatives": fn, "precision": precision, "recall": recall, "f1": f1,
            "field_accuracy": {k: (v[0] / v[1] if v[1] else None) for k, v in fields.items()},
            "details": details}
