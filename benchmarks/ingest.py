"""Ingestion throughput on real pages: repair + convert + extract + JSON, then the store.

Corpus: the real pages of ``../shared/corpus/articles``, ``dev/real/articles`` and the seed
article, as crawled (corruption included: most pages clean, some glossed, some with GBK
damage; the share is printed). Copies are varied (paragraphs rotated, a line numbering the
copy), so every text is seen once: nothing keyed by a text is warm. Dictionaries and the
repair's character model are loaded once before timing (as any process does once; the load
time is printed); the model's memoised transitions do warm over the run, as they do in any
long ingest.

All rates are CPU time of this process (DuckDB's threads included), each side on its own
cold inputs:

* ``mb_per_s``: repair + convert + extract + ``json.dumps(article.to_dict())``, one process.
* ``vs_jionlp``: against jionlp's ``ner.extract_money`` + ``ner.extract_time`` over the same
  sentences (a benchmark-only dependency: ``pip install '.[bench]'``), money and time only,
  with no repair or conversion: a floor of what a general-purpose Chinese NER costs here.
* ``store_per_extract``: CPU to store the extracted articles into a fresh DuckDB store in
  batches (``Store.add_articles``), over CPU to extract them. The end-to-end ingest rate
  (articles/s, extract + store) is printed too.
* ``jobs_speedup``: wall time of ``extract_many(jobs=1)`` over ``extract_many(jobs=2)`` on
  the same inputs (meaningful on an otherwise idle machine with two cores or more).

``python benchmarks/ingest.py [--copies 8]``; the last line reads
``mb_per_s=<x> vs_jionlp=<r> store_per_extract=<s> jobs_speedup=<j>``.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import tempfile
import time
import warnings
from pathlib import Path

from nqpf.extract import InputArticle, extract_text
from nqpf.extract.batch import extract_many
from nqpf.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def real_pages() -> list[str]:
    """The real pages we have, as crawled, each once."""
    dirs = [SHARED / "corpus" / "articles", REPO / "dev" / "real" / "articles"]
    pages = [p.read_text(encoding="utf-8") for d in dirs for p in sorted(d.glob("*.txt"))]
    return [*pages, (SHARED / "samples" / "seed_article.txt").read_text(encoding="utf-8")]


def varied(pages: list[str], copies: int) -> list[str]:
    """``copies`` copies of the pages, each text distinct: copy ``j`` has its paragraphs
    rotated by ``j`` and a line that numbers it."""
    out = []
    for j in range(copies):
        for p in pages:
            paras = p.split("\n")
            k = j % len(paras)
            out.append("\n".join(paras[k:] + paras[:k]) + f"\n（第{j + 1}份）\n")
    return out


def damaged_share(texts: list[str]) -> tuple[float, float]:
    """Shares of pages with GBK damage repaired or marked, and with pinyin glosses."""
    damaged = glossed = 0
    for t in texts:
        kinds = {c.kind for c in extract_text(t).repairs}
        damaged += any(k.startswith("gbk-shift") for k in kinds)
        glossed += "pinyin-gloss" in kinds
    return damaged / len(texts), glossed / len(texts)


def cpu(fn, *args):
    t0 = time.process_time()
    out = fn(*args)
    return time.process_time() - t0, out


def extract_all(texts: list[str]) -> list:
    out = []
    for t in texts:
        a = extract_text(t)
        json.dumps(a.to_dict(), ensure_ascii=False)
        out.append(a)
    return out


def store_all(articles: list, batch: int = 256) -> None:
    with tempfile.TemporaryDirectory() as d:
        s = Store(Path(d) / "bench.duckdb")
        for i in range(0, len(articles), batch):
            s.add_articles(articles[i:i + batch])
        s.close()


def wall(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def jionlp_money_time(texts: list[str]) -> None:
    import jionlp

    for d in texts:
        for sentence in re.split(r"[。！？\n]", d):
            if sentence:
                jionlp.ner.extract_money(sentence)
                jionlp.ner.extract_time(sentence)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=8)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    pages = real_pages()
    # load dictionaries and models once, the repair's character model included (a damaged,
    # glossed Traditional line reaches it); the time is reported, not counted in the rate
    t_load = cpu(extract_text, "到2025年，培育10個產業集群，推動高質量發(fā)展，全員勞動??a(chǎn)率提高。")[0]
    texts = varied(pages, args.copies)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t_extract, articles = cpu(extract_all, texts)
    t_store, _ = cpu(store_all, articles)
    rate = mb / t_extract
    del articles  # the CLI holds one batch, not the corpus: forked workers start from that
    gc.collect()
    # separate cold inputs for the process comparison: copies numbered beyond the first set
    more = varied(pages, 3 * args.copies)[len(texts):]
    items = [InputArticle(text=t) for t in more]
    q = len(items) // 4  # interleaved quarters, so that drift in the machine hits both sides
    w1 = w2 = 0.0
    for k in range(2):
        w1 += wall(lambda xs: list(extract_many(xs, jobs=1)), items[2 * k * q:(2 * k + 1) * q])
        w2 += wall(lambda xs: list(extract_many(xs, jobs=2)),
                   items[(2 * k + 1) * q:(2 * k + 2) * q])
    half = 2 * q
    speedup = w1 / w2
    try:
        import jionlp  # noqa: F401

        sample = texts[: max(1, len(texts) // 16)]  # jionlp is slow: time a sixteenth, scale
        jionlp_money_time(sample[:1])
        t_jl = cpu(jionlp_money_time, sample)[0] * len(texts) / len(sample)
        vs_jl = t_jl / t_extract
    except ImportError:
        vs_jl = float("nan")
        print("jionlp not installed: pip install '.[bench]'")
    dmg, gl = damaged_share(pages)
    print(f"corpus: {len(pages)} real pages × {args.copies} varied copies = {len(texts)} "
          f"articles, {mb:.2f} MB; {dmg:.0%} of pages with GBK damage, {gl:.0%} with glosses")
    print(f"extract (repair + convert + extract + JSON): {rate:.3f} MB/s of CPU, "
          f"{len(texts) / t_extract:.0f} articles/s (after {t_load:.1f} s of CPU loading "
          f"dictionaries and models once per process)")
    print(f"store (fresh DuckDB, batches of 256): {t_store:.2f} s CPU for {t_extract:.2f} s of "
          f"extraction; end to end {len(texts) / (t_extract + t_store):.0f} articles/s")
    print(f"extract_many wall time: jobs=1 {w1:.2f} s, jobs=2 {w2:.2f} s "
          f"(each on {half} cold articles)")
    print(f"mb_per_s={rate:.3f} vs_jionlp={vs_jl:.1f} store_per_extract={t_store / t_extract:.3f} "
          f"jobs_speedup={speedup:.2f}")


if __name__ == "__main__":
    main()
