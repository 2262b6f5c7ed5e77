"""Quantities in Chinese text: value in base units, unit, comparator, range, scale class.

Hand-written (no library parses quantities, comparators and scale classes together):
Arabic numbers with 万/亿/万亿/兆 multipliers, simple Chinese numerals (十, 二十五, 两千 …),
ranges (3—4个), comparators from the words around (以上, 不少于, 超过, 突破, 左右, 近, 以内 …)
and scale classes (百亿元级 = at least 1e10 元 each).

Scraped pages are read as they are written: full-width digits (１２３家, １５％) and one space,
no-break space or ideographic space between number, multiplier and unit (3.5 万家, 10 个以上,
15 %). Spans (``start``, ``end``, ``text``) always refer to the text as given.

Units are base units: 万X and 亿X become X with the value scaled (3.5万家 → 35000 家, 2万亿元 →
2e12 元, 5万千瓦 → 5e4 千瓦, 万吨标准煤 → 吨标准煤, 1.2亿人次 → 1.2e8 人次); 兆瓦/MW/GW become
千瓦, 3000亿度 becomes 千瓦时, 千米 becomes 公里, 台（套） becomes 台套, 标准机架 counts 架 (its
measure word). Units of computing power, storage and bandwidth (EFLOPS, PFLOPS, PB, EB, Gbps)
stay as written, as do 元/人 and 毫秒.

A Chinese numeral is a quantity only with a real measure word: 零部件, 一条龙, 一张蓝图, 千家万户,
三次产业 and 一人一档 are words, not counts.

Scale classes: a count of scale-level things carries the class as its threshold (10个以上百亿元级集群
→ 10 个, threshold 1e10 元); 一批, or a class with no count that names what is built (建设千亿级产业
集群) gives value None, unit 个 and comparator "="; a single thing reaching a class (产业规模达到万亿级)
gives the class's value in 元 with ">=". 兆级 and 万亿（兆）级 are 1e12.

>>> q = find_quantities("累计投放2万亿元")[0]
>>> q.value, q.unit, q.comparator
(2000000000000.0, '元', '=')
>>> q = find_quantities("培育壮大10个以上国内领先的百亿元级产业创新集群")[0]
>>> q.value, q.unit, q.comparator, q.threshold, q.threshold_unit
(10.0, '个', '>=', 10000000000.0, '元')
>>> [x.value for x in find_quantities("第十五个五年规划，“20+8”产业集群，“33618”体系")]
[]
>>> q = find_quantities("规模以上工业企业超过 3.5 万家")[0]
>>> q.value, q.unit, q.comparator, q.text
(35000.0, '家', '>', '3.5 万家')
>>> q = find_quantities("形成一批千亿级产业集群")[0]
>>> q.value, q.unit, q.comparator, q.threshold
(None, '个', '=', 100000000000.0)
>>> q = find_quantities("全省轻工纺织产业规模达到万亿级")[0]
>>> q.value, q.unit, q.comparator
(1000000000000.0, '元', '>=')
>>> find_quantities("汽车零部件、一条龙服务、千家万户")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nqpf.records import as_record

__all__ = ["Quantity", "chinese_number", "find_quantities", "quantity_marks"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "万亿": 1e12, "兆": 1e12}
CN_NUM = "零〇一二两三四五六七八九十百千"


def _words_number(s: str) -> float | None:
    """十二点五 → 12.5; digits pass through."""
    if s and s[0].isdigit():
        try:
            return float(s)
        except ValueError:
            return None
    whole, _, frac = s.partition("点")
    value = chinese_number(whole)
    if value is None or any(c not in _DIGITS for c in frac):
        return None
    return value + (float("0." + "".join(str(_DIGITS[c]) for c in frac)) if frac else 0.0)


def chinese_number(s: str) -> float | None:
    """Value of a simple Chinese numeral: 十 → 10, 二十五 → 25, 两千三百 → 2300, 三万 → 30000."""
    if not s:
        return None
    total, section, digit = 0.0, 0.0, None
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[c]
            digit = None
        elif c in ("万", "萬", "亿", "億"):
            section += digit or 0
            total = (total + section) * _BIG[c]
            section, digit = 0.0, None
        else:
            return None
    return total + section + (digit or 0)


#: Full-width digits, letters and signs, and the spaces of scraped pages, one character for one
#: (so spans stay those of the text as given): １２３ → 123, ％ → %, no-break space → space.
_FOLD = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
    **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    "％": "%", "．": ".", "＋": "+", "－": "-", "～": "~", "〜": "~", "／": "/",
    **dict.fromkeys("\xa0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f", " ")})

UNITS = ("亿元", "万元", "元", "美元", "亿美元", "港元", "个", "家", "项", "件", "人", "名", "台", "套",
         "台套", "台(套)", "台（套）", "辆", "架", "艘", "吨", "万吨", "千瓦", "万千瓦", "千瓦时",
         "亿千瓦时", "兆瓦", "兆瓦时", "吉瓦", "GW", "MW", "kW", "GWh", "MWh", "kWh",
         "平方米", "平方公里", "公里", "千米", "公顷", "亩", "户", "座", "条", "所", "次", "人次",
         "个百分点", "个基点", "基点", "%", "倍", "年", "家次", "款", "张", "部", "只", "块", "片",
         "斤", "公斤",
         "GB", "TB", "PB", "EB", "ZB", "P", "万人", "亿人", "万户", "万家", "万个", "万台", "万辆",
         "万套", "万件", "万项", "万名", "万吨标准煤", "吨标准煤", "万吨二氧化碳", "吨二氧化碳",
         "立方米", "万立方米", "标准机架", "架标准机架", "个标准机架", "度电", "度", "毫秒",
         "Gbps", "Mbps", "Tbps", "元/人", "元/吨", "元/千克", "元/公斤", "元/亩", "元/平方米",
         "小时", "万小时", "处", "天",
         "场", "场次", "人币", "人民币", "吨/年", "万吨/年",  # 制氢产能6-8万吨/年: a rate
         "人(次)", "人（次）", "标箱", "万标箱", "ms", "颗", "发",  # 卫星1000颗, 火箭100发
         "台/万人",  # 工业机器人使用密度360台/万人
         "公里/万平方公里", "公里/百平方公里", "岁",  # 铁路网密度507公里/万平方公里, 寿命78.8岁
         "标准立方米", "标准立方", "立方",  # 氢气年消费量超过3亿标准立方, 天然气420亿立方
         "吨/日", "吨/天",  # 加氢总能力达到74吨/日
         "头", "万头", "只", "万只",  # 奶牛存栏100万头, 滩羊1770万只
         "种")  # 培育100种机器人产品
#: Units that are not base units: (base unit, factor).
_CANON = {"兆瓦": ("千瓦", 1e3), "MW": ("千瓦", 1e3), "吉瓦": ("千瓦", 1e6), "GW": ("千瓦", 1e6),
          "kW": ("千瓦", 1.0), "兆瓦时": ("千瓦时", 1e3), "MWh": ("千瓦时", 1e3),
          "GWh": ("千瓦时", 1e6), "kWh": ("千瓦时", 1.0), "千米": ("公里", 1.0),
          "台(套)": ("台套", 1.0), "台（套）": ("台套", 1.0), "架标准机架": ("架", 1.0),
          "个标准机架": ("架", 1.0), "标准机架": ("架", 1.0), "度电": ("千瓦时", 1.0), "度": ("千瓦时", 1.0),
          "个基点": ("基点", 1.0), "人币": ("元", 1.0), "人民币": ("元", 1.0),
          "人(次)": ("人次", 1.0), "人（次）": ("人次", 1.0), "ms": ("毫秒", 1.0),
          "名": ("人", 1.0), "标准立方": ("标准立方米", 1.0),
          "立方": ("立方米", 1.0)}  # 引育90名科技人才: people, counted
#: The units that are written in another (the evaluation compares gold written as the text
#: writes it with the extractor's base units through this table).
CANONICAL_UNITS = _CANON
#: FLOPS in any case (EFlops, PFLOPS); written as EFLOPS/PFLOPS.
_FLOPS = r"[EePpTt][Ff][Ll][Oo][Pp][Ss]"
#: Any character ``_FOLD`` changes (most clauses have none, and need no copy).
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")
#: (台 is no unit in 台阶: 达到2万亿台阶)
_UNIT_RE = "|".join([_FLOPS, *(u if u != "台" else "台(?!阶)"
                               for u in sorted(map(re.escape, UNITS), key=len, reverse=True))])
_NUM = (r"(?:\d+(?:,\d{3})*(?:(?:\.| \. )\d+)?"
        r"|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)")
#: Multipliers; not the 千 of 千瓦/千米/千克, the 兆 of 兆瓦/兆赫 or the 万 of 万物/万众.
_MULT = r"万亿|亿|万(?![物众])|兆(?![瓦赫帕字])|千(?![瓦米克帕焦卡])|百"
_QTY = re.compile(
    rf"(?P<n1>{_NUM})(?:(?P<m1>{_MULT})?(?P<dash> ?(?:—{{1,2}}|[\-–~至到]) ?)(?P<n2>{_NUM}))?"
    rf"(?P<over1>余|多)?(?: ?(?P<mult>{_MULT}))?(?P<over2>余|多)?"
    rf"(?: ?(?P<unit>{_UNIT_RE})|(?P<tenths>成)(?![为立果功本员效熟型绩交都长不]))?")
#: A measure word that is the first character of a word (部门, 一次性, 元旦, 名单, 千斤顶, 人口,
#: 千人计划): matched at the unit's last character.
_UNIT_IN_WORD = re.compile(r"部[门分件委署长位落队]|次(?:性|产业|能源)|元(?:旦|素|宵|宇宙|化)|"
                           r"发[展布射挥现起放出行生动明电改力达]|颗粒|头[部雁号条等]|只[有是要能需]|"
                           r"名(?:单|录|称|义|牌)|条(?:龙|心|例|件|款)|斤顶|座谈|人(?:口|计划)")
#: Words that begin with a numeral and a measure word (checked at the numeral).
_NUMERAL_WORD = re.compile(r"千家万户|百家争鸣|万家灯火|一件事|一次办|一张(?:网|图|蓝图|表|清单)|一揽子")
_HAN = re.compile(r"[\u3400-\u9fff]")
#: A change by a multiple of the base (增长1倍 doubles it), not to one (增长到2倍).
_GROWN_BY = re.compile(r"(?:增加|增长|提高|提升|扩大)了?\s*(?:约|近|超过)?\s*$")
#: Doubling: 翻一番 = 2×, 翻两番 = 4×, 实现翻番 = 2×.
_DOUBLING = re.compile(r"翻了?(?P<n>一|两|二|三)番|翻番|翻了?一倍")
#: Shares written in words: 百分之五 = 5 %, 百分之十二点五 = 12.5 %, 三分之一 = 33.3 %.
#: What joins the two ends of a range of shares written in words (百分之四点五至百分之五).
_SHARE_RANGE = re.compile(r"\s*[至到—–\-－~～]\s*")
#: A share written as a fraction in digits after what it is a share of: 比重达到1/3以上.
_DIGIT_SHARE = re.compile(r"(?:比重|占比|比例|份额)[^，。；！？\d]{0,6}?(?<![\d/.])(?P<num>\d{1,2})/"
                          r"(?P<den>\d{1,2})(?![\d/])")
#: A ratio to one after the words that name it (城乡居民收入比缩小到2.3:1, 之比达到2.3∶1以上).
_RATIO = re.compile(r"比(?:值|例)?[^，。；！？\d]{0,8}?(?<![\d.:])(?P<num>\d{1,3}(?:\.\d+)?)\s?[:：∶]\s?1"
                    r"(?![\d.:])")
#: A bare value of an index after a verb of its level (质量竞争力指数达到82.5; not 指数以0.41的得分,
#: a score).
_INDEX_VALUE = re.compile(r"指数[^，。；！？\d]{0,4}?(?:达到|达|为|到|至|在)\s?(?<![\d.])"
                          r"(?P<num>\d{1,3}(?:\.\d+)?)"
                          r"(?![\d.%％:：∶/]|\s?[万亿千百十个位项年月日点分])")
_FRACTION = re.compile(r"(?P<den>百|[二两三四五六七八九十])分之"
                       r"(?P<num>[零〇一二两三四五六七八九十百\d.]+(?:点[零〇一二三四五六七八九]+)?)")
#: Currency words before a sum, and currency units (ISO 4217 codes).
_CURRENCY_BEFORE = re.compile(r"(?P<cur>新台币|新臺幣|台币|人民币|港币|港元|美元|欧元)[约近超逾达]{0,2}$")
_CURRENCY_CODES = {"新台币": "TWD", "新臺幣": "TWD", "台币": "TWD", "人民币": "CNY", "港币": "HKD",
                   "港元": "HKD", "美元": "USD", "亿美元": "USD", "欧元": "EUR"}
_MONEY_UNITS = ("元", "亿元", "万元", "美元", "亿美元", "港元")
#: A scale class (百亿元级, 五千亿级, 兆级, 万亿（兆）级); never part of a longer numeral
#: (千亿万亿元级 names no one class; 千兆级 is a network speed).
_SCALE = re.compile(r"(?<![\d.零〇一二两三四五六七八九十百千万亿兆])"
                    r"(?:(?P<lead>[一二两三四五六七八九]|\d+(?:\.\d+)?) ?)?"  # 5000 亿级: spaced
                    r"(?P<mag>十|百|千|万|十万|百万|千万|亿|十亿|百亿|千亿|万亿|兆)"
                    r"(?P<unit>亿元|万元|元|亿|万)?(?:[（(]兆[）)])?级")
_LEVEL_AFTER = re.compile(r"(?:亿元|万元|亿|万|元)?(?:[（(]兆[）)])?级")  # 4千|亿级
#: Words for an unsaid number of things (一批千亿级集群): a count with no value.
MANY_WORDS = "一大批|一批|若干|一系列|多个"
_BATCH = re.compile(MANY_WORDS)
#: What a scale class with no count is about: a countable noun after it (千亿级产业集群) …
_COUNTABLE = re.compile(r"集群|产业群|群|企业|园区|产业|基地|项目|集团|龙头|链|城市|开发区|高新区|"
                        r"新区|板块|品牌|强县|平台")
#: … built or grown (建设千亿级产业集群, 打造成为新的万亿级产业集群) …
_BUILD = re.compile(r"建设|打造|培育|形成|成为|发展|壮大|建成|做强|做大|做优|构建|布局|争创|创建|"
                    r"新增|引进|再造|锻造|铸造|培养|孵化|冲刺")
#: … or a single thing reaching a class (产业规模达到万亿级, 营业收入迈上千亿级台阶).
_REACH = re.compile(r"(?:达到|达|迈上|迈入|迈向|迈进|跨入|跨上|跨越|突破|进入|跃上|跃升至|跃升为|跃居|"
                    r"跻身|登上|提升至|提升到|提高到|增至|超过|升至)(?:了)?$")
_REACH_END = re.compile(r"(?:以上)?(?:的)?(?:台阶|规模|水平|大关|关口|能级|量级)?$")
#: A class predicated of things counted before it (4个产业…将成为万亿级产业).
_BECOME = re.compile(r"成为|成长为|发展为|发展成|打造成|建成|培育成|壮大为")
_SENTENCE_STOP = re.compile(r"[。；！？\n]")
_PHRASE_STOP = re.compile(r"[，。；！？、,;:：\n（(]")
_LIST_SEP = re.compile(r"[、，。；：！？,;:]")

_AFTER = [("及以上", ">="), ("以上", ">="), ("以下", "<="), ("以内", "<="), ("左右", "~"),
          ("上下", "~"), ("余个", ">"), ("多", ">"), ("余", ">")]
_BEFORE = sorted([("不少于", ">="), ("不低于", ">="), ("至少", ">="), ("力争超过", ">"), ("超过", ">"),
                  ("突破", ">"), ("超", ">"), ("逾", ">"), ("过", ">"), ("高于", ">"), ("不超过", "<="),
                  ("不高于", "<="), ("低于", "<"), ("控制在", "<="), ("约", "~"), ("近", "~"),
                  ("将近", "~"), ("大约", "~"), ("达到", "="), ("达", "=")], key=lambda x: -len(x[0]))
_AFTER_COMP, _BEFORE_COMP = dict(_AFTER), dict(_BEFORE)
_AFTER_RE = re.compile("|".join(w for w, _ in _AFTER))  # longest first, where one starts another
_BEFORE_RE = re.compile(f"(?:{'|'.join(w for w, _ in _BEFORE)})\\Z")
#: Characters that make 约 part of a word, not "about": 签约60个, 合约, 节约, 预约, 制约.
_WORDS_WITH_YUE = frozenset("签合节预制契条公邀履违相")
_CURRENCY_WORD_END = re.compile(r"(?:新台币|新臺幣|人民币|美元|港币)$")
_MAG = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7,
        "亿": 1e8, "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12, "兆": 1e12}


#: Units of counts of things.
COUNT_UNITS = _COUNTS = ("个", "家", "项", "件", "座", "所", "条", "户", "款", "台", "套", "台套")


@dataclass
class Quantity:
    value: float | None  # in base units (元, 个 …); None for "一批 … 千亿元级"
    unit: str
    comparator: str  # =, >=, >, <=, <, ~, range
    start: int
    end: int
    text: str
    upper: float | None = None  # for ranges
    threshold: float | None = None  # scale class: each counted thing is at least this big
    threshold_unit: str | None = None
    multiplier: float = 1.0
    currency: str | None = None  # ISO 4217 code of a sum of money (CNY unless the text says)

    def to_dict(self) -> dict:
        return as_record(self)


def _num(s: str) -> float | None:
    if s and s[0].isdigit():
        return float(s.replace(",", "").replace(" ", ""))
    return _words_number(s) if "点" in s else chinese_number(s)


def _base(value: float, mult: str, unit: str | None) -> tuple[float, str]:
    """Value in base units; 15 significant digits, so 8.7万亿 is 8.7e12, not 8699999999999.999."""
    factor = _BIG.get(mult, _SMALL.get(mult, 1.0)) if mult else 1.0
    unit = unit or ""
    for prefix, f in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
        if unit.startswith(prefix) and len(unit) > len(prefix):
            factor *= f
            unit = unit[len(prefix):]
            break
    if unit in _CANON:
        unit, f = _CANON[unit]
        factor *= f
    elif unit[:1] in "EePpTt" and unit[1:].upper() == "FLOPS":
        unit = unit.upper()
    return float(f"{value * factor:.15g}"), unit


#: What is measured in money, shortly before a bare 亿 (收入1750亿): its 元 is understood.
_MONEY_BEFORE = re.compile(r"(?:收入|总量|产值|规模|营收|增加值|销售额|交易额|成交额|总额|投资|"
                           r"生产总值|GDP|利润|税收|经济|消费|资金|基金|贷款|融资)"
                           r"(?:[^，。；！？、\d]|\d{1,2}年){0,6}$")  # 产值方面3年突破6400亿


#: What is counted in people, shortly before a bare 万 (就业总人数达到35万): its 人 is understood.
_PEOPLE_BEFORE = re.compile(r"(人次|人数|人口|人才|就业)(?:[^，。；！？、\d]){0,5}$")
#: A sum of one 万亿 (千亿, 百亿) with no numeral, after the verb that reaches it: 产值突破万亿元,
#: 迈上万亿元台阶, 营收突破千亿.
_BARE_MAGNITUDE = re.compile(r"(?P<verb>突破|超过|达到|超|逾|达|过|迈上|迈入|跨上|跃上|站上|登上)"
                             r"(?P<mag>万亿|千亿|百亿)(?P<yuan>元)?"
                             r"(?:(?=台阶|大关)|(?!级|的|以上的|[\u4e00-\u9fff]))")  # not a size class
#: A count right before a bare magnitude that qualifies it: 1-2家营业收入过(千亿).
_COUNT_QUALIFIED = re.compile(r"\d+(?:\s*[-—~至]\s*\d+)?\s*[个家项](?:营业收入|营收|产值|规模|收入)?"
                              r"(?:突破|超过|超|逾|过|达到|达)$")
#: Verbs of reaching a level: at least that level.
_STEP_UP = ("迈上", "迈入", "跨上", "跃上", "站上", "登上")
#: Between two items of a list: 、5年跨越.
_NEXT_IN_LIST = re.compile(r"[、，,](?:[^，。；！？、\d]|\d{1,2}年){0,8}")


def _currency(text: str, start: int, unit: str) -> str | None:
    """The currency of a sum: a currency unit (美元), else a currency word just before
    (新台币3000亿元), else 人民币."""
    if unit not in _MONEY_UNITS and not unit.split("/")[0].endswith("元"):
        return None
    if unit in _CURRENCY_CODES:
        return _CURRENCY_CODES[unit]
    m = _CURRENCY_BEFORE.search(text[max(0, start - 6):start].rstrip(" "))
    return _CURRENCY_CODES[m.group("cur")] if m else "CNY"


def _comparator(text: str, start: int, end: int) -> str:
    if start and text[start - 1] == "上" and text[start:start + 1] in "百千万亿":
        return ">="  # 上千家: a thousand or more
    m = _AFTER_RE.match(text, end + (text[end:end + 1] == " "))
    if m:
        return _AFTER_COMP[m.group()]
    before = _CURRENCY_WORD_END.sub("", text[max(0, start - 9):start].rstrip(" "))[-4:]
    m = _BEFORE_RE.search(before)  # the longest word the text ends with
    if m and not (m.group() == "约" and before[-2:-1] in _WORDS_WITH_YUE):
        return _BEFORE_COMP[m.group()]
    return "="


#: A size qualifier after a count: 3—5家营收超百亿元的龙头企业 → each at least 1e10 元.
_QUALIFIER = re.compile(r"^(?:[^，。；！？\d]{0,8}?(?:营收|营业收入|产值|规模|收入|销售额)?"
                        r"(?:超过|超|过|逾|达到|达)(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+|(?=万亿))"
                        r"(?P<mult>万亿|亿|万)元"
                        r"(?:以上)?(?:的|(?=(?:产业)?集群|企业|产业链|园区|城市)"
                        # 8个超千亿元、具有较强竞争力的产业集群
                        r"|、(?=[^，。；]{0,14}(?:集群|企业|产业链|园区)))"
                        r"|(?:营收|营业收入|产值|规模|收入|销售额)(?:超过|超|过|逾|达到|达)(?P<num2>\d+(?:\.\d+)?|"
                        r"[一二两三四五六七八九十百千]+)(?P<mult2>万亿|亿|万)元(?:以上)?(?=[，。；！？]|$)"
                        # 3至5家千亿元人民币以上规模的企业: the size straight after the count
                        r"|(?P<num3>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<mult3>万亿|亿)元"
                        r"(?:人民币)?以上(?:规模)?(?:的"
                        # 9个300亿元以上产业集聚区: or straight before what is counted
                        r"|(?=[^，。；！？\d、]{0,8}?(?:集群|集聚区|园区|企业|项目|基地|产业链))))")
#: A size qualifier before a count: 营业收入突破千亿元的产业集群达7个 → 7 个, each ≥ 1e11 元.
_QUALIFIER_BEFORE = re.compile(
    r"(?:(?:营收|营业收入|产值|规模|收入|销售额)(?:突破|超过|超|过|逾|达到|达)"
    r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<mult>万亿|亿|万)元(?:以上)?的"
    r"[^，。；！？\d]{1,12}?(?:数量|数)?(?:力争)?(?:达到|达|超过|突破|为|增至|增加到|新增)?"
    # 超千亿元集群达到8个, 百亿元龙头企业达到26个: a sum of money straight before what is
    # counted, then the verb of the count
    r"|(?<![\d.一二两三四五六七八九十百千万亿])(?:突破|超过|超|过|逾)?"
    r"(?P<num2>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<mult2>万亿|亿)元(?:以上)?的?"
    r"[^，。；！？\d、元]{1,12}?(?:数量|数)?(?:力争)?(?:达到|达|超过|突破|增至|增加到)"
    # 千亿元地级市3个、亿元乡镇30个: a class of round size, straight before a short noun
    r"|(?<![\d.一二两三四五六七八九十百千万亿])(?P<num3>[十百千]?|\d+(?=(?:万亿|亿)元以上))"
    r"(?P<mult3>万亿|亿)元级?[^，。；！？\d、元的]{1,8}?"
    # 超百亿元的具有核心竞争力的龙头企业5家: over a sum, 的, then what is counted
    r"|(?:超过|超|逾|过)(?P<num4>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<mult4>万亿|亿)元"
    r"(?:以上)?的[^，。；！？\d、元]{1,20}?)"
    r"(?=\d+(?:\.\d+)?(?:\s*[-—–～~至到]\s*\d+)?\s*[个家项]|[一二两三四五六七八九十]+[个家项])")

Span = tuple[int, int]


def _qualifier_after(text: str, end: int) -> tuple[float | None, int]:
    """(threshold in 元, end of the qualifier) for a size qualifier right after a count."""
    m = _QUALIFIER.search(text[end:end + 30])
    if not m:
        return None, -1
    numeral = next((m.group(g) for g in ("num", "num2", "num3") if m.group(g) is not None), "")
    value = 1.0 if numeral == "" else _num(numeral)  # 超万亿元的: one 万亿
    if value is None:
        return None, -1
    return value * _BIG[m.group("mult") or m.group("mult2") or m.group("mult3")], end + m.end()


def _scale_before(text: str, start: int, used: list[Span]
                  ) -> tuple[float | None, str | None, Span | None]:
    """A scale class in the same list item before a count: 万亿级产业集群2个 → 1e12 元; not one
    that an earlier count has (3个兆级产业集群和…7个千亿级)."""
    offset = max(0, start - 30)
    window = text[offset:start]
    cut = max((m.end() for m in _LIST_SEP.finditer(window)), default=0)
    found = [m for m in _SCALE.finditer(window, cut)
             if not _overlaps(used, offset + m.start(), offset + m.end())]
    if not found:
        return None, None, None
    value, unit = _scale_value(window, found[-1])
    return value, unit, (offset + found[-1].start(), offset + found[-1].end())


def _scale_after(text: str, end: int) -> tuple[float | None, str | None, Span | None]:
    """A scale class shortly after a count: 10个以上…的百亿元级集群 → 1e10 元."""
    window = text[end:end + 30]
    stop = re.search(r"[，。；！？]", window)
    m = _SCALE.search(window, 0, stop.start() if stop else len(window))
    if not m:
        return None, None, None
    value, unit = _scale_value(window, m)
    return value, unit, (end + m.start(), end + m.end())


def _scale_value(window: str, m: re.Match) -> tuple[float, str]:
    """Threshold of a scale class: 百亿元级 = 1e10 元, 五千亿级 = 5e11 元."""
    lead = m.group("lead")
    value = _MAG[m.group("mag")] * (float(lead) if lead and lead[0].isdigit()
                                     else _DIGITS[lead] if lead else 1)
    unit = m.group("unit") or ""
    if unit in ("亿元", "亿"):
        value *= 1e8
    elif unit in ("万元", "万"):
        value *= 1e4
    # 亿/万 scales are sums of money unless the text says otherwise (千亿级企业 = 1e11 元)
    money = unit or "元" in window[m.start():m.end() + 1] or value >= 1e4
    return value, "元" if money else ""


def _excluded(text: str, m: re.Match) -> bool:
    n1, unit, tenths = m.group("n1"), m.group("unit"), m.group("tenths")
    digits = n1[0].isdigit()
    if not unit and not tenths and (not digits or not m.group("mult")):
        return True  # a bare number (a year, a code) or a numeral in a word (一体化, 千兆宽带)
    s, e = m.start(), m.end()
    before, after = text[max(0, s - 3):s].rstrip(" ")[-1:], text[e:e + 1]
    if before == "第":  # ordinal
        return True
    if before and after and before in "“\"「『" and after in "”\"」』+":  # code: “33618”
        return True
    if before == "+" or after == "+":  # “20+8”
        return True
    if tenths and (digits or m.group("mult") or m.group("n2")):
        return True  # only 一成 … 九成 are tenths
    if unit == "年" or (unit == "个" and text.startswith(("月", "小时", "工作日"), e)):
        return True  # years and durations (不到两个月) are dates, not quantities
    if unit == "度" and not m.group("mult"):  # 3000亿度 is electricity; 35度 is not
        return True
    # 3.5 万家, 15 %: a space only between a number and its unit (2023 万物互联 is not 2023万)
    if " " in m.group() and (not digits or not (unit or (m.group("mult") and not _HAN.match(text, e)))):
        return True
    if unit and _UNIT_IN_WORD.match(text, e - 1):  # 三部门, 一次性, 百万人口, 千人计划
        return True
    if digits:
        return False
    if not n1.strip("零〇"):  # 零部件, 零件: 零 alone is never a count here
        return True
    if _NUMERAL_WORD.match(text, s):  # 千家万户, 一张蓝图, 一件事
        return True
    if n1 == "一" and unit in ("颗", "种"):
        return True  # 一颗璀璨明珠, 一种新模式: "a", not a count
    if n1 == "一" and s and text[s - 1] in "又再第唯每同" and unit in ("次", "个", "项", "批"):
        return True  # 又一次, 再一次, 第一次, 每一个: an adverb or ordinal, not a count
    if n1 == "一" and unit and len(unit) == 1 and after == "一":  # 一人一档, 一户一表
        return True
    # 三元锂电池, 二元结构, 一元化: a digit and 元 in a word, not a sum
    return unit == "元" and len(n1) == 1 and n1 not in "十百千" and bool(_HAN.match(text, e))


def _overlaps(spans: list[Span], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _standalone_scale(text: str, m: re.Match) -> Quantity | None:
    """A scale class with no count: 建设千亿级产业集群 (None, 个, threshold) or 产业规模达到万亿级
    (1e12 元, >=); None when the class says neither."""
    threshold, t_unit = _scale_value(text, m)
    if t_unit != "元" or threshold < 1e8:
        return None
    s, e = m.start(), m.end()
    head = text[max(0, s - 20):s]
    head = head[max((x.end() for x in _PHRASE_STOP.finditer(head)), default=0):]
    tail = text[e:e + 20]
    stop = _PHRASE_STOP.search(tail)
    tail = tail[:stop.start()] if stop else tail
    if _COUNTABLE.search(tail):
        if tail.endswith("规模") and (_BUILD.search(head) or _REACH.search(head)):
            # 到2030年形成千亿级产业规模: the industry reaches the class
            return Quantity(value=threshold, unit="元", comparator=">=", start=s, end=e,
                            text=m.group(), currency="CNY")
        if _BUILD.search(head):
            return Quantity(value=None, unit="个", comparator="=", start=s, end=e, text=m.group(),
                            threshold=threshold, threshold_unit=t_unit)
        return None
    if _REACH.search(head) and _REACH_END.fullmatch(tail):
        return Quantity(value=threshold, unit="元", comparator=">=", start=s, end=e, text=m.group(),
                        currency="CNY")
    return None


def _counted_subject(text: str, found: list[Quantity], q: Quantity) -> Quantity | None:
    """The count, earlier in the sentence, of the things a class is predicated of: in
    4个产业，到2025年将成为万亿级产业 the class is the threshold of 4个产业, not a record."""
    head = text[max(0, q.start - 20):q.start]
    head = head[max((x.end() for x in _PHRASE_STOP.finditer(head)), default=0):]
    noun = _COUNTABLE.search(text, q.end, q.end + 20)
    if noun is None or not _BECOME.search(head):
        return None
    for c in reversed(found):
        if c.end > q.start or c.value is None or c.unit not in _COUNTS or c.threshold is not None:
            continue
        if _SENTENCE_STOP.search(text, c.end, q.start):
            return None
        after = text[c.end:c.end + 12]
        stop = _PHRASE_STOP.search(after)
        return c if noun.group() in after[:stop.start() if stop else len(after)] else None
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` with its unit, comparator, range and scale class; and
    counted scale classes without a number (一批千亿元级集群 → value None)."""
    t = text.translate(_FOLD) if _FOLDABLE.search(text) else text  # same length as ``text``
    out: list[Quantity] = []
    consumed: list[Span] = []  # qualifiers that are thresholds, not quantities
    used: list[Span] = []  # scale classes that are the threshold of a count
    for m in _BATCH.finditer(t):  # 一批千亿级集群, 一批营业收入过千亿元的集群
        threshold, t_unit, span = _scale_after(t, m.end())
        if span is not None:
            used.append(span)
        else:
            threshold, q_end = _qualifier_after(t, m.end())
            if threshold is None:
                continue
            t_unit = "元"
            consumed.append((m.end(), q_end))
        out.append(Quantity(value=None, unit="个", comparator="=", start=m.start(), end=m.end(),
                            text=text[m.start():m.end()], threshold=threshold,
                            threshold_unit=t_unit))
    before_count: dict[int, float] = {}  # count start → threshold stated before it
    # (every size qualifier names a sum in 万元 or 亿元)
    for m in _QUALIFIER_BEFORE.finditer(t) if "亿元" in t or "万元" in t else ():
        numeral = next(m.group(g) for g in ("num", "num2", "num3", "num4")
                       if m.group(g) is not None)
        value = 1.0 if numeral == "" else _num(numeral)  # 亿元乡镇: one 亿
        if value is not None:
            mult = next(m.group(g) for g in ("mult", "mult2", "mult3", "mult4") if m.group(g))
            before_count[m.end()] = value * _BIG[mult]
            consumed.append((m.start(), m.end()))
    doublings = list(_DOUBLING.finditer(t))
    consumed += [(d.start(), d.end()) for d in doublings]
    for m in _QTY.finditer(t):
        if _excluded(t, m) or (consumed and any(a <= m.start() < b for a, b in consumed)):
            continue
        v1 = _num(m.group("n1"))
        if v1 is None:
            continue
        if _LEVEL_AFTER.match(t, m.end()):
            continue  # "百亿元级" itself is a scale class, not a count
        mult = m.group("mult") or m.group("m1") or ""
        if m.group("tenths"):  # 两成 = 20 %
            if v1 > 9:
                continue
            value, unit = v1 * 10, "%"
        else:
            # 从7000亿到2万亿: each end with its own multiplier
            value, unit = _base(v1, m.group("m1") or mult, m.group("unit"))
            if not unit and mult in ("亿", "万亿") and (
                    _MONEY_BEFORE.search(t, max(0, m.start() - 14), m.start())
                    # 3年突破6400亿、5年跨越7500亿: the next sum of the list
                    or (out and out[-1].unit == "元" and out[-1].multiplier >= 1e8
                        and _NEXT_IN_LIST.fullmatch(t, out[-1].end, m.start()))):
                unit = "元"  # 冰雪经济总量将达3000亿, 旅游收入1750亿: a sum, its 元 left out
            elif not unit and mult in ("万", "亿") \
                    and (people := _PEOPLE_BEFORE.search(t, max(0, m.start() - 10), m.start())):
                # 旅游业就业总人数达到35万, 接待旅游人次7300万: people (visits), their 人 left out
                unit = "人次" if people.group(1) == "人次" else "人"
        upper = None
        comp = ">" if m.group("over1") or m.group("over2") else _comparator(t, m.start(), m.end())
        if m.group("n2"):
            v2 = _num(m.group("n2"))
            if v2 is not None:
                upper, _ = _base(v2, mult, m.group("unit"))
                comp = "range"
        threshold, t_unit, span = None, None, None
        if unit in _COUNTS and m.start() in before_count:  # 营收超千亿元的集群达7个
            threshold, t_unit, span = before_count[m.start()], "元", None
        elif unit in _COUNTS:  # 集群2个: the item's own scale comes first; else 10个…百亿级集群
            threshold, t_unit, span = _scale_before(t, m.start(), used)
            if threshold is None:
                threshold, t_unit, span = _scale_after(t, m.end())
            if span is not None:
                used.append(span)
            else:
                qualifier, q_end = _qualifier_after(t, m.end())
                if qualifier is not None:
                    threshold, t_unit = qualifier, "元"
                    consumed.append((m.end(), q_end))
        out.append(Quantity(value=value, unit=unit, comparator=comp, start=m.start(),
                            end=m.end(), text=text[m.start():m.end()], upper=upper,
                            threshold=threshold, threshold_unit=t_unit,
                            multiplier=_BIG.get(mult, 1.0), currency=_currency(t, m.start(), unit)))
    for m in _BARE_MAGNITUDE.finditer(t):  # 汽车产业产值突破万亿元: one 万亿
        a = m.start("mag")
        if any(q.start <= a < q.end for q in out) or any(b0 <= a < b1 for b0, b1 in consumed) \
                or _COUNT_QUALIFIED.search(t, max(0, a - 16), a) or (
                not m.group("yuan") and not _MONEY_BEFORE.search(t, max(0, m.start() - 14),
                                                                 m.start())):
            continue  # 旅游收入突破万亿: a sum, its 元 left out; else no unit to tell
        out.append(Quantity(value=_MAG[m.group("mag")], unit="元",
                            comparator=">=" if m.group("verb") in _STEP_UP
                            else _comparator(t, a, m.end()), start=a, end=m.end(),
                            text=text[a:m.end()], multiplier=_MAG[m.group("mag")],
                            currency=_currency(t, a, "元")))
    shares: list[Quantity] = []
    for m in _FRACTION.finditer(t):
        num = _words_number(m.group("num"))
        den = 100.0 if m.group("den") == "百" else chinese_number(m.group("den"))
        if num is None or not den:
            continue
        q = Quantity(value=round(num / den * 100, 10), unit="%",
                     comparator=_comparator(t, m.start(), m.end()), start=m.start(),
                     end=m.end(), text=text[m.start():m.end()])
        prev = shares[-1] if shares else None
        if prev is not None and prev.upper is None and _SHARE_RANGE.fullmatch(t, prev.end, m.start()) \
                and q.value is not None and prev.value is not None and q.value > prev.value:
            # 百分之四点五至百分之五: one range
            prev.upper, prev.comparator, prev.end = q.value, "range", q.end
            prev.text = text[prev.start:q.end]
            continue
        shares.append(q)
    for m in _DIGIT_SHARE.finditer(t):  # 二产占GDP比重达到1/3以上
        num, den = int(m.group("num")), int(m.group("den"))
        if 0 < num < den:
            shares.append(Quantity(value=round(num / den * 100, 10), unit="%",
                                   comparator=_comparator(t, m.start("num"), m.end()),
                                   start=m.start("num"), end=m.end(),
                                   text=text[m.start("num"):m.end()]))
    out += shares
    # values with no unit: 质量竞争力指数达到82.5, 农产品加工业与农业总产值之比达到2.3:1
    for pattern in (_INDEX_VALUE if "指数" in t else None, _RATIO if "1" in t else None):
        for m in pattern.finditer(t) if pattern else ():
            if not _overlaps([(q.start, q.end) for q in out], m.start("num"), m.end()):
                out.append(Quantity(value=float(m.group("num")), unit="",
                                    comparator=_comparator(t, m.start("num"), m.end()),
                                    start=m.start("num"), end=m.end(),
                                    text=text[m.start("num"):m.end()]))
    for m in doublings:  # 实现翻一番, 翻了两番, 翻番
        times = {"一": 2, None: 2, "两": 4, "二": 4, "三": 8}[m.group("n")]
        out.append(Quantity(value=float(times), unit="倍", comparator=_comparator(t, m.start(), m.end()),
                            start=m.start(), end=m.end(), text=text[m.start():m.end()]))
    if "倍" in t:
        for q in out:  # 增加两倍: three times the base (增加到两倍, 是…的两倍: two)
            if q.unit == "倍" and q.value is not None and _GROWN_BY.search(t, 0, q.start):
                q.value += 1
                q.upper = q.upper + 1 if q.upper is not None else None
    for m in _SCALE.finditer(t) if "级" in t else ():  # classes with no count of their own
        if _overlaps(used, m.start(), m.end()):
            continue
        q = _standalone_scale(t, m)
        if q is None:
            continue
        subject = _counted_subject(t, out, q) if q.value is None else None
        if subject is not None:  # 4个产业，…将成为万亿级产业: the class of the things counted
            subject.threshold, subject.threshold_unit = q.threshold, q.threshold_unit
            continue
        q.text = text[q.start:q.end]
        out.append(q)
    # 一件件实事, 一个个项目: one by one, no count
    out = [q for q in out if not (q.end - q.start == 2 and t[q.start] == "一"
                                  and t[q.end - 1:q.end + 1] == t[q.end - 1] * 2)]
    return _joined_ranges(text, t, sorted(out, key=lambda q: q.start))


