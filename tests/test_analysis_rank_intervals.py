"""Rank intervals are whole ranks that the replications produced (inverted-CDF percentiles)."""

import math

import numpy as np
import pytest

from nqpf.analysis import Alternatives, UncertaintyAnalysis
from nqpf.index import Recipe


@pytest.fixture(scope="module")
def result():
    ua = UncertaintyAnalysis(Recipe("innovation"), Alternatives(
        weights=[{"method": "entropy"}, {"method": "critic"}, {"method": "equal"}],
        aggregation=[{"method": "arithmetic"}, {"method": "geometric", "shift": 0.01}],
        drop_one=True, weight_noise=0.2, noise_draws=8))
    return ua.run(333, seed=7)


def test_bounds_are_observed_whole_ranks(result):
    for year in (result.years[0], result.years[-1]):
        iv = result.rank_intervals(year)
        t = result.years.index(year)
        assert iv["p5"].dtype.kind == "i" and iv["p95"].dtype.kind == "i"
        assert iv["nominal"].dtype.kind == "i"
        r_total = result.replications
        for row in iv.itertuples():
            ranks = np.sort(result.ranks[:, t, result.units.index(row.adcode)])
            # the definition written out: the ⌈pR⌉-th smallest rank (R's quantile type 1)
            assert row.p5 == ranks[math.ceil(0.05 * r_total) - 1]
            assert row.p95 == ranks[math.ceil(0.95 * r_total) - 1]
            assert row.p5 in ranks and row.p95 in ranks
            inside = ((ranks >= row.p5) & (ranks <= row.p95)).mean()
            assert inside >= 0.90
            assert row.p5 <= row.median <= row.p95


def test_all_years_and_json_are_integers(result):
    iv = result.rank_intervals("all")
    assert len(iv) == len(result.years) * len(result.units)
    assert (iv["p5"] == iv["p5"].round()).all() and iv["p95"].dtype.kind == "i"
    assert '"p5":1,' in iv.to_json(orient="records")
