"""The REST API and the pages through FastAPI's TestClient: every endpoint, good and bad input."""
import json
import re
import sqlite3
import time

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from saidwhat.api import create_app
from saidwhat.model import Article

# Articles written for these tests: one speaker over four weeks, a quote repeated with a small
# change in two outlets (a provenance cluster), and a quote that names another speaker.
SYNTHETIC = [
    {"id": "harbour-1", "outlet": "Harbour Gazette", "published": "2024-03-04",
     "title": "Eastport harbour to reopen in May",
     "text": "Maria Lindqvist, the mayor of Eastport, said on Monday that the harbour would reopen in May.\n\n"
             "\"We will not let Tomas Berg decide the future of this port,\" Lindqvist told reporters."},
    {"id": "harbour-2", "outlet": "Coastal Times", "published": "2024-03-13",
     "title": "Mayor insists on May reopening",
     "text": "\"The harbour will reopen in May, and nobody will stop it,\" Maria Lindqvist said on Wednesday.\n\n"
             "The mayor added that the budget had been approved."},
    {"id": "harbour-3", "outlet": "Coastal Times", "published": "2024-03-19",
     "title": "Opposition attacks port plan",
     "text": "\"The port plan is a mistake,\" Tomas Berg, the opposition leader, said on Tuesday."},
    {"id": "harbour-4", "outlet": "Harbour Gazette", "published": "2024-03-27",
     "title": "Council backs harbour plan",
     "text": "\"The harbour will reopen in May and nobody will stop it,\" Mayor Maria Lindqvist said.\n\n"
             "Lindqvist said the city council had agreed."},
]
SCRIPT_TEXT = ('"<script>window.__pwned = 1</script> is not a plan," Maria Lindqvist said. '
               '<img src=x onerror="window.__pwned = 2"> She added that "<b>bold</b>" was fine.')
SQLISH = ["' OR 1=1 --", "\"; DROP TABLE attributions; --", "harbour) UNION SELECT * FROM articles --",
          "NEAR(a b)", "*", "\"", "-", "AND OR NOT", "%", "_"]


def build_store(directory, samples):
    """A store built with the store's own ingest from the bundled samples and SYNTHETIC."""
    from saidwhat.ingest import ingest
    from saidwhat.store import Store

    source = directory / "articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in samples + SYNTHETIC), encoding="utf-8")
    db = directory / "collection.db"
    with Store(db) as store:
        ingest([source], store)
    return db


@pytest.fixture(scope="session")
def store_path(tmp_path_factory, samples):
    return build_store(tmp_path_factory.mktemp("store"), samples)


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


@pytest.fixture(scope="module")
def store_client(store_path):
    return TestClient(create_app(store_path))


def is_error(r, status):
    assert r.status_code == status, r.text[:500]
    body = r.json()
    assert body["status"] == status and isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body["message"]


# ---------------------------------------------------------------- extract

def test_api_extract_plain_text(client):
    r = client.post("/api/extract", content='"We will not be rushed," the prime minister said.'.encode(),
                    headers={"content-type": "text/plain; charset=utf-8"})
    assert r.status_code == 200
    article = Article.from_dict(r.json())  # the data model's own shape
    assert article.attributions and article.attributions[0].cue.text == "said"
    assert r.json() == article.to_dict()


def test_api_extract_json_with_metadata(client):
    r = client.post("/api/extract", json={"text": '"It is done," Kallas said.', "id": "a1",
                                          "title": "Done", "outlet": "Tallinn Times", "published": "2024-01-02"})
    assert r.status_code == 200
    body = r.json()
    assert (body["id"], body["title"], body["outlet"], body["published"]) == ("a1", "Done", "Tallinn Times", "2024-01-02")
    assert body["attributions"][0]["content_text"].strip("\"").startswith("It is done")


def test_api_extract_html(client):
    html = ("<html><head><title>Port news</title></head><body><article><h1>Port news</h1>"
            "<p>\"The harbour will reopen in May, and nobody will stop it,\" Maria Lindqvist said on "
            "Wednesday at a press conference in the town hall of Eastport.</p>"
            "<p>The mayor added that the budget had been approved by the council after a long debate.</p>"
            "</article></body></html>")
    for headers in ({"content-type": "text/html"}, {"content-type": "text/plain"}):
        r = client.post("/api/extract", content=html.encode(), headers=headers)
        if headers["content-type"] == "text/plain":  # plain text is taken as it is, tags and all
            assert r.status_code == 200 and "<p>" in r.json()["text"]
        else:
            assert r.status_code == 200 and "<p>" not in r.json()["text"]
            assert any("harbour" in a["content_text"] for a in r.json()["attributions"])
    r = client.post("/api/extract", json={"text": html, "format": "html"})
    assert r.status_code == 200 and "<p>" not in r.json()["text"]


