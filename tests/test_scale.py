"""Scale: a Dask LocalCluster and --workers 2 give what the local path gives, through the same code."""
from pathlib import Path
import json

import pytest

from saidwhat.ingest import ingest
from saidwhat.scale import load, part_files, run_dask
from saidwhat.store import Store

SAMPLES = str(Path(__file__).resolve().parent.parent / "src" / "saidwhat" / "samples" / "news.jsonl")


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    """Five sample articles and a broken line."""
    lines = [line for line in open(SAMPLES, encoding="utf-8") if line.strip()][4:9]
    path = tmp_path_factory.mktemp("scale") / "feed.jsonl"
    path.write_text("".join(lines) + "{broken\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_db(feed, tmp_path_factory):
    db = tmp_path_factory.mktemp("local") / "local.db"
    with Store(db) as store:
        report = ingest([feed], store, batch_size=2)
    assert report.added == 5 and report.failed == 1
    return db


def _content(db):
    """Every article with its attributions, as the data model gives them, by content hash."""
    with Store(db, readonly=True) as store:
        return {info["hash"]: store.article(info["id"]).to_dict() for info in store.articles(limit=100)}


def test_scale_dask_local_cluster_same_as_local(feed, local_db, tmp_path):
    out = tmp_path / "parts"
    report = run_dask([feed], out, workers=1, processes=False, batch_size=2)
    assert report.added == 5 and report.failed == 1
    parts = part_files(out)
    assert len(parts) == 4  # three batches of two articles at most, and the read failure
    import pyarrow.parquet as pq
    rows = pq.read_table(out / parts[0]).to_pylist()
    assert {"hash", "location", "article", "error"} <= set(rows[0])
    # a rerun extracts nothing again
    again = run_dask([feed], out, workers=1, processes=False, batch_size=2)
    assert again.added == 0 and again.known == 5 and part_files(out) == parts

    db = tmp_path / "dask.db"
    with Store(db) as store, Store(local_db, readonly=True) as local:
        loaded = load(out, store)
        assert loaded.added == 5 and loaded.failed == 1
        assert load(out, store).added == 0  # loading twice adds nothing
        assert [f["reason"] for f in store.failures()] == [f["reason"] for f in local.failures()]
    assert _content(db) == _content(local_db)
    with Store(db, readonly=True) as a, Store(local_db, readonly=True) as b:
        assert [s["name"] for s in a.speakers()] == [s["name"] for s in b.speakers()]
        assert a.stats() == b.stats()


def test_scale_two_worker_processes_same_as_local(feed, local_db, tmp_path):
    db = tmp_path / "two.db"
    with Store(db) as store:
        seen = []
        report = ingest([feed], store, workers=2, batch_size=2, progress=lambda r: seen.append(r.added))
        assert report.added == 5 and report.failed == 1
        assert seen[-1] == 5 and seen == sorted(seen)
    assert _content(db) == _content(local_db)
