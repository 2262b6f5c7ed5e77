"""Extract many articles: in this process, in worker processes, or on a Dask cluster.

Extraction is pure Python and holds the GIL, so more throughput on a large crawl comes from
processes: ``jobs`` workers each load the dictionaries once and take articles in chunks. For
a crawl too large for one machine, ``dask`` sends the same function to a Dask cluster (the
``dask`` extra: ``pip install 'nqpf[dask]'``). Every path gives the same articles, in input
order.

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
from itertools import islice

from nqpf.extract.inputs import InputArticle
from nqpf.extract.pipeline import Article, extract_text

__all__ = ["extract_many"]


def _extract_one(item: InputArticle, published: str | None) -> Article:
    return extract_text(item.text, published=item.published or published, source=item.source,
                        title=item.title)


def extract_many(items: Iterable[InputArticle], published: str | None = None, jobs: int = 1,
                 chunksize: int = 8, dask=None) -> Iterator[Article]:
    """Articles for ``items`` in order. ``jobs`` > 1 uses that many processes, 0 one per core.
    ``dask`` is a ``distributed.Client``, a scheduler address (``tcp://host:8786``) or
    ``"local"`` (a local cluster of ``jobs`` worker processes). ``published`` is the date for
    items that carry none."""
    work = partial(_extract_one, published=published)
    n = (os.cpu_count() or 1) if jobs == 0 else jobs
    if dask is not None:
        yield from _on_dask(items, work, dask, n, batch=64 * max(1, n))
        return
    if n <= 1:
        yield from map(work, items)
        return
    with ProcessPoolExecutor(max_workers=n) as pool:
        yield from pool.map(work, items, chunksize=chunksize)


def _on_dask(items: Iterable[InputArticle], work, dask, workers: int, batch: int
             ) -> Iterator[Article]:
    """Submit in batches (so a huge crawl is never all in flight) and gather in order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError("the Dask path needs the dask extra: pip install 'nqpf[dask]'") from None
    cluster = None
    if isinstance(dask, Client):
        client, own = dask, False
    elif dask == "local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True)
        client, own = Client(cluster), True
    else:
        client, own = Client(dask), True
    try:
        it = iter(items)
        while chunk := list(islice(it, batch)):
            yield from client.gather(client.map(work, chunk, pure=False))
    finally:
        if own:
            client.close()
        if cluster is not None:
            cluster.close()
