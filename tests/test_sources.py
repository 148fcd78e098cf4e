"""Who gets quoted (``Store.sources_report``, ``saidwhat sources``, ``GET /api/sources``) and the
store's speaker columns (schema 2, and the migration of a schema-1 store), on articles built by hand
so that every count is known."""
import json
import sqlite3

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from saidwhat import crossdoc
from saidwhat.api import create_app
from saidwhat.cli import app
from saidwhat.model import Article, Attribution, Span, Speaker
from saidwhat.store import SCHEMA_VERSION, Store, text_hash

runner = CliRunner()


def _article(id, outlet, published, sentences):
    """``sentences``: (text, source, speaker key or None); speakers: key -> Speaker fields."""
    text = " ".join(s for s, _, _ in sentences)
    art = Article(id=id, text=text, outlet=outlet, published=published)
    speakers: dict = {}
    pos = 0
    for sentence, source, sp in sentences:
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        src = Span.of(text, start + sentence.index(source), start + sentence.index(source) + len(source))
        cue = sentence.index(" said ")
        content = Span.of(text, start + cue + 6, start + len(sentence) - 1)
        speaker = None
        if sp is not None:
            name, kind, gender, members = sp
            speaker = speakers.get(name)
            if speaker is None:
                speaker = speakers[name] = Speaker(id=f"s{len(speakers) + 1}", name=name, kind=kind, gender=gender,
                                                   members=list(members))
            speaker.mentions.append(src)
        art.attributions.append(Attribution(type="indirect", content=content, source=src, speaker=speaker,
                                            cue=Span.of(text, start + cue + 1, start + cue + 5)))
    art.speakers = list(speakers.values())
    return art


ANNA = ("Anna Berg", "person", "female", ())
OLE = ("Ole Dahl", "person", "male", ())
KIM = ("Kim Lee", "person", "unknown", ())
PORT = ("Port Authority", "organisation", "unknown", ())


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("sources") / "s.db"
    arts = [
        _article("a1", "North Post", "2024-03-04", [
            ("Anna Berg said that the port would open.", "Anna Berg", ANNA),
            ("Berg said that the ships were ready.", "Berg", ANNA),
            ("The Port Authority said that fees would rise.", "The Port Authority", PORT)]),
        _article("a2", "South Times", "2024-04-10", [
            ("Ole Dahl said that the plan was late.", "Ole Dahl", OLE),
            ("Someone said that it was raining.", "Someone", None),
            ("Kim Lee said that the vote was close.", "Kim Lee", KIM)]),
        _article("a3", "South Times", "2024-04-20", [
            ("Anna Berg and Ole Dahl said that they agreed.", "Anna Berg and Ole Dahl", None)]),
    ]
    # a3: a group speaker with its members
    a3 = arts[2]
    anna = Speaker(id="s2", name="Anna Berg", kind="person", gender="female")
    ole = Speaker(id="s3", name="Ole Dahl", kind="person", gender="male")
    group = Speaker(id="s1", name="Anna Berg and Ole Dahl", kind="group", members=["s2", "s3"],
                    mentions=[a3.attributions[0].source])
    a3.speakers = [group, anna, ole]
    a3.attributions[0].speaker = group
    with Store(path) as store:
        store.add_articles([(a, text_hash(a.text), a.id) for a in arts])
        crossdoc.resolve(store)
    return path


def test_sources_report_by_outlet_counts_kinds_and_referred_gender(db):
    with Store(db, readonly=True) as store:
        report = store.sources_report(by="outlet")
    rows = {r["key"]: r for r in report["rows"]}
    assert list(rows) == ["South Times", "North Post"]  # most attributions first
    north, south = rows["North Post"], rows["South Times"]
    assert north["n"] == 3 and north["kinds"]["person"] == 2 and north["kinds"]["organisation"] == 1
    assert north["people"] == 2 and north["genders"] == {"female": 2, "male": 0, "unknown": 0}
    assert north["gender_shares"]["female"] == 1.0 and north["kind_shares"]["person"] == round(2 / 3, 4)
    assert south["n"] == 4 and south["kinds"]["person"] == 2 and south["kinds"]["unresolved"] == 1
    assert south["kinds"]["group"] == 1 and south["genders"] == {"female": 0, "male": 1, "unknown": 1}
    total = report["total"]
    assert total["n"] == 7 and total["people"] == 4 and total["genders"] == {"female": 2, "male": 1, "unknown": 1}
    assert sum(total["kind_shares"].values()) == pytest.approx(1.0, abs=1e-3)


