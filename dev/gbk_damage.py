"""How the GBK one-byte-shift repair does on damage it has not seen: drop one byte from ten
project-written policy sentences (Traditional, encoded in GBK), decode the rest the way
Python's decoder does (an unreadable byte becomes ?), repair, and count the outcomes.

    python dev/gbk_damage.py [--per-sentence 10] [--seed 7]

Outcomes: rebuilt exactly; marked (U+FFFD where a character was lost); left as it was (the
damage not recognised); rebuilt wrongly (a different character chosen).
"""

from __future__ import annotations

import argparse
import random

from nqpf.text import repair

SENTENCES = [
    "近日，江蘇省人民政府印發《江蘇省加快培育發展未來產業行動方案》。方案提出，到2027年，全省未來產業規模突破5000億元，"
    "培育10家以上龍頭企業。",
    "會議強調，要以科技創新引領產業創新，積極培育新興產業和未來產業，加快發展新質生產力，推動高質量發展取得新成效。",
    "據統計，2023年全市數字經濟核心產業增加值達到3100億元，同比增長9.5%，佔地區生產總值比重提高到12.3%。",
    "福建省發展和改革委員會明確，到2025年，全省算力規模達到10EFLOPS，建成5G基站15萬個以上。",
    "廣東省工業和信息化廳發佈行動計劃，力爭到2030年，全省低空經濟規模突破3000億元，培育20家以上龍頭企業。",
    "報告顯示，北京的新質生產力發展水平位居全國第一，上海、廣東分列第二、第三位，江蘇排名第四。",
    "四川省提出，到2026年，人工智能核心產業規模達到1500億元，建成國家級專精特新小巨人企業200家。",
    "國家統計局新聞發言人表示，一季度規模以上工業增加值同比增長6.1%，高技術製造業增加值增長7.5%。",
    "湖北省將設立總規模100億元的新質生產力發展基金，支持集成電路、生物醫藥和新能源汽車產業發展。",
    "浙江省力爭用三年時間，培育5個千億級未來產業集群，打造全球先進製造業基地。",
]


def drop_byte(text: str, at: int) -> str:
    data = text.encode("gbk")
    return (data[:at] + data[at + 1:]).decode("gbk", errors="replace").replace("\ufffd", "?")


def lead_bytes(text: str) -> list[int]:
    data, i, out = text.encode("gbk"), 0, []
    while i < len(data):
        if data[i] >= 0x81:
            out.append(i)
            i += 2
        else:
            i += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-sentence", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counts = {"rebuilt": 0, "marked": 0, "left": 0, "wrong": 0}
    for text in SENTENCES:
        for at in rng.sample(lead_bytes(text), args.per_sentence):
            damaged = drop_byte(text, at)
            out = repair(damaged).text
            if out == text:
                counts["rebuilt"] += 1
            elif "\ufffd" in out:
                counts["marked"] += 1
            elif out == damaged.replace("?", "？"):
                counts["left"] += 1
            else:
                counts["wrong"] += 1
    total = sum(counts.values())
    print(" ".join(f"{k}={v}" for k, v in counts.items()) + f" of {total}")


if __name__ == "__main__":
    main()
