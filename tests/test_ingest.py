"""Resumable ingest: a real `saidwhat ingest` process killed with SIGKILL, then run again."""
from pathlib import Path
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from saidwhat.ingest import Item, extract_batch, ingest
from saidwhat.model import Article
from saidwhat.store import Store

SAMPLES = str(Path(__file__).resolve().parent.parent / "src" / "saidwhat" / "samples" / "news.jsonl")
CLI = "from saidwhat.cli import main; main()"


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    """16 distinct articles: 8 samples and 8 copies with an editor's note added."""
    records = [json.loads(line) for line in open(SAMPLES, encoding="utf-8") if line.strip()][4:]
    copies = [{**r, "id": r["id"] + "-update", "outlet": "Syndicated",
               "text": r["text"] + f"\n\nEditor's note: this story was updated ({i})."} for i, r in enumerate(records)]
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for r in records + copies:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        f.write("{ a broken line\n")
    return path


def _snapshot(db):
    conn = sqlite3.connect(db)
    arts = {h: n for h, n in conn.execute("SELECT hash, n_attributions FROM articles")}
    attrs = sorted(conn.execute(
        "SELECT ar.hash, a.seq, a.type, a.content_start, a.content_end, a.data FROM attributions a"
        " JOIN articles ar ON ar.id = a.article_id"))
    dupes = conn.execute("SELECT count(*) FROM (SELECT article_id, type, content_start, content_end FROM attributions"
                         " GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)").fetchone()[0]
    failures = conn.execute("SELECT location, reason FROM failures").fetchall()
    conn.close()
    return arts, attrs, dupes, failures


def _count(db):
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_ingest_sigkill_then_rerun_stores_every_article_once(feed, tmp_path):
    reference = tmp_path / "reference.db"
    with Store(reference) as store:
        report = ingest([feed], store, batch_size=2)
    assert report.added == 16 and report.failed == 1

    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-c", CLI, "ingest", str(feed), "--db", str(db), "--batch-size", "2"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for at_least in (4,):  # kill it mid-way, then let it finish
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while _count(db) < at_least and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        assert at_least <= _count(db) < 16
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the feed's broken line fails again, the rest is stored
    assert "already stored" in done.stderr

    arts, attrs, dupes, failures = _snapshot(db)
    ref_arts, ref_attrs, ref_dupes, ref_failures = _snapshot(reference)
    assert len(arts) == 16 and arts == ref_arts          # every article, once
    assert attrs == ref_attrs and dupes == ref_dupes     # the same attributions, none twice
    assert len(failures) == 1 and "not JSON" in failures[0][1]
    with Store(db, readonly=True) as store, Store(reference, readonly=True) as ref:  # whole: search, speakers work
        assert store.count_search("wall") == ref.count_search("wall")
        assert store.speakers(name="Trump")[0]["name"] == "Donald Trump"


def test_extract_batch_reports_failures_and_keeps_order():
    good = [Article(id=f"g{i}", text=f'"Point {i} stands," the minister said.') for i in range(3)]
    items = [Item(f"loc{i}", f"h{i}", a) for i, a in enumerate(good)]
    items.insert(1, Item("bad", "hbad", Article(id="bad", text=None)))  # type: ignore[arg-type]
    stored, failures = extract_batch(items)
    assert [a.id for a, _, _ in stored] == ["g0", "g1", "g2"]
    assert [loc for _, _, loc in stored] == ["loc0", "loc1", "loc2"]
    assert all(a.attributions for a, _, _ in stored)
    assert failures and failures[0][0] == "bad" and failures[0][1] == "extract"
