import json

from typer.testing import CliRunner

from nqpf.cli import app

runner = CliRunner()


def run(*args):
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.stdout
    return r.stdout


def test_robust_json_and_html(tmp_path):
    out = json.loads(run("robust", "--preset", "innovation", "--replications", "300", "--json"))
    assert out["replications"] == 300
    assert {"weights", "aggregation", "drop", "noise"} <= set(out["factors"])
    first = out["rank_intervals"][0]
    assert first["province"] == "北京" and first["nominal"] == 1
    impact = {row["indicator"]: row for row in out["drop_impact"]}
    assert set(impact) == {"rd_intensity", "fiscal_st_share", "basic_research_share",
                           "invention_patents_per_gdp", "patents_per_gdp", "tech_market_gdp",
                           "hitech_revenue_gdp", "enterprise_rd_share"}
    assert all(r["mean_abs_rank_change"] > 0 for r in impact.values())
    html = tmp_path / "robust.html"
    run("robust", "--preset", "innovation", "--method", "sobol", "--replications", "500",
        "--html", str(html))
    text = html.read_text(encoding="utf-8")
    assert "plotly" in text.lower() and "Sobol" in text
    assert "<script src=\"http" not in text  # plotly.js is embedded: works offline
    assert len(text) > 1_000_000


def test_robust_alternatives_file(tmp_path):
    spec = tmp_path / "alt.yaml"
    spec.write_text("weights:\n  - {method: entropy}\n  - {method: critic}\n", encoding="utf-8")
    out = json.loads(run("robust", "--preset", "innovation", "--alternatives", str(spec),
                         "--replications", "50", "--json"))
    assert out["factors"] == ["weights"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("weighting: []\n", encoding="utf-8")
    r = runner.invoke(app, ["robust", "--alternatives", str(bad)])
    assert r.exit_code == 2 and "unknown alternative" in r.stderr and r.stdout == ""


def test_analyse_convergence_spatial_markov_coupling(tmp_path):
    conv = json.loads(run("analyse", "convergence", "--json"))
    assert conv["beta_absolute"]["estimate"] < 0 and len(conv["sigma"]) == 8
    sp = json.loads(run("analyse", "spatial", "--permutations", "99", "--json"))
    assert len(sp["moran"]) == 8 and len(sp["lisa"]) == 31
    assert all(row["I"] > 0 for row in sp["moran"])
    mk = json.loads(run("analyse", "markov", "--json"))
    assert len(mk["P"]) == 4 and abs(sum(mk["steady_state"]) - 1) < 1e-9
    cc = json.loads(run("analyse", "coupling", "--json"))
    assert cc[0]["province"] == "北京" and cc[0]["grade"] == "优质协调"
    html = tmp_path / "lisa.html"
    run("analyse", "spatial", "--permutations", "99", "--html", str(html))
    assert "LISA clusters" in html.read_text(encoding="utf-8")
