"""Score extraction against a gold file (``nqpf eval extract DIR GOLD.jsonl``).

Targets match on value + unit + deadline (values within 0.1 %); precision, recall and F1
over all articles, and the accuracy of comparator, region and threshold on matched pairs.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from nqpf.extract.pipeline import extract_article

__all__ = ["evaluate"]


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-3)


def _matches(pred: dict, gold: dict) -> bool:
    return (_same_value(pred.get("value"), gold.get("value")) and pred.get("unit") == gold.get("unit")
            and pred.get("deadline") == gold.get("deadline"))


def evaluate(directory: str | Path, gold_path: str | Path) -> dict:
    """Scores and per-article details."""
    directory = Path(directory)
    tp = fp = fn = 0
    fields = {"comparator": [0, 0], "region": [0, 0], "threshold": [0, 0]}
    details = []
    with open(gold_path, encoding="utf-8") as f:
        gold_lines = [json.loads(line) for line in f if line.strip()]
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
                    ok = (_same_value(hit.get(name), gt[name]) if name == "threshold"
                          else hit.get(name) == gt[name])
                    fields[name][0] += ok
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
