"""Bad recipes and frameworks are refused with one clear line naming the file, line, key or
weight at fault — always the index module's own ValueError subclass, never another type."""

import warnings

import numpy as np
import pytest

from nqpf.data import load_panel
from nqpf.index import (
    Fixed,
    Framework,
    FrameworkError,
    IndexBuildError,
    Recipe,
    RecipeError,
    make_aggregator,
    make_normaliser,
    make_weighter,
)

FW = {"name": "t", "years": [2020, 2022], "children": [{"name": "a", "children": [
    {"indicator": "rd_intensity"}, {"indicator": "fiscal_st_share"}]}]}
BOTH = ("rd_intensity", "fiscal_st_share")


def fixed(**weights: float) -> dict:
    return {"method": "fixed", "weights": weights}


# ----------------------------------------------------------------------------- files
# (id, file name, content — None: no file, "<dir>": a directory —, loader, error, fragments)
FILE_CASES = [
    ("missing-path", "nope.yaml", None, "recipe", RecipeError, ["nope.yaml", "no such"]),
    ("directory", "adir", "<dir>", "recipe", RecipeError, ["adir", "directory"]),
    ("empty-file", "e.yaml", "", "recipe", RecipeError, ["e.yaml", "empty"]),
    ("comments-only", "c.yaml", "# nothing here\n", "recipe", RecipeError, ["c.yaml", "empty"]),
    ("not-utf8", "l.yaml", "framework: innovation\nflavour: sc\xe4le\n".encode("latin-1"),
     "recipe", RecipeError, ["l.yaml", "not UTF-8", "0xe4", "line 2", "column 12"]),
    ("yaml-syntax", "s.yaml", "framework: innovation\nweights: {method: entropy\n", "recipe",
     RecipeError, ["s.yaml", "line 3", "column 1"]),
    ("yaml-bad-indent", "i.yaml", "framework: innovation\n  flavour: scale\n", "recipe",
     RecipeError, ["i.yaml", "line 2", "column 10"]),
    ("not-a-mapping", "li.yaml", "- innovation\n- scale\n", "recipe", RecipeError,
     ["li.yaml", "mapping", "list"]),
    ("self-alias", "cy.yaml", "framework: innovation\nweights: &w {method: product, a: *w}\n",
     "recipe", RecipeError, ["cy.yaml", "line 2", "*w", "cycle"]),
    ("unknown-key", "u.yaml", "framework: innovation\nweighting: {method: entropy}\n", "recipe",
     RecipeError, ["u.yaml", "line 2", "'weighting'", "'weights'", "allowed: framework"]),
    ("wrong-type", "wt.yaml", "framework: innovation\n\nimputation: 5\n", "recipe", RecipeError,
     ["wt.yaml", "line 3", "'imputation'", "list"]),
    ("duplicate-key", "dk.yaml", "framework: innovation\nflavour: scale\nflavour: intensity\n",
     "recipe", RecipeError, ["dk.yaml", "line 3", "duplicate key 'flavour'"]),
    ("json-syntax", "j.json", '{"framework": "innovation",\n "weights": }', "recipe",
     RecipeError, ["j.json", "line 2", "column 13"]),
    ("json-negative-weight", "w.json",
     '{"framework": "innovation",\n "weights": {"method": "fixed", "weights": {"rd_intensity": -1}}}',
     "recipe", RecipeError, ["w.json", "line 2", "'weights'", "rd_intensity = -1"]),
    ("framework-in-recipe", "fr.yaml",
     "flavour: intensity\nframework:\n  name: t\n  children: [{indicator: a, weight: -1}]\n",
     "recipe", FrameworkError, ["fr.yaml", "line 2", "framework/t/a", "weight"]),
    ("fw-missing-path", "nofw.yaml", None, "framework", FrameworkError, ["nofw.yaml", "no such"]),
    ("fw-empty", "fe.yaml", "\n\n", "framework", FrameworkError, ["fe.yaml", "empty"]),
    ("fw-syntax", "fs.yaml", "name: x\nchildren: [\n", "framework", FrameworkError,
     ["fs.yaml", "line 3"]),
    ("fw-scalar-document", "fd.yaml", "just text\n", "framework", FrameworkError,
     ["fd.yaml", "mapping"]),
    ("fw-cyclic-alias", "fc.yaml", "name: x\nchildren: &c [{name: y, children: *c}]\n",
     "framework", FrameworkError, ["fc.yaml", "line 2", "*c", "cycle"]),
    ("fw-unknown-key", "fu.yaml", "name: x\nchildren: [{indicator: rd_intensity, directon: '-'}]\n",
     "framework", FrameworkError, ["fu.yaml", "'directon'", "'direction'", "rd_intensity"]),
    ("fw-children-number", "fn.yaml", "name: x\nchildren: 5\n", "framework", FrameworkError,
     ["fn.yaml", "children must be a list"]),
]


