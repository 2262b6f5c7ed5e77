"""Dagum Gini, Theil and σ-convergence against a direct (loop-by-definition) second
implementation and textbook identities."""

import itertools

import numpy as np
import pandas as pd
import pytest

from nqpf import regions
from nqpf.analysis import dagum_gini, sigma_convergence, theil
from nqpf.index import Recipe


def dagum_by_definition(values: dict[str, list[float]]):
    """Dagum (1997), eqs. for G, G_jj, G_jh, D_jh written out with plain loops."""
    groups = sorted(values, key=lambda g: -np.mean(values[g]))  # ȳ_1 ≥ ȳ_2 ≥ …
    allv = [v for g in groups for v in values[g]]
    n, mu = len(allv), np.mean(allv)
    g_total = sum(abs(a - b) for a in allv for b in allv) / (2 * n * n * mu)
    p = {g: len(values[g]) / n for g in groups}
    s = {g: len(values[g]) * np.mean(values[g]) / (n * mu) for g in groups}
    gw = 0.0
    for g in groups:
        v = values[g]
        gjj = sum(abs(a - b) for a in v for b in v) / (2 * len(v) ** 2 * np.mean(v))
        gw += gjj * p[g] * s[g]
    gnb = gt = 0.0
    for j, h in itertools.combinations(groups, 2):  # j richer than h
        vj, vh = values[j], values[h]
        gjh = sum(abs(a - b) for a in vj for b in vh) / (len(vj) * len(vh) * (np.mean(vj) + np.mean(vh)))
        d = sum(a - b for a in vj for b in vh if a > b) / (len(vj) * len(vh))
        pp = sum(b - a for a in vj for b in vh if b > a) / (len(vj) * len(vh))
        djh = (d - pp) / (d + pp)
        weight = p[j] * s[h] + p[h] * s[j]
        gnb += gjh * weight * djh
        gt += gjh * weight * (1 - djh)
    return g_total, gw, gnb, gt


@pytest.fixture(scope="module")
def scores():
    return Recipe("three-elements").build().score()


def test_dagum_matches_definition_on_real_scores(scores):
    ours = dagum_gini(scores)
    for year in (2016, 2023):
        by_group: dict[str, list[float]] = {}
        for name, v in scores[year].items():
            by_group.setdefault(regions.resolve(name).group, []).append(v)
        g, gw, gnb, gt = dagum_by_definition(by_group)
        row = ours.overall.loc[year]
        assert pytest.approx(g, abs=1e-12) == row.G
        assert row.Gw == pytest.approx(gw, abs=1e-12)
        assert row.Gnb == pytest.approx(gnb, abs=1e-12)
        assert row.Gt == pytest.approx(gt, abs=1e-12)
    assert ours.overall[["Gw_%", "Gnb_%", "Gt_%"]].sum(axis=1).to_numpy() == pytest.approx(100.0)
    assert list(ours.within.columns) == ["东部", "中部", "西部", "东北"]
    assert "东部–西部" in ours.between.columns


def test_gini_equals_textbook_formula_without_groups():
    v = np.array([1.0, 2.0, 3.0, 10.0])
    df = pd.DataFrame({2020: v}, index=["北京", "天津", "河北", "山西"])
    g = dagum_gini(df, groups=dict.fromkeys(df.index, "all")).overall.loc[2020]
    ys = np.sort(v)
    n = len(ys)
    textbook = 2 * np.sum(np.arange(1, n + 1) * ys) / (n * ys.sum()) - (n + 1) / n
    assert pytest.approx(textbook) == g.G and g.Gw == pytest.approx(textbook)
    assert g.Gnb == 0 and g.Gt == 0


def test_theil_decomposition(scores):
    t = theil(scores)
    assert (t["Tw"] + t["Tb"] - t["T"]).abs().max() < 1e-12
    v = scores[2023].to_numpy()
    direct = np.mean(v / v.mean() * np.log(v / v.mean()))
    assert t.loc[2023, "T"] == pytest.approx(direct)
    with pytest.raises(ValueError, match="positive"):
        theil(scores - 1)


def test_sigma_convergence(scores):
    sc = sigma_convergence(scores)
    v = scores[2020]
    assert sc.loc[2020, "cv"] == pytest.approx(v.std(ddof=1) / v.mean())
    assert {"cv_东部", "cv_东北"} <= set(sc.columns)


def test_cli_analyse_disparity():
    import json

    from typer.testing import CliRunner

    from nqpf.cli import app

    r = CliRunner().invoke(app, ["analyse", "disparity", "--preset", "innovation", "--json"])
    assert r.exit_code == 0, r.stdout
    rows = json.loads(r.stdout)
    assert [x["year"] for x in rows] == list(range(2012, 2024))
    assert all(abs(x["G"] - x["Gw"] - x["Gnb"] - x["Gt"]) < 1e-12 for x in rows)
    assert "G_东部" in rows[0]
