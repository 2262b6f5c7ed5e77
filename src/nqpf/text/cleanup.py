"""Small repairs of scraped text, each a function ``fix(text) -> list[Edit]``.

>>> [e.replacement for e in fix_markup("a&nbsp;b<br/>c\\u200b")]
[' ', '', '']
>>> [e.replacement for e in fix_cjk_punctuation("4月16日,國務院:好")]
['，', '：']
>>> [e.replacement for e in fix_doubled_punctuation("好，，他，。")]
['，', '。']
>>> len(fix_cjk_spacing("全省民营经济主体达到545.25 万 户 ，同 比 增 长13.5%"))
5
"""

from __future__ import annotations

import html
import re
import unicodedata

from nqpf.text.edits import Edit

__all__ = ["fix_cjk_punctuation", "fix_cjk_spacing", "fix_doubled_punctuation", "fix_furniture",
           "fix_markup", "fix_nfc", "fix_surrogates", "fix_width"]

_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e《》“”"
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,300})?/?>|<!--.*?-->", re.S)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_INVISIBLE_CHARS = "\u200b\u200c\u200d\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def fix_surrogates(text: str) -> list[Edit]:
    """Lone surrogates (left by a broken decode) cannot be encoded: each becomes U+FFFD."""
    try:
        text.encode("utf-8")  # (quicker than a scan, and refuses exactly them)
    except UnicodeEncodeError:
        pass
    else:
        return []
    return [Edit(m.start(), m.end(), "\ufffd", "invalid-codepoint")
            for m in _SURROGATE.finditer(text)]


def fix_nfc(text: str) -> list[Edit]:
    """Unicode NFC (composed characters), character by character so spans stay exact."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits = []
    for m in re.finditer(r".[\u0300-\u036f\u3099\u309a]+", text):
        composed = unicodedata.normalize("NFC", m.group())
        if composed != m.group():
            edits.append(Edit(m.start(), m.end(), composed, "nfc"))
    return edits


#: A style sheet or script with its contents (<style>html{font-size:375%}</style>): code,
#: not text.
_STYLE_OR_SCRIPT = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)


def fix_markup(text: str) -> list[Edit]:
    """HTML tags, entities and invisible characters left in scraped text."""
    edits = [Edit(m.start(), m.end(), "", "tag-remnant")
             for pattern in (_STYLE_OR_SCRIPT, _TAG) for m in pattern.finditer(text)
             ] if "<" in text else []
    for m in _ENTITY.finditer(text) if "&" in text else ():
        value = html.unescape(m.group())
        if value != m.group():
            edits.append(Edit(m.start(), m.end(), " " if value == "\xa0" else value, "entity"))
    if any(c in text for c in _INVISIBLE_CHARS):  # (substring tests are quicker than a scan)
        edits += [Edit(m.start(), m.end(), "", "invisible") for m in _INVISIBLE.finditer(text)]
    return _non_overlapping(edits)


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, -e.end)):
        if not out or e.start >= out[-1].end:
            out.append(e)
    return out


#: Full-width forms kept as they are (Chinese punctuation); other full-width ASCII is folded.
_KEEP_FULL = set("，。：；！？（）、《》“”‘’【】")


#: A character that :func:`fix_width` changes: full-width, not Chinese punctuation. A text
#: without one has nothing to fold (most have full-width ，and ： only), which one scan
#: tells.
_FOLDED = re.compile("[" + "".join(
    re.escape(c) for c in map(chr, [0x3000, *range(0xFF01, 0xFF5F)]) if c not in _KEEP_FULL
) + "]")


def fix_width(text: str) -> list[Edit]:
    """Full-width Latin letters, digits and symbols to half-width (２０２５ → 2025); the
    ideographic space to a space. Chinese punctuation stays full-width."""
    if not _FOLDED.search(text):
        return []
    edits = []
    for m in re.finditer(r"[\uff01-\uff5e\u3000]+", text):
        folded = "".join(c if c in _KEEP_FULL else unicodedata.normalize("NFKC", c)
                         for c in m.group())
        if folded != m.group():
            edits.append(Edit(m.start(), m.end(), folded, "width"))
    return edits


_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
#: A run of ASCII punctuation. (A run is taken whole or not at all: one scan for the runs
#: and a look at each one's neighbours, rather than a look-behind tried at every character;
#: [..][..]* rather than [..]+: the engine skips to a first mark.)
_PUNCT_RUN = re.compile(r"[,:;!?][,:;!?]*")


def fix_cjk_punctuation(text: str) -> list[Edit]:
    """Runs of ASCII , : ; ! ? next to Chinese text become full-width (numbers such as 1,234
    and times such as 10:30 are left alone). A whole run converts at once, so a second pass
    finds nothing more to do."""
    edits = []
    for m in _PUNCT_RUN.finditer(text):
        start, end = m.span()
        before, after = text[start - 1:start], text[end:end + 1]
        if not (_is_cjk(before) or _is_cjk(after)):
            continue
        if before.isdigit() and after.isdigit():
            continue
        edits.append(Edit(start, end, m.group().translate(_TO_FULL_TABLE), "punctuation"))
    return edits


_TO_FULL_TABLE = str.maketrans(_TO_FULL)


def _is_cjk(c: str) -> bool:
    """Whether the character ``c`` ("" for none) is one of _CJK's."""
    return ("\u3400" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff5e"
            or "\uf900" <= c <= "\ufaff" or c == "《" or c == "》" or c == "“" or c == "”")


