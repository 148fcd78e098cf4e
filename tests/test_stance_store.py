"""Targets and stance everywhere they flow: ingest --stance -> store (schema 3, migration) ->
search and stance summaries -> export -> CLI -> REST API -> pages, on articles written for these
tests in the style of the news (a head of government warning a neighbour, a leader praising an
ally, a neutral report of talks, a quote of the leader warned about)."""
import csv
import io
import json
import sqlite3

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from saidwhat import crossdoc
from saidwhat.api import create_app
from saidwhat.cli import app
from saidwhat.ingest import ingest
from saidwhat.model import Article, Attribution, Span, Speaker, Target
from saidwhat.store import SCHEMA_VERSION, Store, text_hash

runner = CliRunner()

ARTICLES = [
    {"id": "kallas-warns", "outlet": "Baltic Herald", "published": "2024-01-15",
     "title": "Kallas warns Moscow over border incidents",
     "text": "Estonian Prime Minister Kaja Kallas warned Russia on Monday against any further provocation on the border.\n\n"
             "\"Russia is waging a brutal war of aggression, and its threats against its neighbours will not intimidate us,\" "
             "Kallas told reporters in Tallinn.\n\n"
             "She accused Vladimir Putin of lying to his own people about the war."},
    {"id": "kallas-praises", "outlet": "Baltic Herald", "published": "2024-02-12",
     "title": "Kallas thanks Finland for its support",
     "text": "Kaja Kallas praised Finland on Monday for its steadfast support during the energy crisis.\n\n"
             "\"Finland has been a true friend and a reliable ally to Estonia, and we are deeply grateful for its "
             "generosity,\" Kallas said at a joint news conference in Helsinki."},
    {"id": "putin-talks", "outlet": "Nordic Wire", "published": "2024-02-20",
     "title": "Putin says Moscow is open to talks",
     "text": "Russian President Vladimir Putin said on Tuesday that Moscow was ready to discuss the security of the region.\n\n"
             "\"We have never refused to talk,\" Putin told a meeting of the security council in Moscow."},
    {"id": "baltic-talks", "outlet": "Nordic Wire", "published": "2024-03-05",
     "title": "Estonia and Latvia to hold talks in Riga",
     "text": "Delegations from Estonia and Latvia will meet in Riga next week to discuss the construction of a new "
             "railway line, a government spokesman said on Tuesday.\n\n"
             "The spokesman said the talks with Latvia would begin on Monday and last two days."},
    {"id": "kallas-putin", "outlet": "Baltic Herald", "published": "2024-03-18",
     "title": "Kallas says Putin cannot be trusted",
     "text": "Kaja Kallas said on Monday that Putin could not be trusted to keep any agreement.\n\n"
             "\"Putin has broken every promise he has made, and his regime is a danger to all of Europe,\" "
             "Kallas told the Estonian parliament."},
]


def write_feed(directory, records=ARTICLES):
    path = directory / "stance-news.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def build_stance_store(directory, records=ARTICLES):
    """A store built by ingest with stance from ``records`` (the browser tests use it too)."""
    db = directory / "stance.db"
    with Store(db) as store:
        report = ingest([write_feed(directory, records)], store, stance=True)
    assert report.added == len(records) and not report.failed
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_stance_store(tmp_path_factory.mktemp("stance-store"))


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


def speaker_id(store, name):
    return next(s["id"] for s in store.speakers(limit=100) if s["name"] == name)


def pairs(rows):
    """{(speaker, target): [stances]} of search results."""
    out = {}
    for r in rows:
        for t in r["targets"]:
            who = r["speaker_name"] or (r["speaker"] or {}).get("name")  # the article's own, unnamed ones
            out.setdefault((who, t["speaker_name"] or t["name"]), []).append(t["stance"])
    return out


# ---------------------------------------------------------------- the store


