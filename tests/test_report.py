import pandas as pd
from typer.testing import CliRunner

from nqpf.cli import app
from nqpf.extract import extract_article
from nqpf.report import write_report
from nqpf.store import Store


def test_report_is_self_contained_with_all_sections(tmp_path, samples_dir):
    store = Store(tmp_path / "r.duckdb")
    store.add_article(extract_article(samples_dir / "seed_article.txt"))
    out = write_report(tmp_path / "r.html", preset="innovation", store=store,
                       xlsx=tmp_path / "r.xlsx", replications=100)
    text = out.read_text(encoding="utf-8")
    assert "<script src=" not in text and "<link" not in text  # nothing to fetch
    assert text.count("plotly.js v") <= 2 and len(text) > 1_000_000  # plotly.js inlined once
    for section in ("Tile map", "Ranking and rank intervals", "Regional disparity",
                    "Target tracker", "百亿元级产业创新集群", "北京", "What moved the ranks",
                    "Statistical audit", "Cronbach", "they sum to the score change"):
        assert section in text
    book = pd.read_excel(tmp_path / "r.xlsx", sheet_name=None)
    assert {"ranking", "disparity", "gini_within", "targets", "tile_grid", "audit"} <= set(book)
    assert book["ranking"].iloc[0]["province"] == "北京" and len(book["targets"]) == 3
    assert book["targets"]["value"].max() == 2e12  # the workbook keeps base units
    assert "<td>2万亿元</td>" in text and "<td>一批（每个≥1000亿元）</td>" in text


def test_cli_report(tmp_path):
    out = tmp_path / "cli.html"
    r = CliRunner().invoke(app, ["report", "--out", str(out), "--preset", "innovation",
                                 "--replications", "50", "--db", str(tmp_path / "e.duckdb")])
    assert r.exit_code == 0, r.stdout
    assert "No targets in the store" in out.read_text(encoding="utf-8")
