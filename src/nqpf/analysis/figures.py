"""Plotly figures for the analyses (plotly.js is embedded when written to HTML, no CDN)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from nqpf import regions

__all__ = ["density_figure", "markov_figure", "tile_map"]


def tile_map(values: dict[str, float | str], title: str = "", colorscale: str = "Viridis",
             categories: dict[str, str] | None = None) -> go.Figure:
    """The 31 provinces as squares on the tile grid, coloured by ``values`` (keyed by any
    name :func:`nqpf.regions.resolve` accepts). Categorical values use ``categories``
    (value → colour)."""
    rows, cols, text, colour = [], [], [], []
    for key, v in values.items():
        p = regions.resolve(key)
        rows.append(p.tile[0])
        cols.append(p.tile[1])
        text.append(f"{p.short}<br>{v:.3f}" if isinstance(v, float) else f"{p.short}<br>{v}")
        colour.append(v)
    if categories:
        marker = {"color": [categories.get(v, "#cccccc") for v in colour]}
        ink = ["#222"] * len(colour)
    else:
        marker = {"color": colour, "colorscale": colorscale, "showscale": True}
        lo, hi = min(colour), max(colour)
        ink = ["white" if hi > lo and (v - lo) / (hi - lo) > 0.55 else "#222" for v in colour]
    fig = go.Figure(go.Scatter(x=cols, y=rows, mode="markers+text", text=text,
                               marker={**marker, "symbol": "square", "size": 56},
                               textfont={"size": 11, "color": ink}, hoverinfo="text"))
    # one square cell per province: equal scales on both axes
    fig.update_xaxes(visible=False, range=[-0.6, 7.6])
    fig.update_yaxes(visible=False, range=[7.6, -0.6], scaleanchor="x", scaleratio=1)
    fig.update_layout(title=title, width=720, height=700, plot_bgcolor="white",
                      margin={"l": 20, "r": 20, "t": 50, "b": 20})
    return fig


def density_figure(density: pd.DataFrame, title: str = "Kernel density by year") -> go.Figure:
    """3-D ridge of the yearly densities from :func:`nqpf.analysis.kernel_density`."""
    fig = go.Figure()
    for year, d in density.groupby("year"):
        fig.add_trace(go.Scatter3d(x=d.x, y=np.full(len(d), year), z=d.density, mode="lines",
                                   name=str(year)))
    fig.update_layout(title=title, scene={"xaxis_title": "score", "yaxis_title": "year",
                                          "zaxis_title": "density"})
    return fig


def markov_figure(p: pd.DataFrame, title: str = "Transition probabilities") -> go.Figure:
    fig = go.Figure(go.Heatmap(z=p.to_numpy(), x=list(p.columns), y=list(p.index),
                               text=np.round(p.to_numpy(), 3), texttemplate="%{text}",
                               colorscale="Blues"))
    fig.update_yaxes(autorange="reversed", title="from")
    fig.update_xaxes(title="to")
    fig.update_layout(title=title)
    return fig
