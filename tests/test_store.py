"""The store on the bundled sample articles: keys, search, filters, speakers, plain SQL, export."""
from pathlib import Path
import csv
import io
import json
import sqlite3

import pytest

from saidwhat import extract_many
from saidwhat.errors import StoreError
from saidwhat.export import COLUMNS, export
from saidwhat.ingest import ingest
from saidwhat.model import Article
from saidwhat.store import Store, confidence_text, fts_query, iso_date, text_hash

SAMPLES = str(Path(__file__).resolve().parent.parent / "src" / "saidwhat" / "samples" / "news.jsonl")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "samples.db"
    with Store(path) as store:
        report = ingest([SAMPLES], store, batch_size=5)
        assert report.added == 12 and report.failed == 0
    return path


@pytest.fixture(scope="module")
def extracted(samples):
    return {a.id: a for a in extract_many(samples)}


@pytest.fixture(scope="module")
def samples():
    return [json.loads(line) for line in open(SAMPLES, encoding="utf-8") if line.strip()]


def test_store_articles_round_trip(db, extracted):
    with Store(db, readonly=True) as store:
        assert store.count_articles() == 12
        assert store.count_attributions() == sum(len(a.attributions) for a in extracted.values())
        for ext_id, article in extracted.items():
            stored = store.article(ext_id)
            assert stored.to_dict() == article.to_dict()  # the data model, lossless
            info = store.article_info(ext_id)
            assert store.article(info["id"]).to_dict() == article.to_dict()
            assert store.article(info["hash"]).id == ext_id and info["hash"] == text_hash(article.text)


def test_store_same_input_twice_adds_nothing(db, samples):
    with Store(db) as store:
        before = store.stats()
        report = ingest([SAMPLES], store)
        assert report.added == 0 and report.known == 12
        # whitespace changes keep the key: the same text
        moved = [{**s, "id": s["id"] + "-copy", "text": "  " + s["text"].replace(" ", "  ") + "\n"} for s in samples[:2]]
        arts = list(extract_many(moved))
        assert store.add_articles([(a, text_hash(a.text), "x") for a in arts]) == 0
        assert store.stats() == before


def test_store_search_filters(db):
    with Store(db, readonly=True) as store:
        wall = store.search("wall")
        assert wall and all("wall" in (r["content_text"] + (r["source_text"] or "")).lower() for r in wall)
        assert store.count_search("wall") == len(wall)
        r = wall[0]
        # the data model's shape plus ids
        assert {"type", "content", "content_text", "cue", "source", "speaker", "confidence"} <= set(r)
        assert {"id", "article", "speaker_id", "speaker_name", "cluster_id"} <= set(r)
        direct = store.search(type="direct", limit=500)
        assert direct and {x["type"] for x in direct} == {"direct"}
        gv = store.search(outlet="Global Voices", limit=500)
        assert gv and {x["article"]["outlet"] for x in gv} == {"Global Voices"}
        in_2019 = store.search(since="2019-01-01", until="2019-12-31", limit=500)
        assert in_2019 and all("2019-01-01" <= x["article"]["published"] <= "2019-12-31" for x in in_2019)
        assert [x["article"]["published"] for x in in_2019] == sorted((x["article"]["published"] for x in in_2019), reverse=True)
        page1, page2 = store.search(limit=5), store.search(limit=5, offset=5)
        assert len(page1) == 5 and not {x["id"] for x in page1} & {x["id"] for x in page2}
        # words the FTS5 syntax would choke on are plain words
        assert store.search('"wall" AND (-') == store.search("wall AND")
        assert fts_query('he said "no" -') == '"he" "said" "no"'


