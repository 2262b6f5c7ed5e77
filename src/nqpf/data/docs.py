"""Render ``docs/data.md`` from the dictionary and the panel's coverage.

``python -m nqpf.data.docs > docs/data.md``; a test checks the committed file is current.
"""

from __future__ import annotations

from nqpf.data.dictionary import load_dictionary
from nqpf.data.panel import coverage

INTRO = """# The embedded panel

`nqpf.data.load_panel()` returns the panel compiled by `python -m nqpf.data.build` from the raw
official statistics in `../shared/data/raw`, following `src/nqpf/data/dictionary.yaml`, which is
both this dictionary's source and the build's specification. Values are tidy:
`adcode, province, year, indicator, value`, one row per value (gaps are absent rows).
This page is generated: `python -m nqpf.data.docs > docs/data.md`.
"""

PKU = """The Peking University Digital Financial Inclusion Index is **not** embedded (its redistribution
terms are not stated). Load it as user data:
`nqpf.read_panel("pku_dfiic_province_2011_2023_long.csv")`.
"""

VINTAGES = """## GDP vintages

`gdp` is NBS's latest revision and is the denominator of every derived ratio and of the index
presets. `gdp_yearbook` is GDP as first published in each yearbook; official ratios such as
`rd_intensity` were computed against it (Beijing 2021: 2629.3 / 40269.6 = 6.53 %), so the
same spending divided by the latest GDP is lower (5.93 %).
"""


def _flat(text: object) -> str:
    return " ".join(str(text).split())


def render_data_doc() -> str:
    """The Markdown of ``docs/data.md``."""
    d = load_dictionary()
    cov = coverage()
    out = [INTRO, "## Sources", ""]
    out += [f"- **{k}** — {_flat(v['citation'])}" for k, v in d.sources.items()]
    out += ["", PKU, "## Cleaning rules", "", "Each rule is applied by the build and cited in its "
            "error messages.", ""]
    out += [f"- **{k}** {_flat(v)}" for k, v in d.cleaning.items()]
    out += ["", VINTAGES, "## Indicators", "",
            "| id | 中文 | English | unit | years | source / formula |", "|---|---|---|---|---|---|"]
    for s in d.indicators:
        row = cov.loc[s["id"]]
        years = row[row > 0].index
        src = f"`{s['formula']}`" if "formula" in s else f"{s['source']}: {s.get('table', '')}"
        note = f" — {_flat(s['notes'])}" if s.get("notes") else ""
        out.append(f"| `{s['id']}` | {s['name_zh']} | {s['name_en']} | {s['unit']} | "
                   f"{years.min()}–{years.max()} | {src}{note} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_data_doc(), end="")
