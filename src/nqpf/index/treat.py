"""Outlier treatment by the JRC/COINr rule.

An indicator is an outlier case when |skewness| > 2 and kurtosis > 3.5 (sample skewness and
excess kurtosis over the pooled panel, as in COINr's ``qTreat``). It is winsorised one value
at a time on the side of its skew (the most extreme value is set to the next one in) up to
``max_winsorised`` values; if the rule still holds, the original is log-transformed instead
(log(x) if all values are positive, otherwise log(x − min + 1)).

>>> import numpy as np
>>> x = np.r_[np.arange(1.0, 30.0), 500.0].reshape(1, 30, 1)
>>> y, report = OutlierTreatment().treat(x, ["x"])
>>> report[0]["action"], float(y.max())
('winsorised (1 values)', 29.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["OutlierTreatment"]


def _flagged(v: np.ndarray, skew_limit: float, kurt_limit: float) -> tuple[bool, float, float]:
    s = float(stats.skew(v, bias=False))
    k = float(stats.kurtosis(v, fisher=True, bias=False))
    return abs(s) > skew_limit and k > kurt_limit, s, k


@dataclass(frozen=True)
class OutlierTreatment:
    skew_limit: float = 2.0
    kurt_limit: float = 3.5
    max_winsorised: int = 5

    def treat(self, x: np.ndarray, indicators: list[str]) -> tuple[np.ndarray, list[dict]]:
        out = x.copy()
        report = []
        for j, name in enumerate(indicators):
            col = out[..., j].ravel().copy()
            flagged, s0, k0 = _flagged(col, self.skew_limit, self.kurt_limit)
            action = "none"
            if flagged:
                v = col.copy()
                n = 0
                while flagged and n < self.max_winsorised:
                    order = np.argsort(v)
                    if s0 > 0:
                        v[order[-1]] = v[order[-2]]
                    else:
                        v[order[0]] = v[order[1]]
                    n += 1
                    flagged, _, _ = _flagged(v, self.skew_limit, self.kurt_limit)
                if flagged:
                    v = np.log(col) if (col > 0).all() else np.log(col - col.min() + 1.0)
                    action = "log-transformed"
                else:
                    action = f"winsorised ({n} values)"
                out[..., j] = v.reshape(out[..., j].shape)
            report.append({"indicator": name, "skewness": s0, "kurtosis": k0, "action": action})
        return out, report
