"""Spot checks of the embedded panel against published figures.

Each figure names where it was published: the raw README's spot values, or an official
bulletin (statistical communiqué, yearbook table, ministry report) quoted in the comment.
"""

import numpy as np
import pandas as pd
import pytest

from nqpf.data import coverage, load_dictionary, load_panel


def value(indicator, adcode, year):
    df = load_panel([indicator])
    sel = df[(df.adcode == adcode) & (df.year == year)]
    assert len(sel) == 1, (indicator, adcode, year)
    return float(sel.value.iloc[0])


def series(indicator):
    return load_panel([indicator]).set_index(["adcode", "year"]).value


# ---------------------------------------------------------------- the raw README's spot values


def test_raw_readme_spot_values():
    """The raw README's spot values that tests/test_panel.py does not check already."""
    assert value("energy_consumption", "110000", 2019) == 7360
    assert value("energy_consumption", "440000", 2019) == 34142


# ---------------------------------------------------------------- employment: one definition


def test_employment_is_the_2020_series_only():
    emp = load_panel(["employment"])
    assert sorted(emp.year.unique()) == [2020, 2021, 2022, 2023, 2024]
    assert value("employment", "410000", 2020) == 4884  # the Henan figure
    assert not np.isclose(emp.value, 6041.56).any()  # Henan 2010, the pre-census series
    ratio = load_panel(["rd_fte_per_10k_employed"])
    assert sorted(ratio.year.unique()) == [2020, 2021, 2022, 2023]
    spec = load_dictionary()["rd_fte_per_10k_employed"]
    assert "2020+" in spec["notes"]  # the docs and the data agree


def test_urban_unit_employment_guangdong_yearbook():
    # 广东统计年鉴2013, 表5-1 从业人员主要指标: 城镇单位从业人员 1118.52 (2010), 1238.22 (2011),
    # 1303.98 (2012) 万人 (gdstats.gov.cn/tjnj/2013)
    for year, published in [(2010, 1118.52), (2011, 1238.22), (2012, 1303.98)]:
        assert value("urban_unit_employment", "440000", year) == pytest.approx(published, abs=0.05)
    cov = coverage().loc["urban_unit_employment"]
    assert cov.loc[:2007].sum() == 0 and (cov.loc[2008:] == 31).all()
    breaks = {b["year"] for b in load_dictionary()["urban_unit_employment"]["breaks"]}
    assert breaks == {2011, 2013}


# ---------------------------------------------------------------- population before 2015


# Sixth national census, communiqué No. 2 (2011-04-28), resident population at 2010-11-01, 万人
CENSUS_2010 = {"110000": 1961.2, "370000": 9579.3, "410000": 9402.4, "440000": 10430.3,
               "540000": 300.2}


# China Statistical Yearbook 2006, year-end population by region, 2005, 万人 (first publication)
YEAREND_2005 = {"110000": 1538, "370000": 9248, "410000": 9380, "440000": 9194, "540000": 277}


def test_population_from_2005_derived_and_close_to_the_2010_census():
    cov = coverage().loc["population"]
    assert (cov.loc[2005:] == 31).all()
    for adcode, census in CENSUS_2010.items():
        assert value("population", adcode, 2010) == pytest.approx(census, rel=0.02)
    # the official series is untouched
    assert value("population", "440000", 2023) == 12706
    assert value("population", "110000", 2015) == 2188
    # the derived years follow their formula exactly
    w = load_panel(["population", "gdp", "gdp_per_capita_ec2018"], wide=True)
    early = w[w.year.between(2006, 2014)]
    assert np.allclose(early.population, early.gdp / early.gdp_per_capita_ec2018 * 1e4)
    d = load_dictionary()
    assert [f["years"] for f in d.fills("population")] == [[2006, 2014], [2005, 2005]]
    assert [b["year"] for b in d["population"]["breaks"]] == [2006, 2015]


def test_population_2005_is_gdp_chained_back_and_near_the_first_publication():
    w = load_panel(["population", "gdp", "gdp_yearbook", "gdp_per_capita_ec2018"], wide=True)
    w = w.set_index(["adcode", "year"]).sort_index()
    y5, y6 = w.xs(2005, level="year"), w.xs(2006, level="year")
    assert y5.gdp.isna().all()  # the gdp vintage has no 2005: it is chained from 2006
    chained = y6.gdp * y5.gdp_yearbook / y6.gdp_yearbook
    assert np.allclose(y5.population, chained / y5.gdp_per_capita_ec2018 * 1e4)
    # an average-population estimate: within 3.5 % of the year-end figures first published
    for adcode, official in YEAREND_2005.items():
        assert value("population", adcode, 2005) == pytest.approx(official, rel=0.035)


def test_gdp_per_capita_ec2018_is_its_own_vintage():
    # Beijing 2016 after the 2018 economic census: GDP 27,041.2 亿元 → 123,391 元 per resident
    assert value("gdp_per_capita_ec2018", "110000", 2016) == 123391
    assert value("gdp_per_capita_ec2018", "110000", 2024) == value("gdp_per_capita", "110000", 2024)
    # GDP per year-end resident only where population is official
    assert load_panel(["gdp_per_capita_yearend"]).year.min() == 2015


