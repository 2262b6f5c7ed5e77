"""Dashboard latency: on a store the size of a year's crawl, and under load on loopback.

Part 1, size.
A store of 20,000 generated articles (about 40,000 targets, 2,000 observations), built once
with ``nqpf``'s own bulk path (``extract_many`` + ``Store.add_articles``) and kept at
``--db`` for later runs. Requests go through the ASGI app in process (Starlette's
``TestClient``), each timed from request to complete response: the default page of
``/api/targets`` and ``/targets``, filtered by province, status, industry and deadline, and a
deep page. The baseline is the goal itself: p99 < 300 ms.

Part 2, load (``--load``). ``nqpf serve`` runs in its own process on a free loopback port
(the same store); an asyncio client (httpx, keep-alive) sends requests on a fixed schedule,
``--rate`` a second for ``--seconds``, to the home page and to ``/api/index``. Latency is timed
from each request's scheduled start (so a slow server is not hidden by a client that waits for
it: no coordinated omission); errors are non-200 answers and failed connections. Goal: p99 <
50 ms at 200 requests/s with no errors. Client and server share this machine's two cores.

``python benchmarks/serve.py [--db PATH] [--articles 20000] [--rounds 20] [--load] [--rate 200]
[--seconds 10]``; the size part's last line reads ``api_targets_p99_ms=<x>
targets_page_p99_ms=<y> goal_ms=300``, each load line ``<path>: p99_ms=<x> rps=<y>
errors=<n>``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

PROVINCES = ["江苏", "浙江", "广东", "四川", "湖北", "河南", "山东", "安徽", "福建", "陕西",
             "湖南", "河北", "江西", "辽宁", "云南", "广西", "山西", "贵州", "吉林", "甘肃"]
TOPICS = ["低空经济企业", "集成电路产业规模", "人工智能核心产业规模", "高新技术企业",
          "研发经费投入强度", "新能源汽车产量", "专精特新中小企业", "算力规模"]


def generated(n: int, seed: int = 3) -> list[str]:
    """Short plan reports: a document, a horizon and two targets each."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p, a, b = rng.choice(PROVINCES), rng.choice(TOPICS), rng.choice(TOPICS)
        year = rng.choice([2025, 2026, 2027, 2030])
        out.append(f"{p}省印发《关于加快发展新质生产力的实施意见（2024—{year}年）》。意见提出，"
                   f"到{year}年，{a}达到{rng.randint(10, 900)}家，{b}突破{rng.randint(100, 5000)}"
                   f"亿元。（第{i}号）")
    return out


def build(db: Path, n: int) -> None:
    from rich.progress import track

    from nqpf.extract import InputArticle
    from nqpf.extract.batch import extract_many
    from nqpf.store import Store

    store = Store(db)
    items = [InputArticle(text=t, published="2024-06-01") for t in generated(n)]
    batch: list = []
    for a in track(extract_many(items, jobs=0), total=n, description="building the store"):
        batch.append(a)
        if len(batch) == 1000:
            store.add_articles(batch)
            batch = []
    store.add_articles(batch)
    ids = store.query("SELECT id FROM targets WHERE kind = 'target' ORDER BY id LIMIT 1000").id
    for tid in ids.tolist():  # two observations each for a thousand targets
        store.add_observation(tid, 10.0, "2024-12-31", "bench")
        store.add_observation(tid, 20.0, "2025-06-30", "bench")
    store.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _load(url: str, rate: float, seconds: float) -> tuple[np.ndarray, int, float]:
    """Latencies (s) of requests sent on a fixed schedule, the number of errors, and the
    achieved rate of completed requests."""
    import asyncio

    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
        async def one(scheduled: float) -> None:
            nonlocal errors
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                r = await client.get(url)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - scheduled)
            errors += not ok

        start = time.perf_counter() + 0.2
        n = int(rate * seconds)
        await asyncio.gather(*(one(start + i / rate) for i in range(n)))
        took = time.perf_counter() - start
    return np.array(latencies), errors, len(latencies) / took


def load_test(db: Path, rate: float, seconds: float) -> None:
    import asyncio
    import subprocess
    import sys
    import urllib.request

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "nqpf.cli", "serve", "--db", str(db),
                               "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to a minute to start
            try:
                urllib.request.urlopen(base + "/api/regions", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        for path in ("/", "/api/index"):
            urllib.request.urlopen(base + path, timeout=120).read()  # warm: build and cache
            lat, errors, rps = asyncio.run(_load(base + path, rate, seconds))
            print(f"{path}: p99_ms={np.percentile(lat, 99) * 1000:.0f} rps={rps:.0f} "
                  f"errors={errors} (median {np.median(lat) * 1000:.0f} ms, {len(lat)} requests "
                  f"at {rate:.0f}/s for {seconds:.0f} s)")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "nqpf-serve-bench.duckdb")
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--load", action="store_true", help="also the load test on loopback")
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

    from nqpf.store import Store
    from nqpf.web.app import create_app

    if not args.db.exists():
        build(args.db, args.articles)
    store = Store(args.db)
    counts = store.query("SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM "
                         "targets WHERE kind = 'target') AS t, (SELECT count(*) FROM "
                         "observations) AS o").iloc[0]
    client = TestClient(create_app(store))
    variants = {
        "/api/targets": [{}, {"region": "湖北"}, {"status": "on track"}, {"industry": "低空经济"},
                         {"due_before": 2026}, {"offset": 30_000}],
        "/targets": [{}, {"region": "420000"}, {"status": "at risk"}, {"industry": "集成电路"},
                     {"offset": "20000"}],
    }
    times: dict[str, list[float]] = {k: [] for k in variants}
    size = {}
    for path, params in variants.items():
        client.get(path)  # first request: imports, templates
        for _ in range(args.rounds):
            for p in params:
                t0 = time.perf_counter()
                r = client.get(path, params=p)
                times[path].append(time.perf_counter() - t0)
                assert r.status_code == 200, (path, p, r.status_code)
        size[path] = len(client.get(path).content)
    print(f"store: {counts.a:,} articles, {counts.t:,} targets, {counts.o:,} observations")
    for path, ts in times.items():
        ms = np.array(ts) * 1000
        print(f"{path}: median {np.median(ms):.0f} ms, p99 {np.percentile(ms, 99):.0f} ms over "
              f"{len(ms)} requests; default response {size[path] / 1000:.0f} KB")
    p99 = {k: np.percentile(np.array(v) * 1000, 99) for k, v in times.items()}
    print(f"api_targets_p99_ms={p99['/api/targets']:.0f} "
          f"targets_page_p99_ms={p99['/targets']:.0f} goal_ms=300")
    if args.load:
        store.close()
        load_test(args.db, args.rate, args.seconds)


if __name__ == "__main__":
    main()
