import numpy as np
import pandas as pd
import pytest

from nqpf.data import coverage, dataset_hash, load_dictionary, load_panel, to_array
from nqpf.data.build import PANEL_PATH, BuildError, build_panel, write_panel_parquet


def value(indicator, province, year):
    df = load_panel([indicator])
    sel = df[(df.adcode == province) & (df.year == year)]
    assert len(sel) == 1, (indicator, province, year)
    return float(sel.value.iloc[0])


def test_official_figures():
    assert value("rd_expenditure", "110000", 2021) == pytest.approx(2629.3208)  # 26,293,208 万元
    assert value("rd_intensity", "110000", 2021) == 6.53
    assert value("patents_granted", "110000", 2021) == 198778
    assert value("invention_patents_granted", "110000", 2021) == 79210
    assert value("hitech_revenue", "440000", 2021) == 53915
    assert value("optical_cable_length", "320000", 2023) == 4508664
    assert value("ecommerce_sales", "440000", 2023) == 53154
    assert value("energy_consumption", "110000", 2012) == 7178
    assert value("green_coverage", "110000", 2021) == 49.3


def test_packaged_parquet_rebuilds_byte_for_byte(raw_dir, tmp_path):
    out = write_panel_parquet(build_panel(raw_dir), tmp_path / "panel.parquet")
    assert out.read_bytes() == PANEL_PATH.read_bytes()


def test_two_gdp_vintages_kept_apart():
    latest = value("gdp", "110000", 2015)
    yearbook = value("gdp_yearbook", "110000", 2015)
    assert latest != yearbook
    assert abs(latest / yearbook - 1) < 0.15
    # Tianjin's downward revision after the 2018 economic census
    assert value("gdp_yearbook", "120000", 2016) == 17885.39
    assert value("gdp", "120000", 2016) == 11487.0


def test_derived_indicators_follow_their_formulas():
    w = load_panel(wide=True).set_index(["adcode", "year"])
    b = w.loc[("110000", 2021)]
    assert b.rd_fte_per_10k_pop == pytest.approx(b.rd_fte / b.population)
    assert b.tech_market_gdp == pytest.approx(b.tech_market_turnover / b.gdp * 100)
    assert b.hitech_revenue_gdp == pytest.approx(b.hitech_revenue / b.gdp * 100)
    assert b.fiscal_st_share == pytest.approx(b.fiscal_st / b.fiscal_expenditure * 100)
    assert b.patents_per_10k_pop == pytest.approx(198778 / 2189)
    # the official intensity divides by GDP as first published (the yearbook vintage); the
    # latest revision (after the 2023 economic census) is larger, so the ratio is lower
    assert b.rd_expenditure / b.gdp_yearbook * 100 == pytest.approx(6.53, abs=0.01)
    assert b.rd_expenditure / b.gdp * 100 < 6.0
    d = load_dictionary()
    for spec in d.indicators:
        if "formula" in spec:
            assert spec["id"] in w.columns


def test_cleaning_rules():
    df = load_panel()
    assert df.year.max() == 2024 and df.year.min() >= 2005  # C6: preliminary 2025 dropped
    assert "全国" not in set(df.province)  # C1
    # C3: the 2020 row labelled 万元 is a head count that continues its neighbours
    fte = load_panel(["hitech_rd_fte"]).query("adcode == '440000'").set_index("year").value
    assert fte[2019] < fte[2020] < fte[2021]
    # C5: sample sizes are never read as population
    assert value("population", "440000", 2023) == 12706
    assert not any("抽样" in i or "总人口" in i for i in df.indicator.unique())
    # C7: coverage rates never exceed 100 %
    assert load_panel(["gas_coverage"]).value.max() <= 100


def test_coverage_table():
    cov = coverage()
    assert cov.loc["rd_intensity", 2021] == 31
    assert cov.loc["hitech_revenue", 2017] == 0 and cov.loc["hitech_revenue", 2018] == 31
    assert cov.loc["broadband_ports"].loc[:2015].sum() == 0
    assert cov.loc["software_revenue", 2020] == 30  # Tibet not reported


def test_dataset_hash_is_stable_and_content_based():
    h = dataset_hash()
    assert h == dataset_hash(load_panel().sample(frac=1, random_state=1))
    changed = load_panel()
    changed.loc[0, "value"] += 1
    assert dataset_hash(changed) != h


def test_to_array_shape_and_values():
    arr = to_array(load_panel(), ["rd_intensity", "gdp"], years=[2020, 2021])
    assert arr.values.shape == (2, 31, 2)
    assert arr.values[1, arr.units.index("110000"), 0] == 6.53


def test_build_error_names_file_and_row(raw_dir, tmp_path):
    import shutil

    bad = tmp_path / "raw"
    shutil.copytree(raw_dir, bad)
    f = bad / "nbs_digital_energy" / "nbs_digital_2016_2024_long.csv"
    f.chmod(0o644)
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("上海", "上侮", 1)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"nbs_digital_2016_2024_long\.csv: row 6: unknown province '上侮'"):
        build_panel(bad)


def test_wide_load_matches_long():
    long = load_panel(["gdp"], years=(2022, 2022))
    wide = load_panel(["gdp"], years=(2022, 2022), wide=True)
    assert np.isclose(long.value.sum(), wide.gdp.sum())
    assert isinstance(wide, pd.DataFrame) and len(wide) == 31


def test_docs_data_md_is_current():
    from conftest import REPO
    from nqpf.data.docs import render_data_doc

    text = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    assert text == render_data_doc(), "regenerate: python -m nqpf.data.docs > docs/data.md"
    assert all(f"`{i}`" in text for i in load_dictionary().ids)
