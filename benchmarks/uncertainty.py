"""1,000 uncertainty replications, vectorised, against the same design as a pymcdm loop.

Panel: 31 provinces × 12 years × 30 indicators (synthetic, seeded), in a 3-level hierarchy
(index > 3 dimensions > 9 sub-dimensions > 30 indicators). Design (Monte Carlo): min-max
normalisation panel-wide or per year; entropy or CRITIC weights re-estimated for every
replication's data; weighted arithmetic or per-year TOPSIS at every node; dropping any one
indicator; ±20 % multiplicative noise on the weights.

The baseline is the loop an analyst would write: for each replication, normalise, call
pymcdm's ``entropy_weights``/``critic_weights`` on the pooled matrix of the kept indicators,
apply the noise, then for each year and each node call pymcdm's ``WSM`` or ``TOPSIS``
(identity normalisation, as the values are already normalised). Both give the same ranks
(``agree=True``).

``python benchmarks/uncertainty.py [--big]``; ``--big`` also runs 100,000 replications in
chunks and prints the peak memory. The last line reads ``seconds=<x> vs_pymcdm=<ratio>``.
"""

from __future__ import annotations

import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd
from pymcdm import weights as pw
from pymcdm.methods import TOPSIS, WSM

from nqpf import regions
from nqpf.analysis import Alternatives, UncertaintyAnalysis
from nqpf.index import MinMax, Recipe
from nqpf.index.result import rank_desc

YEARS = list(range(2012, 2024))
K = 30


def synthetic_panel(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = regions.adcodes()
    level = rng.normal(0, 1, (len(units), 1, 1))
    trend = rng.normal(0.05, 0.02, (1, 1, K))
    t = np.arange(len(YEARS))[None, :, None]
    x = np.exp(level * rng.uniform(0.3, 1.0, (1, 1, K)) + trend * t
               + rng.normal(0, 0.15, (len(units), len(YEARS), K)))
    u, y, k = np.meshgrid(np.arange(len(units)), YEARS, np.arange(K), indexing="ij")
    return pd.DataFrame({"adcode": np.asarray(units)[u.ravel()], "year": y.ravel(),
                         "indicator": [f"x{i:02d}" for i in k.ravel()], "value": x.ravel()})


def framework() -> dict:
    sizes = [4, 3, 3, 4, 3, 3, 4, 3, 3]
    names = iter(f"x{i:02d}" for i in range(K))
    subs = [{"name": f"s{j}", "children": [
        {"indicator": next(names), **({"direction": "-"} if (j + i) % 5 == 0 else {})}
        for i in range(n)]} for j, n in enumerate(sizes)]
    return {"name": "index", "years": [YEARS[0], YEARS[-1]], "children": [
        {"name": f"d{d}", "children": subs[3 * d:3 * d + 3]} for d in range(3)]}


ALTERNATIVES = Alternatives(
    scope=["panel", "year"], weights=[{"method": "entropy"}, {"method": "critic"}],
    aggregation=[{"method": "arithmetic"}, {"method": "topsis", "scope": "year"}],
    drop_one=True, weight_noise=0.2)


def ours(panel: pd.DataFrame, n: int, chunk: int = 2000):
    ua = UncertaintyAnalysis(Recipe(framework()), ALTERNATIVES, panel)
    idx = ua.design(n, seed=1)
    return ua, idx, ua.evaluate(idx, chunk=chunk)[0]


def pymcdm_loop(ua: UncertaintyAnalysis, idx: np.ndarray) -> np.ndarray:
    prep = ua.prep
    x, *_ = ua.recipe.fill(prep)
    directions = prep.directions
    f = {fa.name: fa for fa in ua.factors}
    noise = ua._noise
    root = prep.framework.root
    col = {name: i for i, name in enumerate(prep.indicators)}
    identity = lambda v, cost: v  # noqa: E731 — values are already normalised
    wsm, topsis = WSM(normalization_function=identity), TOPSIS(normalization_function=identity)
    out = np.empty((len(idx), len(prep.years), len(prep.units)), dtype=int)
    for r, row in enumerate(idx):
        scope = f["scope"].options[row[1]]
        z = MinMax(scope=scope).transform(x, directions)
        drop = f["drop"].options[row[5]]
        keep = np.array([name != drop for name in prep.indicators])
        pooled = z.reshape(-1, z.shape[-1])[:, keep]
        if f["weights"].options[row[3]]["method"] == "entropy":
            wk = pw.entropy_weights(pooled + 1e-4)
        else:
            wk = pw.critic_weights(pooled)
        w = np.zeros(z.shape[-1])
        w[keep] = wk
        w = w * noise[row[6]]
        w = w / w.sum()
        method = wsm if f["aggregation"].options[row[4]]["method"] == "arithmetic" else topsis
        for t in range(len(prep.years)):
            out[r, t] = rank_desc(node_value(root, z[t], w, col, method))
    return out


def node_value(node, zt: np.ndarray, w: np.ndarray, col: dict, method) -> np.ndarray:
    """One node's values in one year, by one pymcdm call over its children."""
    if node.is_leaf:
        return zt[:, col[node.indicator]]
    cw = np.array([sum(w[col[lf.indicator]] for lf in c.leaves()) for c in node.children])
    vals = np.column_stack([node_value(c, zt, w, col, method) for c in node.children])
    live = cw > 0
    return method(vals[:, live], cw[live] / cw[live].sum(), np.ones(live.sum()))


def main() -> None:
    warnings.simplefilter("ignore")
    panel = synthetic_panel()
    n = 1000
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        ua, idx, ranks = ours(panel, n)
        best = min(best, time.perf_counter() - t0)
    t0 = time.perf_counter()
    ref = pymcdm_loop(ua, idx)
    t_loop = time.perf_counter() - t0
    agree = bool((ref == ranks).all())
    print(f"units=31 years={len(YEARS)} indicators={K} replications={n} "
          f"factors={','.join(f.name for f in ua.varied)} agree={agree}")
    print(f"nqpf vectorised (incl. data preparation and weight estimation): {best:.3f} s")
    print(f"pymcdm loop over replications × years × nodes:                 {t_loop:.3f} s")
    if "--big" in sys.argv:
        t0 = time.perf_counter()
        _, _, big = ours(panel, 100_000, chunk=2000)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"100,000 replications: {time.perf_counter() - t0:.1f} s, ranks array "
              f"{big.nbytes / 2**20:.0f} MiB, peak RSS {peak:.0f} MiB")
    print(f"seconds={best:.3f} vs_pymcdm={t_loop / best:.1f}")


if __name__ == "__main__":
    main()
