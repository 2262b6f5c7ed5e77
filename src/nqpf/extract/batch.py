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

import gc
import os
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from nqpf.extract.inputs import InputArticle
from nqpf.extract.pipeline import Article, extract_text

__all__ = ["chunks", "extract_many"]


def _extract_one(item: InputArticle, published: str | None) -> Article:
    return extract_text(item.text, published=item.published or published, source=item.source,
                        title=item.title)


def _extract_chunk(items: list[InputArticle], published: str | None) -> list[Article]:
    """A chunk of articles in a worker; offset maps travel back packed (an ``array`` pickles
    as bytes, a list of ints one by one)."""
    out = []
    for item in items:
        a = _extract_one(item, published)
        if isinstance(a.offsets, list):
            a.offsets = array("l", a.offsets)
        out.append(a)
    return out


#: Text per chunk sent to a worker: large enough that the transfer (pickling articles both
#: ways) is small beside the work, small enough to keep workers busy to the end.
CHUNK_CHARS = 20_000
#: Chunks in flight per worker: one being worked on, one waiting.
IN_FLIGHT = 2


def chunks(items: Iterable[InputArticle], chars: int = CHUNK_CHARS,
           most: int = 512) -> Iterator[list[InputArticle]]:
    """Consecutive chunks of about ``chars`` characters of text (at most ``most`` items).

    >>> [len(c) for c in chunks([InputArticle(text="x" * 10)] * 5, chars=25)]
    [3, 2]
    """
    chunk: list[InputArticle] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.text)
        if size >= chars or len(chunk) >= most:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def extract_many(items: Iterable[InputArticle], published: str | None = None, jobs: int = 1,
                 dask=None, chunk_chars: int = CHUNK_CHARS) -> Iterator[Article]:
    """Articles for ``items`` in order, each yielded as soon as it (and those before it) is
    done; ``items`` is read lazily, so memory does not grow with the corpus. ``jobs`` > 1
    uses that many processes, 0 one per core, each given chunks of about ``chunk_chars``
    characters with at most :data:`IN_FLIGHT` chunks per worker outstanding. ``dask`` is a
    ``distributed.Client``, a scheduler address (``tcp://host:8786``) or ``"local"`` (a local
    cluster of ``jobs`` worker processes). ``published`` is the date for items that carry
    none."""
    n = (os.cpu_count() or 1) if jobs == 0 else jobs
    if dask is not None:
        yield from _on_dask(items, partial(_extract_chunk, published=published), dask, n,
                            chunk_chars)
        return
    if n <= 1:
        for item in items:
            yield _extract_one(item, published)
        return
    work = partial(_extract_chunk, published=published)
    # forked workers share the loaded dictionaries and models with this process; frozen, the
    # collector in a worker leaves their pages alone instead of copying them
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=n) as pool:
            pending: deque = deque()
            for chunk in chunks(items, chunk_chars):
                pending.append(pool.submit(work, chunk))
                if len(pending) >= IN_FLIGHT * n:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        gc.unfreeze()


def _on_dask(items: Iterable[InputArticle], work, dask, workers: int, chunk_chars: int
             ) -> Iterator[Article]:
    """Chunks submitted with at most :data:`IN_FLIGHT` per worker outstanding (a huge crawl is
    never all in flight), gathered in order."""
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
        slots = IN_FLIGHT * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending: deque = deque()
        for chunk in chunks(items, chunk_chars):
            pending.append(client.submit(work, chunk, pure=False))
            if len(pending) >= slots:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if own:
            client.close()
        if cluster is not None:
            cluster.close()