def test_per_resident_ratios_start_before_2015_and_inherit_the_break():
    d = load_dictionary()
    for ratio in ("rd_fte_per_10k_pop", "patents_per_10k_pop", "rd_researchers_per_10k_pop"):
        assert coverage().loc[ratio, 2010] == 31
        assert 2015 in [b["year"] for b in d.breaks(ratio)]
    assert value("rd_researchers_per_10k_pop", "110000", 2021) == pytest.approx(
        value("rd_researchers_fte", "110000", 2021) / value("population", "110000", 2021))


# ---------------------------------------------------------------- digital, energy, market


def test_internet_penetration_cnnic_2015():
    # CNNIC, 第37次中国互联网络发展状况统计报告 (2016-01): Beijing, Shanghai and Guangdong have the
    # highest provincial penetration, Yunnan the lowest; Beijing 69.4 % at the end of 2010
    ipr = load_panel(["internet_penetration"])
    assert sorted(ipr.year.unique()) == list(range(2010, 2017))
    y15 = ipr[ipr.year == 2015].set_index("province").value.sort_values()
    assert y15.index[0] == "云南"
    assert set(y15.index[-3:]) == {"北京", "上海", "广东"}
    assert value("internet_penetration", "110000", 2010) == pytest.approx(69.4, abs=0.5)
    assert d_source("internet_penetration") == "cnnic"


def d_source(indicator):
    return load_dictionary()[indicator]["source"]


def test_power_generation_sums_to_the_2020_communique():
    # 国家统计局, 2020年国民经济和社会发展统计公报: 全年发电量 77,790.6 亿千瓦时
    gen = load_panel(["power_generation"], years=(2020, 2020))
    assert len(gen) == 31
    assert gen.value.sum() == pytest.approx(77790.6, abs=0.5)
    thermal = series("thermal_power_generation")
    assert (thermal <= series("power_generation").reindex(thermal.index) + 1e-9).all()


def test_fossil_fuels_2016_2019():
    # 北京市发展改革委 (新京报 2020-11-20): coal consumption cut from 1,165.2 万吨 (2015) to
    # 182.8 万吨 (2019)
    assert value("coal_consumption", "110000", 2019) == pytest.approx(182.8)
    for fuel in ("coal_consumption", "natural_gas_consumption", "crude_oil_consumption"):
        years = sorted(load_panel([fuel]).year.unique())
        assert years == [2016, 2017, 2018, 2019], fuel
        assert "2016–2019" in load_dictionary()[fuel]["notes"]
    assert coverage().loc["coal_consumption", 2019] == 28  # no Ningxia, Xinjiang, Tibet


def test_technology_market_outflow_and_inflow():
    # 北京市科委: 技术合同成交额 5,695.3 亿元 (2019, 科技部 全国技术市场统计), 8,536.9 亿元 (2023)
    assert value("tech_market_turnover", "110000", 2019) == pytest.approx(5695.3, abs=0.05)
    assert value("tech_market_turnover", "110000", 2023) == pytest.approx(8536.9, abs=0.05)
    # 安徽省科技厅 (2022): five years (2017–2021) of inflow above outflow, "进大于出"
    for year in range(2017, 2022):
        assert value("tech_market_inflow", "340000", year) > value("tech_market_turnover",
                                                                   "340000", year)
    # the inflow is its own series: Beijing sells far more than it buys
    assert value("tech_market_inflow", "110000", 2023) < value("tech_market_turnover",
                                                               "110000", 2023)
    years = sorted(load_panel(["tech_market_inflow"]).year.unique())
    assert years == [2005, 2010, *range(2012, 2024)]
    assert coverage().loc["tech_market_inflow", 2014] == 31  # Tibet reported, unlike outflow


def test_newly_recognised_high_tech_firms_are_not_in_the_extract(raw_dir):
    # the README lists HitechFirmsPub (a flow) but the extract has no such table: nothing is
    # invented, and the gap is documented
    raw = pd.read_csv(raw_dir / "st_yearbook" / "techme_st_long.csv", encoding="utf-8-sig",
                      usecols=["dataset"])
    assert "HitechFirmsPub" not in set(raw.dataset)
    assert "HitechFirmsPub" in load_dictionary().cleaning["C8"]
    assert "hitech_firms" in load_dictionary().ids  # the stock of enterprises, not the flow


# ---------------------------------------------------------------- human capital


def test_professional_staff_two_raw_columns_agree(raw_dir):
    raw = pd.read_csv(raw_dir / "nbs_provincial" / "nbs_provincial_2005_2024.csv",
                      encoding="utf-8-sig")
    both = raw[["公有单位专业技术人员_人", "公有单位专业技术人员_NBS_人"]].dropna()
    assert len(both) == 31 * 6 and (both.iloc[:, 0] == both.iloc[:, 1]).all()
    staff = load_panel(["professional_staff"])
    assert sorted(staff.year.unique()) == list(range(2005, 2018))
    assert value("professional_staff", "110000", 2017) == 423939
    ratio = load_panel(["professional_staff_per_10k_pop"])
    assert sorted(ratio.year.unique()) == list(range(2005, 2018))


def test_human_capital_pillar_has_at_least_four_indicators_with_data():
    hc = coverage(pillar="human_capital")
    assert len(hc) >= 4
    assert ((hc > 0).sum(axis=1) > 0).all()  # every member has values
    assert (hc.loc[:, 2016] == 31).sum() >= 4
    with pytest.raises(KeyError, match="unknown pillar"):
        coverage(pillar="nope")