def test_ingest_with_stance_stores_targets_end_to_end(db):
    with Store(db, readonly=True) as store:
        counts = store.count_targets()
        assert counts["total"] >= 10 and counts["unscored"] == 0
        assert min(counts[s] for s in ("negative", "neutral", "positive")) >= 2
        found = pairs(store.search(limit=100))
        # the head of government warning a neighbour, praising an ally; the neutral report of talks
        assert found[("Kaja Kallas", "Russia")] == ["negative", "negative"]
        assert set(found[("Kaja Kallas", "Finland")]) == {"positive"}
        assert set(found[("government spokesman", "Latvia")]) == {"neutral"}
        # "Putin" in Kallas's quotes is the collection speaker Vladimir Putin, quoted elsewhere
        assert found[("Kaja Kallas", "Vladimir Putin")] == ["negative"] * 3
        putin = speaker_id(store, "Vladimir Putin")
        rows = store.conn.execute("SELECT article_name, key, name, speaker_id FROM attribution_targets"
                                  " WHERE article_name IN ('Putin', 'Vladimir Putin')").fetchall()
        assert {r["article_name"] for r in rows} == {"Putin", "Vladimir Putin"}
        assert {(r["key"], r["name"], r["speaker_id"]) for r in rows} == \
            {("person:vladimir putin", "Vladimir Putin", putin)}
        # the stored JSON is the extraction's, and the article comes back with its targets
        article = store.article("kallas-praises")
        assert [t.name for a in article.attributions for t in a.targets if t.stance == "positive"][:1] == ["Finland"]
        assert store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "3"


def test_search_about_and_stance(db):
    with Store(db, readonly=True) as store:
        negative = store.search(about="Russia", stance="negative")
        assert len(negative) == 2 and all(r["speaker_name"] == "Kaja Kallas" for r in negative)
        assert store.count_search(about="Russia", stance="negative") == 2
        assert store.search(about="Russia", stance="positive") == []
        # the same target must carry the stance: Kallas's positive quote about Finland is not
        # negative about anyone, and no statement about Finland is negative
        assert store.count_search(about="Finland", stance="negative") == 0
        assert store.count_search(about="Finland", stance="positive") == 2
        # a word of the name, the other name, the speaker id, the key; never a part of a word
        putin = speaker_id(store, "Vladimir Putin")
        assert store.count_search(about="Putin") == 3 == store.count_search(about=putin) \
            == store.count_search(about="person:vladimir putin") == store.count_search(about="vladimir putin")
        assert store.count_search(about="Russian") == 2  # the demonym names the country
        assert store.count_search(about="US") == 0  # not "rUSsia"
        assert store.count_search(about="Latvia", speaker="spokesman") == 2
        assert store.count_search(stance="neutral") >= 2  # any target
        assert store.count_search(about="%") == 0 and store.count_search(about="Nobody") == 0
        with pytest.raises(ValueError):
            store.search(stance="angry")
        # the search shape links each target to the collection
        hit = store.search(about="Putin", limit=1)[0]
        t = next(t for t in hit["targets"] if t["key"] == "person:vladimir putin")
        assert t["speaker_id"] == putin and t["speaker_name"] == "Vladimir Putin"


def test_stance_summary_by_month_target_and_speaker(db):
    with Store(db, readonly=True) as store:
        s = store.stance_summary(speaker="Kallas", about="Putin", by="month")
        assert [(r["key"], r["stances"]["negative"], r["n"]) for r in s["rows"]] == [("2024-01", 1, 1), ("2024-03", 2, 2)]
        assert s["total"]["n"] == 3 and s["total"]["tone"] == -1.0
        assert [x["name"] for x in s["speakers"]] == ["Kaja Kallas"]
        assert [x["name"] for x in s["targets"]] == ["Vladimir Putin"]
        how = store.stance_summary(speaker=speaker_id(store, "Kaja Kallas"), by="target")
        rows = {r["name"]: r for r in how["rows"]}
        assert rows["Vladimir Putin"]["stances"] == {"negative": 3, "neutral": 0, "positive": 0}
        assert rows["Vladimir Putin"]["speaker_id"] == speaker_id(store, "Vladimir Putin")
        assert rows["Russia"]["stances"]["negative"] == 2 and rows["Russia"]["kind"] == "country"
        assert rows["Finland"]["tone"] == 1.0
        assert how["rows"][0]["name"] == "Vladimir Putin"  # most statements first
        who = store.stance_summary(about="Putin", by="speaker")
        assert [(r["name"], r["stances"]["negative"]) for r in who["rows"]] == [("Kaja Kallas", 3)]
        by_outlet = store.stance_summary(by="outlet")
        assert {r["key"] for r in by_outlet["rows"]} == {"Baltic Herald", "Nordic Wire"}
        assert sum(r["n"] for r in by_outlet["rows"]) == by_outlet["total"]["n"] == store.count_targets()["total"]
        weeks = store.stance_summary(speaker="Kallas", by="week")
        assert weeks["rows"][0]["key"] == "2024-01-15"  # weeks by their Monday
        with pytest.raises(ValueError):
            store.stance_summary(by="day")


