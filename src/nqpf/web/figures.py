"""Plotly figures as plain data: the server builds each chart's traces and layout, a
``<script type="application/json" class="figure" data-target="…">`` block carries them, and
/static/charts.js draws them (no inline script). The tile map has its own block
(``class="tilemap"``) because charts.js sizes its squares to the screen and links each to
its page."""

from __future__ import annotations

from collections.abc import Sequence

from nqpf import regions

__all__ = ["bars", "lines", "radar", "target_chart", "tilemap"]

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]
#: Axis numbers as people write them: 85,930, not 86k or 8.6e4.
_PLAIN = {"exponentformat": "none", "separatethousands": True}
_FONT = {"family": 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'}


def _layout(**kw) -> dict:
    base = {"margin": {"t": 24, "l": 48, "r": 12, "b": 40}, "font": _FONT,
            "legend": {"orientation": "h", "y": -0.18}, "hovermode": "closest"}
    base.update(kw)
    return base


def tilemap(values: dict[str, float | None], labels: dict[str, str], hover: dict[str, str],
            link: str, lang: str, colorbar: str, reverse: bool = False) -> dict:
    """The tile grid: one square per province, coloured by ``values`` (adcode → value, None
    grey), labelled with ``labels``; a click opens ``link`` with {code} replaced."""
    tiles = []
    for p in regions.PROVINCES:
        v = values.get(p.adcode)
        tiles.append({"adcode": p.adcode, "row": p.tile[0], "col": p.tile[1],
                      "name": p.name_en if lang == "en" else p.short,
                      "label": labels.get(p.adcode, ""), "hover": hover.get(p.adcode, ""),
                      "value": v})
    return {"tiles": tiles, "link": link, "colorbar": colorbar, "reverse": reverse}


def lines(series: Sequence[dict], y_title: str = "", reversed_y: bool = False,
          height: int = 360, y_range: list[float] | None = None) -> dict:
    """Line charts over years: ``series`` of {name, x, y, [text], [dash], [width], [colour]}."""
    data = []
    for i, s in enumerate(series):
        trace = {"type": "scatter", "mode": s.get("mode", "lines+markers"), "name": s["name"],
                 "x": list(s["x"]), "y": list(s["y"]),
                 "line": {"width": s.get("width", 2),
                          "color": s.get("colour", PALETTE[i % len(PALETTE)])}}
        if s.get("dash"):
            trace["line"]["dash"] = s["dash"]
        if s.get("text") is not None:
            trace["text"] = list(s["text"])
            trace["hovertemplate"] = "%{text}<extra>" + s["name"] + "</extra>"
        if s.get("hide_legend"):
            trace["showlegend"] = False
        if s.get("marker") is not None:
            trace["marker"] = s["marker"]
        data.append(trace)
    yaxis: dict = {"title": {"text": y_title}, "automargin": True, **_PLAIN}
    if reversed_y:
        yaxis["autorange"] = "reversed"
    if y_range is not None:
        yaxis["range"] = y_range
    return {"data": data, "layout": _layout(height=height, yaxis=yaxis,
                                            xaxis={"dtick": 1, "automargin": True})}


def radar(names: list[str], mine: list[float], median: list[float], who: str,
          median_name: str) -> dict:
    theta = [*names, names[0]]
    return {"data": [
        {"type": "scatterpolar", "r": [*mine, mine[0]], "theta": theta, "fill": "toself",
         "name": who},
        {"type": "scatterpolar", "r": [*median, median[0]], "theta": theta, "name": median_name}],
        "layout": _layout(height=360, polar={"radialaxis": {"range": [0, 1]}},
                          margin={"t": 30, "l": 40, "r": 40, "b": 30})}


def bars(names: list[str], values: list[float], text: list[str], highlight: set[int],
         x_title: str = "") -> dict:
    """Horizontal bars, one per province, in the given order (best at the top)."""
    colours = ["#d62728" if i in highlight else "#4a7fb0" for i in range(len(names))]
    return {"data": [{"type": "bar", "orientation": "h", "y": names, "x": values,
                      "text": text, "hovertemplate": "%{y}: %{text}<extra></extra>",
                      "textposition": "none", "marker": {"color": colours}}],
            "layout": _layout(height=max(320, 18 * len(names) + 60),
                              yaxis={"autorange": "reversed", "automargin": True,
                                     "tickfont": {"size": 11}},
                              xaxis={"title": {"text": x_title}, "automargin": True, **_PLAIN},
                              margin={"t": 10, "l": 60, "r": 12, "b": 40}, showlegend=False)}


def target_chart(points: list[tuple[str, float]], line: list[tuple[str, float]] | None,
                 target: tuple[str, float] | None, names: dict[str, str]) -> dict:
    """A target's observations (markers), the straight line from the baseline to the target
    at its deadline (dashed) and the target level."""
    data: list[dict] = []
    if line:
        data.append({"type": "scatter", "mode": "lines", "name": names["line"],
                     "x": [d for d, _ in line], "y": [v for _, v in line],
                     "line": {"dash": "dash", "color": "#7f7f7f"}})
    if points:
        data.append({"type": "scatter", "mode": "lines+markers", "name": names["observed"],
                     "x": [d for d, _ in points], "y": [v for _, v in points],
                     "line": {"color": PALETTE[0]}})
    if target:
        data.append({"type": "scatter", "mode": "markers", "name": names["target"],
                     "x": [target[0]], "y": [target[1]],
                     "marker": {"symbol": "star", "size": 14, "color": "#d62728"}})
    return {"data": data, "layout": _layout(height=340, xaxis={"type": "date",
                                                               "tickformat": "%Y-%m",
                                                               "automargin": True},
                                            yaxis={"automargin": True, **_PLAIN})}
