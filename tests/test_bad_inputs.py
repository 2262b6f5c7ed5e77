"""Bad input to the command line, as a table: every case is a clear one-line error on stderr
(exit 2) naming the file, line, option or value at fault, or a documented warning; never a
traceback, never a silently wrong result, and stdout holds only results (valid JSON with
``--json``). Add a row for every new class of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nqpf.cli import app

GBK_ARTICLE = "到2025年，培育10个以上产业集群。".encode("gbk")
OK_LINE = json.dumps({"text": "到2025年，培育10个以上产业集群。"}, ensure_ascii=False)

#: name → bytes of the files a case may name as {name}
FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b" \n\t\n",
    "cut.txt": "到2025年，培育10个产业集群。".encode()[:-2],
    "binary.txt": bytes(range(256)) * 8,
    "gbk.txt": GBK_ARTICLE,
    "bad.jsonl": b'{"text": "ok"}\n{not json}\n',
    "list.jsonl": b"[1, 2]\n",
    "notext.jsonl": b'{"body": "x"}\n',
    "nulltext.jsonl": b'{"text": null}\n',
    "numtext.jsonl": b'{"text": 5}\n',
    "nullhtml.jsonl": b'{"html": null}\n',
    "numurl.jsonl": b'{"text": "x", "url": 3}\n',
    "baddate.jsonl": b'{"text": "x", "published": "2024-13-45"}\n',
    "worddate.jsonl": b'{"text": "x", "published": "soon"}\n',
    "olddate.jsonl": b'{"text": "x", "published": "1800-01-01"}\n',
    "emptytext.jsonl": b'{"text": ""}\n',
    "gbk.jsonl": ('{"text": "到2025年"}\n'.encode("gbk")),
    "deep.jsonl": b"[" * 100_000 + b"\n",
    "script.html": b"<html><head><script>var x = '\xe5\x88\xb02025\xe5\xb9\xb4\xe6\x8a\x95\xe8\xb5"
                   b"\x84100\xe4\xba\xbf\xe5\x85\x83';</script></head><body></body></html>",
    "empty.html": b"<html><body></body></html>",
    "bad.yaml": b"name: [unclosed\n",
    "list.yaml": b"- 1\n- 2\n",
    "empty.yaml": b"",
    "latin1.yaml": "name: caf\xe9\n".encode("latin-1"),
    "cyclic.yaml": b"a: &x [*x]\n",
    "unknown.yaml": b"framework: innovation\nbogus_key: 1\n",
    "alt_unknown.yaml": b"bogus: [1]\n",
    "alt_list.yaml": b"- minmax\n",
    "alt_badweights.yaml": b"weights: 5\n",
    "alt_noise.yaml": b"weight_noise: -0.2\n",
    "alt_choice.yaml": b"weights: [entropy]\n",
    "gold_bad.jsonl": b"{not json}\n",
    "notadb.duckdb": b"this is not a database",
}


def _case(args: list[str], err: str, *, code: int = 2, stdin: str | None = None,
          json_out: object = None) -> tuple:
    return args, err, code, stdin, json_out


CASES = {
    # ---- extraction inputs
    "extract missing file": _case(["extract", "{tmp}/nope.txt"], "nope.txt: no such file"),
    "extract empty file": _case(["extract", "{empty.txt}", "--json"], "empty.txt: no text, skipped",
                                code=0, json_out=[]),
    "extract blank file": _case(["extract", "{blank.txt}", "--jsonl"], "blank.txt: no text", code=0),
    "extract empty stdin": _case(["extract", "-", "--json"], "stdin: no text", code=0, stdin="",
                                 json_out=[]),
    "extract cut utf-8": _case(["extract", "{cut.txt}", "--jsonl"], "cut inside its last character",
                               code=0),
    "extract binary": _case(["extract", "{binary.txt}"], "binary.txt"),
    "extract bad jsonl": _case(["extract", "{bad.jsonl}", "--json"], "bad.jsonl, line 2: not JSON"),
    "extract jsonl list": _case(["extract", "{list.jsonl}"], "line 1: an object with"),
    "extract jsonl no text": _case(["extract", "{notext.jsonl}"], "line 1: an object with"),
    "extract jsonl null text": _case(["extract", "{nulltext.jsonl}"], 'line 1: "text" is null'),
    "extract jsonl number text": _case(["extract", "{numtext.jsonl}"], '"text" must be a string'),
    "extract jsonl null html": _case(["extract", "{nullhtml.jsonl}"], '"html" is null'),
    "extract jsonl number url": _case(["extract", "{numurl.jsonl}"], '"url" must be a string'),
    "extract jsonl bad date": _case(["extract", "{baddate.jsonl}"], "'2024-13-45' is not a date"),
    "extract jsonl word date": _case(["extract", "{worddate.jsonl}"], "'soon' is not a date"),
    "extract jsonl old date": _case(["extract", "{olddate.jsonl}"], "not a plausible"),
    "extract jsonl empty text": _case(["extract", "{emptytext.jsonl}", "--json"], "line 1: no text",
                                      code=0, json_out=[]),
    "extract jsonl gbk": _case(["extract", "{gbk.jsonl}"], "line 1: not UTF-8"),
    "extract jsonl deep": _case(["extract", "{deep.jsonl}"], "line 1: not JSON"),
    "extract published month 13": _case(["extract", "{gbk.txt}", "--published", "2024-13-45"],
                                        "--published: '2024-13-45' is not a date"),
    "extract published words": _case(["extract", "{gbk.txt}", "--published", "yesterday"],
                                     "--published: 'yesterday'"),
    "extract published slashes": _case(["extract", "{gbk.txt}", "--published", "2024/01/05"],
                                       "--published: '2024/01/05'"),
    "extract jobs negative": _case(["extract", "{gbk.txt}", "--jobs", "-1"], "--jobs"),
    "extract empty dir": _case(["extract", "{tmp}/emptydir", "--json"], "no .txt, .html or .jsonl",
                               code=0, json_out=[]),
    "extract script-only page": _case(["extract", "{script.html}", "--json"], "script.html: no text",
                                      code=0, json_out=[]),
    "extract empty page": _case(["extract", "{empty.html}", "--json"], "empty.html: no text", code=0,
                                json_out=[]),
    "ingest missing file": _case(["ingest", "{tmp}/nope.txt", "--db", "{tmp}/s.duckdb"], "nope.txt"),
    "ingest bad jsonl": _case(["ingest", "{bad.jsonl}", "--db", "{tmp}/s.duckdb"],
                              "bad.jsonl, line 2: not JSON"),
    "ingest published": _case(["ingest", "{gbk.txt}", "--db", "{tmp}/s.duckdb", "--published",
                               "2024-02-30"], "'2024-02-30' is not a date"),
    "ingest batch zero": _case(["ingest", "{gbk.txt}", "--db", "{tmp}/s.duckdb", "--batch", "0"],
                               "--batch"),
    "ingest db is a folder": _case(["ingest", "{gbk.txt}", "--db", "{tmp}"], "store"),
    "ingest db not duckdb": _case(["ingest", "{gbk.txt}", "--db", "{notadb.duckdb}"], "notadb.duckdb"),
    "ingest server no token": _case(["ingest", "{gbk.txt}", "--server", "http://127.0.0.1:9"],
                                    "--server needs the admin token"),
    "ingest server unreachable": _case(["ingest", "{gbk.txt}", "--server", "http://127.0.0.1:9",
                                        "--token", "t"], "cannot reach the server"),
    "ingest empty file": _case(["ingest", "{empty.txt}", "--db", "{tmp}/s.duckdb"],
                               "empty.txt: no text, skipped", code=0),
    "eval missing dir": _case(["eval", "extract", "{tmp}/nodir", "{gold_bad.jsonl}"], "nodir"),
    "eval bad gold": _case(["eval", "extract", "{tmp}/emptydir", "{gold_bad.jsonl}"], "gold_bad.jsonl"),
    # ---- index
    "index preset": _case(["index", "--preset", "bogus"], "bogus"),
    "index flavour": _case(["index", "--flavour", "bogus"], "bogus"),
    "index weights": _case(["index", "--weights", "bogus"], "bogus"),
    "index aggregation": _case(["index", "--aggregation", "bogus"], "bogus"),
    "index normalisation": _case(["index", "--normalisation", "bogus"], "bogus"),
    "index year before": _case(["index", "--year", "1990"], "--year 1990: not in the data"),
    "index year after": _case(["index", "--year", "2300", "--json"], "--year 2300"),
    "index year text": _case(["index", "--year", "last"], "--year"),
    "index out extension": _case(["index", "--out", "{tmp}/x.txt"], "--out"),
    "index out folder": _case(["index", "--out", "{tmp}/no/such/x.xlsx"], "does not exist"),
    "index out is folder": _case(["index", "--out", "{tmp}/adir.xlsx"], "is a folder"),
    "index recipe missing": _case(["index", "--recipe", "{tmp}/nope.yaml"], "nope.yaml"),
    "index recipe folder": _case(["index", "--recipe", "{tmp}"], "--recipe"),
    "index recipe bad yaml": _case(["index", "--recipe", "{bad.yaml}"], "line"),
    "index recipe empty": _case(["index", "--recipe", "{empty.yaml}"], "recipe"),
    "index recipe list": _case(["index", "--recipe", "{list.yaml}"], "recipe"),
    "index recipe latin1": _case(["index", "--recipe", "{latin1.yaml}"], "UTF-8"),
    "index recipe cyclic": _case(["index", "--recipe", "{cyclic.yaml}"], "recipe"),
    "index recipe unknown key": _case(["index", "--recipe", "{unknown.yaml}"], "bogus_key"),
    "index panel missing": _case(["index", "--panel", "{tmp}/nope.csv"], "nope.csv"),
    "index panel binary": _case(["index", "--panel", "{binary.txt}"], "binary.txt"),
    "index panel empty": _case(["index", "--panel", "{empty.txt}"], "empty.txt"),
    "index framework missing": _case(["index", "--framework", "{tmp}/nope.yaml"], "nope.yaml"),
    "index framework bad yaml": _case(["index", "--framework", "{bad.yaml}"], "line"),
    "index save into folder db": _case(["index", "--save", "--db", "{tmp}"], "store"),
    # ---- robust
    "robust replications 0": _case(["robust", "--replications", "0"], "--replications"),
    "robust replications negative": _case(["robust", "--replications", "-5"], "--replications"),
    "robust method": _case(["robust", "--method", "bogus"], "--method bogus"),
    "robust alternatives missing": _case(["robust", "--alternatives", "{tmp}/no.yaml"], "no such file"),
    "robust alternatives empty": _case(["robust", "--alternatives", "{empty.yaml}"],
                                       "a mapping of choices"),
    "robust alternatives bad yaml": _case(["robust", "--alternatives", "{bad.yaml}"], "line 2"),
    "robust alternatives list": _case(["robust", "--alternatives", "{alt_list.yaml}"],
                                      "a mapping of choices"),
    "robust alternatives latin1": _case(["robust", "--alternatives", "{latin1.yaml}"], "not UTF-8"),
    "robust alternatives unknown": _case(["robust", "--alternatives", "{alt_unknown.yaml}",
                                          "--replications", "10"], "bogus"),
    "robust alternatives weights": _case(["robust", "--alternatives", "{alt_badweights.yaml}",
                                          "--replications", "10"], "alt_badweights.yaml"),
    "robust alternatives noise": _case(["robust", "--alternatives", "{alt_noise.yaml}"],
                                       "'weight_noise': a fraction"),
    "robust alternatives choice": _case(["robust", "--alternatives", "{alt_choice.yaml}"],
                                        "a mapping with a 'method'"),
    "robust html extension": _case(["robust", "--html", "{tmp}/x.png"], "--html"),
    "robust year": _case(["robust", "--replications", "10", "--year", "1990"], "--year 1990"),
    "robust preset": _case(["robust", "--preset", "bogus", "--replications", "10"], "bogus"),
    # ---- analyse
    "markov k 0": _case(["analyse", "markov", "--k", "0"], "--k"),
    "markov k 1": _case(["analyse", "markov", "--k", "1"], "--k"),
    "markov k 99": _case(["analyse", "markov", "--k", "99"], "--k"),
    "markov html": _case(["analyse", "markov", "--html", "{tmp}/x.svg"], "--html"),
    "spatial year": _case(["analyse", "spatial", "--year", "1990"], "--year 1990"),
    "spatial permutations": _case(["analyse", "spatial", "--permutations", "-1"], "--permutations"),
    "spatial html folder": _case(["analyse", "spatial", "--html", "{tmp}/no/x.html"], "does not exist"),
    "coupling year": _case(["analyse", "coupling", "--year", "1990"], "--year 1990"),
    "convergence html": _case(["analyse", "convergence", "--html", "{tmp}/x.png"], "--html"),
    "convergence preset": _case(["analyse", "convergence", "--preset", "bogus"], "bogus"),
    "disparity preset": _case(["analyse", "disparity", "--preset", "bogus", "--json"], "bogus"),
    "disparity flavour": _case(["analyse", "disparity", "--flavour", "bogus"], "bogus"),
    "audit year": _case(["audit", "--year", "1990"], "--year 1990"),
    "audit lang": _case(["audit", "--lang", "fr"], "--lang fr"),
    "explain province": _case(["explain", "火星", "--from", "2020", "--to", "2023"],
                              "unknown province"),
    "explain year": _case(["explain", "江西", "--from", "1990", "--to", "2023"], "--from 1990"),
    "explain missing to": _case(["explain", "江西", "--from", "2020"], "--to"),
    # ---- data
    "coverage pillar": _case(["data", "coverage", "--pillar", "nope"], "unknown pillar 'nope'"),
    "data show unknown": _case(["data", "show", "nope"], "unknown indicator"),
    "data show year": _case(["data", "show", "rd_intensity", "--year", "1800"], "no values for 1800"),
    "data show year json": _case(["data", "show", "rd_intensity", "--year", "1800", "--json"],
                                 "no values for 1800"),
    "export format mismatch": _case(["data", "export", "--out", "{tmp}/x.csv", "--format", "dta"],
                                    "must end in .dta"),
    "export unknown format": _case(["data", "export", "--out", "{tmp}/x.csv", "--format", "sav"],
                                   "--format sav"),
    "export unknown extension": _case(["data", "export", "--out", "{tmp}/x.abc"], "--out"),
    "export missing folder": _case(["data", "export", "--out", "{tmp}/no/x.csv"], "does not exist"),
    "export no extension": _case(["data", "export", "--out", "{tmp}/x"], "--out"),
    # ---- report
    "report extension": _case(["report", "--out", "{tmp}/r.pdf"], "--out"),
    "report xlsx extension": _case(["report", "--out", "{tmp}/r.html", "--xlsx", "{tmp}/r.csv"],
                                   "--xlsx"),
    "report replications": _case(["report", "--replications", "0"], "--replications"),
    "report folder": _case(["report", "--out", "{tmp}/no/r.html"], "does not exist"),
    "report preset": _case(["report", "--out", "{tmp}/r2.html", "--preset", "bogus",
                            "--replications", "5", "--db", "{tmp}/r.duckdb"], "bogus"),
    # ---- targets
    "targets region": _case(["targets", "--region", "火星", "--db", "{tmp}/t.duckdb"],
                            "unknown province"),
    "targets due before": _case(["targets", "--due-before", "soon", "--db", "{tmp}/t.duckdb"],
                                "--due-before"),
    "observe unknown id": _case(["targets", "observe", "999", "1", "--date", "2025-01-01", "--db",
                                 "{tmp}/t.duckdb"], "no target with id 999"),
    "observe value": _case(["targets", "observe", "1", "ten", "--date", "2025-01-01", "--db",
                            "{tmp}/t.duckdb"], "'value'"),
    "targets db folder": _case(["targets", "--db", "{tmp}"], "store"),
    # ---- usage
    "unknown command": _case(["frobnicate"], "No such command"),
    "unknown option": _case(["index", "--frobnicate"], "No such option"),
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bad")
    for name, data in FILES.items():
        (d / name).write_bytes(data)
    (d / "emptydir").mkdir()
    (d / "adir.xlsx").mkdir()
    return d


def _fill(arg: str, d: Path) -> str:
    arg = arg.replace("{tmp}", str(d))
    for name in FILES:
        arg = arg.replace("{" + name + "}", str(d / name))
    return arg


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name: str, workdir: Path) -> None:
    args, err, code, stdin, json_out = CASES[name]
    r = CliRunner().invoke(app, [_fill(a, workdir) for a in args], input=stdin)
    assert r.exit_code == code, (r.exit_code, r.stderr, r.stdout)
    assert err in r.stderr, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    if code == 2:
        lines = [x for x in r.stderr.splitlines() if x.strip() and not x.startswith("warning")]
        # one line (click's usage errors come boxed: their message line names the option)
        assert len(lines) == 1 or "Usage" in r.stderr, r.stderr
    if json_out is not None:
        assert json.loads(r.stdout) == json_out
    elif "--json" in args:
        json.loads(r.stdout or "null")  # whatever was printed is valid JSON


def test_the_table_is_large() -> None:
    assert len(CASES) >= 100


def test_a_store_held_by_another_process_says_what_to_do(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from nqpf.store import "
                               f"Store; s = Store({str(db)!r}); print('ready', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        r = CliRunner().invoke(app, ["targets", "--db", str(db)])
        assert r.exit_code == 2 and "in use by another process" in r.stderr
        assert "--server" in r.stderr and r.stdout == ""
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
