"""End-to-end ingestion throughput per core: repair + convert + extract.

Corpus: the seed article and the development articles, repeated to about 1 MB of text; and
one long article made of a fifth of them, to show that time grows linearly with length.
Baselines, in the same process: OpenCC's t2s alone (the conversion step by itself), and
jionlp's ``ner.extract_money`` + ``ner.extract_time`` over the same sentences (a benchmark-only
dependency: ``pip install '.[bench]'``), and a *scan floor*: OpenCC plus the handful of regex and
Aho-Corasick scans that any extractor of these facts makes, with no logic after them — the
throughput a pure-Python pipeline cannot exceed. The last line reads
``mb_per_s=<x> vs_opencc=<ours / OpenCC> vs_jionlp=<ours / jionlp>``.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import opencc

from nqpf.extract import extract_text

REPO = Path(__file__).resolve().parents[1]


def corpus(target_bytes: int = 1_000_000) -> list[str]:
    texts = [(REPO.parent / "shared" / "samples" / "seed_article.txt").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "dev" / "articles").glob("*.txt"))]
    out, size = [], 0
    while size < target_bytes:
        for t in texts:
            out.append(t)
            size += len(t.encode("utf-8"))
    return out


def timed(fn, docs) -> float:
    t0 = time.perf_counter()
    fn(docs)
    return time.perf_counter() - t0


def ours(docs):
    for d in docs:
        extract_text(d)


def opencc_only(docs):
    cc = opencc.OpenCC("t2s")
    for d in docs:
        cc.convert(d)


_SENTENCE = re.compile(r"[^。！？\n]+[。！？\n]?")
_QUANTITY = re.compile(r"[\d.]+\s*(?:万亿|亿|万)?[元个家项%]")
_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月)?(?:(\d{1,2})日)?")
_TITLE = re.compile(r"《([^《》]{2,60})》")
_GLOSS = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùü]")


def real_pages() -> list[str]:
    """The real pages of ``../shared/corpus`` and ``dev/real`` as crawled (corruption
    included), each once: the realistic mix, and inputs no cache has seen."""
    dirs = [REPO.parent / "shared" / "corpus" / "articles", REPO / "dev" / "real" / "articles"]
    return [p.read_text(encoding="utf-8") for d in dirs for p in sorted(d.glob("*.txt"))]


def cpu_rate(docs: list[str]) -> tuple[float, float]:
    """(MB/s of CPU time for repair + convert + extract, share of pages with GBK damage)."""
    t0 = time.process_time()
    damaged = 0
    for d in docs:
        damaged += any(c.kind == "gbk-shift" for c in extract_text(d).repairs)
    dt = time.process_time() - t0
    return sum(len(d.encode("utf-8")) for d in docs) / 1e6 / dt, damaged / len(docs)


def scan_floor(docs):
    """Hash, one gloss scan, OpenCC, then per sentence a quantity scan, and dates, titles and
    an Aho-Corasick pass over the article: what the extraction cannot do without."""
    import hashlib

    import ahocorasick

    auto = ahocorasick.Automaton()
    for w in ("人工智能", "集成电路", "新能源", "北京", "上海", "陕西", "深圳", "合成生物"):
        auto.add_word(w, w)
    auto.make_automaton()
    cc = opencc.OpenCC("t2s")
    for d in docs:
        hashlib.sha256(d.encode("utf-8")).hexdigest()
        _GLOSS.search(d)
        s = cc.convert(d)
        for m in _SENTENCE.finditer(s):
            [q.group() for q in _QUANTITY.finditer(m.group())]
        [m.groups() for m in _DATE.finditer(s)]
        [m.group(1) for m in _TITLE.finditer(s)]
        list(auto.iter(s))


def jionlp_money_time(docs):
    import jionlp

    for d in docs:
        for sentence in re.split(r"[。！？\n]", d):
            if sentence:
                jionlp.ner.extract_money(sentence)
                jionlp.ner.extract_time(sentence)


def main() -> None:
    warnings.simplefilter("ignore")
    docs = corpus()
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    extract_text(docs[0])  # load the character model and dictionaries once
    t_ours = timed(ours, docs)
    t_cc = timed(opencc_only, docs)
    t_floor = timed(scan_floor, docs)
    try:
        import jionlp  # noqa: F401

        sample = docs[: max(1, len(docs) // 20)]  # jionlp is slow: time a twentieth, scale up
        jionlp_money_time(sample[:1])
        t_jl = timed(jionlp_money_time, sample) * len(docs) / len(sample)
    except ImportError:
        t_jl = float("nan")
        print("jionlp not installed: pip install '.[bench]'")
    long_text = "\n".join(docs[: len(docs) // 5])  # one article of about 200 KB
    t_long = timed(lambda d: extract_text(d[0]), [long_text])
    long_rate = len(long_text.encode("utf-8")) / 1e6 / t_long
    ours_rate, cc_rate, jl_rate = mb / t_ours, mb / t_cc, mb / t_jl
    floor_rate = mb / t_floor
    print(f"corpus {mb:.2f} MB in {len(docs)} articles")
    print(f"one long article ({len(long_text) // 1000} K characters): {long_rate:.3f} MB/s = "
          f"{long_rate / ours_rate:.2f} of the corpus rate (about 1: time grows linearly with length)")
    print(f"scan floor (OpenCC + bare scans, no logic): {floor_rate:.2f} MB/s; the vs_jionlp goal of 25 "
          f"needs {25 * jl_rate:.2f} MB/s = {25 * jl_rate / floor_rate:.2f} of the floor")
    print(f"nqpf repair+convert+extract: {ours_rate:.3f} MB/s; OpenCC t2s: {cc_rate:.2f} MB/s; "
          f"jionlp money+time: {jl_rate:.4f} MB/s")
    pages = real_pages()
    if pages:
        real_rate, damaged = cpu_rate(pages)
        print(f"real pages ({len(pages)}, each once, {damaged:.0%} with GBK damage): "
              f"{real_rate:.3f} MB/s of CPU time")
    print(f"mb_per_s={ours_rate:.3f} vs_opencc={ours_rate / cc_rate:.3f} "
          f"vs_jionlp={ours_rate / jl_rate:.1f}")


if __name__ == "__main__":
    main()
