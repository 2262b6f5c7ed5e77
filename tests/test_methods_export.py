"""Imputed cells stay flagged in every export, and a failed workbook leaves nothing behind."""

import numpy as np
import pandas as pd
import pytest

from nqpf.data import load_panel
from nqpf.index import IndexResult, Recipe


@pytest.fixture(scope="module")
def three():
    return Recipe("three-elements").build()


def test_a_known_imputed_cell_is_flagged(three):
    # 北京 has no hitech_new_product_share for 2017 in the embedded panel; linear
    # interpolation between 2016 and 2018 fills it
    panel = load_panel(["hitech_new_product_share"])
    bj = panel[(panel.adcode.astype(str) == "110000")]
    assert 2017 not in set(bj.year) and {2016, 2018} <= set(bj.year)
    v = three.values().set_index(["year", "province", "indicator"])
    cell = v.loc[(2017, "北京", "hitech_new_product_share")]
    assert bool(cell.imputed) and cell.imputed_by == "linear"
    assert not v.loc[(2018, "北京", "hitech_new_product_share")].imputed
    scores = three.to_frame().set_index(["node", "year", "province"])
    row = scores.loc[("新兴产业", 2017, "北京")]
    assert row.imputed_indicators >= 1 and "hitech_new_product_share" in row.imputed_list.split(";")
    root = scores.loc[(three.root, 2017, "北京")]
    assert root.imputed_indicators >= row.imputed_indicators
    assert scores.loc[("生态环境", 2017, "北京")].imputed_indicators == 0


def test_flags_are_exactly_the_cells_missing_from_the_panel(three):
    """Every indicator without a denominator: flagged iff the panel has no value."""
    plain = [lf.indicator for lf in three.framework.root.leaves() if not lf.denominator]
    have = load_panel(plain).dropna(subset=["value"])
    present = set(zip(have.year, have.adcode.astype(str), have.indicator, strict=True))
    v = three.values()
    v = v[v.indicator.isin(plain)]
    missing = [(y, a, i) not in present
               for y, a, i in zip(v.year, v.adcode.astype(str), v.indicator, strict=True)]
    assert any(missing)
    assert v.imputed.tolist() == missing
    assert (v.imputed_by != "").tolist() == missing
    # per-cell tables carry the same flag; score tables count it per node
    for table in (three.contributions(), three.obstacle_degree()):
        assert table.imputed.tolist() == three.values().imputed.tolist()
    f = three.to_frame()
    root = f[f.node == three.root].set_index(["year", "adcode"]).imputed_indicators
    per_cell = three.values().groupby(["year", "adcode"]).imputed.sum()
    pd.testing.assert_series_equal(root.sort_index(), per_cell.sort_index(), check_names=False,
                                   check_dtype=False)


def test_excel_has_the_flags(three, tmp_path):
    out = three.to_excel(tmp_path / "index.xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"values", "scores"} <= set(sheets)
    assert sheets["values"].imputed.sum() == int((three.imputed > 0).sum())
    assert "imputed_indicators" in sheets["scores"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.xlsx"]


def test_failed_excel_leaves_nothing_behind(three, tmp_path, monkeypatch):
    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(IndexResult, "obstacle_degree", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        three.to_excel(tmp_path / "index.xlsx")
    assert list(tmp_path.iterdir()) == []
    # an existing workbook is left as it was
    (tmp_path / "index.xlsx").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        three.to_excel(tmp_path / "index.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["index.xlsx"]
    assert (tmp_path / "index.xlsx").read_bytes() == b"old"


def test_stata_export_keeps_the_flags(three, tmp_path):
    from nqpf.data import write_panel

    write_panel(three.values(), tmp_path / "v.dta")
    back = pd.read_stata(tmp_path / "v.dta")
    assert back.imputed.astype(bool).tolist() == three.values().imputed.tolist()
    write_panel(three.to_frame(), tmp_path / "s.dta")
    assert np.array_equal(pd.read_stata(tmp_path / "s.dta").imputed_indicators,
                          three.to_frame().imputed_indicators)