_RANK = {"。": 3, "；": 2, "，": 1, "、": 0}
_DOUBLED = re.compile(r"[，。；、]{2,}")
#: Two of them: a scan for the pair is quicker (most texts have none).
_PAIR = re.compile(r"[，。；、][，。；、]")  # (not {2}: the engine skips to a first mark)


def fix_doubled_punctuation(text: str) -> list[Edit]:
    """Runs such as ，， or ，。 collapse to their strongest mark."""
    if not _PAIR.search(text):
        return []
    return [Edit(m.start(), m.end(), max(m.group(), key=_RANK.__getitem__), "doubled-punctuation")
            for m in _DOUBLED.finditer(text)]


#: Page furniture: comment boxes, captchas, disclaimers, navigation, sharing and copyright
#: lines, in Simplified and Traditional forms.
FURNITURE = re.compile(
    r"昵称|暱稱|昵稱|验证码|驗證碼|请输入|請輸入|发表评论|發表評論|网友评论|網友評論|所有评论|"
    r"所有評論|评论仅代表|評論僅代表|与本站立场无关|與本站立場無關|免责声明|免責聲明|上一篇|下一篇|"
    r"返回顶部|返回頂部|分享到|扫一扫|掃一掃|相关阅读|相關閱讀|相关新闻|相關新聞|版权所有|版權所有|"
    r"打印本页|打印本頁|关闭窗口|關閉窗口|点击查看|點擊查看|责任编辑|責任編輯|登录|登錄|注册|註冊|"
    r"我要评论|我要評論|【纠错】|【糾錯】|字号|字號|扫码|掃碼|关注公众号|關注公眾號|获取更多|獲取更多|"
    r"点击进入|點擊進入|相关推荐|相關推薦|推荐阅读|推薦閱讀|本文仅代表|本文僅代表|不代表本站|"
    r"转载请注明|轉載請註明|未经授权|未經授權")
#: Lines that are nothing but a label of the page (an advertisement slot).
WHOLE_LINE = re.compile(r"广告|廣告|推广|推廣|AD|ad|Advertisement")
_WHOLE_LINE_MAX = max(map(len, WHOLE_LINE.pattern.split("|")))  # (its labels are plain)