@pytest.mark.parametrize("body,ctype", [(b"", "text/plain"), (b"   \n\t ", "text/plain"),
                                        (b'{"text": ""}', "application/json"),
                                        (b'{"text": "  "}', "application/json")])
def test_api_extract_empty(client, body, ctype):
    assert "empty" in is_error(client.post("/api/extract", content=body, headers={"content-type": ctype}), 400)


@pytest.mark.parametrize("body", [b'{"text": ', b"{'text': 'x'}", b'{"text": "a"', b"\xff\xfe{"])
def test_api_extract_malformed_json(client, body):
    is_error(client.post("/api/extract", content=body, headers={"content-type": "application/json"}), 400)


@pytest.mark.parametrize("payload", [[], ["text"], "text", 3, None, {"txt": "a"}, {"text": 5},
                                     {"text": ["a"]}, {"text": "a", "format": "pdf"}, {"text": "a", "title": {}}])
def test_api_extract_wrong_json(client, payload):
    is_error(client.post("/api/extract", content=json.dumps(payload).encode(),
                         headers={"content-type": "application/json"}), 422)


def test_api_extract_binary(client):
    data = bytes(range(256)) * 8
    is_error(client.post("/api/extract", content=data, headers={"content-type": "application/octet-stream"}), 415)
    assert "binary" in is_error(client.post("/api/extract", content=b"\x00\x01" + data,
                                            headers={"content-type": "text/plain"}), 400)
    is_error(client.post("/api/extract", content=b"PK\x03\x04\x00\x00" + data,
                         headers={"content-type": "image/png"}), 415)


def test_api_extract_json_with_nul(client):
    assert "binary" in is_error(client.post("/api/extract", json={"text": "a\x00b said"}), 400)


def test_api_extract_huge_413():
    small = TestClient(create_app(max_body_bytes=1000))
    assert "1,000 bytes" in is_error(small.post("/api/extract", content=b"x" * 1001,
                                                headers={"content-type": "text/plain"}), 413)
    # the default limit, 2 MB
    client = TestClient(create_app())
    is_error(client.post("/api/extract", content=b"said " * 500_000, headers={"content-type": "text/plain"}), 413)


def test_api_extract_huge_streamed_413():
    """No Content-Length (chunked): the body is counted as it arrives."""
    small = TestClient(create_app(max_body_bytes=1000))

    def chunks():
        for _ in range(20):
            yield b"y" * 100

    r = small.post("/api/extract", content=chunks(), headers={"content-type": "text/plain"})
    is_error(r, 413)


def test_api_extract_time_limit():
    def slow(article):
        time.sleep(2)
        return article

    client = TestClient(create_app(extract_timeout=0.2, extractor=slow))
    t0 = time.perf_counter()
    assert "longer than 0.2 s" in is_error(client.post("/api/extract", json={"text": "Hello there."}), 503)
    assert time.perf_counter() - t0 < 1.5


def test_api_internal_error_is_json_without_trace():
    def broken(article):
        raise RuntimeError("secret internal detail /etc/passwd")

    client = TestClient(create_app(extractor=broken), raise_server_exceptions=False)
    message = is_error(client.post("/api/extract", json={"text": "Hello there."}), 500)
    assert "secret" not in message and "RuntimeError" in message
    r = client.post("/", data={"text": "Hello there."}, headers={"accept": "text/html"})
    assert r.status_code == 500 and "secret" not in r.text and "Traceback" not in r.text


def test_api_wrong_method_and_unknown_path(client):
    is_error(client.get("/api/extract"), 405)
    is_error(client.get("/api/nothing-here"), 404)
    is_error(client.delete("/api/attributions"), 405)


# ---------------------------------------------------------------- token

