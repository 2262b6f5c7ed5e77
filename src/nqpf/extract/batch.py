"""Extract many articles, in worker processes when asked.

Extraction is pure Python and holds the GIL, so more throughput on a large crawl comes from
processes: ``jobs`` workers each load the dictionaries once and take articles in chunks;
results come back in input order.

>>> from nqpf.extract.inputs import InputArticle
>>> items = [InputArticle(text="到2025年，培育10个以上百亿元级集群。"), InputArticle(text="无")]
>>> [len(a.targets) for a in extract_many(items, published="2024-03-20")]
[1, 0]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from nqpf.extract.inputs import InputArticle
from nqpf.extract.pipeline import Article, extract_text

__all__ = ["extract_many"]


def _extract_one(item: InputArticle, published: str | None) -> Article:
    return extract_text(item.text, published=item.published or published, source=item.source,
                        title=item.title)


def extract_many(items: Iterable[InputArticle], published: str | None = None, jobs: int = 1,
                 chunksize: int = 8) -> Iterator[Article]:
    """Articles for ``items`` in order; ``jobs`` > 1 uses that many processes, 0 one per
    core. ``published`` is the date for items that carry none."""
    work = partial(_extract_one, published=published)
    n = os.cpu_count() or 1 if jobs == 0 else jobs
    if n <= 1:
        yield from map(work, items)
        return
    with ProcessPoolExecutor(max_workers=n) as pool:
        yield from pool.map(work, items, chunksize=chunksize)
