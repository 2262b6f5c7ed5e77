"""How the GBK one-byte-shift repair does on damage it has not seen: lose one byte of a GBK
page, decode the rest the way a mirror does, repair, and count the outcomes.

    python dev/gbk_damage.py [--cases 100] [--seeds 7 8 9] [--isolated] [--show]

Fixed seeds (7, 8, 9 by default), 100 cases each; deterministic. The damaged passage is
repaired in its whole page, as the repair runs on whole articles (``--isolated``: alone).

Text. ``corpus``: passages (one or two consecutive sentences of a paragraph, at most
:data:`MAX_PASSAGE` characters) of the clean pages of ``../shared/corpus/articles``: the
Traditional ones as they are, the Simplified ones converted with OpenCC ``s2t`` (every damaged
page seen so far is Traditional; the conversion keeps their sentences and vocabulary, which
is what the simulation is about). 014 is 013 in Simplified and is left out; pages with
pinyin glosses or damage are left out (002 mixes scripts). ASCII punctuation of a passage
is written full-width first (the GBK source; mirrors make it ASCII, below). ``written``: ten policy sentences
written for this test.

Damage. A lead byte of a double-byte character of the passage is lost (so that the characters after it
pair up wrongly until an ASCII byte), and the bytes are decoded in one of three ways, taken
in turn:

* ``python``: the byte is dropped; Python's decoder (``errors="replace"``) writes ``?`` for
  an unreadable byte and re-reads the byte after it.
* ``mirror``: the lost byte shows as ``?``; an unreadable pair is one ``?`` (the ASCII byte
  that broke it is swallowed); full-width ASCII forms are written as ASCII (``！`` → ``!``,
  ``Ｊ`` → ``J``). The form of the seed article (``诽岢觯旱?025年``) and of 016.txt
  (``?!毒V要草案`` for ``。《綱要草案``).
* ``silent``: the byte is dropped, an unreadable byte is dropped and the ASCII byte after it
  kept, full-width forms are ASCII: 015.txt (``!鄙虾J薪(jīng)`` for ``。”上海市經``).

Outcomes, comparing ``repair`` of the damaged page with ``repair`` of the same page undamaged
(page furniture left in; full-width forms and ASCII counted alike): rebuilt exactly; marked
(U+FFFD where the damage was, nothing rebuilt wrongly); left (the damage not recognised);
wrong (a repair put characters that the text did not have). Clean pages changed by the GBK
repair are counted too (must be 0).
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nqpf.text import repair
from nqpf.text.cleanup import fix_furniture
from nqpf.text.mojibake import MARK, fix_gbk_shift
from nqpf.text.repair import FIXES as REPAIRS

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "articles"
#: Clean pages: Traditional as they are, Simplified converted with OpenCC s2t.
TRADITIONAL = ("010.txt", "013.txt", "017.txt", "018.txt")
SIMPLIFIED = ("001.txt", "007.txt", "008.txt", "019.txt", "020.txt")
MIN_PASSAGE, MAX_PASSAGE = 12, 100
SEEDS = (7, 8, 9)
STYLES = ("python", "mirror", "silent")

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

_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_CLAUSE_END = re.compile(r"(?<=[，、：])")


def _source_form(text: str) -> str:
    """ASCII punctuation next to Chinese text written full-width, as a GBK source has it."""
    return re.sub(r"(?<=[^\x00-\x7f])[,:;!?()]|[,:;!?()](?=[^\x00-\x7f])",
                  lambda m: _TO_FULL[m.group()], text)


def _passages_of(line: str) -> Iterator[str]:
    """One or two consecutive sentences of a paragraph, long sentences cut at a clause."""
    sentences = [s for s in _SENTENCE_END.split(line.strip()) if s]
    pieces: list[str] = []
    for s in sentences:
        while len(s) > MAX_PASSAGE:
            cut = max((m.start() for m in _CLAUSE_END.finditer(s, 0, MAX_PASSAGE)), default=0)
            pieces.append(s[:cut or MAX_PASSAGE])
            s = s[cut or MAX_PASSAGE:]
        pieces.append(s)
    i = 0
    while i < len(pieces):
        both = pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) else "")
        take = 2 if i + 1 < len(pieces) and len(both) <= MAX_PASSAGE else 1
        yield both if take == 2 else pieces[i]
        i += take


@dataclass(frozen=True)
class Passage:
    """A passage and the page it is on (``page[start:end]``)."""

    page: str
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.page[self.start:self.end]


@cache
def corpus_passages(corpus: Path = CORPUS) -> tuple[Passage, ...]:
    """The passages of the clean corpus pages (see the module docstring), in file order."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    out = []
    for name in sorted(TRADITIONAL + SIMPLIFIED):
        lines = (corpus / name).read_text(encoding="utf-8").splitlines()[1:]  # 1st: the URL
        lines = [_source_form(s2t.convert(x) if name in SIMPLIFIED else x) for x in lines]
        page = "\n".join(lines)
        at = 0
        for line in lines:
            for p in _passages_of(line):
                start = page.index(p, at)
                at = start + len(p)
                han = sum("\u4e00" <= c <= "\u9fff" for c in p)
                if han >= MIN_PASSAGE and len(p.encode("gbk", errors="replace")) > len(p):
                    out.append(Passage(page, start, at))
    return tuple(out)


def written_passages() -> tuple[Passage, ...]:
    return tuple(Passage(s, 0, len(s)) for s in SENTENCES)


