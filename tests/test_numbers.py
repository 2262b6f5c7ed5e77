"""Quantities as policy and news pages write them (nqpf.extract.numbers)."""

from __future__ import annotations

import pytest

from nqpf.extract.numbers import Quantity, find_quantities

#: (phrase, value, unit, comparator, upper, threshold) of the first quantity in the phrase.
CASES = [
    # spaced digits and units, as scraped pages write them
    ("规模以上工业企业超过 3.5 万家", 35000.0, "家", ">", None, None),
    ("到2027年，数字经济核心产业增加值达到 2 万亿元", 2e12, "元", "=", None, None),
    ("培育 10 个以上国家级先进制造业集群", 10.0, "个", ">=", None, None),
    ("研发经费投入占比达到 15 %", 15.0, "%", "=", None, None),
    ("地区生产总值达 12.82\u00a0万亿元", 1.282e13, "元", "=", None, None),
    ("新增高新技术企业\u30003000\u3000家以上", 3000.0, "家", ">=", None, None),
    ("社会消费品零售总额增长 5.5% 左右", 5.5, "%", "~", None, None),
    ("产业规模突破 1 . 6万亿元", 1.6e12, "元", ">", None, None),
    ("培育 3 — 4 个示范区", 3.0, "个", "range", 4.0, None),
    ("GDP 总量达到 1.6 万亿，", 1.6e12, "元", "=", None, None),  # GDP: its 元 understood
    # full-width digits and signs
    ("新增专精特新企业１２３家", 123.0, "家", "=", None, None),
    ("占比提高到１５％以上", 15.0, "%", ">=", None, None),
    ("投资规模达到１．５万亿元", 1.5e12, "元", "=", None, None),
    # doubling
    ("到2030年经济总量实现翻一番", 2.0, "倍", "=", None, None),
    ("五年来产值翻了一番", 2.0, "倍", "=", None, None),
    ("力争收入翻两番", 4.0, "倍", "=", None, None),
    ("居民收入实现翻番", 2.0, "倍", "=", None, None),
    ("研发投入翻一番以上", 2.0, "倍", ">=", None, None),
    # more units, each in base units
    ("粮食产量稳定在1300亿斤以上", 1.3e11, "斤", ">=", None, None),
    ("新增粮食产能 50 万斤", 5e5, "斤", "=", None, None),
    ("年接待游客突破1.2亿人次", 1.2e8, "人次", ">", None, None),
    ("培训技能人才 30 万人次", 3e5, "人次", "=", None, None),
    ("存储总量超过1800EB", 1800.0, "EB", ">", None, None),
    ("先进存储容量达到 500 PB", 500.0, "PB", "=", None, None),
    ("新增光伏装机500万千瓦", 5e6, "千瓦", "=", None, None),
    ("建成投产新型储能100兆瓦", 1e5, "千瓦", "=", None, None),
    ("海上风电装机达到 3 GW", 3e6, "千瓦", "=", None, None),
    ("清洁能源发电量达到 100 亿千瓦时", 1e10, "千瓦时", "=", None, None),
    ("全社会用电量 8000 万千瓦时", 8e7, "千瓦时", "=", None, None),
    ("数据中心规模达到 20 万标准机架", 2e5, "架", "=", None, None),
    ("在用数据中心超过5万架标准机架", 5e4, "架", ">", None, None),
    ("智能算力规模达到 300 PFLOPS", 300.0, "PFLOPS", "=", None, None),
    ("全市算力规模超过 10 EFlops", 10.0, "EFLOPS", ">", None, None),
    ("节约能源 50 万吨标准煤", 5e5, "吨标准煤", "=", None, None),
    ("城镇调查失业率下降 0.5 个百分点", 0.5, "个百分点", "=", None, None),
    ("城镇新增就业 120 万人以上", 1.2e6, "人", ">=", None, None),
    ("引进高层次人才 5000 人", 5000.0, "人", "=", None, None),
    ("建成5G基站 8 万座", 8e4, "座", "=", None, None),
    ("新增造林 3 万公顷", 3e4, "公顷", "=", None, None),
    ("建成高标准农田 100 万亩", 1e6, "亩", "=", None, None),
    ("新建城市轨道交通 300 千米", 300.0, "公里", "=", None, None),
    ("高速公路通车里程达到 8000 公里", 8000.0, "公里", "=", None, None),
    ("新能源汽车产量达到 100 万辆", 1e6, "辆", "=", None, None),
    ("新开通国际航线 20 条", 20.0, "条", "=", None, None),
    ("港口货物吞吐量超过 5 亿吨", 5e8, "吨", ">", None, None),
    ("固废综合利用 3000 万吨", 3e7, "吨", "=", None, None),
    ("推广首台（套）装备 1 万台（套）", 1e4, "台套", "=", None, None),
    ("发放消费券 1000 万张", 1e7, "张", "=", None, None),
    ("新增市场主体 50 万个", 5e5, "个", "=", None, None),
    ("有效发明专利 3 万件", 3e4, "件", "=", None, None),
    ("实施技改项目 1 万项以上", 1e4, "项", ">=", None, None),
    ("粮食产量一点四兆斤以上", 1.4e12, "斤", ">=", None, None),
    ("新能源发电量超3000亿度", 3e11, "千瓦时", ">", None, None),
    ("全员劳动生产率达到28万元/人", 2.8e5, "元/人", "=", None, None),
    ("力争单向时延在20毫秒以内", 20.0, "毫秒", "<=", None, None),
    ("互联网出省带宽超过4.5万Gbps", 4.5e4, "Gbps", ">", None, None),
    # scale classes: counts, batches, classes with no count, a single thing reaching a class
    ("培育壮大10个以上国内领先的百亿元级产业创新集群", 10.0, "个", ">=", None, 1e10),
    ("培育新增3—4个万亿元级战略性产业集群", 3.0, "个", "range", 4.0, 1e12),
    ("培育形成医药健康 3 个兆级产业集群", 3.0, "个", "=", None, 1e12),
    ("形成一批千亿级产业集群", None, "个", "=", None, 1e11),
    ("培育一批营业收入过千亿元的特色产业集群", None, "个", "=", None, 1e11),
    ("建设千亿级产业集群", None, "个", "=", None, 1e11),
    ("打造成为新的万亿级产业集群", None, "个", "=", None, 1e12),
    ("打造成为新的万亿（兆）级产业集群", None, "个", "=", None, 1e12),
    ("培育百亿元级龙头企业", None, "个", "=", None, 1e10),
    ("全省轻工纺织产业规模达到万亿级，", 1e12, "元", ">=", None, None),
    ("企业营业收入迈上千亿级台阶", 1e11, "元", ">=", None, None),
    ("电子信息产业规模跨入万亿级", 1e12, "元", ">=", None, None),
    ("新材料等4个产业，到2025年将成为万亿级产业", 4.0, "个", "=", None, 1e12),
    # what worked before
    ("累计投放2万亿元", 2e12, "元", "=", None, None),
    ("过千亿元", 1e11, "元", ">", None, None),
    ("增长两成", 20.0, "%", "=", None, None),
    ("提高百分之十二点五", 12.5, "%", "=", None, None),
    ("上千家企业", 1000.0, "家", ">=", None, None),
]


