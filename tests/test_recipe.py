import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from nqpf.cli import app
from nqpf.data import dataset_hash, load_panel
from nqpf.index import Framework, FrameworkError, IndexBuildError, Recipe, list_presets, load_preset


@pytest.fixture(scope="module")
def three():
    return Recipe("three-elements").build()


def test_presets_exist_and_have_documented_spans():
    assert list_presets() == ["innovation", "tech-green-digital", "three-elements"]
    for name in list_presets():
        fw = load_preset(name)
        assert fw.years and fw.references and fw.description
        assert [c.name for c in fw.root.children]


def test_every_node_province_year_scored(three):
    assert three.years == list(range(2016, 2024)) and len(three.units) == 31
    assert set(three.scores) == {n.name for n in three.framework.root.walk() if not n.is_leaf}
    for s in three.scores.values():
        assert s.shape == (8, 31) and np.isfinite(s).all()
    assert three.dataset_hash == dataset_hash()


def test_arithmetic_root_is_sum_of_contributions(three):
    c = three.contributions().groupby(["year", "adcode"])["contribution"].sum()
    root = three.to_frame().query("level == 0").set_index(["year", "adcode"])["score"]
    pd.testing.assert_series_equal(c.sort_index(), root.sort_index(), check_names=False)
    assert three.effective_weights.sum(axis=1) == pytest.approx(np.ones(8))
    # with global entropy weights the effective weights are the scheme's weights
    np.testing.assert_allclose(three.effective_weights, three.leaf_weights)


def test_obstacle_degree_sums_to_100(three):
    o = three.obstacle_degree().groupby(["year", "adcode"])["obstacle_degree"].sum()
    assert o.to_numpy() == pytest.approx(100.0)
    bj = three.obstacle_degree().query("year == 2023 and province == '北京'")
    assert bj.sort_values("obstacle_degree").indicator.iloc[-1] != "rd_intensity"


def test_intensity_versus_scale_leaders():
    for preset in ("three-elements", "tech-green-digital", "innovation"):
        intensity = Recipe(preset).build().ranking()
        scale = Recipe(preset, flavour="scale").build().ranking()
        assert intensity.index[0] == "北京", preset
        assert scale.index[0] == "广东", preset
        assert "江苏" in scale.index[:3], preset


def test_recipe_round_trips_and_rebuilds_identically(three):
    r = Recipe("three-elements", weights={"method": "critic"}, aggregation={"method": "topsis"},
               drop=["tertiary_share"], years=(2018, 2023))
    assert Recipe.from_yaml(r.to_yaml()) == r
    assert Recipe.from_json(r.to_json()) == r
    a, b = r.build(), Recipe.from_yaml(r.to_yaml()).build()
    for node in a.scores:
        assert np.array_equal(a.scores[node], b.scores[node])
    assert "tertiary_share" not in a.indicators
    assert Recipe.from_yaml(three.recipe.to_yaml()).build().scores[three.root].tolist() == \
        three.scores[three.root].tolist()
    with pytest.raises(ValueError, match="unknown recipe field"):
        Recipe.from_dict({"weighting": "entropy"})


def test_notes_report_imputation_and_missing_indicators(three):
    assert any("imputed by linear" in n and "hitech_revenue_gdp" in n for n in three.notes)
    assert any("group-mean" in n and "software_revenue_gdp" in n for n in three.notes)
    fw = {"name": "t", "years": [2020, 2022], "children": [
        {"name": "a", "children": [{"indicator": "rd_intensity"}, {"indicator": "robots"}]}]}
    with pytest.warns(UserWarning, match="robots"):
        res = Recipe(fw, weights={"method": "equal"}).build()
    assert any("robots" in n for n in res.notes) and res.indicators == ["rd_intensity"]


def test_screening_and_imputation_errors():
    fw = {"name": "t", "years": [2012, 2016], "children": [
        {"name": "a", "children": [{"indicator": "rd_intensity"}, {"indicator": "broadband_ports"}]}]}
    res = Recipe(fw).build()  # broadband starts in 2016: 20 % coverage → screened out
    assert res.indicators == ["rd_intensity"]
    assert any("screening" in n and "broadband_ports" in n for n in res.notes)
    fw2 = {"name": "t", "years": [2017, 2018], "children": [
        {"name": "a", "children": [{"indicator": "rd_intensity"}, {"indicator": "hitech_revenue"}]}]}
    with pytest.raises(IndexBuildError, match=r"no value for hitech_revenue, \w+, 2017"):
        Recipe(fw2, imputation=["linear"], screening={"min_indicator_coverage": 0.4,
                                                      "min_unit_coverage": 0.4}).build()