def test_store_min_confidence_filter(db):
    """``min_confidence`` keeps exactly the attributions at least that confident (the samples'
    confidences run from about 0.2 to 1, so each level removes some and keeps some), combines with
    the other filters, and is what the counts and the sources report count."""
    with Store(db, readonly=True) as store:
        everything = store.search(limit=10_000)
        total = store.count_search()
        assert len(everything) == total and all(isinstance(r["confidence"], float) for r in everything)
        for level in (0.6, 0.8, 0.95):
            kept = store.search(min_confidence=level, limit=10_000)
            assert 0 < len(kept) < total, level
            assert min(r["confidence"] for r in kept) >= level
            assert [r["id"] for r in kept] == [r["id"] for r in everything if r["confidence"] >= level]
            assert store.count_search(min_confidence=level) == len(kept)
            assert store.sources_report(min_confidence=level)["total"]["n"] == len(kept)
            by_month = store.sources_report(by="month", min_confidence=level)
            assert sum(r["n"] for r in by_month["rows"]) == len(kept)
        assert store.count_search(min_confidence=0) == total == store.count_search(min_confidence=0.0)
        assert store.count_search(min_confidence=1) == sum(r["confidence"] >= 1 for r in everything)
        # with the other filters: the same rows as filtering their results by hand
        direct = store.search(type="direct", limit=10_000)
        sure = store.search(type="direct", min_confidence=0.95, limit=10_000)
        assert [r["id"] for r in sure] == [r["id"] for r in direct if r["confidence"] >= 0.95]
        assert store.count_search(type="direct", min_confidence=0.95) == len(sure)
        page = store.search(min_confidence=0.8, limit=5, offset=5)
        assert [r["id"] for r in page] == [r["id"] for r in everything if r["confidence"] >= 0.8][5:10]
        # shown rounded down, so what a page or table shows passes a filter exactly when the value does
        assert [confidence_text(x) for x in (0.9499, 0.95, 0.29, 0.8, 0.99999)] == ["0.94", "0.95", "0.29", "0.80", "0.99"]
        # a value out of 0..1, or not a number, is a clear error, never an empty result
        for bad in (-0.1, 1.5, float("nan"), float("inf"), "high", True):
            with pytest.raises(ValueError, match="min_confidence: a number from 0 to 1"):
                store.search(min_confidence=bad)
            with pytest.raises(ValueError, match="min_confidence"):
                store.count_search(min_confidence=bad)
            with pytest.raises(ValueError, match="min_confidence"):
                store.sources_report(min_confidence=bad)
            with pytest.raises(ValueError, match="min_confidence"):
                store.stance_summary(min_confidence=bad)


def test_store_speakers_and_timeline(db):
    with Store(db, readonly=True) as store:
        top = store.speakers(limit=5)
        assert top and top[0]["n_attributions"] >= top[-1]["n_attributions"]
        trump = store.speakers(name="Trump")
        assert trump and trump[0]["name"] == "Donald Trump" and trump[0]["kind"] == "person"
        t = store.speaker(trump[0]["id"])
        assert t["n_articles"] >= 2  # two Wikinews articles quote him
        assert "Trump" in {a["alias"] for a in t["aliases"]}
        hits = store.search(speaker="Donald Trump", limit=500)
        # by name, search also finds unresolved attributions whose source names him, and the
        # attributions of the groups he was quoted in ("Donald Trump and Congress")
        groups = {g["id"] for g in t["groups"]}
        resolved = [h for h in hits if h["speaker_id"] is not None]
        own = [h for h in resolved if h["speaker_id"] == t["id"]]
        assert len(own) == t["n_attributions"] and {h["speaker_id"] for h in resolved} <= {t["id"]} | groups
        assert all("Donald Trump" in (h["source_text"] or "") for h in hits if h["speaker_id"] is None)
        assert store.search(speaker=t["id"], limit=500) == resolved
        resolved = own
        timeline = store.speaker_timeline(t["id"])
        assert sum(w["count"] for w in timeline) == t["n_attributions"]
        assert "2019-01-07" in {w["week"] for w in timeline}  # a Monday: the week of 2019-01-07
        dates = sorted(h["article"]["published"] for h in resolved)
        assert t["first_seen"] == dates[0] and t["last_seen"] == dates[-1]


def test_store_plain_sql(db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "attributions", "speakers", "speaker_aliases", "speaker_roles", "clusters",
            "failures", "attributions_fts"} <= tables
    rows = conn.execute("""SELECT s.name, count(*) FROM attributions a JOIN speakers s ON s.id = a.speaker_id
                           GROUP BY s.id ORDER BY count(*) DESC LIMIT 1""").fetchall()
    assert rows[0][0] == "Donald Trump"
    n = conn.execute("SELECT count(*) FROM attributions_fts WHERE attributions_fts MATCH 'wall'").fetchone()[0]
    assert n >= 1


def test_store_readonly_and_errors(db, tmp_path):
    with Store(db, readonly=True) as store:
        with pytest.raises(StoreError):
            store.add_failure("x", "read", "nope")
    with pytest.raises(StoreError):
        Store(tmp_path / "missing.db", readonly=True)
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        Store(tmp_path / "junk.db")