@pytest.mark.parametrize(("text", "value", "unit", "comparator", "upper", "threshold"), CASES,
                         ids=[c[0] for c in CASES])
def test_first_quantity(text: str, value: float | None, unit: str, comparator: str,
                        upper: float | None, threshold: float | None) -> None:
    q = find_quantities(text)[0]
    assert (q.value, q.unit, q.comparator) == (pytest.approx(value) if value else value, unit,
                                               comparator)
    assert q.upper == (pytest.approx(upper) if upper else upper)
    assert q.threshold == (pytest.approx(threshold) if threshold else threshold)
    assert q.threshold_unit == ("元" if threshold else None)


@pytest.mark.parametrize("text", [
    "汽车零部件产业", "零售业态", "零碳园区", "服务企业零距离", "长三角一体化", "千兆光网", "百姓生活",
    "万物互联", "提供一条龙服务", "全省一张网", "一张蓝图绘到底", "高效办成一件事", "一件事一次办",
    "走进千家万户", "一二三产业融合，三次产业协调发展", "一次性补贴", "三部门联合印发", "一部分企业",
    "三元锂电池", "实行一人一档", "百万人口城市", "入选千人计划", "2023 万物互联", "到 2025 年",
    "第 3 个五年", "“20+8”产业集群", "千兆级光网", "培育壮大千亿万亿元级产业集群", "国家级先进制造业集群",
    "一成不变", "2024元旦", "气温35度", "百度地图"])
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_a_class_that_is_a_threshold_has_no_record_of_its_own() -> None:
    qs = find_quantities("打造形成4个万亿级、4个五千亿级、一批千亿级产业集群")
    assert [(q.value, q.threshold) for q in qs] == [(4.0, 1e12), (4.0, 5e11), (None, 1e11)]
    qs = find_quantities("培育万亿级产业集群2个、千亿级产业集群10个左右")
    assert [(q.value, q.comparator, q.threshold) for q in qs] == [(2.0, "=", 1e12), (10.0, "~", 1e11)]
    qs = find_quantities("医药健康3个兆级产业集群和智能制造等7个千亿级产业集群")
    assert [(q.value, q.threshold) for q in qs] == [(3.0, 1e12), (7.0, 1e11)]