def test_stance_summary_min_confidence(db):
    """With ``min_confidence`` the summary counts only the (attribution, target) pairs of
    attributions at least that confident: the same pairs as the search with that filter."""
    with Store(db, readonly=True) as store:
        rows = store.search(limit=1000)
        scored = sorted({r["confidence"] for r in rows if any(t.get("stance") for t in r.get("targets") or [])})
        assert len(scored) >= 2
        level = scored[len(scored) // 2]  # keeps the upper half of the statements with targets, drops the rest

        def pairs(results):
            return sum(1 for r in results for t in r.get("targets") or [] if t.get("stance"))

        kept = store.search(min_confidence=level, limit=1000)
        s = store.stance_summary(by="target", min_confidence=level)
        assert 0 < s["total"]["n"] == pairs(kept) < store.stance_summary(by="target")["total"]["n"] == pairs(rows)
        assert all(r["confidence"] >= level for r in kept)


def test_store_schema_2_is_migrated_with_its_targets(db, tmp_path):
    old = tmp_path / "old.db"
    with sqlite3.connect(db) as src, sqlite3.connect(old) as dst:
        src.backup(dst)
    conn = sqlite3.connect(old)
    before = conn.execute("SELECT attribution_id, seq, key, name, kind, stance, probability, speaker_id"
                          " FROM attribution_targets ORDER BY 1, 2").fetchall()
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "attributions", "speakers")]
    # a store as schema 2 wrote it: no targets table (its attributions' JSON has targets when
    # the articles were stored with stance through the Python API)
    conn.execute("DROP TABLE attribution_targets")
    conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with Store(old, readonly=True) as store:  # upgraded on opening, even read-only
        assert store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == \
            str(SCHEMA_VERSION)
        assert store.count_targets()["total"] == len(before)
        assert store.count_search(about="Russia", stance="negative") == 2
    with Store(old) as store:
        crossdoc.resolve(store)  # the collection links come back with the next resolve
        after = store.conn.execute("SELECT attribution_id, seq, key, name, kind, stance, probability, speaker_id"
                                   " FROM attribution_targets ORDER BY 1, 2").fetchall()
        assert [tuple(r) for r in after] == before
        assert [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "attributions", "speakers")] == counts


def test_ingest_without_stance_stores_no_targets(tmp_path):
    with Store(tmp_path / "plain.db") as store:
        ingest([write_feed(tmp_path, ARTICLES[:1])], store)
        assert store.count_targets()["total"] == 0
        assert store.count_search(about="Russia") == 0
        assert all("targets" not in r for r in store.search())
        assert store.stance_summary(by="target")["rows"] == []