def test_sources_report_by_month_and_dates(db):
    with Store(db, readonly=True) as store:
        months = store.sources_report(by="month")
        april = store.sources_report(by="month", since="2024-04-01")
        with pytest.raises(ValueError):
            store.sources_report(by="week")
    assert [r["key"] for r in months["rows"]] == ["2024-03", "2024-04"]
    assert [r["key"] for r in april["rows"]] == ["2024-04"] and april["total"]["n"] == 4


def test_store_speakers_carry_kind_gender_and_members(db):
    with Store(db, readonly=True) as store:
        anna = store.speakers(name="Anna Berg", kind="person")[0]
        group = store.speakers(kind="group")[0]
        women = store.speakers(gender="female")
    assert anna["gender"] == "female" and anna["n_attributions"] == 2 and "Berg" in {a["alias"] for a in anna["aliases"]}
    assert [g["name"] for g in anna["groups"]] == ["Anna Berg and Ole Dahl"]
    assert {m["name"] for m in group["members"]} == {"Anna Berg", "Ole Dahl"} and group["gender"] == "unknown"
    assert [s["name"] for s in women] == ["Anna Berg"]


def test_cli_sources_and_speakers_gender(db):
    out = runner.invoke(app, ["sources", "--by", "outlet", "--db", str(db), "-f", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["total"]["n"] == 7
    out = runner.invoke(app, ["sources", "--by", "month", "--db", str(db), "-f", "csv"])
    assert out.exit_code == 0 and out.stdout.splitlines()[0].startswith("month,attributions,person")
    assert "2024-04" in out.stdout
    table = runner.invoke(app, ["sources", "--db", str(db)], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "North Post" in table.stdout and "100%" in table.stdout
    assert runner.invoke(app, ["sources", "--by", "week", "--db", str(db)]).exit_code != 0
    out = runner.invoke(app, ["speakers", "--gender", "male", "--db", str(db), "-f", "json"])
    assert [s["name"] for s in json.loads(out.stdout)] == ["Ole Dahl"]


def test_api_and_page_sources(db):
    client = TestClient(create_app(db))
    r = client.get("/api/sources", params={"by": "month"})
    assert r.status_code == 200 and [x["key"] for x in r.json()["rows"]] == ["2024-03", "2024-04"]
    assert client.get("/api/sources", params={"by": "week"}).status_code == 422
    assert client.get("/api/sources", params={"since": "yesterday"}).status_code == 422
    page = client.get("/sources", params={"by": "outlet"})
    assert page.status_code == 200 and "North Post" in page.text and 'class="k-person"' in page.text
    assert client.get("/sources", params={"by": "week"}).status_code == 400
    assert TestClient(create_app()).get("/api/sources").status_code == 503


def test_store_schema_1_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    art = _article("m1", "North Post", "2024-03-04", [("Anna Berg said that the port would open.", "Anna Berg", ANNA)])
    with Store(path) as store:
        store.add_articles([(art, text_hash(art.text), art.id)])
        crossdoc.resolve(store)
    # make it a store as schema 1 wrote it
    conn = sqlite3.connect(path)
    for table, cols in (("speakers", ("gender", "organisation", "country")),
                        ("article_speakers", ("gender", "organisation", "country", "members"))):
        for col in cols:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.execute("DROP TABLE speaker_members")
    conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with Store(path, readonly=True) as store:  # a read-only open upgrades it too, when the file allows
        assert store.speakers()[0]["gender"] == "unknown"
        assert store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == \
            str(SCHEMA_VERSION)
    with Store(path) as store:
        crossdoc.resolve(store)
        assert store.count_speakers() == 1
        assert store.article("m1").speakers[0].gender == "female"  # the article's JSON kept it