def test_api_token_required():
    client = TestClient(create_app(token="s3cret-token"))
    for path in ("/api/health", "/api/speakers", "/", "/search", "/openapi.json", "/docs", "/static/style.css"):
        r = client.get(path)
        assert r.status_code == 401, path
        assert r.headers["www-authenticate"] == "Bearer"
    is_error(client.post("/api/extract", json={"text": '"Hi," she said.'}), 401)
    is_error(client.get("/api/health", headers={"authorization": "Bearer wrong"}), 401)
    is_error(client.get("/api/health", headers={"authorization": "Basic czNjcmV0LXRva2Vu"}), 401)
    is_error(client.get("/api/health", headers={"authorization": "Bearer "}), 401)
    # no body is read before the token is checked: a huge body still gets 401, not 413
    is_error(client.post("/api/extract", content=b"x" * 3_000_000, headers={"content-type": "text/plain"}), 401)
    ok = {"authorization": "Bearer s3cret-token"}
    assert client.get("/api/health", headers=ok).status_code == 200
    r = client.post("/api/extract", json={"text": '"Hi," she said.'}, headers=ok)
    assert r.status_code == 200 and r.json()["attributions"]
    assert client.get("/openapi.json", headers=ok).status_code == 200


def test_page_token_login_sets_cookie():
    client = TestClient(create_app(token="s3cret-token"))
    r = client.get("/", headers={"accept": "text/html"})
    assert r.status_code == 401 and "/login" in r.text and "<html" in r.text
    assert client.get("/login").status_code == 200
    assert client.post("/login", data={"token": "nope"}).status_code == 401
    r = client.post("/login", data={"token": "s3cret-token"}, follow_redirects=False)
    assert r.status_code == 303 and "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    assert client.get("/").status_code == 200  # the cookie now travels with each request
    assert client.get("/api/health").status_code == 200


def test_token_from_environment(monkeypatch, tmp_path):
    from saidwhat.api import app_from_env

    monkeypatch.setenv("SAIDWHAT_TOKEN", "from-env")
    monkeypatch.delenv("SAIDWHAT_DB", raising=False)
    client = TestClient(app_from_env())
    assert client.get("/api/health").status_code == 401
    assert client.get("/api/health", headers={"authorization": "Bearer from-env"}).status_code == 200


def test_serve_command_defaults_to_loopback():
    import inspect

    from typer.testing import CliRunner

    from saidwhat.cli import app
    from saidwhat.cli.serve import serve

    params = inspect.signature(serve).parameters
    assert params["host"].default.default == "127.0.0.1"
    assert params["token"].default.envvar == "SAIDWHAT_TOKEN"
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--token" in result.output
    result = CliRunner().invoke(app, ["serve", "--db", "/nonexistent/x.db"])
    assert result.exit_code == 1


# ---------------------------------------------------------------- headers, schema, docs, assets