def test_spans_are_those_of_the_text_as_given() -> None:
    text = "新增企业１２３家，产值达到 3.5 万亿元"
    qs = find_quantities(text)
    assert [q.text for q in qs] == ["１２３家", "3.5 万亿元"]
    assert all(text[q.start:q.end] == q.text for q in qs)


def test_one_batch_with_a_qualifier_does_not_also_give_the_qualifier() -> None:
    qs = find_quantities("到2027年，全省轻工纺织产业规模达到万亿级，"
                         "培育一批营业收入过千亿元的湖湘特色产业集群。")
    assert [(q.value, q.unit, q.comparator, q.threshold) for q in qs] == [
        (1e12, "元", ">=", None), (None, "个", "=", 1e11)]


def test_sums_of_money_keep_their_currency() -> None:
    assert find_quantities("吸引外资 50 亿美元")[0].currency == "USD"
    assert find_quantities("产业规模达到万亿级")[0].currency == "CNY"
    assert isinstance(find_quantities("新增100家")[0], Quantity)


def test_size_qualifiers_before_and_after_a_count_and_ranges_of_shares():
    got = [(q.value, q.unit, q.threshold) for q in find_quantities(
        "营业收入突破千亿元的产业集群达7个，其中3个营业收入超2000亿元。")]
    assert got == [(7.0, "个", 1e11), (3.0, "个", 2e11)]
    r = find_quantities("增长目标设定在百分之四点五至百分之五")[0]
    assert (r.value, r.upper, r.comparator) == (4.5, 5.0, "range")
    assert [(q.value, q.unit) for q in find_quantities("无人机飞行达到350万小时")] == [(3.5e6, "小时")]


@pytest.mark.parametrize("text, expected", [
    # a bare 亿 of a sum is 元, and the next sum of its list too
    ("工业总产值方面3年突破6400亿、5年跨越7500亿", [(6.4e11, "元"), (7.5e11, "元")]),
    ("冰雪经济总量将达3000亿，其中冰雪旅游收入1750亿", [(3e11, "元"), (1.75e11, "元")]),
    ("常住人口达1.4亿", [(1.4e8, "人")]),  # a bare 亿 of people: their 人 is understood
    ("贷款加权平均利率下降43个基点", [(43.0, "基点")]),
    ("全市空气质量优良天数稳定在338天左右", [(338.0, "天")]),
    # 4千亿级 is a scale class, not a count of 4,000
    ("打造有色金属1个4千亿级、绿色化工3个3千亿级产业", [(1.0, "个"), (3.0, "个")]),
])
def test_quantities_of_real_pages(text, expected):
    assert [(q.value, q.unit) for q in find_quantities(text)] == expected


def test_signing_is_not_about():
    (q,) = find_quantities("聚焦突破类新签约60个")
    assert (q.value, q.comparator) == (60.0, "=")


def test_a_money_class_straight_before_a_count():
    qs = find_quantities("营业收入超千亿元集群达到8个，百亿元龙头企业达到26个")
    assert [(q.value, q.unit, q.threshold) for q in qs] == [(8.0, "个", 1e11), (26.0, "个", 1e10)]


def test_a_spaced_scale_class_and_a_bare_wanyi():
    qs = find_quantities("新增 1 个 5000 亿级产业、1 个 4000 亿级产业")
    assert [(q.value, q.threshold) for q in qs] == [(1.0, 5e11), (1.0, 4e11)]
    (q,) = find_quantities("汽车产业产值突破万亿元")
    assert (q.value, q.unit, q.comparator) == (1e12, "元", ">")


def test_a_range_with_its_unit_at_both_ends():
    (q,) = find_quantities("GDP年均增速为4.5%至5%")
    assert (q.value, q.upper, q.comparator, q.text) == (4.5, 5.0, "range", "4.5%至5%")


def test_a_change_by_a_multiple_a_ratio_to_one_and_one_by_one():
    qs = find_quantities("地区生产总值较2020年增加两倍，增长到2倍，之比达到2.3∶1以上，天然气产量420亿立方")
    assert [(q.value, q.unit, q.comparator) for q in qs] == [
        (3.0, "倍", "="), (2.0, "倍", "="), (2.3, "", ">="), (4.2e10, "立方米", "=")]
    assert find_quantities("把目标落实到一件件具体实事上，把任务锁定在一个个具体项目上") == []
    assert find_quantities("时间10:30") == []
