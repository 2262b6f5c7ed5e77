"""Render ``docs/data.md`` from the dictionary and the panel's coverage.

``python -m nqpf.data.docs > docs/data.md``; a test checks the committed file is current.
"""

from __future__ import annotations

from nqpf.data.dictionary import load_dictionary
from nqpf.data.panel import coverage, dataset_hash

INTRO = """# The embedded panel

`nqpf.data.load_panel()` returns the panel compiled by `python -m nqpf.data.build` from the raw
official statistics in `../shared/data/raw`, following `src/nqpf/data/dictionary.yaml`, which is
both this dictionary's source and the build's specification. Values are tidy:
`adcode, province, year, indicator, value`, one row per value (gaps are absent rows).
This page is generated: `python -m nqpf.data.docs > docs/data.md`.

## Rebuilding

```
python -m nqpf.data.build [RAW_DIR]       # RAW_DIR: ../shared/data/raw, or $NQPF_RAW_DIR
python -m nqpf.data.docs > docs/data.md   # this page: coverage, breaks, dataset hash
```

The build reads each raw series the dictionary declares (cleaning rules below), fills the
declared derived years of a raw series (rule C10), computes the formula indicators, and writes
`src/nqpf/data/panel.parquet` with a fixed schema and no writer metadata. It is a pure function
of the raw files and the dictionary: building twice gives the same bytes and the same dataset
hash (`tests/test_panel.py`, `tests/test_data_rebuild.py`). The raw files are never copied into
the repository; only the compiled parquet is embedded.
"""

PKU = """The Peking University Digital Financial Inclusion Index is **not** embedded (its redistribution
terms are not stated). Load it as user data:
`nqpf.read_panel("pku_dfiic_province_2011_2023_long.csv")`.
"""

VINTAGES = """## GDP vintages

`gdp` is NBS's latest revision (after the 2023 economic census) and is the denominator of every
derived ratio and of the index presets. `gdp_yearbook` is GDP as first published in each
yearbook; official ratios such as `rd_intensity` were computed against it (Beijing 2021:
2629.3 / 40269.6 = 6.53 %), so the same spending divided by the latest GDP is lower (5.93 %).
`gdp_per_capita_ec2018` is a third vintage (after the 2018 economic census); it serves only to
derive population before 2015 (rule C10).
"""


def _flat(text: object) -> str:
    return " ".join(str(text).split())


def _span(row) -> str:
    years = row[row > 0].index
    return f"{years.min()}–{years.max()}" if len(years) else "—"


def _break_cell(d, indicator: str, first: int, last: int) -> str:
    cells = []
    for b in d.breaks(indicator):
        if not first < b["year"] <= last:
            continue  # a break at or before the first year of values splits nothing
        where = f" {'/'.join(b['provinces'])}" if b.get("provinces") else ""
        via = f" (via `{b['via']}`)" if b.get("via") else ""
        cells.append(f"{b['year']}{where}{via}")
    return "; ".join(dict.fromkeys(cells))


def render_data_doc() -> str:
    """The Markdown of ``docs/data.md``."""
    d = load_dictionary()
    cov = coverage()
    out = [INTRO, f"Dataset hash of the embedded panel (`nqpf.data.dataset_hash()`): "
           f"`{dataset_hash()}`.", "", "## Sources", ""]
    out += [f"- **{k}** — {_flat(v['citation'])}" for k, v in d.sources.items()]
    out += ["", PKU, "## Cleaning rules", "", "Each rule is applied by the build and cited in its "
            "error messages.", ""]
    out += [f"- **{k}** {_flat(v)}" for k, v in d.cleaning.items()]
    out += ["", VINTAGES, "## Derived years of raw series", "",
            "Values computed by the build, not published as such, flagged here and in the "
            "dictionary (`derived:`).", "", "| id | years | formula | why |", "|---|---|---|---|"]
    for s in d.indicators:
        for fill in d.fills(s["id"]):
            lo, hi = fill["years"]
            out.append(f"| `{s['id']}` | {_years(lo, hi)} | `{fill['formula']}` | "
                       f"{_flat(fill['reason'])} |")
    out += ["", "## Series breaks", "",
            "The first year on a new basis (rule C9). A ratio inherits the breaks of the series in "
            "its formula: the indicator table lists them with the series they come from.", "",
            "| id | year | provinces | reason |", "|---|---|---|---|"]
    for s in d.indicators:
        for b in sorted(s.get("breaks", []), key=lambda b: b["year"]):
            prov = ", ".join(b.get("provinces", [])) or "all"
            out.append(f"| `{s['id']}` | {b['year']} | {prov} | {_flat(b['reason'])} |")
    out += ["", "## Pillars", "",
            "Indicators grouped by theme; `nqpf.data.coverage(pillar=...)` gives their coverage.",
            ""]
    for name, p in d.pillars.items():
        out += [f"**{name}** — {p['name_zh']} ({p['name_en']}):", ""]
        for i in p["indicators"]:
            out.append(f"- `{i}` ({d[i]['name_zh']}), {_span(cov.loc[i])}")
        out.append("")
    out += ["## Indicators", "",
            "| id | 中文 | English | unit | years | breaks | source / formula |",
            "|---|---|---|---|---|---|---|"]
    for s in d.indicators:
        row = cov.loc[s["id"]]
        years = row[row > 0].index
        span = _span(row)
        if d.fills(s["id"]):
            lo = min(f["years"][0] for f in d.fills(s["id"]))
            hi = max(f["years"][1] for f in d.fills(s["id"]))
            span += f" ({_years(lo, hi)} derived)"
        src = f"`{s['formula']}`" if "formula" in s else f"{s['source']}: {s.get('table', '')}"
        note = f" — {_flat(s['notes'])}" if s.get("notes") else ""
        brk = _break_cell(d, s["id"], years.min(), years.max())
        out.append(f"| `{s['id']}` | {s['name_zh']} | {s['name_en']} | {s['unit']} | "
                   f"{span} | {brk} | {src}{note} |")
    return "\n".join(out) + "\n"


def _years(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


if __name__ == "__main__":
    print(render_data_doc(), end="")