def test_security_headers_and_no_cdn(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    for path in ("/", "/docs", "/search", "/login"):
        html = client.get(path).text
        assert "cdn" not in html.lower()
        for attr in ("src=\"", "href=\""):
            for chunk in html.split(attr)[1:]:
                url = chunk.split("\"", 1)[0]
                assert not url.startswith(("//", "http:", "https:")) or url.startswith("https://creativecommons"), url
    for asset in ("/static/style.css", "/static/app.js", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200


def test_openapi_and_docs(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/extract", "/api/attributions", "/api/speakers", "/api/speakers/{speaker_id}",
                 "/api/articles/{article_id}", "/api/clusters/{cluster_id}"):
        assert path in schema["paths"]
    assert set(schema["paths"]["/api/extract"]["post"]["requestBody"]["content"]) >= {"application/json", "text/plain"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/attributions" in docs.text


def test_no_store_is_503(client):
    for path in ("/api/attributions", "/api/speakers", "/api/speakers/1", "/api/articles/1", "/api/clusters/1"):
        assert "--db" in is_error(client.get(path), 503)
    r = client.get("/search?q=x")
    assert r.status_code == 200 and "no collection" in r.text


def test_missing_store_file(tmp_path):
    from saidwhat.errors import StoreError

    with pytest.raises(StoreError):
        create_app(tmp_path / "missing.db")


# ---------------------------------------------------------------- the article page (paste)

def test_page_home(client):
    r = client.get("/")
    assert r.status_code == 200 and "<textarea" in r.text and "/samples/" in r.text


def test_page_paste_escapes_markup(client):
    r = client.post("/", data={"text": SCRIPT_TEXT})
    assert r.status_code == 200
    body = r.text
    assert "<script>window" not in body and "<img src=x" not in body and "<b>bold" not in body
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in body
    assert 'class="q ' in body  # highlighted
    data = body.split('id="attributions-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data  # the JSON for the details card is escaped too
    json.loads(data)


def test_page_paste_empty(client):
    r = client.post("/", data={"text": "   "})
    assert r.status_code == 400 and "empty" in r.text and "<textarea" in r.text
    r = client.post("/", data={})
    assert r.status_code == 400


def test_page_sample(client, samples):
    r = client.get(f"/samples/{samples[4]['id']}")
    assert r.status_code == 200 and 'id="speaker-list"' in r.text and 'class="q c0' in r.text
    assert "CC BY" in r.text  # the licence credit
    r = client.get("/samples/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and "<html" in r.text
    is_error(client.get("/samples/nope"), 404)


# ---------------------------------------------------------------- the collection

def test_api_search_filters(store_client):
    everything = store_client.get("/api/attributions?limit=500").json()
    assert everything["total"] == len(everything["results"]) > 20
    r = store_client.get("/api/attributions", params={"q": "harbour reopen"}).json()
    assert r["total"] >= 2 and all("harbour" in a["content_text"].lower() or "harbour" in (a["source_text"] or "").lower()
                                   for a in r["results"])
    first = r["results"][0]
    assert Article.from_dict({"text": "x" * first["content"][1], "attributions": [first]})  # model shape
    r = store_client.get("/api/attributions", params={"speaker": "Lindqvist"}).json()
    assert r["total"] >= 3
    r = store_client.get("/api/attributions", params={"outlet": "Coastal Times"}).json()
    assert r["total"] >= 2 and {a["article"]["outlet"] for a in r["results"]} == {"Coastal Times"}
    r = store_client.get("/api/attributions", params={"since": "2024-03-10", "until": "2024-03-20"}).json()
    assert r["total"] >= 2 and all("2024-03-10" <= a["article"]["published"] <= "2024-03-20" for a in r["results"])
    r = store_client.get("/api/attributions", params={"type": "direct", "outlet": "Harbour"}).json()
    assert r["total"] >= 1 and {a["type"] for a in r["results"]} == {"direct"}
    page1 = store_client.get("/api/attributions", params={"limit": 5}).json()
    page2 = store_client.get("/api/attributions", params={"limit": 5, "offset": 5}).json()
    assert len(page1["results"]) == 5 and {a["id"] for a in page1["results"]}.isdisjoint(a["id"] for a in page2["results"])


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 10_000}, {"offset": -1}, {"type": "quoted"},
                                    {"since": "yesterday"}, {"until": "2024-13-45"}, {"limit": "ten"},
                                    {"q": "x" * 600}, {"min_confidence": 1.5}, {"min_confidence": -0.1},
                                    {"min_confidence": "nan"}, {"min_confidence": "high"}])
def test_api_search_bad_params(store_client, params):
    is_error(store_client.get("/api/attributions", params=params), 422)


def test_api_min_confidence(store_client):
    """``min_confidence`` keeps the attributions at least that confident, on the search and on
    the reports built on the same filters; out of 0..1 it is a 422 that names it."""
    everything = store_client.get("/api/attributions", params={"limit": 500}).json()["results"]
    for level in (0.8, 0.95):
        r = store_client.get("/api/attributions", params={"min_confidence": level, "limit": 500}).json()
        assert 0 < r["total"] < len(everything)
        assert all(a["confidence"] >= level for a in r["results"])
        assert [a["id"] for a in r["results"]] == [a["id"] for a in everything if a["confidence"] >= level]
        sources = store_client.get("/api/sources", params={"min_confidence": level}).json()
        assert sources["total"]["n"] == r["total"]
        assert store_client.get("/api/stance", params={"min_confidence": level}).status_code == 200
    for route in ("/api/attributions", "/api/sources", "/api/stance"):
        for bad in ("1.01", "-1", "inf", "likely"):
            assert "min_confidence" in is_error(store_client.get(route, params={"min_confidence": bad}), 422)
    schema = store_client.get("/openapi.json").json()
    param = next(p for p in schema["paths"]["/api/attributions"]["get"]["parameters"] if p["name"] == "min_confidence")
    assert "93%" in param["description"]


@pytest.mark.parametrize("text", SQLISH)
def test_api_search_sql_looking_text(store_client, store_path, text):
    before = sqlite3.connect(store_path).execute("select count(*) from attributions").fetchone()[0]
    for key in ("q", "speaker", "outlet"):
        r = store_client.get("/api/attributions", params={key: text})
        assert r.status_code == 200, (key, text, r.text)
        assert r.json()["total"] <= before
    assert store_client.get("/api/speakers", params={"q": text}).status_code == 200
    r = store_client.get("/search", params={"q": text})
    assert r.status_code == 200
    assert sqlite3.connect(store_path).execute("select count(*) from attributions").fetchone()[0] == before


def test_store_is_read_only(store_client):
    store = store_client.app.state.store.store
    assert store.readonly
    with pytest.raises(sqlite3.OperationalError):
        store.conn.execute("DELETE FROM attributions")


def test_api_speakers(store_client):
    r = store_client.get("/api/speakers").json()
    assert r["total"] >= 5 and r["results"]
    top = r["results"][0]
    assert {"id", "name", "kind", "aliases", "roles", "n_attributions", "n_articles", "first_seen",
            "last_seen"} <= set(top)
    assert [s["n_attributions"] for s in r["results"]] == sorted((s["n_attributions"] for s in r["results"]), reverse=True)
    found = store_client.get("/api/speakers", params={"q": "Lindqvist"}).json()["results"]
    assert found and "Lindqvist" in found[0]["name"]
    is_error(store_client.get("/api/speakers", params={"limit": 0}), 422)
    people = store_client.get("/api/speakers", params={"kind": "person", "limit": 500}).json()["results"]
    orgs = store_client.get("/api/speakers", params={"kind": "organisation", "limit": 500}).json()["results"]
    assert people and orgs and {s["kind"] for s in people} == {"person"} and {s["kind"] for s in orgs} == {"organisation"}
    assert len(people) + len(orgs) <= r["total"]
    # the articles never call her "she": her gender is unknown (never guessed from "Maria")
    unknown = store_client.get("/api/speakers", params={"kind": "person", "gender": "unknown"}).json()["results"]
    assert any("Lindqvist" in s["name"] for s in unknown) and {s["gender"] for s in unknown} == {"unknown"}
    is_error(store_client.get("/api/speakers", params={"kind": "planet"}), 422)


def lindqvist(client):
    return client.get("/api/speakers", params={"q": "Maria Lindqvist"}).json()["results"][0]


def test_api_speaker(store_client):
    sid = lindqvist(store_client)["id"]
    r = store_client.get(f"/api/speakers/{sid}")
    assert r.status_code == 200
    sp = r.json()
    assert sp["name"] == "Maria Lindqvist"
    assert {"Lindqvist", "Mayor Maria Lindqvist"} <= {a["alias"] for a in sp["aliases"]}
    weeks = [w["week"] for w in sp["timeline"]]
    assert weeks == sorted(weeks) and len(weeks) >= 3 and weeks[0] == "2024-03-04"
    assert sum(w["count"] for w in sp["timeline"]) == sp["n_attributions"]
    assert "Tomas Berg" in [m["name"] for m in sp["mentions"]]
    assert sp["attributions"] and all(a["speaker_id"] == sid for a in sp["attributions"])


@pytest.mark.parametrize("bad", ["999999", "0", "abc", "1 OR 1=1", "1;DROP TABLE speakers", "-1", "9" * 40, "%00"])
def test_api_unknown_ids(store_client, bad):
    for what in ("speakers", "clusters", "articles"):
        is_error(store_client.get(f"/api/{what}/{bad}"), 404)


def test_api_article(store_client):
    hit = store_client.get("/api/attributions", params={"q": "mistake"}).json()["results"][0]
    r = store_client.get(f"/api/articles/{hit['article']['id']}")
    assert r.status_code == 200
    d = r.json()
    article = Article.from_dict(d)
    assert article.id == "harbour-3" and article.outlet == "Coastal Times" and article.attributions
    assert d["store_id"] == hit["article"]["id"] and d["hash"] == hit["article"]["hash"]
    assert d["attributions"][0]["speaker_id"] is not None
    # also by the input's id and by content hash
    assert store_client.get("/api/articles/harbour-3").json()["store_id"] == d["store_id"]
    assert store_client.get(f"/api/articles/{d['hash']}").json()["store_id"] == d["store_id"]


def test_api_cluster(store_client):
    hit = store_client.get("/api/attributions", params={"q": "nobody will stop", "type": "direct"}).json()["results"][0]
    assert hit["cluster_id"] is not None
    c = store_client.get(f"/api/clusters/{hit['cluster_id']}").json()
    assert c["n_articles"] == 2 and c["n_outlets"] == 2 and len(c["variants"]) == 2
    assert c["first_seen"]["outlet"] == "Coastal Times" and c["first_seen"]["published"] == "2024-03-13"


# ---------------------------------------------------------------- collection pages

def test_page_search(store_client):
    r = store_client.get("/search", params={"q": "harbour", "type": "direct"})
    assert r.status_code == 200 and 'class="result"' in r.text and "/articles/" in r.text
    assert "/clusters/" in r.text and "/speakers/" in r.text
    assert "<mark>harbour</mark>" in r.text.lower()  # the words searched for are marked in each result
    assert store_client.get("/search", params={"since": "nope"}).status_code == 400
    r = store_client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200 and "<script>alert" not in r.text


def test_page_search_min_confidence(store_client):
    """The search form's confidence choice filters, stays selected, travels in the pager's links,
    and each result shows its confidence; a bad value is the form's error, not a crash."""
    everything = store_client.get("/search", params={"limit": 500}).text
    shown = [float(x) for x in re.findall(r'<span class="conf[^"]*" title="[^"]*">([0-9.]+)</span>', everything)]
    assert len(shown) == everything.count('<li class="result">') > 20
    assert min(shown) < 0.6 and 'class="conf conf-low"' in everything  # the doubtful ones stand out
    r = store_client.get("/search", params={"min_confidence": "0.95", "limit": 5})
    assert r.status_code == 200
    assert re.search(r'<option value="0.95" selected>confident', r.text)
    badges = [float(x) for x in re.findall(r'<span class="conf[^"]*" title="[^"]*">([0-9.]+)</span>', r.text)]
    assert len(badges) == 5 and all(b >= 0.95 for b in badges)
    total = int(re.search(r"<h2>([\d,]+) attribution", r.text).group(1).replace(",", ""))
    assert 0 < total < len(shown) and total == sum(x >= 0.95 for x in shown)
    assert "min_confidence=0.95&amp;offset=5" in r.text  # the next page keeps the filter
    r = store_client.get("/search", params={"min_confidence": "0.80"})  # the same as the "0.8" choice
    assert re.search(r'<option value="0.8" selected>likely', r.text)
    r = store_client.get("/search", params={"min_confidence": "0.9"})  # typed by hand: shown as its own choice
    assert r.status_code == 200 and re.search(r'<option value="0.9" selected>', r.text)
    for bad in ("1.5", "high", "nan"):
        r = store_client.get("/search", params={"min_confidence": bad})
        assert r.status_code == 400 and "confidence: a number from 0 to 1" in r.text


def test_pages_show_a_direct_quote_in_one_pair_of_marks(store_client):
    """A direct quote keeps the article's own marks: the pages do not wrap it in a second pair
    (“"..."”), and a quote whose text has no marks gets curly ones."""
    from saidwhat.web import quoted

    r = store_client.get("/search", params={"q": "harbour", "type": "direct"})
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", r.text, re.S)
    assert quotes and all(q.strip()[:1] in ("&", "“", "‘") for q in quotes)
    assert not any(q.startswith("“&#34;") or q.startswith("““") for q in quotes), quotes[:3]
    assert quoted("We will not be rushed") == "“We will not be rushed”"
    assert quoted('"We will not be rushed," ') == '"We will not be rushed,"'


def test_page_speakers_and_speaker(store_client):
    r = store_client.get("/speakers")
    assert r.status_code == 200 and "Maria Lindqvist" in r.text
    r = store_client.get("/speakers", params={"kind": "organisation"})
    assert r.status_code == 200 and "Maria Lindqvist" not in r.text
    sid = lindqvist(store_client)["id"]
    r = store_client.get(f"/speakers/{sid}")
    assert r.status_code == 200
    assert r.text.count('<rect class="bar"') >= 3 and "Tomas Berg" in r.text and "Mayor Maria Lindqvist" in r.text
    assert store_client.get("/speakers/424242", headers={"accept": "text/html"}).status_code == 404


def test_page_article_and_cluster(store_client):
    r = store_client.get("/articles/harbour-2")
    assert r.status_code == 200 and 'class="q c0' in r.text and "/speakers/" in r.text
    hit = store_client.get("/api/attributions", params={"q": "nobody will stop"}).json()["results"][0]
    r = store_client.get(f"/clusters/{hit['cluster_id']}")
    assert r.status_code == 200 and "Coastal Times" in r.text and "Harbour Gazette" in r.text
    assert r.text.count('class="variant ') == 2


def test_page_search_marks_the_speaker_a_search_matched(store_client):
    """The index holds each source's words too, so a result can match by who spoke: the words
    searched for are marked in the speaker's name as in the quote."""
    rows = store_client.get("/api/attributions", params={"limit": 500}).json()["results"]
    row = next(a for a in rows if a["speaker_id"] and a["source_text"] == a["speaker_name"]
               and a["speaker_name"].split()[-1].lower() not in a["content_text"].lower())
    word = row["speaker_name"].split()[-1]
    page = store_client.get("/search", params={"q": word, "limit": 500}).text
    assert f'<a href="/speakers/{row["speaker_id"]}">' in page
    link = page.split(f'<a href="/speakers/{row["speaker_id"]}">', 1)[1].split("</a>", 1)[0]
    assert f"<mark>{word}</mark>" in link


def test_page_search_shows_a_split_content_without_its_cue(store_client):
    """A content in two parts (a quote split around "she said", a clause around "according to
    X") shows its parts joined by " … " in the results, not the cue and source between them."""
    rows = store_client.get("/api/attributions", params={"limit": 500}).json()["results"]
    split = next(a for a in rows if len(a["content_parts"]) == 2 and a["cue"] is not None
                 and a["content_parts"][0][1] <= a["cue"][0] < a["content_parts"][1][0])
    start = split["content"][0]
    first, second = (split["content_text"][a - start:b - start].strip() for a, b in split["content_parts"])
    between = split["content_text"][split["content_parts"][0][1] - start:split["content_parts"][1][0] - start]
    assert split["cue_text"] in between
    words = " ".join(second.strip("\"“”'‘’").split()[:4])
    page = store_client.get("/search", params={"q": words, "limit": 500}).text
    import html
    import re
    shown = html.unescape(re.sub(r"</?mark>", "", page))  # the words searched for are marked
    assert f"{first} … {second}" in shown
    assert f"{first}{between}{second}" not in shown


def test_highlight_marks_query_words_and_escapes_everything_else():
    from saidwhat.web import highlight

    assert str(highlight("Climate change & <b>climates</b>", "climate*")) == \
        "<mark>Climate</mark> change &amp; &lt;b&gt;<mark>climates</mark>&lt;/b&gt;"
    assert str(highlight("Climate change", "climate AND change")) == "<mark>Climate</mark> <mark>change</mark>"
    assert str(highlight("a & b", "amp")) == "a &amp; b"  # never inside an escaped character
    assert str(highlight("<i>x</i>", None)) == "&lt;i&gt;x&lt;/i&gt;"


@pytest.mark.parametrize("text,query", [
    ("President Erdoğan spoke", "erdogan"), ("President Erdogan spoke", "Erdoğan"),
    ("İstanbul's mayor", "istanbul"), ("Antonín Dvořák wrote", "dvorak"), ("a naïve café", "cafe naive"),
    ("Łukasz Kowalski said", "lukasz"), ("the Øresund bridge", "oresund"), ("Straße", "strasse"),
    ("Ørsted's chief", "Ørsted"), ("ERDOĞAN", "erdo*"),
])
def test_highlight_marks_what_the_full_text_index_matches(text, query):
    """Search finds words whatever their diacritics (the FTS5 unicode61 tokenizer folds them), so
    the words marked in a result are those: a search for "erdogan" marks "Erdoğan". A letter the
    index does not fold ("Ł", "Ø", "ß") is not marked either."""
    from saidwhat.web import highlight

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61')")
    db.execute("INSERT INTO t VALUES (?)", (text,))
    found = db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()[0] > 0
    shown = str(highlight(text, query))
    assert ("<mark>" in shown) == found
    assert re.sub(r"</?mark>", "", shown) == str(escape(text))  # the text itself, unchanged


def test_a_punctuation_cue_is_not_shown_beside_its_speaker():
    """A transcript label's colon or a credit line's dash is the cue of its quote, but beside the
    speaker on a result card it read " · : · "."""
    from saidwhat.web import cue_shown

    assert cue_shown(":") == "" and cue_shown(" ― ") == "" and cue_shown(None) == ""
    assert cue_shown("told reporters") == "told reporters" and cue_shown("said:") == "said:"
