"""The DuckDB store: schema, migrations, and the only code that writes to the database.

One file, by default ``nqpf.duckdb`` under the user's data directory (platformdirs);
``NQPF_DB`` or an explicit path overrides it. Articles are written in batches, each in one
transaction through DuckDB's columnar path, so a process killed mid-ingest leaves every batch
either whole or absent, and re-ingesting the same text (same sha256) is a no-op.

>>> import tempfile, pathlib
>>> s = Store(pathlib.Path(tempfile.mkdtemp()) / "t.duckdb")
>>> s.schema_version()
7
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from nqpf.extract.industries import sentence_industries
from nqpf.extract.metrics import canonical_metric

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "default_path"]

SCHEMA_VERSION = 7

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
    6: [  # the industries a target is about, stored once (the tracker filters on them in SQL)
        "ALTER TABLE targets ADD COLUMN industry_categories VARCHAR",
        "ALTER TABLE targets ADD COLUMN industry_terms VARCHAR",
        "CREATE INDEX targets_kind_deadline ON targets(kind, deadline)",
        "CREATE INDEX observations_target ON observations(target_id)",
    ],
    7: [  # the canonical metric of each quantity (extract/metrics.yaml): statistics that later
        # articles report become progress on targets of the same metric and region
        "ALTER TABLE targets ADD COLUMN metric_id VARCHAR",
    ],
}

#: Work a migration needs beyond SQL, by version: a method of :class:`Store` run inside the
#: migration's transaction.
BACKFILLS = {6: "_backfill_industries", 7: "_backfill_metric_ids"}


#: Arrow types of the columns whose values may all be None in a batch (else inferred).
_TEXT = {k: pa.string() for k in (
    "source", "published", "title", "script", "converter", "original", "repaired", "text",
    "kind", "replacement", "local_id", "short_names", "issuer", "number", "date", "region",
    "city", "industries", "unit", "comparator", "threshold_unit", "deadline_text", "metric",
    "quantity_text", "sentence", "currency", "role", "deadline_source", "mentions", "term",
    "category", "subject", "scope", "industry_categories", "industry_terms",
    "metric_id")} | {k: pa.float64() for k in (
    "value", "upper", "threshold", "score")} | {k: pa.int64() for k in (
    "article_id", "document_id", "start_pos", "end_pos", "orig_start", "orig_end", "deadline",
    "year", "rank", "rank_change")} | {"per_year": pa.bool_()}

#: Target columns read straight from the attribute of the same meaning.
_TARGET_FIELDS = {
    "kind": "kind", "value": "value", "unit": "unit", "comparator": "comparator",
    "upper": "upper", "threshold": "threshold", "threshold_unit": "threshold_unit",
    "deadline": "deadline", "deadline_text": "deadline_text", "metric": "metric",
    "quantity_text": "quantity_text", "sentence": "sentence", "start_pos": "start",
    "end_pos": "end", "region": "region", "city": "city", "year": "year",
    "currency": "currency", "per_year": "per_year", "role": "role",
    "deadline_source": "deadline_source"}


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
        if self.path.is_dir():
            raise StoreError(f"store {self.path}: is a folder; give a file name (--db FILE)")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as e:
            message = " ".join(str(e).split())
            held = re.search(r"Conflicting lock is held in .*?\(PID (\d+)\)", message)
            if held:
                raise StoreError(
                    f"store {self.path} is in use by another process (PID {held.group(1)}), "
                    "a running `nqpf serve`? Stop it, or ingest through it: nqpf ingest FILES "
                    "--server http://HOST:PORT --token ADMIN_TOKEN") from None
            raise StoreError(f"cannot open store {self.path}: {message}") from None
        self._lock = threading.RLock()  # one connection, used from web handler threads
        if not read_only:
            self.migrate()

    def close(self) -> None:
        self.con.close()

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchall()[0][0]
        if not exists:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchall()[0]
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
                    if version in BACKFILLS:
                        getattr(self, BACKFILLS[version])()
                    self.con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
                    self.con.execute("COMMIT")
                except Exception:
                    self.con.execute("ROLLBACK")
                    raise

    # ------------------------------------------------------------------ reads
    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with self._lock:
            return self.con.execute(sql, params or []).df()

    def query_with(self, tables: dict[str, pa.Table], queries: list[tuple[str, list]]
                   ) -> list[pd.DataFrame]:
        """Run ``queries`` with Arrow ``tables`` registered under their names (for joins
        with values worked out in Python), under one hold of the connection."""
        with self._lock:
            for name, table in tables.items():
                self.con.register(name, table)
            try:
                return [self.con.execute(sql, params).df() for sql, params in queries]
            finally:
                for name in tables:
                    self.con.unregister(name)

    def has_article(self, sha256: str) -> bool:
        with self._lock:
            return bool(self.con.execute("SELECT count(*) FROM articles WHERE sha256 = ?",
                                         [sha256]).fetchall()[0][0])

    # ------------------------------------------------------------------ writes
    def add_article(self, article) -> int | None:
        """Store one extracted article and everything found in it, in one transaction.
        Returns the new id, or ``None`` if the same text was stored before."""
        return self.add_articles([article])[0]

    def add_articles(self, articles: Sequence) -> list[int | None]:
        """Store a batch of extracted articles in one transaction, table by table through
        DuckDB's columnar path (Arrow tables, one ``INSERT … SELECT`` each): the batch lands
        whole or not at all. Returns each article's new id, ``None`` for a text stored before
        (same sha256, also within the batch).

        >>> import tempfile, pathlib
        >>> from nqpf.extract import extract_text
        >>> s = Store(pathlib.Path(tempfile.mkdtemp()) / "t.duckdb")
        >>> a = extract_text("到2025年，培育10个以上百亿元级产业集群。", published="2024-01-02")
        >>> s.add_articles([a, a])
        [1, None]
        >>> s.add_articles([a])
        [None]
        """
        if not articles:
            return []
        with self._lock:
            con = self.con
            shas = pa.table({"sha256": [a.sha256 for a in articles]})
            con.register("_batch_shas", shas)
            try:
                stored = {r[0] for r in con.execute(
                    "SELECT a.sha256 FROM articles a JOIN _batch_shas b USING (sha256)").fetchall()}
            finally:
                con.unregister("_batch_shas")
            new: list = []
            for a in articles:
                if a.sha256 not in stored:
                    stored.add(a.sha256)
                    new.append(a)
            if not new:
                return [None] * len(articles)
            con.execute("BEGIN TRANSACTION")
            try:
                ids = self._insert_batch(new)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return [ids.pop(a.sha256, None) for a in articles]  # a repeat in the batch gets None

    def _insert(self, table: str, columns: dict[str, list], types: dict[str, pa.DataType],
                returning: str = "") -> list[tuple]:
        """One ``INSERT … SELECT`` of a whole column set (an Arrow table) into ``table``."""
        if not next(iter(columns.values())):
            return []
        data = pa.table({k: pa.array(v, type=types.get(k)) for k, v in columns.items()})
        name = f"_batch_{table}"
        self.con.register(name, data)
        try:
            cols = ", ".join(columns)
            sql = f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}"
            if returning:
                return self.con.execute(f"{sql} RETURNING {returning}").fetchall()
            self.con.execute(sql)
            return []
        finally:
            self.con.unregister(name)

    def _insert_batch(self, articles: list) -> dict[str, int]:
        """Insert new articles and their rows (inside the caller's transaction); the ids by
        sha256."""
        now = _now()
        rows = self._insert("articles", {
            "sha256": [a.sha256 for a in articles], "source": [a.source for a in articles],
            "published": [a.published for a in articles], "title": [a.title for a in articles],
            "script": [a.script for a in articles], "converter": [a.converter for a in articles],
            "original": [a.original for a in articles], "repaired": [a.repaired for a in articles],
            "text": [a.text for a in articles], "ingested_at": [now] * len(articles)},
            _TEXT, returning="sha256, id")
        ids = {sha: int(i) for sha, i in rows}
        by_article = [(ids[a.sha256], a) for a in articles]
        repairs = [(aid, c) for aid, a in by_article for c in a.repairs]
        self._insert("repairs", {
            "article_id": [aid for aid, _ in repairs], "kind": [c.kind for _, c in repairs],
            "start_pos": [c.start for _, c in repairs], "end_pos": [c.end for _, c in repairs],
            "original": [c.original for _, c in repairs],
            "replacement": [c.replacement for _, c in repairs]}, _TEXT)
        docs = [(aid, d) for aid, a in by_article for d in a.documents]
        doc_rows = self._insert("documents", {
            "article_id": [aid for aid, _ in docs], "local_id": [d["id"] for _, d in docs],
            "title": [d["title"] for _, d in docs],
            "short_names": [json.dumps(d["short_names"], ensure_ascii=False) for _, d in docs],
            "issuer": [d["issuer"] for _, d in docs], "number": [d["number"] for _, d in docs],
            "date": [d["date"] for _, d in docs], "region": [d["region"] for _, d in docs],
            "city": [d["city"] for _, d in docs],
            "industries": [json.dumps(d["industries"], ensure_ascii=False) for _, d in docs],
            "start_pos": [d["mentions"][0][0] for _, d in docs],
            "end_pos": [d["mentions"][0][1] for _, d in docs]},
            _TEXT, returning="article_id, local_id, id")
        doc_ids = {(aid, local): int(i) for aid, local, i in doc_rows}
        qs = [(aid, t) for aid, a in by_article
              for t in [*a.targets, *a.statistics, *a.other_quantities]]
        doc_terms = {(aid, d["id"]): d["industries"] for aid, d in docs}
        about = [sentence_industries(t.sentence, doc_terms.get((aid, t.document)))
                 for aid, t in qs]
        self._insert("targets", {
            "article_id": [aid for aid, _ in qs],
            "document_id": [doc_ids.get((aid, t.document)) for aid, t in qs],
            **{col: [getattr(t, attr) for _, t in qs] for col, attr in _TARGET_FIELDS.items()},
            "orig_start": [t.original_span[0] if t.original_span else None for _, t in qs],
            "orig_end": [t.original_span[1] if t.original_span else None for _, t in qs],
            "mentions": [json.dumps(t.mentions) if t.mentions else None for _, t in qs],
            "industry_categories": [json.dumps(c, ensure_ascii=False) for c, _ in about],
            "industry_terms": [json.dumps(t, ensure_ascii=False) for _, t in about],
            "metric_id": [canonical_metric(t.metric, t.unit) for _, t in qs]},
            _TEXT)
        hits = [(aid, h) for aid, a in by_article for h in a.industries]
        self._insert("industries", {
            "article_id": [aid for aid, _ in hits], "term": [h.term for _, h in hits],
            "category": [h.category for _, h in hits], "kind": [h.kind for _, h in hits],
            "start_pos": [h.start for _, h in hits], "end_pos": [h.end for _, h in hits]}, _TEXT)
        claims = [(aid, c) for aid, a in by_article for c in a.claims]
        self._insert("claims", {
            "article_id": [aid for aid, _ in claims], "region": [c.region for _, c in claims],
            "rank": [c.rank for _, c in claims], "subject": [c.subject for _, c in claims],
            "scope": [c.scope for _, c in claims], "start_pos": [c.start for _, c in claims],
            "end_pos": [c.end for _, c in claims], "score": [c.score for _, c in claims],
            "rank_change": [c.rank_change for _, c in claims]}, _TEXT)
        return ids

    def _update_targets(self, ids: list[int], columns: dict[str, list]) -> None:
        """Set ``columns`` of the targets with ``ids`` (values in the same order) in one bulk
        ``UPDATE … FROM`` an Arrow table."""
        data = pa.table({"id": pa.array(ids, pa.int64()),
                         **{k: pa.array(v, pa.string()) for k, v in columns.items()}})
        self.con.register("_backfill", data)
        try:
            sets = ", ".join(f"{k} = b.{k}" for k in columns)
            self.con.execute(f"UPDATE targets SET {sets} FROM _backfill b WHERE targets.id = b.id")
        finally:
            self.con.unregister("_backfill")

    def _backfill_industries(self) -> None:
        """Fill the industry columns of targets stored before schema 6."""
        rows = self.con.execute(
            "SELECT t.id, t.sentence, d.industries FROM targets t LEFT JOIN documents d "
            "ON t.document_id = d.id").fetchall()
        about = [sentence_industries(sentence, json.loads(terms) if terms else None)
                 for _, sentence, terms in rows]
        if rows:
            self._update_targets([r[0] for r in rows], {
                "industry_categories": [json.dumps(c, ensure_ascii=False) for c, _ in about],
                "industry_terms": [json.dumps(t, ensure_ascii=False) for _, t in about]})

    def _backfill_metric_ids(self) -> None:
        """Fill the canonical metric of quantities stored before schema 7."""
        rows = self.con.execute("SELECT id, metric, unit FROM targets").fetchall()
        if rows:
            self._update_targets([r[0] for r in rows], {
                "metric_id": [canonical_metric(metric, unit) for _, metric, unit in rows]})

    def add_observation(self, target_id: int, value: float, date: str,
                        source: str | None = None) -> int:
        """Record progress on a target (value in the target's base unit)."""
        with self._lock:
            found = self.con.execute("SELECT count(*) FROM targets WHERE id = ? AND kind = 'target'",
                                     [target_id]).fetchall()[0][0]
            if not found:
                raise StoreError(f"no target with id {target_id}")
            try:
                datetime.strptime(date, "%Y-%m-%d")
            except ValueError:
                raise StoreError(f"date {date!r} is not YYYY-MM-DD") from None
            return int(self.con.execute(
                "INSERT INTO observations (target_id, value, date, source, created_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                [target_id, float(value), date, source, _now()]).fetchall()[0][0])

    def add_index_run(self, result) -> str:
        """Store an index result (recipe, dataset hash, tidy scores); returns its run id."""
        import hashlib

        recipe = result.recipe.to_json()
        run_id = hashlib.sha256((recipe + result.dataset_hash).encode()).hexdigest()[:16]
        with self._lock:
            exists = self.con.execute("SELECT count(*) FROM index_runs WHERE id = ?",
                                      [run_id]).fetchall()[0][0]
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
                [page, nickname, body, status, client, _now()]).fetchall()[0][0])

    def set_comment_status(self, comment_id: int, status: str) -> None:
        with self._lock:
            self.con.execute("UPDATE comments SET status = ? WHERE id = ?", [status, comment_id])