def test_denominator_and_fixed_node_weights():
    fw = {"name": "t", "years": [2021, 2022], "children": [
        {"name": "a", "weight": 3, "children": [
            {"indicator": "rd_expenditure", "denominator": "gdp"}]},
        {"name": "b", "weight": 1, "children": [{"indicator": "fiscal_st_share"}]}]}
    res = Recipe(fw).build()
    np.testing.assert_allclose(res.effective_weights[0], [0.75, 0.25])
    w = load_panel(["rd_expenditure", "gdp"], years=(2022, 2022), wide=True)
    top = w.assign(r=w.rd_expenditure / w.gdp).sort_values("r").province.iloc[-1]
    assert res.ranking(2022)["a"].idxmax() == top


def test_user_panel_and_geometric_with_shift():
    panel = load_panel(years=(2020, 2021))
    res = Recipe("innovation", years=(2020, 2021),
                 aggregation={"method": "geometric", "shift": 0.01}).build(panel)
    assert res.ranking(2021).index[0] == "北京"
    with pytest.raises(ValueError, match="positive values"):
        Recipe("innovation", years=(2020, 2021), aggregation={"method": "geometric"}).build(panel)


def test_framework_errors():
    with pytest.raises(FrameworkError, match="direction"):
        Framework.from_dict({"name": "x", "children": [{"indicator": "a", "direction": "up"}]})
    with pytest.raises(FrameworkError, match="duplicate indicator"):
        Framework.from_dict({"name": "x", "children": [{"indicator": "a"}, {"indicator": "a"}]})
    with pytest.raises(FrameworkError, match="unknown preset 'nope'"):
        load_preset("nope")


def test_cli_index_json_and_workbook(tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["index", "--preset", "innovation", "--year", "2022", "--json"])
    assert r.exit_code == 0, r.stdout
    rows = json.loads(r.stdout)
    assert rows[0]["province"] == "北京" and rows[0]["rank"] == 1 and "创新投入" in rows[0]
    out = tmp_path / "idx.xlsx"
    r = runner.invoke(app, ["index", "--flavour", "scale", "--weights", "critic",
                            "--aggregation", "topsis", "--out", str(out)])
    assert r.exit_code == 0, r.stdout
    book = pd.read_excel(out, sheet_name=None)
    assert {"ranking", "scores", "weights", "obstacle_degree", "recipe"} <= set(book)
    assert book["ranking"].iloc[0]["province"] == "广东"
    r = runner.invoke(app, ["index", "--weights", "magic"])
    assert r.exit_code == 2 and "unknown weighting" in r.stderr and r.stdout == ""


def test_docs_presets_md_is_current():
    from conftest import REPO
    from nqpf.index.docs import render_presets_doc

    text = (REPO / "docs" / "presets.md").read_text(encoding="utf-8")
    assert text == render_presets_doc(), "regenerate: python -m nqpf.index.docs > docs/presets.md"


def test_goalposts_and_targets_by_indicator_id():
    fw = {"name": "t", "years": [2021, 2022], "children": [
        {"name": "a", "children": [{"indicator": "rd_intensity"}, {"indicator": "fiscal_st_share"}]}]}
    res = Recipe(fw, normalisation={"method": "goalposts",
                                    "goalposts": {"rd_intensity": [0.0, 4.0]}}).build()
    k = res.indicators.index("rd_intensity")
    bj = res.units.index("110000")
    assert res.normalised[1, bj, k] == 1.0  # 6.53 % is past the 4 % goalpost
    xz = res.units.index("540000")
    assert res.normalised[1, xz, k] == pytest.approx(res.raw[1, xz, k] / 4.0)
    res = Recipe(fw, normalisation={"method": "target", "targets": {"rd_intensity": 2.5}}).build()
    assert res.normalised[1, bj, k] == 1.0
    assert res.normalised[1, xz, k] == pytest.approx(res.raw[1, xz, k] / 2.5)