def test_store_failures_are_recorded_once(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "ok", "text": '"It works," the engineer said on Friday.'}) + "\n"
                    + "{broken\n" + json.dumps({"id": "no-text", "title": "x"}) + "\n", encoding="utf-8")
    with Store(tmp_path / "f.db") as store:
        report = ingest([feed, tmp_path / "missing.txt"], store)
        assert report.added == 1 and report.failed == 3
        ingest([feed, tmp_path / "missing.txt"], store)
        reasons = {f["location"].replace(str(tmp_path), ""): f["reason"] for f in store.failures()}
        assert set(reasons) == {"/feed.jsonl:2", "/feed.jsonl:3", "/missing.txt"}
        assert "not JSON" in reasons["/feed.jsonl:2"] and "no such file" in reasons["/missing.txt"]


def test_store_export_formats(db, tmp_path):
    with Store(db, readonly=True) as store:
        total = store.count_attributions()
        buf = io.StringIO()
        assert export(store, "jsonl", buf) == total
        lines = [json.loads(x) for x in buf.getvalue().splitlines()]
        assert lines[0] == next(store.iter_attributions())
        buf = io.StringIO()
        export(store, "csv", buf)
        rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
        assert len(rows) == total and tuple(rows[0]) == COLUMNS
        import pyarrow.parquet as pq
        assert export(store, "parquet", tmp_path / "a.parquet") == total
        table = pq.read_table(tmp_path / "a.parquet")
        assert table.num_rows == total and table.column_names == list(COLUMNS)
        with pytest.raises(ValueError):
            export(store, "xml", buf)


def test_iso_date():
    assert iso_date("2020-01-06") == "2020-01-06"
    assert iso_date("2020-01-06T10:00:00Z") == "2020-01-06"
    assert iso_date("Mon, 06 Jan 2020 10:00:00 GMT") == "2020-01-06"
    assert iso_date("6 January 2020") == "2020-01-06"
    assert iso_date("yesterday") is None and iso_date(None) is None


def test_article_with_no_attributions_is_stored(tmp_path):
    with Store(tmp_path / "e.db") as store:
        a = Article(id="calm", text="The weather was calm all week.", outlet="Daily", published="2021-05-01")
        assert store.add_articles([(a, text_hash(a.text), "calm.txt")]) == 1
        assert store.article("calm").to_dict() == a.to_dict()
        assert store.articles(outlet="daily")[0]["published"] == "2021-05-01"


def test_store_takes_lone_surrogates_without_moving_offsets(tmp_path):
    feed = tmp_path / "s.jsonl"
    feed.write_text('{"id": "sur", "text": "\\"We will win \\ud800 today,\\" the coach said on Sunday."}\n'
                    '{"id": "ok", "text": "\\"We will win today,\\" the captain said on Sunday."}\n', encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        report = ingest([feed], store)
        assert report.added == 2 and report.failed == 0
        a = store.article("sur")
        assert "\ufffd" in a.text and a.attributions
        for x in a.attributions:
            assert a.text[x.content.start:x.content.end] == x.content.text
        assert ingest([feed], store).added == 0


def test_store_a_retried_article_clears_its_failure(tmp_path):
    a = Article(id="x", text="Calm.")
    with Store(tmp_path / "r.db") as store:
        store.add_failure("feed.jsonl:1", "extract", "MemoryError: ", text_hash(a.text))
        store.add_failure("feed.jsonl:2", "read", "not JSON")
        assert store.add_articles([(a, text_hash(a.text), "feed.jsonl:1")]) == 1
        assert [f["location"] for f in store.failures()] == ["feed.jsonl:2"]


def test_store_speaker_directory_is_clean(db):
    """On the bundled samples: no alias with a coordinating conjunction (a group is no one's alias),
    no role with a digit or possessive debris, every speaker of a known kind and gender."""
    import re

    with Store(db, readonly=True) as store:
        speakers = store.speakers(limit=1000)
    assert speakers
    for s in speakers:
        assert s["kind"] in ("person", "organisation", "group", "other") and s["gender"] in ("female", "male", "unknown")
        for a in s["aliases"]:
            assert not re.search(r"\b(and|or|nor)\b|&", a["alias"]), (s["name"], a)
        for r in s["roles"]:
            assert not re.search(r"\d", r) and not re.match(r"(his|her|their|its)\b", r, re.I), (s["name"], r)
        assert (s["kind"] == "group") == bool(s["members"])