def test_dask_path_carries_targets(tmp_path, db):
    from saidwhat.scale import load, run_dask

    records = ARTICLES[:2]
    out = tmp_path / "parts"
    report = run_dask([write_feed(tmp_path, records)], out, workers=1, processes=False, stance=True)
    assert report.added == 2
    with Store(tmp_path / "dask.db") as store, Store(db, readonly=True) as local:
        load(out, store)
        got = [(r["content_text"], [(t["name"], t["stance"]) for t in r["targets"]]) for r in store.search()]
        ids = [r["id"] for r in local.search(limit=100) if r["article"]["ext_id"] in ("kallas-warns", "kallas-praises")]
        want = [(r["content_text"], [(t["name"], t["stance"]) for t in r["targets"]])
                for r in local.search(limit=100) if r["id"] in ids]
        assert got == want and store.count_search(about="Finland", stance="positive") == 2


def test_export_carries_targets(db, tmp_path):
    from saidwhat.export import export

    with Store(db, readonly=True) as store:
        buf = io.StringIO()
        n = export(store, "jsonl", buf)
        rows = [json.loads(line) for line in buf.getvalue().splitlines()]
        assert len(rows) == n and all("targets" in r for r in rows)
        putin = next(t for r in rows for t in r["targets"] if t["name"] == "Putin")
        assert putin["key"] == "person:vladimir putin" and putin["speaker_id"] is not None
        buf = io.StringIO()
        export(store, "csv", buf)
        table = list(csv.DictReader(io.StringIO(buf.getvalue())))
        finland = [json.loads(r["targets"]) for r in table if "true friend" in r["content_text"]][0]
        assert finland[0]["name"] == "Finland" and finland[0]["stance"] == "positive"
        export(store, "parquet", tmp_path / "a.parquet")
    import pyarrow.parquet as pq
    col = pq.read_table(tmp_path / "a.parquet").column("targets").to_pylist()
    assert any(t["name"] == "Russia" and t["stance"] == "negative" and t["kind"] == "country"
               for ts in col for t in ts or [])


# ---------------------------------------------------------------- the CLI