@pytest.mark.parametrize(("name", "content", "loader", "error", "fragments"),
                         [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_bad_files(tmp_path, name, content, loader, error, fragments):
    path = tmp_path / name
    if content == "<dir>":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    load = Recipe.from_file if loader == "recipe" else Framework.from_yaml
    with pytest.raises(error) as info:
        load(path)
    _check(info.value, error, fragments)


# ----------------------------------------------------------------------------- mappings
CASES = [
    # fixed weights
    ("fixed-zero-sum", lambda: Recipe(FW, weights=fixed(rd_intensity=0, fiscal_st_share=0)),
     RecipeError, ["'weights'", "sum to zero", "rd_intensity = 0", "fiscal_st_share = 0"]),
    ("fixed-negative", lambda: Recipe(FW, weights=fixed(rd_intensity=-1, fiscal_st_share=2)),
     RecipeError, ["negative", "rd_intensity = -1"]),
    ("fixed-nan", lambda: Recipe(FW, weights=fixed(rd_intensity=float("nan"), fiscal_st_share=1)),
     RecipeError, ["finite", "rd_intensity = nan"]),
    ("fixed-inf", lambda: Recipe(FW, weights=fixed(rd_intensity=1, fiscal_st_share=float("inf"))),
     RecipeError, ["finite", "fiscal_st_share = inf"]),
    ("fixed-unknown-indicator",
     lambda: Recipe(FW, weights=fixed(rd_intensity=1, fiscal_st_share=1, robots=1)),
     RecipeError, ["'robots'", "no indicator of framework 't'", "rd_intensity"]),
    ("fixed-missing-indicator", lambda: Recipe(FW, weights=fixed(rd_intensity=1)),
     RecipeError, ["no fixed weight for fiscal_st_share"]),
    ("fixed-not-a-number", lambda: Recipe(FW, weights=fixed(rd_intensity="1", fiscal_st_share=1)),
     RecipeError, ["'rd_intensity'", "number", "'1'"]),
    ("fixed-not-a-mapping", lambda: Recipe(FW, weights={"method": "fixed", "weights": [1, 2]}),
     RecipeError, ["fixed weights", "mapping"]),
    ("fixed-class-zero-sum", lambda: Fixed({"a": 0, "b": 0.0}), RecipeError,
     ["sum to zero", "a = 0", "b = 0"]),
    ("fixed-class-negative", lambda: Fixed({"a": 1, "b": -0.5}), RecipeError, ["b = -0.5"]),
    ("fixed-class-missing", lambda: Fixed({"a": 1}).weigh(np.ones((1, 2, 2)), np.ones((1, 2, 2)),
                                                          ["a", "b"]),
     RecipeError, ["no fixed weight given for b"]),
    ("fixed-in-product", lambda: Recipe(FW, weights={"method": "product", "a": {"method": "entropy"},
                                                     "b": fixed(rd_intensity=-2, fiscal_st_share=1)}),
     RecipeError, ["product b", "rd_intensity = -2"]),
    ("ahp-not-reciprocal", lambda: Recipe(FW, weights={"method": "ahp", "matrix": [[1, 2], [2, 1]],
                                                       "labels": list(BOTH)}),
     RecipeError, ["reciprocal", "rd_intensity/fiscal_st_share"]),
    ("ahp-unknown-label", lambda: Recipe(FW, weights={"method": "ahp", "matrix": [[1, 2], [0.5, 1]],
                                                      "labels": ["rd_intensity", "robots"]}),
     RecipeError, ["'robots'"]),
    ("ahp-inconsistent", lambda: Recipe(
        {"name": "t", "children": [{"indicator": i} for i in ("a", "b", "c")]},
        weights={"method": "ahp", "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
                 "labels": ["a", "b", "c"]}),
     RecipeError, ["'weights'", "inconsistent", "CR ="]),
    ("framework-weight-nan", lambda: Framework.from_dict({"name": "x", "children": [
        {"indicator": "a", "weight": float("nan")}, {"indicator": "b", "weight": 1}]}),
     FrameworkError, ["framework/x/a", "finite"]),
    ("framework-weights-zero-sum", lambda: Framework.from_dict({"name": "x", "children": [
        {"indicator": "a", "weight": 0}, {"indicator": "b", "weight": 0}]}),
     FrameworkError, ["sum to zero", "a: 0", "b: 0"]),
    ("framework-weights-partial", lambda: Framework.from_dict({"name": "x", "children": [
        {"indicator": "a", "weight": 1}, {"indicator": "b"}]}),
     FrameworkError, ["not for ['b']"]),
    # unknown methods and bad options
    ("unknown-normalisation", lambda: Recipe("innovation", normalisation={"method": "minmix"}),
     RecipeError, ["'normalisation'", "'minmix'", "minmax", "zscore"]),
    ("unknown-weighting", lambda: Recipe("innovation", weights={"method": "magic"}),
     RecipeError, ["unknown weighting 'magic'", "entropy", "critic"]),
    ("unknown-aggregation", lambda: Recipe("innovation", aggregation={"method": "median"}),
     RecipeError, ["'median'", "arithmetic", "geometric", "topsis"]),
    ("unknown-imputation", lambda: Recipe("innovation", imputation=["linear", "spline"]),
     RecipeError, ["'imputation'", "'spline'", "group-mean"]),
    ("unknown-treatment", lambda: Recipe("innovation", treatment="winsor"),
     RecipeError, ["'treatment'", "'winsor'", "coinr"]),
    ("unknown-flavour", lambda: Recipe("innovation", flavour="big"),
     RecipeError, ["'flavour'", "'big'", "intensity", "scale"]),
    ("unknown-preset", lambda: Recipe("nope"), FrameworkError, ["'nope'", "three-elements"]),
    ("bad-scope", lambda: Recipe("innovation", normalisation={"method": "minmax", "scope": "decade"}),
     RecipeError, ["scope", "'decade'", "panel", "year"]),
    ("bad-weight-scope", lambda: make_weighter("entropy", scope="decade"), RecipeError,
     ["entropy scope", "panel, year"]),
    ("negative-shift", lambda: Recipe("innovation", aggregation={"method": "geometric",
                                                                 "shift": -0.1}),
     RecipeError, ["'aggregation'", "shift", "-0.1"]),
    ("negative-entropy-shift", lambda: make_weighter("entropy", shift=-1), RecipeError,
     ["entropy shift", "-1"]),
    ("unknown-option", lambda: Recipe("innovation", aggregation={"method": "geometric",
                                                                 "shfit": 0.01}),
     RecipeError, ["'shfit'", "'shift'"]),
    ("option-for-optionless", lambda: make_weighter("equal", scope="year"), RecipeError,
     ["'equal'", "no options", "'scope'"]),
    ("minmax-lo-above-hi", lambda: make_normaliser("minmax", lo=1, hi=0), RecipeError,
     ["lo", "hi"]),
    ("topsis-scope", lambda: make_aggregator("topsis", scope=1), RecipeError, ["topsis scope"]),
    ("goalposts-shape", lambda: Recipe(FW, normalisation={"method": "goalposts",
                                                          "goalposts": {"rd_intensity": [1]}}),
     RecipeError, ["'rd_intensity'", "[lower, upper]"]),
    ("target-negative", lambda: Recipe(FW, normalisation={"method": "target",
                                                          "targets": {"rd_intensity": -1}}),
     RecipeError, ["target for 'rd_intensity'", "positive"]),
    ("screening-option", lambda: Recipe(FW, screening={"min_coverage": 0.5}), RecipeError,
     ["'screening'", "'min_coverage'", "min_indicator_coverage"]),
    ("screening-value", lambda: Recipe(FW, screening={"min_unit_coverage": 1.5}), RecipeError,
     ["min_unit_coverage", "1.5"]),
    ("weights-not-mapping", lambda: Recipe(FW, weights="entropy"), RecipeError,
     ["'weights'", "mapping"]),
    # other keys and types
    ("unknown-field", lambda: Recipe.from_dict({"weighting": {"method": "entropy"}}), RecipeError,
     ["unknown recipe field", "'weighting'", "'weights'"]),
    ("recipe-not-mapping", lambda: Recipe.from_dict(["innovation"]), RecipeError,
     ["mapping", "list"]),
    ("framework-type", lambda: Recipe(5), RecipeError, ["'framework'", "preset name", "5"]),
    ("drop-unknown", lambda: Recipe("innovation", drop=["robots"]), RecipeError,
     ["'drop'", "'robots'", "rd_intensity"]),
    ("years-reversed", lambda: Recipe("innovation", years=(2023, 2012)), RecipeError,
     ["'years'", "2023", "2012"]),
    ("years-text", lambda: Recipe("innovation", years="2020-2022"), RecipeError,
     ["'years'", "[first, last]"]),
    ("framework-years", lambda: Framework.from_dict({"name": "x", "years": [2020],
                                                     "children": [{"indicator": "a"}]}),
     FrameworkError, ["years", "[first, last]"]),
    ("framework-root-leaf", lambda: Framework.from_dict({"indicator": "a"}), FrameworkError,
     ["root", "children"]),
    ("python-cycle", lambda: Recipe.from_dict(_cyclic()), RecipeError,
     ["weights/a", "contains itself"]),
    ("yaml-text-cycle", lambda: Recipe.from_yaml("weights: &w {method: product, b: *w}\n"),
     RecipeError, ["recipe YAML", "line 1", "cycle"]),
    ("yaml-control-character", lambda: Recipe.from_yaml("framework: inno\x00vation\n"),
     RecipeError, ["line 1", "#x0000"]),
    ("json-duplicate-key", lambda: Recipe.from_json('{"flavour": "scale", "flavour": "x"}'),
     RecipeError, ["duplicate", "'flavour'"]),
    # the panel: screening and years
    ("screening-empties", lambda: Recipe({"name": "t", "years": [2012, 2023], "children": [
        {"indicator": "broadband_ports"}, {"indicator": "hitech_invention_patents"}]}).build(),
     IndexBuildError, ["screening left no indicators",
                       "broadband_ports has values for 2016–2023 only of 2012–2023",
                       "hitech_invention_patents has values for 2018–2023 only of 2012–2023"]),
    ("screening-no-units", lambda: Recipe(
        {"name": "t", "years": [2016, 2018], "children": [{"indicator": "hitech_revenue"}]},
        screening={"min_unit_coverage": 0.9, "min_indicator_coverage": 0.5}).build(),
     IndexBuildError, ["screening left no units", "min_unit_coverage 0.9", "北京 67%"]),
    ("recipe-years-outside", lambda: Recipe("innovation", years=(2000, 2010)).build(),
     IndexBuildError, ["'years'", "2000–2004 not in the panel", "2005–2024"]),
    ("framework-years-outside", lambda: Recipe({**FW, "years": [2023, 2026]}).build(),
     IndexBuildError, ["framework 't' years", "2025–2026", "2005–2024"]),
    ("user-panel-years", lambda: Recipe("innovation").build(load_panel(years=(2020, 2021))),
     IndexBuildError, ["2012–2019, 2022–2023 not in the panel", "which has 2020–2021"]),
    ("no-indicator-in-panel", lambda: Recipe({"name": "x", "children": [
        {"indicator": "robots"}]}).build(), IndexBuildError, ["none of its indicators", "robots"]),
]


def _cyclic() -> dict:
    w: dict = {"method": "product"}
    w["a"] = w
    return {"framework": "innovation", "weights": w}


def _check(err: Exception, error: type, fragments: list[str]) -> None:
    assert type(err) is error, f"{type(err).__name__}: {err}"
    message = str(err)
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize(("make", "error", "fragments"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input(make, error, fragments):
    with warnings.catch_warnings(), pytest.raises(error) as info:
        warnings.simplefilter("ignore")
        make()
    _check(info.value, error, fragments)


# ----------------------------------------------------------------------------- still valid
def _expected_order(weights: tuple[float, float], year: int) -> list[str]:
    """Provinces by Σ w·minmax(x) over 2020–2022 (panel-wide min-max), computed directly."""
    wide = load_panel(list(BOTH), years=(2020, 2022), wide=True)
    z = sum(w * (wide[i] - wide[i].min()) / (wide[i].max() - wide[i].min())
            for w, i in zip(weights, BOTH, strict=True)) / sum(weights)
    latest = wide.assign(score=z)[wide.year == year]
    return latest.sort_values("score", ascending=False).province.tolist()


def test_valid_fixed_weights_build_the_expected_ranking():
    res = Recipe(FW, weights=fixed(rd_intensity=3, fiscal_st_share=1)).build()
    np.testing.assert_allclose(res.leaf_weights, [[0.75, 0.25]] * 3)
    assert res.ranking(2022).index.tolist() == _expected_order((3, 1), 2022)
    assert res.ranking(2022)["rank"].tolist() == list(range(1, 32))
    # a zero weight leaves an indicator out, without error
    only_rd = Recipe(FW, weights=fixed(rd_intensity=1, fiscal_st_share=0)).build()
    assert only_rd.ranking(2022).index.tolist() == _expected_order((1, 0), 2022)
    assert only_rd.ranking(2022).index[0] == "北京"


def test_valid_fixed_weights_from_a_file_match_the_mapping(tmp_path):
    path = tmp_path / "recipe.yaml"
    recipe = Recipe(FW, weights=fixed(rd_intensity=3, fiscal_st_share=1))
    path.write_text(recipe.to_yaml(), encoding="utf-8")
    assert Recipe.from_file(path) == recipe
    (tmp_path / "recipe.json").write_text(recipe.to_json(), encoding="utf-8")
    assert Recipe.from_file(tmp_path / "recipe.json") == recipe
    a, b = recipe.build(), Recipe.from_file(path).build()
    assert np.array_equal(a.scores["t"], b.scores["t"])


def test_lenient_forms_still_accepted():
    r = Recipe("innovation", years=[], imputation=("linear", "carry"), drop=("patents_per_gdp",))
    assert r.years is None and r.imputation == ["linear", "carry"]
    assert Recipe.from_yaml(r.to_yaml()) == r
    assert Recipe("innovation", years=[2020, 2022]).years == (2020, 2022)


def test_shared_yaml_aliases_are_not_cycles(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("framework: innovation\n"
                    "weights: {method: product, a: &e {method: entropy}, b: *e}\n", encoding="utf-8")
    recipe = Recipe.from_file(path)
    assert recipe.weights["a"] == recipe.weights["b"] == {"method": "entropy"}
