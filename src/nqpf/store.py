"""The DuckDB store: schema, migrations, and the only code that writes to the database.

One file, by default ``nqpf.duckdb`` under the user's data directory (platformdirs);
``NQPF_DB`` or an explicit path overrides it. Every article is written in one transaction,
so a process killed mid-ingest leaves either the whole article or nothing, and re-ingesting
the same text (same sha256) is a no-op.

>>> import tempfile, pathlib
>>> s = Store(pathlib.Path(tempfile.mkdtemp()) / "t.duckdb")
>>> s.schema_version()
5
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "default_path"]

SCHEMA_VERSION = 5

#: Migrations, by the version they bring the schema to.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE SEQUENCE article_ids START 1",
        "CREATE SEQUENCE document_ids START 1",
        "CREATE SEQUENCE target_ids START 1",
        "CREATE SEQUENCE observation_ids START 1",
        "CREATE SEQUENCE comment_ids START 1",
        """CREATE TABLE articles (
            id BIGINT PRIMARY KEY DEFAULT nextval('article_ids'), sha256 VARCHAR UNIQUE NOT NULL,
            source VARCHAR, published VARCHAR, title VARCHAR, script VARCHAR, converter VARCHAR,
            original VARCHAR NOT NULL, text VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE repairs (article_id BIGINT NOT NULL REFERENCES articles(id), kind VARCHAR,
            start_pos INTEGER, end_pos INTEGER, original VARCHAR, replacement VARCHAR)""",
        """CREATE TABLE documents (
            id BIGINT PRIMARY KEY DEFAULT nextval('document_ids'),
            article_id BIGINT NOT NULL REFERENCES articles(id), local_id VARCHAR, title VARCHAR,
            short_names VARCHAR, issuer VARCHAR, number VARCHAR, date VARCHAR, region VARCHAR,
            city VARCHAR, industries VARCHAR, start_pos INTEGER, end_pos INTEGER)""",
        """CREATE TABLE targets (
            id BIGINT PRIMARY KEY DEFAULT nextval('target_ids'),
            article_id BIGINT NOT NULL REFERENCES articles(id), document_id BIGINT, kind VARCHAR,
            value DOUBLE, unit VARCHAR, comparator VARCHAR, upper DOUBLE, threshold DOUBLE,
            threshold_unit VARCHAR, deadline INTEGER, deadline_text VARCHAR, metric VARCHAR,
            quantity_text VARCHAR, sentence VARCHAR, start_pos INTEGER, end_pos INTEGER,
            orig_start INTEGER, orig_end INTEGER, region VARCHAR, city VARCHAR)""",
        """CREATE TABLE industries (article_id BIGINT NOT NULL REFERENCES articles(id),
            term VARCHAR, category VARCHAR, kind VARCHAR, start_pos INTEGER, end_pos INTEGER)""",
        """CREATE TABLE claims (article_id BIGINT NOT NULL REFERENCES articles(id), region VARCHAR,
            rank INTEGER, subject VARCHAR, scope VARCHAR, start_pos INTEGER, end_pos INTEGER)""",
        """CREATE TABLE observations (
            id BIGINT PRIMARY KEY DEFAULT nextval('observation_ids'),
            target_id BIGINT NOT NULL REFERENCES targets(id), value DOUBLE NOT NULL,
            date VARCHAR NOT NULL, source VARCHAR, created_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE index_runs (id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL,
            recipe VARCHAR NOT NULL, dataset_hash VARCHAR NOT NULL, results VARCHAR NOT NULL)""",
        """CREATE TABLE comments (
            id BIGINT PRIMARY KEY DEFAULT nextval('comment_ids'), page VARCHAR NOT NULL,
            nickname VARCHAR NOT NULL, body VARCHAR NOT NULL, status VARCHAR NOT NULL,
            client VARCHAR, created_at TIMESTAMP NOT NULL)""",
    ],
    2: [
        "CREATE VIEW statistics AS SELECT * FROM targets WHERE kind = 'statistic'",
        "CREATE INDEX targets_region ON targets(region)",
        "CREATE INDEX comments_page ON comments(page)",
    ],
    3: [
        "ALTER TABLE articles ADD COLUMN repaired VARCHAR",
    ],
    4: [
        "ALTER TABLE targets ADD COLUMN year INTEGER",
        "ALTER TABLE targets ADD COLUMN currency VARCHAR",
        "ALTER TABLE claims ADD COLUMN score DOUBLE",
        "ALTER TABLE claims ADD COLUMN rank_change INTEGER",
        "ALTER TABLE targets ADD COLUMN per_year BOOLEAN",
    ],
    5: [  # every quantity with its role; the scope that gave a target its year; restatements
        "ALTER TABLE targets ADD COLUMN role VARCHAR",
        "ALTER TABLE targets ADD COLUMN deadline_source VARCHAR",
        "ALTER TABLE targets ADD COLUMN mentions VARCHAR",
        "UPDATE targets SET role = kind",
    ],
}


class StoreError(RuntimeError):
    """A store that cannot be opened or written; says which file and why."""


def default_path() -> Path:
    env = os.environ.get("NQPF_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("nqpf")) / "nqpf.duckdb"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """A connection to one DuckDB file (created and migrated on first use)."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as e:
            raise StoreError(f"cannot open store {self.path}: {e}") from e
        self._lock = threading.RLock()  # one connection, used from web handler threads
        if not read_only:
            self.migrate()

    def close(self) -> None:
        self.con.close()

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        with self._lock:
            current = self.schema_version()
            if current > SCHEMA_VERSION:
                raise StoreError(f"{self.path} has schema {current}, newer than this nqpf "
                                 f"({SCHEMA_VERSION}); upgrade nqpf")
            if current == 0:
                self.con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                self.con.execute("BEGIN TRANSACTION")
                try:
                    for sql in MIGRATIONS[version]:
                        self.con.execute(sql)
                    self.con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
                    self.con.execute("COMMIT")
                except Exception:
                    self.con.execute("ROLLBACK")
                    raise

    # ------------------------------------------------------------------ reads
    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with self._lock:
            return self.con.execute(sql, params or []).df()

    def has_article(self, sha256: str) -> bool:
        with self._lock:
            return bool(self.con.execute("SELECT count(*) FROM articles WHERE sha256 = ?",
                                         [sha256]).fetchone()[0])

    # ------------------------------------------------------------------ writes
    def add_article(self, article) -> int | None:
        """Store an extracted article and everything found in it, in one transaction.
        Returns the new id, or ``None`` if the same text was stored before."""
        with self._lock:
            if self.has_article(article.sha256):
                return None
            con = self.con
            con.execute("BEGIN TRANSACTION")
            try:
                aid = con.execute(
                    "INSERT INTO articles (sha256, source, published, title, script, converter, "
                    "original, repaired, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "RETURNING id",
                    [article.sha256, article.source, article.published, article.title,
                     article.script, article.converter, article.original, article.repaired,
                     article.text, _now()],
                ).fetchone()[0]
                if article.repairs:
                    con.executemany("INSERT INTO repairs VALUES (?, ?, ?, ?, ?, ?)",
                                    [[aid, c.kind, c.start, c.end, c.original, c.replacement]
                                     for c in article.repairs])
                doc_ids: dict[str, int] = {}
                for d in article.documents:
                    doc_ids[d["id"]] = con.execute(
                        "INSERT INTO documents (article_id, local_id, title, short_names, issuer, "
                        "number, date, region, city, industries, start_pos, end_pos) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        [aid, d["id"], d["title"], json.dumps(d["short_names"], ensure_ascii=False),
                         d["issuer"], d["number"], d["date"], d["region"], d["city"],
                         json.dumps(d["industries"], ensure_ascii=False), d["mentions"][0][0],
                         d["mentions"][0][1]]).fetchone()[0]
                for t in [*article.targets, *article.statistics, *article.other_quantities]:
                    con.execute(
                        "INSERT INTO targets (article_id, document_id, kind, value, unit, "
                        "comparator, upper, threshold, threshold_unit, deadline, deadline_text, "
                        "metric, quantity_text, sentence, start_pos, end_pos, orig_start, orig_end, "
                        "region, city, year, currency, per_year, role, deadline_source, mentions) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?)",
                        [aid, doc_ids.get(t.document), t.kind, t.value, t.unit, t.comparator,
                         t.upper, t.threshold, t.threshold_unit, t.deadline, t.deadline_text,
                         t.metric, t.quantity_text, t.sentence, t.start, t.end,
                         t.original_span[0], t.original_span[1], t.region, t.city, t.year,
                         t.currency, t.per_year, t.role, t.deadline_source,
                         json.dumps(t.mentions) if t.mentions else None])
                if article.industries:
                    con.executemany("INSERT INTO industries VALUES (?, ?, ?, ?, ?, ?)",
                                    [[aid, h.term, h.category, h.kind, h.start, h.end]
                                     for h in article.industries])
                if article.claims:
                    con.executemany("INSERT INTO claims (article_id, region, rank, subject, scope, "
                                    "start_pos, end_pos, score, rank_change) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    [[aid, c.region, c.rank, c.subject, c.scope, c.start, c.end,
                                      c.score, c.rank_change] for c in article.claims])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            return int(aid)

    def add_observation(self, target_id: int, value: float, date: str,
                        source: str | None = None) -> int:
        """Record progress on a target (value in the target's base unit)."""
        with self._lock:
            found = self.con.execute("SELECT count(*) FROM targets WHERE id = ? AND kind = 'target'",
                                     [target_id]).fetchone()[0]
            if not found:
                raise StoreError(f"no target with id {target_id}")
            try:
                datetime.strptime(date, "%Y-%m-%d")
            except ValueError:
                raise StoreError(f"date {date!r} is not YYYY-MM-DD") from None
            return int(self.con.execute(
                "INSERT INTO observations (target_id, value, date, source, created_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                [target_id, float(value), date, source, _now()]).fetchone()[0])

    def add_index_run(self, result) -> str:
        """Store an index result (recipe, dataset hash, tidy scores); returns its run id."""
        import hashlib

        recipe = result.recipe.to_json()
        run_id = hashlib.sha256((recipe + result.dataset_hash).encode()).hexdigest()[:16]
        with self._lock:
            exists = self.con.execute("SELECT count(*) FROM index_runs WHERE id = ?",
                                      [run_id]).fetchone()[0]
            if not exists:
                self.con.execute("INSERT INTO index_runs VALUES (?, ?, ?, ?, ?)",
                                 [run_id, _now(), recipe, result.dataset_hash,
                                  result.to_frame().to_json(orient="records", force_ascii=False)])
        return run_id

    def add_comment(self, page: str, nickname: str, body: str, status: str,
                    client: str | None) -> int:
        with self._lock:
            return int(self.con.execute(
                "INSERT INTO comments (page, nickname, body, status, client, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [page, nickname, body, status, client, _now()]).fetchone()[0])

    def set_comment_status(self, comment_id: int, status: str) -> None:
        with self._lock:
            self.con.execute("UPDATE comments SET status = ? WHERE id = ?", [status, comment_id])
