"""End-to-end ingestion throughput per core: repair + convert + extract.

Corpus: the seed article and the development articles, repeated to about 1 MB of text.
Baselines, in the same process: OpenCC's t2s alone (the conversion step by itself), and
jionlp's ``ner.extract_money`` + ``ner.extract_time`` over the same sentences (a benchmark-only
dependency: ``pip install '.[bench]'``). The last line reads
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
    try:
        import jionlp  # noqa: F401

        sample = docs[: max(1, len(docs) // 20)]  # jionlp is slow: time a twentieth, scale up
        jionlp_money_time(sample[:1])
        t_jl = timed(jionlp_money_time, sample) * len(docs) / len(sample)
    except ImportError:
        t_jl = float("nan")
        print("jionlp not installed: pip install '.[bench]'")
    ours_rate, cc_rate, jl_rate = mb / t_ours, mb / t_cc, mb / t_jl
    print(f"corpus {mb:.2f} MB in {len(docs)} articles")
    print(f"nqpf repair+convert+extract: {ours_rate:.3f} MB/s; OpenCC t2s: {cc_rate:.2f} MB/s; "
          f"jionlp money+time: {jl_rate:.4f} MB/s")
    print(f"mb_per_s={ours_rate:.3f} vs_opencc={ours_rate / cc_rate:.3f} "
          f"vs_jionlp={ours_rate / jl_rate:.1f}")


if __name__ == "__main__":
    main()