#: Lines that carry the page's metadata or navigation, not its text: they open with a label
#: (发布时间：, 来源：, 当前位置：) or hold a breadcrumb (首页 > …).
_META_LABEL = (
    r"^[【\[（(]?\s*(?:当前位置|當前位置|您的位置|您现在的位置|您現在的位置|发布时间|發布時間|發佈時間|"
    r"发布日期|發布日期|时间[：:]|時間[：:]|(?:本文|文章|新闻|新聞)?(?:来源|來源)[：:]|作者[：:]|"
    r"(?:责任)?编辑[：:]|(?:責任)?編輯[：:]|责编[：:]|責編[：:]|记者[：:]|記者[：:]|通讯员[：:]|通訊員[：:]|"
    r"原标题[：:]|原標題[：:]|审核[：:]|審核[：:]|校对[：:]|校對[：:]|浏览次数|瀏覽次數|点击数|點擊數|"
    r"阅读量|閱讀量)")
_BREADCRUMB = r"首[页頁]\s*[>»/＞]"
META_LINE = re.compile(f"{_META_LABEL}|{_BREADCRUMB}")
#: Its two parts: a label can only open the line (one attempt, not one at every character).
_META_LABEL_AT = re.compile(_META_LABEL)
_BREADCRUMB_IN = re.compile(_BREADCRUMB)


def fix_furniture(text: str) -> list[Edit]:
    """Remove lines of page furniture: short lines mostly made of furniture phrases, and
    metadata or breadcrumb lines that hold no sentence."""
    edits = []
    pos = 0
    # a furniture phrase lies within a line: a text with none (most) has none in any line
    phrases = FURNITURE.search(text) is not None
    crumbs = "首" in text  # (a breadcrumb begins with 首页)
    for line in text.splitlines(keepends=True):
        body = line.strip()
        hits = FURNITURE.findall(body) if phrases else []
        # a short line of furniture words, or one they dominate; a short sentence that merely
        # uses such a word (全省新注册企业10万户。) stays
        furniture = (body and hits and (sum(map(len, hits)) * 4 >= len(body)
                                        or (len(body) <= 40 and "。" not in body))
                     ) or (len(body) <= _WHOLE_LINE_MAX and WHOLE_LINE.fullmatch(body))
        meta = body and len(body) <= 150 and "。" not in body and (
            _META_LABEL_AT.match(body) or (crumbs and _BREADCRUMB_IN.search(body)))
        if furniture or meta:
            edits.append(Edit(pos, pos + len(line), "", "furniture"))
        pos += len(line)
    return edits


#: One space between two Chinese characters (or a Chinese character and its punctuation).
_HAN_OR_STOP = r"[\u3400-\u9fff\uff0c\u3002\uff1b\uff1a\u3001]"
#: (The space first, its neighbour before it looked behind: the engine finds spaces quickly.)
_CJK_GAP = re.compile(rf" (?<={_HAN_OR_STOP} )(?={_HAN_OR_STOP})")
#: Gaps in a paragraph that show text spaced out character by character (a PDF copied as
#: text: 同 比 增 长), rather than a space or two a writer left.
SPACED_OUT = 4


def fix_cjk_spacing(text: str) -> list[Edit]:
    """Single spaces between Chinese characters, in a paragraph spaced out character by
    character (同 比 增 长13.5%): removed, so that words are words again. A paragraph with a
    few such spaces (a name set apart: 记者 张三) keeps them."""
    edits: list[Edit] = []
    # a gap lies inside a paragraph (no line break is a Chinese character): a text with fewer
    # gaps than a spaced-out paragraph has has none
    if sum(1 for _ in _CJK_GAP.finditer(text)) < SPACED_OUT:
        return edits
    for para in re.finditer(r"[^\n]+", text):
        gaps = list(_CJK_GAP.finditer(text, para.start(), para.end()))
        if len(gaps) < SPACED_OUT or len(gaps) * 12 < para.end() - para.start():
            continue
        # spaced out: most gaps stand beside another one character away (同 比 增 长), not
        # between words of a menu (园区 园区 科技园)
        close = sum(text[m.start() - 2:m.start() - 1] == " " or text[m.end() + 1:m.end() + 2] == " "
                    for m in gaps)
        if 2 * close >= len(gaps):
            edits += [Edit(m.start(), m.end(), "", "cjk-spacing") for m in gaps]
    return edits

