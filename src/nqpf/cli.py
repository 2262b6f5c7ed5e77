"""The ``nqpf`` command line (Typer + Rich)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from nqpf import data as nqdata

app = typer.Typer(help="nqpf: China's new quality productive forces (新质生产力) observatory.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
data_app = typer.Typer(help="The embedded provincial panel.", no_args_is_help=True)
app.add_typer(data_app, name="data")

# Piped or captured output is not cut to 80 columns: wide tables stay readable in files.
console = Console(width=None if sys.stdout.isatty() else 200)
#: Errors and progress go to stderr: stdout holds only results.
err_console = Console(stderr=True, soft_wrap=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Worker processes for extraction (0: one per core).")]
DaskOpt = Annotated[str | None, typer.Option(
    "--dask", help="Extract on a Dask cluster: a scheduler address, or 'local' for --jobs local "
                   "workers (pip install 'nqpf[dask]').")]


def _jsonable(v: object) -> object:
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return _jsonable(v.item())
    return v


def emit(df: pd.DataFrame, title: str, as_json: bool, index: bool = False) -> None:
    """Print a frame as a Rich table or as JSON records."""
    if index:
        df = df.reset_index()
    if as_json:
        records = [{str(k): _jsonable(v) for k, v in row.items()}
                   for row in df.to_dict(orient="records")]
        typer.echo(json.dumps(records, ensure_ascii=False, indent=1))
        return
    table = Table(title=title, show_lines=False)
    for c in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[c])
        table.add_column(str(c), justify="right" if numeric else "left")
    for row in df.itertuples(index=False):
        table.add_row(*[_fmt(v) for v in row])
    console.print(table)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "–"
        return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
    return str(v)


def fail(message: str) -> None:
    err_console.print(f"[red]error:[/red] {message}", soft_wrap=True, highlight=False)
    raise typer.Exit(2)


DbOpt = Annotated[Path | None, typer.Option("--db", help="DuckDB file (default: $NQPF_DB or "
                                            "the user data directory).")]


def _store(db: Path | None):
    from nqpf.store import Store, StoreError

    try:
        return Store(db)
    except StoreError as e:
        fail(str(e))


@data_app.command("list")
def data_list(as_json: JsonOpt = False) -> None:
    """The indicators of the embedded panel, with units and sources."""
    d = nqdata.load_dictionary()
    rows = [{"indicator": s["id"], "name_zh": s["name_zh"], "name_en": s["name_en"],
             "unit": s["unit"], "source": s.get("source", "derived: " + s.get("formula", ""))}
            for s in d.indicators]
    emit(pd.DataFrame(rows), "Embedded indicators", as_json)


@data_app.command("coverage")
def data_coverage(
    pillar: Annotated[str | None, typer.Option(help="Only one pillar's indicators, e.g. "
                                               "human_capital.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Indicator × year: how many of the 31 provinces have a value (--pillar: one theme)."""
    cov = nqdata.coverage(pillar=pillar)
    cov.columns = [str(c) for c in cov.columns]
    emit(cov, "Provinces with a value, by indicator and year"
         + (f" · pillar {pillar}" if pillar else ""), as_json, index=True)


@data_app.command("show")
def data_show(indicator: str,
              year: Annotated[int | None, typer.Option(help="One year; default: all.")] = None,
              as_json: JsonOpt = False) -> None:
    """One indicator, provinces × years (or one year)."""
    try:
        df = nqdata.load_panel([indicator])
    except KeyError as e:
        fail(str(e.args[0]))
    if year is not None:
        df = df[df["year"] == year]
        if df.empty:
            fail(f"{indicator} has no values for {year}")
        out = df[["adcode", "province", "value"]].sort_values("value", ascending=False)
        spec = nqdata.load_dictionary()[indicator]
        emit(out, f"{spec['name_zh']} ({spec['unit']}), {year}", as_json)
        return
    wide = df.pivot(index=["adcode", "province"], columns="year", values="value")
    wide.columns = [str(c) for c in wide.columns]
    emit(wide, indicator, as_json, index=True)


@data_app.command("export")
def data_export(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    format: Annotated[str | None, typer.Option(help="csv, xlsx, dta or parquet "
                                               "(default: from the file name).")] = None,
    wide: Annotated[bool, typer.Option(help="One column per indicator.")] = False,
) -> None:
    """Write the embedded panel to CSV, Excel, Stata or Parquet."""
    formats = ("csv", "xlsx", "dta", "parquet")
    if format is not None and format.lower() not in formats:
        fail(f"--format {format}: use one of {', '.join(formats)}")
    fmt = (format or out.suffix.lstrip(".")).lower()
    _writable(out, (f".{fmt}",) if fmt in formats else tuple(f".{f}" for f in formats), "--out")
    df = nqdata.load_panel(wide=wide)
    path = nqdata.write_panel(df, out, format)
    err_console.print(f"wrote {path} ({len(df):,} rows)")