#: Words that quantities with no number and unit are made of: 一批, 万亿, 千亿, 三分之一, 1/3,
#: 翻番, 千亿级, ratios to one (2.3:1) and an index's value (指数达到82.5).
_WORD_MARKS = re.compile(f"{MANY_WORDS}|万亿|千亿|百亿|分之|翻|级|\\d/\\d|\\d\\s?[:：∶]\\s?1|指数")


def quantity_marks(text: str) -> list[int]:
    """Positions, in order, of what every quantity :func:`find_quantities` finds in a clause
    of ``text`` (a part between 。！？, line breaks and ；) holds: a number with a unit, a
    multiplier or 成, or a word of :data:`_WORD_MARKS`. A clause with none holds no quantity:
    no mark spans a clause's bounds, so one scan of the whole text finds what a scan of each
    clause would.

    >>> quantity_marks("推进一体化。培育10个集群；三分之一")
    [8, 15]
    """
    t = text.translate(_FOLD) if _FOLDABLE.search(text) else text
    marks = [m.start() for m in _QTY.finditer(t)
             if m.group("unit") or m.group("tenths") or (m.group("mult") and m.group("n1")[0].isdigit())]
    return sorted(marks + [m.start() for m in _WORD_MARKS.finditer(t)])


#: Between the two ends of a range each written with its unit: 4.5%至5%, 3%—5%.
_RANGE_JOIN = re.compile(r"\s*(?:至|到|—|–|-|~|～)\s*")


def _joined_ranges(text: str, folded: str, qs: list[Quantity]) -> list[Quantity]:
    """4.5%至5% is one range, not two figures (both ends carry the unit)."""
    out: list[Quantity] = []
    for q in qs:
        prev = out[-1] if out else None
        if prev is not None and prev.upper is None and prev.comparator != "range" \
                and q.unit and q.unit == prev.unit and q.upper is None \
                and prev.value is not None and q.value is not None and q.value > prev.value \
                and _RANGE_JOIN.fullmatch(folded, prev.end, q.start):
            prev.upper, prev.comparator = q.value, "range"
            prev.end, prev.text = q.end, text[prev.start:q.end]
            continue
        out.append(q)
    return out
