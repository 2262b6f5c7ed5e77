import json

import pandas as pd
from typer.testing import CliRunner

from nqpf.cli import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    return result


def test_data_list_json():
    r = run("data", "list", "--json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    ids = {x["indicator"] for x in rows}
    assert {"rd_intensity", "gdp", "gdp_yearbook", "patents_per_10k_pop"} <= ids


def test_data_coverage_json():
    rows = json.loads(run("data", "coverage", "--json").stdout)
    rd = next(x for x in rows if x["indicator"] == "rd_intensity")
    assert rd["2021"] == 31 and rd["2010"] == 0


def test_data_show_year():
    r = run("data", "show", "rd_intensity", "--year", "2021", "--json")
    rows = json.loads(r.stdout)
    assert rows[0] == {"adcode": "110000", "province": "北京", "value": 6.53}
    r = run("data", "show", "nope")
    assert r.exit_code == 2 and "unknown indicator" in r.stderr and r.stdout == ""


def test_data_export(tmp_path):
    for fmt in ("csv", "xlsx", "dta", "parquet"):
        out = tmp_path / f"panel.{fmt}"
        r = run("data", "export", "--format", fmt, "--out", str(out))
        assert r.exit_code == 0, r.stdout
        assert out.exists()
    df = pd.read_csv(tmp_path / "panel.csv", dtype={"adcode": str})
    assert {"adcode", "province", "year", "indicator", "value"} <= set(df.columns)


def test_demo_ranks_and_writes_workbook(tmp_path):
    out = tmp_path / "demo.xlsx"
    report = tmp_path / "demo.html"
    r = run("demo", "--out", str(out), "--report", str(report))
    assert r.exit_code == 0, r.stdout
    assert "embedded panel" in r.stdout and "北京" in r.stdout and "广东" in r.stdout
    assert f"wrote {report}" in r.stderr and report.stat().st_size > 1_000_000
    ranking = pd.read_excel(out, sheet_name="ranking")
    assert ranking.iloc[0]["province"] == "北京"


def test_index_on_your_own_panel_and_framework(tmp_path):
    from nqpf.data import load_panel
    from nqpf.index import Recipe

    panel = tmp_path / "p.csv"
    assert run("data", "export", "--out", str(panel)).exit_code == 0
    fw = tmp_path / "fw.yaml"
    fw.write_text("name: mini\nyears: [2015, 2023]\nchildren:\n  - name: innovation\n"
                  "    children:\n      - {indicator: rd_intensity}\n"
                  "      - {indicator: tech_market_turnover}\n", encoding="utf-8")
    r = run("index", "--panel", str(panel), "--framework", str(fw), "--json")
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)
    from nqpf.index.framework import Framework

    ref = Recipe(Framework.from_yaml(fw).to_dict()).build(load_panel()).ranking()
    assert [row["province"] for row in got[:5]] == list(ref.index[:5])
    assert abs(got[0]["mini"] - float(ref["mini"].iloc[0])) < 1e-9


def test_coverage_of_the_human_capital_pillar():
    r = run("data", "coverage", "--pillar", "human_capital", "--json")
    rows = json.loads(r.stdout)
    assert len(rows) >= 4 and all(row["2016"] == 31 for row in rows[:4])
    population = json.loads(run("data", "coverage", "--json").stdout)
    assert next(x for x in population if x["indicator"] == "population")["2006"] == 31
