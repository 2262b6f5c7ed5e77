"""Ingesting while the dashboard runs: `nqpf serve` holds the store (DuckDB lets one process
write a file), so `nqpf ingest --server URL` sends the articles to it; a plain ingest says so."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from typer.testing import CliRunner

from conftest import REPO
from nqpf.cli import app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ingest_through_a_running_server(tmp_path):
    db, port = tmp_path / "live.duckdb", _free_port()
    env = {**os.environ, "NQPF_ADMIN_TOKEN": "s3cret"}
    server = subprocess.Popen([sys.executable, "-m", "nqpf.cli", "serve", "--db", str(db),
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/regions", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        runner = CliRunner()
        held = runner.invoke(app, ["ingest", str(REPO / "dev" / "articles"), "--db", str(db)])
        assert held.exit_code == 2 and "--server" in held.stderr
        wrong = runner.invoke(app, ["ingest", str(REPO / "dev" / "articles"), "--server", base,
                                    "--token", "nope"])
        assert wrong.exit_code == 2 and "401" in wrong.stderr
        r = runner.invoke(app, ["ingest", str(REPO / "dev" / "articles"), "--server", base,
                                "--token", "s3cret"])
        assert r.exit_code == 0, r.stderr
        assert "stored 12 new article(s), 0 already" in r.stdout
        again = runner.invoke(app, ["ingest", str(REPO / "dev" / "articles"), "--server", base],
                              env={"NQPF_ADMIN_TOKEN": "s3cret"})
        assert "stored 0 new article(s), 12 already" in again.stdout
        with urllib.request.urlopen(base + "/api/articles?limit=1", timeout=10) as resp:
            assert json.loads(resp.read())["total"] == 12
    finally:
        server.terminate()
        server.wait(timeout=30)