def test_cli_search_about_stance_and_stance_command(db):
    res = runner.invoke(app, ["search", "--about", "Russia", "--stance", "negative", "-f", "json", "--db", str(db)])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 2 and all(any(t["name"] == "Russia" and t["stance"] == "negative" for t in r["targets"])
                                  for r in rows)
    res = runner.invoke(app, ["search", "--about", "Russia", "--db", str(db)])
    assert res.exit_code == 0 and "about:" in res.stdout and "negative" in res.stdout
    res = runner.invoke(app, ["search", "--stance", "furious", "--db", str(db)])
    assert res.exit_code == 2
    res = runner.invoke(app, ["stance", "--speaker", "Kallas", "--about", "Putin", "--by", "month", "-f", "json",
                              "--db", str(db)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert [r["key"] for r in report["rows"]] == ["2024-01", "2024-03"] and report["total"]["stances"]["negative"] == 3
    res = runner.invoke(app, ["stance", "--speaker", "Kallas", "--db", str(db)])  # how they talk about
    assert res.exit_code == 0 and "Kaja Kallas" in res.stdout and "Finland" in res.stdout and "Vladimir Putin" in res.stdout
    res = runner.invoke(app, ["stance", "--about", "Latvia", "--by", "speaker", "-f", "csv", "--db", str(db)])
    assert res.exit_code == 0
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert table[0]["speaker"] == "government spokesman" and table[0]["neutral"] == "2"


def test_cli_ingest_stance(tmp_path):
    feed = write_feed(tmp_path, ARTICLES[1:2])
    res = runner.invoke(app, ["ingest", str(feed), "--stance", "--db", str(tmp_path / "c.db")])
    assert res.exit_code == 0, res.output
    assert "targets in the store" in res.output
    with Store(tmp_path / "c.db", readonly=True) as store:
        assert store.count_search(about="Finland", stance="positive") == 2


# ---------------------------------------------------------------- the API and the pages


def test_api_attributions_about_stance(client):
    r = client.get("/api/attributions", params={"about": "Russia", "stance": "negative"})
    assert r.status_code == 200 and r.json()["total"] == 2
    assert all(t["key"] for res in r.json()["results"] for t in res["targets"])
    assert client.get("/api/attributions", params={"about": "Russia", "stance": "positive"}).json()["total"] == 0
    assert client.get("/api/attributions", params={"stance": "angry"}).status_code == 422
    assert client.get("/api/attributions", params={"about": "x" * 201}).status_code == 422


def test_api_stance_summary_and_speaker_targets(client, db):
    with Store(db, readonly=True) as store:
        kallas, putin = speaker_id(store, "Kaja Kallas"), speaker_id(store, "Vladimir Putin")
    r = client.get("/api/stance", params={"speaker": "Kallas", "about": "Putin", "by": "month"})
    assert r.status_code == 200
    assert [(x["key"], x["stances"]["negative"]) for x in r.json()["rows"]] == [("2024-01", 1), ("2024-03", 2)]
    assert client.get("/api/stance", params={"by": "day"}).status_code == 422
    assert client.get("/api/stance", params={"since": "2024-13-01"}).status_code == 422
    r = client.get("/api/stance", params={"speaker": kallas, "since": "2024-02-01", "by": "target"}).json()
    assert "Russia" not in [x["name"] for x in r["rows"]] and "Finland" in [x["name"] for x in r["rows"]]
    r = client.get(f"/api/speakers/{kallas}/targets").json()
    assert r["speaker"]["name"] == "Kaja Kallas" and r["targets"][0]["name"] == "Vladimir Putin"
    assert client.get("/api/speakers/999999/targets").status_code == 404
    sp = client.get(f"/api/speakers/{putin}").json()
    assert [(x["name"], x["stances"]["negative"]) for x in sp["talked_about"]] == [("Kaja Kallas", 3)]
    assert client.get("/openapi.json").json()["paths"]["/api/stance"]["get"]
    assert "/api/stance" in client.get("/docs").text
    bare = TestClient(create_app())  # no collection
    assert bare.get("/api/stance").status_code == 503 and bare.get("/api/speakers/1/targets").status_code == 503
    assert "no collection" in bare.get("/stance").text


def test_api_extract_with_stance(client):
    text = ARTICLES[1]["text"]
    plain = client.post("/api/extract", content=text, headers={"content-type": "text/plain"}).json()
    assert plain["attributions"] and all("targets" not in a for a in plain["attributions"])
    for kwargs in ({"params": {"stance": "true"}, "content": text, "headers": {"content-type": "text/plain"}},
                   {"json": {"text": text, "stance": True}}):
        r = client.post("/api/extract", **kwargs)
        assert r.status_code == 200, r.text
        targets = [t for a in r.json()["attributions"] for t in a["targets"]]
        assert any(t["name"] == "Finland" and t["stance"] == "positive" for t in targets)
    assert client.post("/api/extract", json={"text": text, "stance": "yes"}).status_code == 422
    assert client.post("/api/extract", params={"stance": "maybe"}, content=text,
                       headers={"content-type": "text/plain"}).status_code == 422


def test_pages_article_speaker_stance_search(client, db):
    with Store(db, readonly=True) as store:
        kallas = speaker_id(store, "Kaja Kallas")
        article_id = store.article_info("kallas-warns")["id"]
    html = client.get(f"/articles/{article_id}").text
    assert 'id="stance-legend"' in html and 'id="article-targets"' in html
    assert 'class="q tgt st-negative tgt-end c0"' in html or "tgt st-negative" in html
    assert "about Russia: negative" in html  # the stance in words, in the title
    html = client.get(f"/speakers/{kallas}").text
    assert 'id="talks-about"' in html and "svg" in html and 'class="st-negative"' in html
    assert "/stance?speaker=" in html
    html = client.get("/stance", params={"speaker": "Kallas", "about": "Putin"}).text
    assert "Kaja Kallas on Vladimir Putin" in html and "stance-timeline" in html
    html = client.get("/search", params={"about": "Finland", "stance": "positive"}).text
    assert "2 attributions" in html and "target-chip st-positive" in html
    assert client.get("/search", params={"stance": "angry"}, headers={"accept": "text/html"}).status_code == 400
    assert client.get("/stance", params={"by": "day"}, headers={"accept": "text/html"}).status_code == 400


def test_pages_escape_target_names(tmp_path):
    """A target's name is text on every page, whatever it holds."""
    text = 'Mayor Anna Berg said that <img src=x onerror=alert(1)> had failed the town.'
    name = "<img src=x onerror=alert(1)>"
    start = text.index(name)
    speaker = Speaker(id="s1", name="Anna Berg", mentions=[Span.of(text, 6, 15)])
    att = Attribution(type="indirect", content=Span.of(text, 26, len(text) - 1), cue=Span.of(text, 16, 20),
                      source=Span.of(text, 6, 15), speaker=speaker,
                      targets=[Target(name=name, kind="organisation", mentions=[Span.of(text, start, start + len(name))],
                                      stance="negative", probability=0.9)])
    article = Article(id="x1", text=text, attributions=[att], speakers=[speaker], published="2024-05-01")
    db = tmp_path / "x.db"
    with Store(db) as store:
        store.add_articles([(article, text_hash(text), "x1")])
        crossdoc.resolve(store)
        sid = speaker_id(store, "Anna Berg")
    client = TestClient(create_app(db))
    for url, params in (("/articles/1", {}), (f"/speakers/{sid}", {}), ("/stance", {"about": name}),
                        ("/search", {"about": name})):
        html = client.get(url, params=params).text
        assert "<img src=x" not in html and "&lt;img src=x" in html, url
        assert "target-chip st-negative" in html or "tgt st-negative" in html or "st-negative" in html
    assert client.get("/api/attributions", params={"about": name}).json()["total"] == 1


# ---------------------------------------------------------------- linking targets across a collection


def _article(id, sentences):
    """``sentences``: (text, source, (speaker name, kind) or None, [(target, kind, stance)]); the
    content is what follows " said "."""
    text = " ".join(s for s, _, _, _ in sentences)
    art = Article(id=id, text=text, published="2024-04-01")
    speakers: dict = {}
    pos = 0
    for sentence, source, sp, targets in sentences:
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        src = Span.of(text, start + sentence.index(source), start + sentence.index(source) + len(source))
        cue = start + sentence.index(" said ")
        content = Span.of(text, cue + 6, start + len(sentence) - 1)
        speaker = None
        if sp is not None:
            speaker = speakers.get(sp[0]) or speakers.setdefault(sp[0], Speaker(id=f"s{len(speakers) + 1}",
                                                                                   name=sp[0], kind=sp[1]))
            speaker.mentions.append(src)
        ts = []
        for name, kind, stance in targets:
            at = text.index(name, content.start)
            ts.append(Target(name=name, kind=kind, mentions=[Span.of(text, at, at + len(name))], stance=stance,
                             probability=0.9))
        art.attributions.append(Attribution(type="indirect", content=content, source=src, speaker=speaker,
                                            cue=Span.of(text, cue + 1, cue + 5), targets=ts))
    art.speakers = list(speakers.values())
    return art


def test_link_targets_across_the_collection(tmp_path):
    donald, melania = ("Donald Trump", "person"), ("Melania Trump", "person")
    joe, hunter = ("Joe Biden", "person"), ("Hunter Biden", "person")
    arts = [
        _article("t1", [(f"Donald Trump said that taxes were too high{i}.", "Donald Trump", donald, []) for i in range(12)]
                 + [("Melania Trump said that the garden was ready.", "Melania Trump", melania, [])]),
        _article("t2", [("Joe Biden said that the economy was growing.", "Joe Biden", joe, []),
                        ("Joe Biden said that jobs were back.", "Joe Biden", joe, []),
                        ("Hunter Biden said that he had done nothing wrong.", "Hunter Biden", hunter, [])]),
        _article("t3", [("Anna Berg said that Trump had lied and Biden had failed.", "Anna Berg", ("Anna Berg", "person"),
                         [("Trump", "organisation", "negative"), ("Biden", "person", "negative")]),
                        ("Anna Berg said that the government had failed Melbourne.", "Anna Berg", ("Anna Berg", "person"),
                         [("the government", "organisation", "negative"), ("Melbourne", "country", "neutral")])]),
        _article("t4", [("Ole Dahl said that the government had helped COVID-19 patients.", "Ole Dahl", ("Ole Dahl", "person"),
                         [("the government", "organisation", "positive"), ("COVID-19", "person", "neutral")]),
                        ("Melbourne City Council said that COVID-19 cases were down.", "Melbourne City Council",
                         ("Melbourne City Council", "organisation"), [("COVID-19", "organisation", "neutral")]),
                        ("Ole Dahl said that COVID-19 had hit the Kremlin and Hunter Biden.", "Ole Dahl", ("Ole Dahl", "person"),
                         [("COVID-19", "organisation", "negative"), ("Kremlin", "organisation", "neutral"),
                          ("Hunter Biden", "person", "neutral")]),
                        ("The Kremlin said that it was calm.", "The Kremlin", ("Kremlin", "organisation"), []),
                        ("Ole Dahl said that Biden had been ill.", "Ole Dahl", ("Ole Dahl", "person"),
                         [("Biden", "person", "neutral")])]),
    ]
    with Store(tmp_path / "l.db") as store:
        store.add_articles([(a, text_hash(a.text), a.id) for a in arts])
        crossdoc.resolve(store)
        ids = {s["name"]: s["id"] for s in store.speakers(limit=100)}
        rows = {(r["article_id"], r["article_name"]): dict(r) for r in store.conn.execute(
            "SELECT t.*, ar.ext_id FROM attribution_targets t JOIN articles ar ON ar.id = t.article_id")}
        by = {(r["ext_id"], r["article_name"]): r for r in rows.values()}
        # a bare surname the NER took for an organisation is the one Trump with nearly all the quotes
        assert by[("t3", "Trump")]["speaker_id"] == ids["Donald Trump"] and by[("t3", "Trump")]["name"] == "Donald Trump"
        # two Bidens of like weight: a bare "Biden" is neither, unless its article names one
        assert by[("t3", "Biden")]["speaker_id"] is None and by[("t3", "Biden")]["key"] == "person:biden"
        assert by[("t4", "Biden")]["speaker_id"] == ids["Hunter Biden"]
        assert by[("t4", "Hunter Biden")]["speaker_id"] == ids["Hunter Biden"]
        # an organisation by its name; a city is not the city council
        assert by[("t4", "Kremlin")]["speaker_id"] == ids["Kremlin"]
        assert by[("t3", "Melbourne")]["speaker_id"] is None and by[("t3", "Melbourne")]["key"] == "country:melbourne"
        # "the government" of two articles are two targets; COVID-19, once tagged a person, one
        assert by[("t3", "the government")]["key"] != by[("t4", "the government")]["key"]
        assert by[("t4", "COVID-19")]["key"] == "organisation:covid-19"
        assert store.stance_summary(about="COVID-19", by="target")["rows"][0]["n"] == 3
        assert store.count_search(about="the government") == 2


def test_unlinked_organisation_targets_in_two_spellings_are_one(tmp_path):
    """A target no speaker of the collection is keyed as a speaker would be: British and American
    spellings of one organisation are one target (stop 26 folded the speakers' keys only)."""
    arts = [_article("u1", [("Anna Berg said that the World Health Organization had acted late.", "Anna Berg",
                             ("Anna Berg", "person"), [("World Health Organization", "organisation", "negative")])]),
            _article("u2", [("Ole Dahl said that the World Health Organisation had done well.", "Ole Dahl",
                             ("Ole Dahl", "person"), [("World Health Organisation", "organisation", "positive")])])]
    with Store(tmp_path / "o.db") as store:
        store.add_articles([(a, text_hash(a.text), a.id) for a in arts])
        crossdoc.resolve(store)
        keys = {r[0]: r[1] for r in store.conn.execute("SELECT article_name, key FROM attribution_targets")}
        assert keys["World Health Organization"] == keys["World Health Organisation"] \
            == "organisation:world health organization"