def lead_bytes(text: str) -> list[int]:
    """Positions of the lead bytes of the double-byte characters of ``text`` in GBK."""
    data, i, out = text.encode("gbk"), 0, []
    while i < len(data):
        if data[i] >= 0x81:
            out.append(i)
            i += 2
        else:
            i += 1
    return out


def _decode(data: bytes, unreadable: str) -> str:
    """GBK as a mirror decodes it: an unreadable lead byte and the ASCII byte after it become
    one ``?`` ("swallow"), or the lead byte is dropped ("drop")."""
    out, i = [], 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        try:
            out.append(data[i:i + 2].decode("gbk"))
            i += 2
            continue
        except UnicodeDecodeError:
            pass
        if unreadable == "swallow":
            out.append("?")
            i += 2
        else:
            i += 1
    return "".join(out)


def _ascii_forms(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


def render(text: str, style: str, lost: int | None) -> str:
    """``text`` as a mirror shows it when its GBK byte at ``lost`` (None: none) is lost."""
    data = text.encode("gbk")
    if style == "python":
        if lost is not None:
            data = data[:lost] + data[lost + 1:]
        return data.decode("gbk", errors="replace").replace("\ufffd", "?")
    if lost is not None:
        data = data[:lost] + (b"?" if style == "mirror" else b"") + data[lost + 1:]
    return _ascii_forms(_decode(data, "swallow" if style == "mirror" else "drop"))


@dataclass(frozen=True)
class Case:
    text: str
    lost: int
    style: str

    @property
    def damaged(self) -> str:
        return render(self.text, self.style, self.lost)


def cases(passages: tuple[Passage, ...], n: int, seed: int, in_page: bool = True
          ) -> list[Case]:
    """``n`` damaged texts: a passage and a lost lead byte in it drawn at random, styles in
    turn; the whole page is the text (the repair sees whole pages), or the passage alone."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p = passages[rng.randrange(len(passages))]
        lost = rng.choice(lead_bytes(p.text))
        if in_page:
            out.append(Case(p.page, len(p.page[:p.start].encode("gbk")) + lost,
                            STYLES[i % len(STYLES)]))
        else:
            out.append(Case(p.text, lost, STYLES[i % len(STYLES)]))
    return out


#: The repair without the removal of page furniture (a passage such as 來源：… is furniture
#: undamaged, and not once damaged).
FIXES = tuple(f for f in REPAIRS if f is not fix_furniture)


def outcome(case: Case) -> str:
    """rebuilt, marked, left or wrong (see the module docstring)."""
    expected = _ascii_forms(repair(render(case.text, case.style, None), FIXES).text)
    result = repair(case.damaged, FIXES)
    if _ascii_forms(result.text) == expected:
        return "rebuilt"
    for c in result.changes:
        if c.kind != "gbk-shift":
            continue
        # where the edit lands in the expected text: about where it is in the damaged one
        window = expected[max(0, c.start - 8):c.end + 8 + len(c.replacement)]
        if any(part and _ascii_forms(part) not in window for part in c.replacement.split(MARK)):
            return "wrong"
    return "marked" if MARK in result.text else "left"


def clean_changed(texts: list[str]) -> int:
    """How many texts, undamaged in any style, the GBK repair would change."""
    return sum(bool(fix_gbk_shift(render(t, s, None))) for t in texts for s in STYLES)


def count(passages: tuple[Passage, ...], n: int, seed: int, in_page: bool = True,
          show: bool = False) -> Counter:
    """Outcomes of ``n`` cases, by kind and by (style, kind)."""
    counts: Counter = Counter({k: 0 for k in KINDS})
    for case in cases(passages, n, seed, in_page):
        kind = outcome(case)
        counts[kind] += 1
        counts[case.style, kind] += 1
        if show and kind != "rebuilt":
            i = next(i for i, (a, b) in enumerate(zip(case.damaged, render(
                case.text, case.style, None), strict=False)) if a != b)
            print(f"  {kind:6} {case.style:6} {case.damaged[max(0, i - 8):i + 20]!r}\n"
                  f"         -> {repair(case.damaged, FIXES).text[max(0, i - 8):i + 20]!r}")
    return counts


KINDS = ("rebuilt", "marked", "left", "wrong")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    ap.add_argument("--isolated", action="store_true",
                    help="repair each damaged passage alone, not in its page")
    ap.add_argument("--show", action="store_true", help="print every case not rebuilt")
    args = ap.parse_args()
    sets = {"corpus": corpus_passages(), "written": written_passages()}
    for name, passages in sets.items():
        total: Counter = Counter()
        for seed in args.seeds:
            c = count(passages, args.cases, seed, not args.isolated, args.show)
            total += c
            print(f"{name:7} seed {seed:3}: " + " ".join(f"{k}={c[k]}" for k in KINDS)
                  + f" of {sum(c[k] for k in KINDS)}")
        print(f"{name:7} all     : " + " ".join(f"{k}={total[k]}" for k in KINDS))
        for style in STYLES:
            print(f"{name:7}   {style:6}: " + " ".join(f"{k}={total[style, k]}" for k in KINDS))
        pages = sorted({p.page for p in passages})
        print(f"{name:7} clean texts changed by the GBK repair: {clean_changed(pages)} "
              f"of {len(pages) * len(STYLES)}")


if __name__ == "__main__":
    main()
