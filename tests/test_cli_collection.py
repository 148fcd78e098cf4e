"""The collection commands, driven in process: ingest, search, speakers, quote, export, load."""
from pathlib import Path
import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from saidwhat.cli import app
from saidwhat.store import Store

SAMPLES = str(Path(__file__).resolve().parent.parent / "src" / "saidwhat" / "samples" / "news.jsonl")
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    feed = tmp / "feed.jsonl"
    lines = [line for line in open(SAMPLES, encoding="utf-8") if line.strip()]
    feed.write_text("".join(lines[4:8]) + "{broken\n", encoding="utf-8")
    path = tmp / "c.db"
    result = runner.invoke(app, ["ingest", str(feed), "--db", str(path), "--batch-size", "2"])
    assert result.exit_code == 1, result.output  # the broken line failed, the rest is stored
    assert "4 new articles" in result.output and "1 failed" in result.output and "not JSON" in result.output
    again = runner.invoke(app, ["ingest", str(feed), "--db", str(path)])
    assert again.exit_code == 1 and "0 new articles, 4 already stored" in again.output
    return path


def test_cli_search_formats(db):
    out = runner.invoke(app, ["search", "wall", "--db", str(db), "--format", "json"])
    assert out.exit_code == 0
    rows = json.loads(out.stdout)
    assert rows and all("wall" in (r["content_text"] + (r["source_text"] or "")).lower() for r in rows)
    out = runner.invoke(app, ["search", "--speaker", "Trump", "--type", "indirect", "--db", str(db), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    # his own attributions and those of the groups he was quoted in ("Donald Trump and Congress")
    assert rows and "Donald Trump" in {r["speaker_name"] for r in rows} and {r["type"] for r in rows} == {"indirect"}
    assert all("Donald Trump" in r["speaker_name"] for r in rows)
    out = runner.invoke(app, ["search", "--since", "2019-09-01", "--until", "2019-12-31", "--db", str(db), "-f", "json"])
    assert {r["article"]["published"] for r in json.loads(out.stdout)} <= {"2019-09-06", "2019-10-08"}
    table = runner.invoke(app, ["search", "wall", "--db", str(db)])
    assert table.exit_code == 0 and "attributions" in table.stdout


def test_cli_min_confidence(db):
    """--min-confidence keeps the attributions at least that confident, on search, sources and
    stance; the search table shows each one's confidence; out of 0..1 is a usage error."""
    every = json.loads(runner.invoke(app, ["search", "--db", str(db), "-f", "json", "-n", "1000"]).stdout)
    out = runner.invoke(app, ["search", "--db", str(db), "-f", "json", "-n", "1000", "--min-confidence", "0.9"])
    assert out.exit_code == 0, out.output
    kept = json.loads(out.stdout)
    assert 0 < len(kept) < len(every) and all(r["confidence"] >= 0.9 for r in kept)
    assert [r["id"] for r in kept] == [r["id"] for r in every if r["confidence"] >= 0.9]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        app, ["search", "--db", str(db), "-f", "csv", "-n", "1000", "--min-confidence", "0.9"]).stdout)))
    assert [float(r["confidence"]) >= 0.9 for r in rows] == [True] * len(kept)
    table = runner.invoke(app, ["search", "--db", str(db), "-n", "1000", "--min-confidence", "0.9"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and f"{len(kept)} of {len(kept)} attributions" in table.stdout
    assert "conf" in table.stdout
    shown = [float(x) for x in re.findall(r"│\s*(?:direct|indirect|mixed)\s*│\s*([01]\.\d\d)\s*│", table.stdout)]
    assert len(shown) == len(kept) and min(shown) >= 0.9
    sources = json.loads(runner.invoke(app, ["sources", "--db", str(db), "-f", "json", "--min-confidence", "0.9"]).stdout)
    assert sources["total"]["n"] == len(kept)
    stance = runner.invoke(app, ["stance", "--db", str(db), "-f", "json", "--min-confidence", "0.9"])
    assert stance.exit_code == 0 and json.loads(stance.stdout)["total"]["n"] == 0  # stored without --stance
    for command in ("search", "sources", "stance"):
        for bad in ("1.5", "-0.2", "high"):
            out = runner.invoke(app, [command, "--db", str(db), "--min-confidence", bad])
            assert out.exit_code == 2 and "--min-confidence" in out.output, (command, bad, out.output)


def test_cli_speakers_quote_export(db, tmp_path):
    out = runner.invoke(app, ["speakers", "--db", str(db), "-f", "json"])
    speakers = json.loads(out.stdout)
    assert speakers[0]["name"] == "Donald Trump" and speakers[0]["n_articles"] == 2
    with Store(db, readonly=True) as store:
        cid = store.search(type="direct", limit=1)[0]["cluster_id"]
        total = store.count_attributions()
    out = runner.invoke(app, ["quote", str(cid), "--db", str(db), "-f", "json"])
    assert json.loads(out.stdout)["id"] == cid
    assert runner.invoke(app, ["quote", "999999", "--db", str(db)]).exit_code == 1
    out = runner.invoke(app, ["export", "--format", "jsonl", "--db", str(db)])
    assert len(out.stdout.splitlines()) == total
    target = tmp_path / "a.parquet"
    assert runner.invoke(app, ["export", "-f", "parquet", "-o", str(target), "--db", str(db)]).exit_code == 0
    assert target.stat().st_size > 0
    assert runner.invoke(app, ["export", "-f", "parquet", "--db", str(db)]).exit_code == 2  # needs -o


def test_cli_errors(tmp_path):
    missing = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "no such store" in missing.output
    assert runner.invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "l.db")]).exit_code == 2
    bad = runner.invoke(app, ["ingest", str(tmp_path / "nothing.txt"), "--db", str(tmp_path / "b.db")])
    assert bad.exit_code == 1 and "no such file" in bad.output


def test_python_dash_m_runs_the_cli(tmp_path):
    """``python -m saidwhat`` is the ``saidwhat`` command (where no console script is on PATH)."""
    import subprocess
    import sys

    text = tmp_path / "a.txt"
    text.write_text('"We will not be rushed," the prime minister said on Tuesday.\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "saidwhat", "extract", str(text), "--format", "json"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    found = found[0] if isinstance(found, list) else found
    assert [a["content_text"] for a in found["attributions"]] == ['"We will not be rushed,"']
