import pandas as pd
import pytest

from nqpf.data import PanelReadError, load_panel, read_panel, write_panel


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_long_csv_with_extra_columns(raw_dir):
    # the PKU digital-finance index is user data: loaded, never embedded
    df = read_panel(raw_dir / "pku_dfiic" / "pku_dfiic_province_2011_2023_long.csv")
    assert set(df.columns) == {"adcode", "province", "year", "indicator", "value"}
    assert df.adcode.nunique() == 31 and df.year.min() == 2011
    sh = df[(df.province == "上海") & (df.year == 2011) & (df.indicator == "dfiic_coverage_breadth")]
    assert sh.value.iloc[0] == 98.85


def test_gbk_wide_csv_with_traditional_names(tmp_path):
    p = write(tmp_path, "nbs.csv", "地区,年份,专利授权数,R&D强度\n陝西省,2022年,1200,2.35\n"
              "北京市,2022年,\"9,000\",…\n", encoding="gbk")
    df = read_panel(p)
    assert df.loc[df.indicator == "专利授权数", "value"].tolist() == [9000.0, 1200.0]
    assert df[df.indicator == "R&D强度"].adcode.tolist() == ["610000"]  # "…" is a gap


def test_round_trip_every_format(tmp_path):
    panel = load_panel(["rd_intensity", "gdp"], years=(2019, 2021))
    for fmt in ("csv", "xlsx", "dta", "parquet"):
        out = write_panel(panel, tmp_path / f"p.{fmt}")
        back = read_panel(out)
        merged = panel.merge(back, on=["adcode", "year", "indicator"], suffixes=("", "_b"))
        assert len(merged) == len(panel), fmt
        assert (merged.value - merged.value_b).abs().max() < 1e-9, fmt
    wide = load_panel(["rd_intensity", "gdp"], years=(2021, 2021), wide=True)
    back = read_panel(write_panel(wide, tmp_path / "w.xlsx"))
    assert back.groupby("indicator").size().to_dict() == {"gdp": 31, "rd_intensity": 31}


def test_unknown_province(tmp_path):
    p = write(tmp_path, "a.csv", "province,year,indicator,value\n北京,2020,x,1\n陕东,2020,x,2\n")
    with pytest.raises(PanelReadError) as e:
        read_panel(p)
    assert e.value.row == 3 and e.value.column == "province"
    assert "a.csv, row 3, column 'province': unknown province '陕东'; closest matches" in str(e.value)


def test_duplicate_key(tmp_path):
    p = write(tmp_path, "d.csv", "province,year,indicator,value\n北京,2020,x,1\n上海,2020,x,1\n"
              "Beijing,2020,x,2\n")
    with pytest.raises(PanelReadError, match=r"row 4, column 'indicator': duplicate .*北京, 2020, x.*row 2"):
        read_panel(p)


def test_non_numeric_value(tmp_path):
    p = tmp_path / "n.xlsx"
    pd.DataFrame({"地区": ["北京", "天津"], "年份": [2020, 2020], "gdp": [36102.6, "三万"]}).to_excel(
        p, index=False)
    with pytest.raises(PanelReadError, match=r"n\.xlsx, row 3, column 'gdp': non-numeric value '三万'"):
        read_panel(p)


def test_impossible_year(tmp_path):
    p = write(tmp_path, "y.csv", "province,year,gdp\n北京,2020,1\n北京,20201,2\n")
    with pytest.raises(PanelReadError, match=r"row 3, column 'year': impossible year '20201'"):
        read_panel(p)


def test_empty_file(tmp_path):
    for text in ("", "province,year,gdp\n"):
        p = write(tmp_path, "e.csv", text)
        with pytest.raises(PanelReadError, match=r"empty|no data rows"):
            read_panel(p)


def test_undecodable_bytes(tmp_path):
    p = tmp_path / "u.csv"
    p.write_bytes(b"province,year,gdp\n\xe5\x8c\x97\xe4\xba\xac,2020,1\n\xff\xfe\x80\x80,2020,2\n")
    with pytest.raises(PanelReadError, match=r"u\.csv, row 3: undecodable bytes"):
        read_panel(p)


def test_stata_file_with_missing_province_column(tmp_path):
    p = tmp_path / "s.dta"
    pd.DataFrame({"prov_name": ["北京"], "year": [2020], "gdp": [1.0]}).to_stata(
        p, write_index=False, version=118)
    with pytest.raises(PanelReadError, match="no province column"):
        read_panel(p)
    assert read_panel(p, province="prov_name").adcode.tolist() == ["110000"]


def test_export_refuses_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="unknown format 'json'"):
        write_panel(load_panel(["gdp"]), tmp_path / "x.json")
    assert not list(tmp_path.iterdir())
