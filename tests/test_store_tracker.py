"""The DuckDB store (schema, migrations, atomic articles, dedupe) and the target tracker."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from conftest import REPO
from nqpf.cli import app
from nqpf.extract import extract_article, extract_text
from nqpf.store import SCHEMA_VERSION, Store, StoreError
from nqpf.tracker import status_of, target_table


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "s.duckdb")


@pytest.fixture(scope="module")
def articles(samples_dir):
    files = [samples_dir / "seed_article.txt", *sorted((REPO / "dev" / "articles").glob("*.txt"))]
    return [extract_article(f) for f in files]


def test_schema_and_migrations(tmp_path):
    s = Store(tmp_path / "m.duckdb")
    assert s.schema_version() == SCHEMA_VERSION
    tables = set(s.query("SELECT table_name FROM information_schema.tables").table_name)
    assert {"articles", "repairs", "documents", "targets", "statistics", "industries", "claims",
            "observations", "index_runs", "comments"} <= tables
    s.close()
    # a store at version 1 is migrated forward on open
    import duckdb

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    from nqpf.store import MIGRATIONS

    for sql in MIGRATIONS[1]:
        con.execute(sql)
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.execute("INSERT INTO articles (id, sha256, original, text, ingested_at) "
                "VALUES (1, 'x', '', '', now())")
    con.execute("INSERT INTO targets (article_id, kind, value, sentence) "
                "VALUES (1, 'target', 500, '到2025年低空经济企业超过500家')")
    con.close()
    old = Store(tmp_path / "old.duckdb")
    assert old.schema_version() == SCHEMA_VERSION
    # schema 6 fills the industries of targets stored before it
    row = old.query("SELECT role, industry_categories, industry_terms FROM targets").iloc[0]
    assert row.tolist() == ["target", '["未来空间"]', '["低空经济"]']


def test_newer_schema_is_refused(tmp_path):
    s = Store(tmp_path / "n.duckdb")
    s.con.execute("INSERT INTO schema_version VALUES (99, now())")
    s.close()
    with pytest.raises(StoreError, match="newer than this nqpf"):
        Store(tmp_path / "n.duckdb")


def test_article_round_trip_and_dedupe(store, articles):
    seed = articles[0]
    aid = store.add_article(seed)
    assert aid is not None and store.add_article(seed) is None
    docs = store.query("SELECT * FROM documents WHERE article_id = ?", [aid])
    assert len(docs) == 4 and "上海科创金融联盟" in set(docs.issuer)
    t = store.query("SELECT * FROM targets WHERE article_id = ? AND kind = 'target'", [aid])
    assert sorted(t.deadline.tolist()) == [2025, 2027, 2035]
    assert len(store.query("SELECT * FROM repairs WHERE article_id = ?", [aid])) == len(seed.repairs)
    assert store.query("SELECT count(*) AS n FROM claims").n[0] == 1


def test_failed_article_leaves_nothing(store, samples_dir):
    seed = extract_article(samples_dir / "seed_article.txt")  # a copy of its own to break
    other = extract_text("到2025年，培育10个以上百亿元级产业集群。", published="2024-01-02")
    assert store.add_article(other) == 1
    seed.targets[0].value = "ten"  # fails after the articles row is in, mid-transaction
    with pytest.raises(Exception, match=r"float|double|ten"):
        store.add_articles([other, seed])
    assert store.query("SELECT count(*) AS n FROM articles").n[0] == 1  # the earlier batch
    assert store.query("SELECT count(*) AS n FROM documents").n[0] == 0
    assert store.query("SELECT count(*) AS n FROM targets").n[0] == 1


def test_sigkill_mid_ingest_then_resume(tmp_path, samples_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    base = [samples_dir / "seed_article.txt", *sorted((REPO / "dev" / "articles").glob("*.txt"))]
    texts = [p.read_text(encoding="utf-8") for p in base]
    n = 400
    for i in range(n):  # distinct texts: each is its own article
        (corpus / f"a{i:04d}.txt").write_text(texts[i % len(texts)] + f"\n编号{i}。\n",
                                              encoding="utf-8")
    db = tmp_path / "k.duckdb"
    cmd = [sys.executable, "-m", "nqpf.cli", "ingest", str(corpus), "--db", str(db),
           "--batch", "10"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = db.with_name(db.name + ".wal")
    deadline = time.time() + 120
    while time.time() < deadline and not (wal.exists() and wal.stat().st_size > 200_000):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    s = Store(db)
    stored = s.query("SELECT id, sha256 FROM articles")
    assert 0 < len(stored) < n, "the kill should land mid-run"
    assert len(stored) % 10 == 0  # whole batches only
    # every stored article is complete: its targets and documents are there
    per = s.query("SELECT a.id, count(t.id) AS targets FROM articles a LEFT JOIN targets t "
                  "ON t.article_id = a.id GROUP BY a.id")
    assert (per.targets > 0).mean() > 0.5
    orphans = s.query("SELECT count(*) AS n FROM targets WHERE article_id NOT IN "
                      "(SELECT id FROM articles)").n[0]
    assert orphans == 0
    s.close()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    s = Store(db)
    assert s.query("SELECT count(*) AS n FROM articles").n[0] == n
    assert s.query("SELECT count(DISTINCT sha256) AS n FROM articles").n[0] == n


def test_status_rules():
    def status(*args):
        return status_of(*args)[0]

    assert status(">=", 100, 2025, [], "2024-01-01") == "no data"
    assert status_of(">=", None, 2035, [("2024-12-31", 3)], "2024-01-01")[0] == "no data"
    assert status_of(">=", 100, 2025, [("2023-12-31", 40), ("2024-12-31", 120)], "2025-01-01")[0] == "met"
    assert status_of(">=", 100, 2025, [("2023-12-31", 40), ("2024-12-31", 50)], "2025-01-01")[0] == "at risk"
    assert status_of(">=", 100, 2025, [("2023-12-31", 40), ("2024-12-31", 80)], "2025-01-01")[0] == "on track"
    assert status_of(">=", 100, 2024, [("2023-12-31", 40), ("2024-12-31", 80)], "2025-03-01")[0] == "missed"
    # a cost target runs the other way
    assert status("<=", 0.5, 2025, [("2023-12-31", 0.9), ("2024-12-31", 0.6)], "2025-01-01") == "on track"
    assert status("<=", 0.5, 2025, [("2023-12-31", 0.9), ("2024-12-31", 0.45)], "2025-01-01") == "met"


def test_target_table_filters_and_observations(store, articles):
    for a in articles:
        store.add_article(a)
    table = target_table(store, as_of="2024-06-01")
    assert len(table) == 23  # the gold targets of dev/
    # Henan's R&D intensity (2.1 % in 2024) is linked to the panel, which has 2.05 % for 2023;
    # Jiangsu's 6万家 high-tech firms has its baseline from the same article (5.3万家, 2023)
    linked = table[table.status != "no data"]
    assert list(zip(linked.region, linked.panel_indicator, linked.status, strict=True)) == [
        ("410000", "rd_intensity", "on track"), ("320000", None, "on track")]
    assert linked.latest.tolist() == [2.05, 53000.0]
    assert linked.reported_in.iloc[1] == [int(linked.article_id.iloc[1])]
    shaanxi = target_table(store, region="陝西", as_of="2024-06-01")
    assert sorted(shaanxi.deadline) == [2025, 2035]
    assert set(target_table(store, due_before=2025, as_of="2024-06-01").deadline) <= {2024, 2025}
    soon = target_table(store, due_within_months=9, as_of="2024-06-01")
    assert set(soon.deadline) == {2024}
    tid = int(shaanxi[shaanxi.deadline == 2025].id.iloc[0])
    store.add_observation(tid, 4, "2024-03-31", "news")
    store.add_observation(tid, 8, "2024-12-31", "news")
    row = target_table(store, region="610000", as_of="2025-01-10").set_index("id").loc[tid]
    # the line from 4 (March 2024) to 10 (end of 2025) stands at 6.6 at the end of 2024
    assert row.status == "on track" and row.latest == 8 and row.observations == 2
    with pytest.raises(StoreError, match="not YYYY-MM-DD"):
        store.add_observation(tid, 1, "2024/01/01")


def test_panel_linked_target(store):
    a = extract_article("2024年1月5日，北京市印发《北京市科技创新行动方案》。"
                        "方案提出，到2025年，全市研发经费投入强度保持在6%以上。")
    store.add_article(a)
    row = target_table(store, as_of="2024-06-01").iloc[0]
    assert row.panel_indicator == "rd_intensity" and row.status == "met" and row.latest > 6


def test_cli_ingest_targets_observe(tmp_path, samples_dir):
    runner = CliRunner()
    db = str(tmp_path / "c.duckdb")
    r = runner.invoke(app, ["ingest", str(samples_dir / "seed_article.txt"), "--db", db])
    assert r.exit_code == 0 and "stored 1 new" in r.stdout
    r = runner.invoke(app, ["ingest", str(samples_dir / "seed_article.txt"), "--db", db])
    assert "stored 0 new article(s), 1 already" in r.stdout
    r = runner.invoke(app, ["targets", "--region", "上海", "--json", "--db", db])
    rows = __import__("json").loads(r.stdout)
    assert len(rows) == 1 and rows[0]["value"] == 2e12 and rows[0]["deadline"] == 2027
    r = runner.invoke(app, ["targets", "observe", str(rows[0]["id"]), "8e11", "--date",
                            "2025-04-15", "--source", "联盟年报", "--db", db])
    assert r.exit_code == 0
    r = runner.invoke(app, ["targets", "observe", "999", "1", "--date", "2025-01-01", "--db", db])
    assert r.exit_code == 2 and "no target with id 999" in r.stderr and r.stdout == ""
    r = runner.invoke(app, ["targets", "--region", "火星", "--db", db])
    assert r.exit_code == 2 and "unknown province" in r.stderr and r.stdout == ""


def test_repaired_text_is_stored(store, samples_dir):
    aid = store.add_article(extract_article(samples_dir / "seed_article.txt"))
    row = store.query("SELECT original, repaired, text FROM articles WHERE id = ?", [aid]).iloc[0]
    assert "?!渡钲" in row.original and "《深圳實施方案》提出" in row.repaired
    assert "《深圳实施方案》提出" in row.text


def test_index_run_saved_once(store):
    from nqpf.index import Recipe

    result = Recipe("innovation").build()
    run = store.add_index_run(result)
    assert store.add_index_run(result) == run
    saved = store.query("SELECT * FROM index_runs")
    assert len(saved) == 1 and saved.dataset_hash[0] == result.dataset_hash
    assert '"framework": "innovation"' in saved.recipe[0]


def test_targets_by_industry(store, articles):
    for a in articles:
        store.add_article(a)
    low_altitude = target_table(store, industry="低空经济", as_of="2024-06-01")
    assert sorted(low_altitude.metric) == ["低空经济产业规模", "低空经济企业"]
    assert all("未来空间" in c for c in low_altitude.industries)
    future_space = target_table(store, industry="未来空间", as_of="2024-06-01")
    assert len(future_space) == 2


def test_statistic_year_currency_and_claim_score_are_stored(store):
    a = extract_article("2023年湖北技术合同成交额达4860.8亿元。湖南省新质生产力发展指数以0.41的得分"
                        "居全国第11位，较上年提升2位。", published="2024-05-10")
    store.add_article(a)
    stat = store.query("SELECT value, year, currency, per_year FROM statistics")
    assert stat.to_dict("records") == [{"value": 4.8608e11, "year": 2023, "currency": "CNY",
                                        "per_year": False}]
    claim = store.query("SELECT region, rank, score, rank_change FROM claims")
    assert claim.to_dict("records") == [{"region": "430000", "rank": 11, "score": 0.41, "rank_change": 2}]


def test_every_quantity_is_stored_with_its_role_and_scope(store):
    from nqpf.extract import extract_text

    a = extract_text("投资将超7万亿元\n推进“十五五”规划109项重大工程。今年这些方面的投资将超过7万亿元。",
                     published="2026-03-06")
    store.add_article(a)
    rows = store.query("SELECT value, role, deadline, deadline_source, mentions FROM targets "
                       "ORDER BY start_pos")
    got = [(r.value, r.role) for r in rows.itertuples()]
    assert got == [(109.0, "plan_item"), (7e12, "target")]
    target = rows[rows.role == "target"].iloc[0]
    assert (target.deadline, target.deadline_source) == (2026, "clause")
    assert rows[rows.role == "target"].mentions.iloc[0] is not None  # the headline restates it


def test_ingest_thousands_of_generated_articles_counts_and_idempotency(tmp_path):
    """3,000 generated articles (one JSON Lines file) in batches: every article, target and
    document is stored once; ingesting again adds nothing."""
    provinces = ["江苏", "浙江", "广东", "四川", "湖北", "河南", "山东", "安徽", "福建", "陕西"]
    lines = []
    for i in range(3000):
        p, year, n = provinces[i % 10], 2025 + i % 3, 10 + i
        text = (f"{p}省印发《关于加快发展新质生产力的实施意见》。意见提出，到{year}年，"
                f"培育{n}个以上产业创新集群，高新技术企业达到{n * 100}家。第{i}号。")
        lines.append(json.dumps({"text": text, "published": "2024-05-06"}, ensure_ascii=False))
    src = tmp_path / "crawl.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "g.duckdb"
    r = CliRunner().invoke(app, ["ingest", str(src), "--db", str(db), "--batch", "500"])
    assert r.exit_code == 0, r.output
    assert "stored 3000 new article(s), 0 already" in r.stdout
    s = Store(db)
    counts = s.query("SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM "
                     "documents) AS d, (SELECT count(*) FROM targets WHERE kind = 'target') AS t"
                     ).iloc[0].tolist()
    assert counts == [3000, 3000, 6000]
    sample = s.query("SELECT a.id, t.value, t.deadline, t.region FROM targets t JOIN articles a "
                     "ON a.id = t.article_id WHERE a.text LIKE '%第1234号%' ORDER BY t.value")
    assert sample[["value", "deadline", "region"]].values.tolist() == [
        [1244.0, 2026, "420000"], [124400.0, 2026, "420000"]]
    s.close()
    again = CliRunner().invoke(app, ["ingest", str(src), "--db", str(db)])
    assert again.exit_code == 0 and "stored 0 new article(s), 3000 already" in again.stdout
    s = Store(db)
    assert s.query("SELECT count(*) AS n FROM targets").n[0] == counts[2] + s.query(
        "SELECT count(*) AS n FROM targets WHERE kind <> 'target'").n[0]
    assert s.query("SELECT count(*) AS n FROM articles").n[0] == 3000


def test_a_later_article_reports_progress_on_a_target(store):
    plan = extract_text("2024年3月，湖北省印发《湖北省科技强省建设方案》。方案提出，到2025年，全省"
                        "高新技术企业数量超过3万家，技术合同成交额突破5000亿元。",
                        published="2024-03-10")
    news = extract_text("湖北日报讯 2024年，湖北省高新技术企业达2.7万家，技术合同成交额达4860.8亿元。"
                        "武汉市高新技术企业达1.5万家。", published="2025-01-20")
    other = extract_text("2024年，湖南省高新技术企业达1.6万家。", published="2025-01-21")
    plan_id, news_id, _ = store.add_articles([plan, news, other])
    table = target_table(store, region="湖北", as_of="2025-02-01").set_index("metric_id")
    firms = table.loc["high_tech_enterprises"]
    assert firms.article_id == plan_id and firms.reported_in == [news_id]
    # no baseline before it: one observation, 2.7万 of 3万 by the end of 2025
    assert (firms.observations, firms.latest, firms.status) == (1, 27000.0, "on track")
    turnover = table.loc["tech_contract_turnover"]
    assert turnover.latest == 4860.8e8 and turnover.reported_in == [news_id]
    # the city's figure (武汉) and another province's (湖南) are not the province's progress
    assert store.query("SELECT count(*) AS n FROM targets WHERE kind = 'statistic' AND "
                       "metric_id = 'high_tech_enterprises'").n[0] == 3