@app.command("index")
def index_cmd(
    preset: Annotated[str, typer.Option(help="three-elements, tech-green-digital or innovation.")]
    = "three-elements",
    flavour: Annotated[str, typer.Option(help="intensity (ratios) or scale (totals).")]
    = "intensity",
    year: Annotated[int | None, typer.Option(help="Year to rank; default: the last.")] = None,
    weights: Annotated[str, typer.Option(help="entropy, critic, cv, pca, equal.")] = "entropy",
    aggregation: Annotated[str, typer.Option(
        help="arithmetic, geometric, topsis (one TOPSIS over all indicators, as the "
             "entropy-TOPSIS papers), topsis-tree (TOPSIS at every node), bod, mpi or wroclaw "
             "(mean-min needs alpha and beta: use --recipe).")] = "arithmetic",
    normalisation: Annotated[str, typer.Option(help="minmax, zscore, rank.")] = "minmax",
    recipe: Annotated[Path | None, typer.Option(help="A recipe YAML/JSON file (overrides the "
                                                "other choices).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write all results to .xlsx, or the tidy "
                                             "scores to .csv/.dta/.parquet.")] = None,
    save: Annotated[bool, typer.Option(help="Record the run (recipe, dataset hash, scores) "
                                       "in the store.")] = False,
    panel: Annotated[Path | None, typer.Option(
        help="Your own panel (.csv .tsv .xlsx .dta .parquet; long or wide) instead of the "
             "embedded one.")] = None,
    sheet: Annotated[str | None, typer.Option(help="The sheet of a --panel workbook.")] = None,
    framework: Annotated[Path | None, typer.Option(
        help="Your own framework YAML (indicators and dimensions) instead of --preset.")]
    = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build an index and print the ranking with dimension scores (on the embedded panel, or
    on --panel FILE; with a preset, or --framework FILE)."""
    from nqpf.index import FrameworkError, IndexBuildError, Recipe

    _writable(out, (".xlsx", ".csv", ".dta", ".parquet"), "--out")
    data = None
    if panel is not None:
        from nqpf.data.io import read_panel

        data = read_panel(panel, sheet=sheet)
    if framework is not None:
        from nqpf.index.framework import Framework

        try:
            preset = Framework.from_yaml(framework).to_dict()
        except (ValueError, OSError) as e:
            fail(f"--framework: {_one_line(e)}")
    try:
        if recipe is not None:
            try:
                r = Recipe.from_file(recipe)
            except (ValueError, OSError) as e:
                fail(f"--recipe: {_one_line(e)}")
        else:
            agg = {"method": aggregation}
            if aggregation == "geometric":
                agg["shift"] = 0.01
            r = Recipe(preset, flavour=flavour, weights={"method": weights},
                       aggregation=agg, normalisation={"method": normalisation})
        result = r.build(data)
        _year_in(year, result.years)
        table = result.ranking(year)
    except (FrameworkError, IndexBuildError, ValueError, KeyError) as e:
        fail(_one_line(e))
    if save:
        run_id = _store(db).add_index_run(result)
        err_console.print(f"saved index run {run_id}")
    if out is not None:
        if out.suffix.lower() == ".xlsx":
            result.to_excel(out)
        else:
            nqdata.write_panel(result.to_frame(), out)
    if as_json:
        emit(table.reset_index(), "", True)
        return
    shown_year = year or result.years[-1]
    emit(table.round(4), f"{result.framework.name} · {r.flavour} · {r.weights['method']} · "
         f"{r.aggregation['method']} · {shown_year}", False, index=True)
    for note in result.notes:
        err_console.print(f"[dim]note: {note}[/dim]", soft_wrap=True)
    if out is not None:
        err_console.print(f"wrote {out}")


@app.command("robust")
def robust_cmd(
    preset: Annotated[str, typer.Option(help="Preset to analyse.")] = "three-elements",
    flavour: Annotated[str, typer.Option(help="intensity or scale.")] = "intensity",
    replications: Annotated[int, typer.Option(min=1, max=1_000_000,
                                              help="Number of replications.")] = 1000,
    method: Annotated[str, typer.Option(help="montecarlo or sobol (Sobol indices).")]
    = "montecarlo",
    year: Annotated[int | None, typer.Option(help="Year to report; default: the last.")] = None,
    alternatives: Annotated[Path | None, typer.Option(
        help="YAML file of alternatives (keys: normalisation, scope, weights, aggregation, "
             "imputation, drop_one, weight_noise).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    html: Annotated[Path | None, typer.Option(help="Write the rank-interval (and Sobol) "
                                              "figures to this HTML file.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank intervals under alternative choices (and Sobol indices with --method sobol)."""
    import yaml

    from nqpf.analysis import Alternatives, UncertaintyAnalysis
    from nqpf.analysis.uncertainty import DEFAULT_ALTERNATIVES
    from nqpf.index import FrameworkError, Recipe

    if method not in ("montecarlo", "sobol"):
        fail(f"--method {method}: use montecarlo or sobol")
    _writable(html, (".html", ".htm"), "--html")
    if alternatives is None:
        spec = DEFAULT_ALTERNATIVES
    else:
        if not alternatives.is_file():
            fail(f"--alternatives {alternatives}: no such file")
        try:
            spec = yaml.safe_load(alternatives.read_text(encoding="utf-8"))
        except UnicodeDecodeError as e:
            fail(f"--alternatives {alternatives}: not UTF-8 (byte {e.start})")
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            fail(f"--alternatives {alternatives}{where}: not valid YAML "
                 f"({getattr(e, 'problem', None) or e})")
        if not isinstance(spec, dict):
            fail(f"--alternatives {alternatives}: a mapping of choices is needed (keys: "
                 f"{', '.join(DEFAULT_ALTERNATIVES)})")
    try:
        ua = UncertaintyAnalysis(Recipe(preset, flavour=flavour), Alternatives.from_dict(spec))
        with err_console.status(f"{replications} replications …"):
            res = ua.run(replications, method=method, seed=seed)
        _year_in(year, list(res.years))
        table = res.rank_intervals(year)
        sob = res.sobol(year) if method == "sobol" else None
        from nqpf.analysis import indicator_drop_impact

        impact = indicator_drop_impact(Recipe(preset, flavour=flavour))
    except (FrameworkError, ValueError, KeyError, TypeError) as e:
        fail(f"{'--alternatives ' + str(alternatives) + ': ' if alternatives else ''}{_one_line(e)}")
    if as_json:
        out = {"replications": res.replications, "factors": [f.name for f in ua.varied],
               "rank_intervals": json.loads(table.to_json(orient="records", force_ascii=False))}
        if sob is not None:
            out["sobol"] = json.loads(sob.to_json(orient="records", force_ascii=False))
        out["drop_impact"] = json.loads(impact.reset_index().to_json(orient="records",
                                                                     force_ascii=False))
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        emit(table.drop(columns=["adcode"]).round(2), f"Rank intervals · {preset} · {flavour} · "
             f"{res.replications} replications · varying {', '.join(f.name for f in ua.varied)}",
             False)
        if sob is not None:
            mars = sob[sob.output == "mean |rank shift|"].drop(columns="output")
            emit(mars.round(3), "Sobol indices of the mean absolute rank shift", False)
        emit(impact.round(3), "Rank impact of dropping each indicator (all else as the recipe)",
             False, index=True)
    if html is not None:
        figs = [res.rank_interval_figure(year)]
        if sob is not None:
            figs.append(res.sobol_figure(year))
        _write_html(html, figs)


analyse_app = typer.Typer(help="Regional analysis of an index.", no_args_is_help=True)
app.add_typer(analyse_app, name="analyse")


@analyse_app.command("disparity")
def analyse_disparity(
    preset: Annotated[str, typer.Option(help="Preset to build.")] = "three-elements",
    flavour: Annotated[str, typer.Option(help="intensity or scale.")] = "intensity",
    as_json: JsonOpt = False,
) -> None:
    """Dagum Gini decomposition over NBS's four regions, and the Theil index, per year."""
    from nqpf.analysis import dagum_gini, theil
    from nqpf.index import FrameworkError, Recipe

    try:
        scores = Recipe(preset, flavour=flavour).build().score()
    except (FrameworkError, ValueError) as e:
        fail(str(e))
    g = dagum_gini(scores)
    table = g.overall.join(theil(scores)[["T", "Tw", "Tb"]])
    if as_json:
        emit(table.join(g.within.add_prefix("G_")).reset_index(), "", True)
        return
    emit(table.round(4), f"Dagum Gini and Theil · {preset} · {flavour}", False, index=True)
    emit(g.within.round(4), "Gini within each region", False, index=True)


def _scores_for(preset: str, flavour: str):
    from nqpf.index import FrameworkError, Recipe

    try:
        return Recipe(preset, flavour=flavour).build()
    except (FrameworkError, ValueError) as e:
        fail(str(e))


def _write_html(path: Path | None, figures: list) -> None:
    """The figures in one HTML file, written under a temporary name and moved into place."""
    if path is None:
        return
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text("\n".join(f.to_html(full_html=len(figures) == 1, include_plotlyjs=i == 0)
                                 for i, f in enumerate(figures)), encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    err_console.print(f"wrote {path}")


PresetOpt = Annotated[str, typer.Option(help="Preset to build.")]
FlavourOpt = Annotated[str, typer.Option(help="intensity or scale.")]
HtmlOpt = Annotated[Path | None, typer.Option(help="Write the figure(s) to this HTML file.")]


def _scores_checked(preset: str, flavour: str, html: Path | None):
    """Check the output path before the work, then build the preset."""
    _writable(html, (".html", ".htm"), "--html")
    return _scores_for(preset, flavour)


@analyse_app.command("convergence")
def analyse_convergence(preset: PresetOpt = "three-elements", flavour: FlavourOpt = "intensity",
                        as_json: JsonOpt = False, html: HtmlOpt = None) -> None:
    """σ-convergence (CV by year), absolute and conditional β-convergence, kernel density."""
    from nqpf.analysis import (
        beta_convergence,
        conditional_beta_convergence,
        kernel_density,
        sigma_convergence,
    )
    from nqpf.analysis.figures import density_figure

    scores = _scores_checked(preset, flavour, html).score()
    sigma = sigma_convergence(scores)
    try:
        absolute = beta_convergence(scores)
        conditional = conditional_beta_convergence(scores)
    except ValueError as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps({
            "sigma": json.loads(sigma.reset_index().to_json(orient="records", force_ascii=False)),
            "beta_absolute": {k: _jsonable(v) for k, v in absolute.loc["beta"].items()}
            | {"speed": _jsonable(absolute.attrs["speed"])},
            "beta_conditional": {k: _jsonable(v) for k, v in conditional.loc["beta"].items()}
            | {"speed": _jsonable(conditional.attrs["speed"])}}, ensure_ascii=False, indent=1))
    else:
        emit(sigma.round(4), "σ-convergence: coefficient of variation by year", False, index=True)
        emit(absolute.round(5), f"Absolute β-convergence (speed {absolute.attrs['speed']:.4f})",
             False, index=True)
        emit(conditional.round(5), "Conditional β-convergence (province and year fixed effects, "
             f"speed {conditional.attrs['speed']:.4f})", False, index=True)
    _write_html(html, [density_figure(kernel_density(scores))])


@analyse_app.command("spatial")
def analyse_spatial(preset: PresetOpt = "three-elements", flavour: FlavourOpt = "intensity",
                    year: Annotated[int | None, typer.Option(help="Year for LISA; default: last.")]
                    = None,
                    permutations: Annotated[int, typer.Option(min=0, max=99_999)] = 999,
                    as_json: JsonOpt = False, html: HtmlOpt = None) -> None:
    """Global Moran's I by year and local LISA clusters (contiguity weights)."""
    from nqpf.analysis import lisa, moran
    from nqpf.analysis.figures import tile_map

    scores = _scores_checked(preset, flavour, html).score()
    _year_in(year, [int(c) for c in scores.columns])
    year = year or int(scores.columns[-1])
    global_i = moran(scores, permutations=permutations)
    local = lisa(scores[[year]], permutations=permutations)
    if as_json:
        typer.echo(json.dumps({
            "moran": json.loads(global_i.reset_index().to_json(orient="records")),
            "lisa": json.loads(local.to_json(orient="records", force_ascii=False))},
            ensure_ascii=False, indent=1))
    else:
        emit(global_i.round(4), "Global Moran's I", False, index=True)
        sig = local[local.significant]
        emit(sig.round(4), f"Significant LISA clusters, {year} (p < 0.05)", False)
    labels = {r.province: (r.quadrant if r.significant else "n.s.") for r in local.itertuples()}
    _write_html(html, [tile_map(labels, f"LISA clusters {year}", categories={
        "HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9", "n.s.": "#eeeeee"})])


@analyse_app.command("markov")
def analyse_markov(preset: PresetOpt = "three-elements", flavour: FlavourOpt = "intensity",
                   k: Annotated[int, typer.Option(min=2, max=10,
                                                  help="Number of quantile classes.")] = 4,
                   as_json: JsonOpt = False, html: HtmlOpt = None) -> None:
    """Markov transition matrix over quantile classes, and the spatial Markov chain."""
    from nqpf.analysis import markov, spatial_markov
    from nqpf.analysis.figures import markov_figure

    scores = _scores_checked(preset, flavour, html).score()
    mk = markov(scores, k=k)
    sm = spatial_markov(scores, k=k, m=k)
    if as_json:
        typer.echo(json.dumps({"P": mk["P"].to_numpy().tolist(),
                               "steady_state": mk["steady_state"].tolist(),
                               "spatial_P": sm["P"].tolist(), "labels": sm["labels"]}, indent=1))
    else:
        emit(mk["P"].round(3), "Transition probabilities (pooled quantile classes)", False,
             index=True)
        for lag, p in zip(sm["lag_classes"], sm["P"], strict=True):
            emit(pd.DataFrame(p, index=sm["labels"], columns=sm["labels"]).round(3),
                 f"Spatial Markov: {lag}", False, index=True)
    _write_html(html, [markov_figure(mk["P"])])


@analyse_app.command("coupling")
def analyse_coupling(preset: PresetOpt = "three-elements", flavour: FlavourOpt = "intensity",
                     year: Annotated[int | None, typer.Option(help="Year; default: last.")] = None,
                     as_json: JsonOpt = False) -> None:
    """Coupling coordination degree between the preset's dimensions, with grades."""
    from nqpf.analysis import coupling_coordination

    result = _scores_for(preset, flavour)
    _year_in(year, result.years)
    cc = coupling_coordination({d: result.score(d) for d in result.dimensions})
    year = year or result.years[-1]
    table = cc[cc.year == year].sort_values("D", ascending=False)
    if as_json:
        emit(table, "", True)
    else:
        emit(table.round(4), f"Coupling coordination of {', '.join(result.dimensions)}, {year}",
             False)


@app.command("audit")
def audit_cmd(
    preset: PresetOpt = "three-elements", flavour: FlavourOpt = "intensity",
    year: Annotated[int | None, typer.Option(help="Audit one year's provinces; default: every "
                                             "province-year pooled.")] = None,
    lang: Annotated[str, typer.Option(help="Language of the summary: en or zh.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """COINr-style statistical audit: indicator statistics with COINr's flags, correlations
    with dimension and index, Cronbach's alpha and first-component share per dimension."""
    from nqpf.analysis import audit

    if lang not in ("en", "zh"):
        fail(f"--lang {lang}: use en or zh")
    result = _scores_for(preset, flavour)
    _year_in(year, result.years)
    a = audit(result, year)
    if as_json:
        typer.echo(json.dumps(a.to_dict() | {"text": a.to_text(lang)}, ensure_ascii=False,
                              indent=1))
        return
    cols = ["dimension", "n", "missing_share", "imputed_share", "mean", "sd", "min", "max",
            "skewness", "kurtosis", "outliers"]
    emit(a.indicators[cols].round(3), f"Indicators · {preset} · {flavour} · {a.scope}", False,
         index=True)
    emit(a.correlations.round(3), "Correlations with parent, dimension and index (Pearson r, "
         "Spearman rho)", False, index=True)
    emit(a.reliability.round(3), "Cronbach's alpha and first principal component share "
         "(first row: overall)", False, index=True)
    emit(a.between.round(3), "Correlations between dimensions and the index (Pearson)", False,
         index=True)
    console.print(a.to_text(lang), highlight=False, markup=False)


@app.command("explain")
def explain_cmd(
    province: Annotated[str, typer.Argument(help="Province, any name form: 江西, Jiangxi, 360000.")],
    year_from: Annotated[int, typer.Option("--from", help="The earlier year.")],
    year_to: Annotated[int, typer.Option("--to", help="The later year.")],
    preset: PresetOpt = "three-elements", flavour: FlavourOpt = "intensity",
    lang: Annotated[str, typer.Option(help="Language of the summary: en or zh.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """Why a province's score and rank changed between two years: each indicator's Shapley
    contribution (they sum to the score change) and the provinces it passed or fell behind."""
    from nqpf.analysis import explain
    from nqpf.regions import UnknownRegionError

    if lang not in ("en", "zh"):
        fail(f"--lang {lang}: use en or zh")
    result = _scores_for(preset, flavour)
    _year_in(year_from, result.years, "--from")
    _year_in(year_to, result.years, "--to")
    try:
        with err_console.status("Shapley contributions …"):
            e = explain(result, province, year_from, year_to)
    except (UnknownRegionError, KeyError, ValueError) as err:
        fail(_one_line(err))
    if as_json:
        typer.echo(json.dumps(e.to_dict() | {"text": e.to_text(lang)}, ensure_ascii=False,
                              indent=1))
        return
    table = e.contributions.fillna({"dimension": "–"})
    if e.method != "sampling":
        table = table.drop(columns="se")
    emit(table.round(4), f"{e.province} {year_from}→{year_to} · {preset} · {flavour} · Shapley "
         "contributions to the score change", False, index=True)
    console.print(e.to_text(lang), highlight=False, markup=False)


@app.command("extract")
def extract_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt .html .jsonl), directories, "
                                               "or - for stdin.")],
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) for "
                                                  "articles that do not carry one.")] = None,
    jobs: JobsOpt = 1,
    dask: DaskOpt = None,
    as_json: JsonOpt = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line "
                                        "(JSON Lines), each as soon as it is done.")] = False,
) -> None:
    """Repair, convert and extract documents, targets, statistics, regions, industries.

    Output streams: each article is written as soon as it is done (``--json`` writes one
    JSON array, item by item), so memory does not grow with the number of articles."""
    from rich.progress import Progress

    from nqpf.extract import InputError, count_inputs, read_inputs
    from nqpf.extract.batch import extract_many
    from nqpf.extract.inputs import check_date

    try:
        if published is not None:
            published = check_date(published, "--published")
        total = count_inputs(paths)
    except InputError as e:
        _close_array(sys.stdout, as_json and not jsonl, False)
        fail(str(e))
    articles = extract_many(read_inputs(paths), published=published, jobs=jobs, dask=dask)
    out = sys.stdout
    opened = False
    progress = Progress(console=err_console, transient=True, disable=total < 2)
    task = progress.add_task("extracting", total=total)
    try:
        with progress:
            for i, a in enumerate(articles):
                _write_article(a, i, out, as_json, jsonl)
                progress.advance(task)
                opened = True
    except (InputError, ImportError, OSError) as e:
        fail(str(e))
    finally:  # whatever stops the run, the array on stdout is closed
        _close_array(out, as_json and not jsonl, opened)


def _write_article(a, i: int, out, as_json: bool, jsonl: bool) -> None:
    """One article as a JSON line, an item of the streamed array, or tables."""
    if jsonl:
        out.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
    elif as_json:
        out.write(("[\n" if i == 0 else ",\n")
                  + json.dumps(a.to_dict(), ensure_ascii=False, indent=1))
    else:
        _print_article(a)
    out.flush()


def _close_array(out, as_json: bool, opened: bool) -> None:
    """End the streamed JSON array (``[]`` when nothing was written), so stdout is valid
    JSON even when an error stops the run: the error goes to stderr, the exit code is 2."""
    if as_json:
        out.write("\n]\n" if opened else "[]\n")
        out.flush()


def _print_article(a) -> None:
    from nqpf.extract.display import amount

    console.rule(f"{a.source or 'article'} · {a.script} → {a.converter} · "
                 f"{len(a.repairs)} repairs · sha256 {a.sha256[:12]}")
    if a.documents:
        emit(pd.DataFrame([{"id": d["id"], "title": d["title"], "short": "、".join(
            d["short_names"]), "issuer": d["issuer"], "date": d["date"],
            "number": d["number"]} for d in a.documents]), "Documents", False)
    rows = [{"kind": t.kind, "metric": t.metric,
             "quantity": amount(t.value, t.unit, t.comparator, t.upper, t.threshold,
                                t.currency, t.per_year),
             "deadline": t.deadline, "year": t.year, "region": t.region, "city": t.city,
             "document": t.document} for t in a.targets + a.statistics]
    if rows:
        emit(pd.DataFrame(rows), "Targets and statistics", False)
    for c in a.claims:
        console.print(f"claim: {c.region_name} ranks {c.rank} in {c.subject or '?'}"
                      + (f" ({c.scope})" if c.scope else "")
                      + (f", score {c.score}" if c.score is not None else "")
                      + (f", {c.rank_change:+d} places" if c.rank_change else ""))


eval_app = typer.Typer(help="Evaluate against gold annotations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("extract")
def eval_extract(directory: Path, gold: Path, as_json: JsonOpt = False) -> None:
    """Score target extraction on the articles in DIRECTORY against GOLD.jsonl."""
    from nqpf.extract.evaluate import evaluate

    try:
        scores = evaluate(directory, gold)
    except (FileNotFoundError, ValueError) as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(scores, ensure_ascii=False, indent=1))
        return
    summary = {k: scores[k] for k in ("articles", "true_positives", "false_positives",
                                       "false_negatives", "precision", "recall", "f1")}
    summary |= {f"accuracy_{k}": v for k, v in scores["field_accuracy"].items()}
    emit(pd.DataFrame([summary]).round(3), "Target extraction", False)
    for d in scores["details"]:
        for m in d["missed"]:
            console.print(f"[yellow]missed[/yellow] {d['file']}: {m}")
        for s in d["spurious"]:
            console.print(f"[yellow]spurious[/yellow] {d['file']}: {s}")


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, .jsonl, or -.")],
    db: DbOpt = None,
    published: Annotated[str | None, typer.Option(help="Publication date for articles "
                                                  "without one (YYYY-MM-DD).")] = None,
    jobs: JobsOpt = 1,
    dask: DaskOpt = None,
    batch: Annotated[int, typer.Option(min=1, help="Articles stored per transaction.")] = 256,
    server: Annotated[str | None, typer.Option(
        help="Send the articles to a running `nqpf serve` at this address (while it holds the "
             "store), e.g. http://127.0.0.1:8000.")] = None,
    token: Annotated[str | None, typer.Option(envvar="NQPF_ADMIN_TOKEN",
                                              help="The server's admin token (for --server).")]
    = None,
) -> None:
    """Extract articles and store them, a batch per transaction (a batch lands whole or not at
    all; re-ingesting the same text is a no-op). While `nqpf serve` holds the store, use
    --server: the server extracts and stores them."""
    from rich.progress import Progress

    from nqpf.extract import InputError, count_inputs, read_inputs
    from nqpf.extract.batch import extract_many
    from nqpf.extract.inputs import check_date

    try:
        if published is not None:
            published = check_date(published, "--published")
        total = count_inputs(paths)
    except InputError as e:
        fail(str(e))
    if server is not None:
        _ingest_remote(paths, server, token, published, total)
        return
    store = _store(db)
    added = skipped = 0
    pending: list = []

    def flush() -> None:
        nonlocal added, skipped
        ids = store.add_articles(pending)
        new = sum(i is not None for i in ids)
        added += new
        skipped += len(ids) - new
        pending.clear()

    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("ingesting", total=total)
        try:
            for article in extract_many(read_inputs(paths), published=published, jobs=jobs,
                                        dask=dask):
                pending.append(article)
                if len(pending) >= batch:
                    flush()
                progress.advance(task)
            flush()
        except InputError as e:
            flush()
            fail(f"{e} (stored {added} new article(s) before it)")
        except (ImportError, OSError) as e:
            fail(f"{e} (stored {added} new article(s) before it)")
    console.print(f"stored {added} new article(s), {skipped} already in {store.path}")


def _ingest_remote(paths: list[str], server: str, token: str | None, published: str | None,
                   total: int) -> None:
    from rich.progress import Progress

    from nqpf.extract import InputError, read_inputs
    from nqpf.remote import RemoteError, ingest_remote

    if not token:
        fail("--server needs the admin token: --token T or NQPF_ADMIN_TOKEN")
    items = ({"text": a.text, "url": a.source, "title": a.title,
              "published": a.published or published} for a in read_inputs(paths))
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task(f"sending to {server}", total=total)
        try:
            stored, skipped = ingest_remote(server, token, items,
                                            on_batch=lambda n: progress.advance(task, n))
        except (InputError, RemoteError) as e:
            fail(str(e))
    console.print(f"stored {stored} new article(s), {skipped} already, through {server}")


targets_app = typer.Typer(help="Targets and their progress.", invoke_without_command=True)
app.add_typer(targets_app, name="targets")


@targets_app.callback()
def targets_cmd(
    ctx: typer.Context,
    region: Annotated[str | None, typer.Option(help="Province (any name form).")] = None,
    due_before: Annotated[int | None, typer.Option(help="Deadline year at most.")] = None,
    due_within: Annotated[int | None, typer.Option(help="Due within N months.")] = None,
    industry: Annotated[str | None, typer.Option(help="Industry category or term.")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List targets with status (met / on track / at risk / missed / no data)."""
    if ctx.invoked_subcommand is not None:
        return
    from nqpf.regions import UnknownRegionError
    from nqpf.tracker import target_table

    try:
        table = target_table(_store(db), region=region, due_before=due_before,
                             due_within_months=due_within, industry=industry)
    except UnknownRegionError as e:
        fail(str(e))
    if as_json:
        emit(table, "", True)
        return
    from nqpf.extract.display import amount

    shown = table.astype(object).where(table.notna(), None)
    shown["target"] = [amount(r["value"], r["unit"] or "", r["comparator"] or "=", r["upper"],
                              r["threshold"], r["currency"], bool(r["per_year"]))
                       for r in shown.to_dict("records")]
    cols = ["id", "region_name", "metric", "target", "deadline", "status", "progress", "latest",
            "document"]
    emit(shown[cols], f"Targets ({len(table)})", False)


@targets_app.command("observe")
def targets_observe(
    target_id: int, value: float,
    date: Annotated[str, typer.Option(help="Date of the observation, YYYY-MM-DD.")],
    source: Annotated[str | None, typer.Option(help="Where the value comes from.")] = None,
    db: DbOpt = None,
) -> None:
    """Record progress on a target (VALUE in the target's base unit, e.g. 元 or 个)."""
    from nqpf.store import StoreError

    try:
        oid = _store(db).add_observation(target_id, value, date, source)
    except StoreError as e:
        fail(str(e))
    console.print(f"observation {oid} recorded for target {target_id}")


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    db: DbOpt = None,
    moderation: Annotated[bool, typer.Option(
        "--moderation/--no-moderation", help="Hold comments until an admin approves them "
                                             "(--no-moderation publishes them at once).")] = True,
    admin_token: Annotated[str | None, typer.Option(envvar="NQPF_ADMIN_TOKEN", help="The admin "
                                                    "token (default: a random one, printed).")]
    = None,
    trusted_proxy: Annotated[list[str] | None, typer.Option(
        "--trusted-proxy", help="A reverse proxy's address or network whose X-Forwarded-For "
                                "names the client (repeatable).")] = None,
    max_upload_mb: Annotated[float, typer.Option(min=0.01, max=1024, help="Largest article "
                                                 "upload (MB).")] = 2.0,
) -> None:
    """Run the dashboard (JSON API under /api, pages, comments); works with no network.
    Visitors read and comment; uploads and observations need the admin token (log in at
    /admin/login, or send Authorization: Bearer TOKEN)."""
    import secrets

    import uvicorn

    from nqpf.web import create_app

    token = admin_token or secrets.token_urlsafe(16)
    app_ = create_app(_store(db), moderation=moderation, admin_token=token,
                      max_upload_bytes=int(max_upload_mb * 1024 * 1024),
                      trusted_proxies=trusted_proxy or [])
    base = f"http://{host}:{port}"
    err_console.print(f"nqpf dashboard on {base}/ · admin: log in at {base}/admin/login with the "
                      "admin token (API: Authorization: Bearer TOKEN)"
                      + ("" if admin_token else f" · token {token}")
                      + (" · comments are held for moderation" if moderation else ""))
    uvicorn.run(app_, host=host, port=port, log_level="warning", proxy_headers=False)


@app.command("report")
def report_cmd(
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    preset: PresetOpt = "three-elements", flavour: FlavourOpt = "intensity",
    xlsx: Annotated[Path | None, typer.Option(help="Also write the tables to this workbook.")]
    = None,
    replications: Annotated[int, typer.Option(min=1, max=100_000,
                                              help="Replications for rank intervals.")] = 500,
    db: DbOpt = None,
) -> None:
    """One self-contained offline HTML report: ranking, rank intervals, tile map, regional
    disparity and the target tracker (--xlsx for the same tables in a workbook)."""
    from nqpf.index import FrameworkError
    from nqpf.report import write_report

    _writable(out, (".html", ".htm"), "--out")
    _writable(xlsx, (".xlsx",), "--xlsx")
    try:
        with err_console.status("building the report …"):
            path = write_report(out, preset, flavour, store=_store(db), xlsx=xlsx,
                                replications=replications)
    except (FrameworkError, ValueError) as e:
        fail(str(e))
    err_console.print(f"wrote {path}" + (f" and {xlsx}" if xlsx else ""))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Workbook to write.")] = Path("nqpf-demo.xlsx"),
    report: Annotated[Path, typer.Option(help="Report to write.")] = Path("nqpf-report.html"),
) -> None:
    """Run the main job on the embedded data: rankings under both flavours, a workbook for
    each (OUT and OUT-scale), and the offline report."""
    from nqpf.index import Recipe
    from nqpf.report import write_report

    cov = nqdata.coverage()
    console.print(f"[bold]nqpf[/bold] embedded panel: {len(cov)} indicators, "
                  f"{cov.columns.min()}–{cov.columns.max()}, dataset {nqdata.dataset_hash()[:12]}")
    results = {}
    for flavour in ("intensity", "scale"):
        result = results[flavour] = Recipe("three-elements", flavour=flavour).build()
        emit(result.ranking().head(10).round(4),
             f"三要素 (three-elements) · {flavour} · entropy · {result.years[-1]} · top 10", False,
             index=True)
    results["intensity"].to_excel(out)
    scale_out = out.with_name(f"{out.stem}-scale{out.suffix}")
    results["scale"].to_excel(scale_out)
    err_console.print(f"wrote {scale_out} (the scale flavour)")
    err_console.print(f"wrote {out} (ranking, scores, weights, obstacle degree, recipe)")
    write_report(report, replications=300)
    err_console.print(f"wrote {report} (ranking, rank intervals, tile map, disparity; open it in a "
                  "browser, no network needed)")


# ---------------------------------------------------------------------- errors, one line each
def _one_line(e: BaseException) -> str:
    """An exception's message on one line (a YAML error spans several)."""
    text = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
    return " ".join(text.split()) or type(e).__name__


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean the input or the options are wrong (exit 2), not a bug (exit 1)."""
    import yaml

    from nqpf.store import StoreError

    return (ValueError, KeyError, OSError, yaml.YAMLError, StoreError, RecursionError)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    err_console.print(f"[yellow]warning:[/yellow] {' '.join(str(message).split())}",
                      soft_wrap=True, highlight=False, markup=True)


def _guarded(fn):
    """Run a command with warnings as one line on stderr, input errors as one line on stderr
    and exit 2, and anything else (a bug) as one line and exit 1 (``NQPF_DEBUG=1`` shows the
    traceback)."""
    import functools
    import os
    import warnings

    import click

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            try:
                return fn(*args, **kwargs)
            except (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort,
                    click.ClickException):
                raise
            except _user_errors() as e:
                fail(_one_line(e))
            except Exception as e:
                if os.environ.get("NQPF_DEBUG"):
                    raise
                err_console.print(f"[red]internal error:[/red] {type(e).__name__}: "
                                  f"{_one_line(e)} (a bug: please report it; NQPF_DEBUG=1 shows "
                                  "where)", soft_wrap=True, highlight=False)
                raise typer.Exit(1) from None
    return run


for _typer_app in (app, data_app, analyse_app, eval_app, targets_app):
    for _command in _typer_app.registered_commands:
        _command.callback = _guarded(_command.callback)
    if _typer_app.registered_callback is not None:
        _typer_app.registered_callback.callback = _guarded(_typer_app.registered_callback.callback)


def _writable(path: Path | None, suffixes: tuple[str, ...], option: str) -> None:
    """Refuse an output path with another extension or in a folder that does not exist."""
    if path is None:
        return
    if path.suffix.lower() not in suffixes:
        fail(f"{option} {path}: the name must end in {' or '.join(suffixes)}")
    if not path.parent.exists():
        fail(f"{option} {path}: folder {path.parent} does not exist")
    if path.is_dir():
        fail(f"{option} {path}: is a folder")


def _year_in(year: int | None, years: list[int], option: str = "--year") -> None:
    if year is not None and year not in years:
        fail(f"{option} {year}: not in the data, which covers {years[0]}–{years[-1]}")


if __name__ == "__main__":
    app()
