"""Reading folders, JSON Lines and WARC crawls (built here with warcio), and ingesting a WARC."""
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from saidwhat.errors import InputError
from saidwhat.ingest import ingest
from saidwhat.model import Article
from saidwhat.read import decode_html, read_located, read_path, read_paths
from saidwhat.store import Store

ROOT = Path(__file__).resolve().parent.parent
PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>
<meta property="og:site_name" content="{site}"><meta name="date" content="{date}"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>{title}</h1>{body}</article><footer>Copyright the publisher</footer></body></html>"""

KALLAS = ("<p>Estonia will raise defence spending next year, the government announced on Monday.</p>"
          "<p>\"We will not be rushed into a decision by anyone,\" Prime Minister Kaja Kallas told reporters "
          "in Tallinn after a cabinet meeting that lasted late into the night.</p>"
          "<p>The opposition said the budget plan was unrealistic and called for a vote in parliament.</p>")
MUELLER = ("<p>Die Regierung plant neue Ausgaben, und die Opposition protestiert.</p>"
           "<p>\"Wir lassen uns nicht drängen,\" sagte Jürgen Müller, Sprecher der Grünen, am Dienstag "
           "vor Journalisten in Köln. Die Debatte über den Haushalt geht weiter.</p>"
           "<p>\"Das ist ein großer Fehler für Düsseldorf,\" erklärte Müller später.</p>")
RUSSIAN = ("<p>Министр заявил, что бюджет будет принят в срок.</p>"
           "<p>\"Мы не позволим себя торопить,\" сказал Дмитрий Песков журналистам в Москве во вторник.</p>"
           "<p>Officials in Moscow said the decision would be announced later this week.</p>")


def _record(writer, uri, body, ctype="text/html; charset=utf-8", rtype="response", status="200 OK"):
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1") if rtype in ("response", "request") else None
    if rtype == "request":
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
    writer.write_record(writer.create_warc_record(uri, rtype, payload=io.BytesIO(body), http_headers=http,
                                                  warc_content_type="application/json" if rtype == "metadata" else None))


def build_warc(path, gz: bool, truncate: bool = True) -> None:
    """A crawl: 3 good HTML pages (UTF-8, windows-1252 declared in HTTP only, windows-1251 declared
    in <meta> only), a request, a metadata record, an image, a PDF, a 404 page, a redirect, and a
    last page truncated mid-record."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    _record(w, "https://news.example.ee/kallas", b"", rtype="request")
    _record(w, "https://news.example.ee/kallas", PAGE.format(charset="utf-8", title="Estonia raises defence spending",
            site="Example News", date="2024-03-04", body=KALLAS).encode("utf-8"))
    _record(w, "https://news.example.ee/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), ctype="image/png")
    _record(w, "https://news.example.ee/kallas", json.dumps({"links": 3}).encode(), rtype="metadata")
    _record(w, "https://zeitung.example.de/mueller",
            PAGE.format(charset="windows-1252", title="Müller: Wir lassen uns nicht drängen", site="Zeitung",
                        date="2024-03-05", body=MUELLER).replace('<meta charset="windows-1252">', "").encode("cp1252"),
            ctype="text/html; charset=windows-1252")
    _record(w, "https://news.example.ru/peskov", PAGE.format(charset="windows-1251", title="Песков о бюджете",
            site="Вести", date="2024-03-06", body=RUSSIAN).encode("cp1251"), ctype="text/html")
    _record(w, "https://news.example.ee/report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", ctype="application/pdf")
    _record(w, "https://news.example.ee/missing", b"<html><body>Not found</body></html>", status="404 Not Found")
    _record(w, "https://news.example.ee/old", b"<html><body>Moved</body></html>", status="301 Moved Permanently")
    _record(w, "https://news.example.ee/cut", PAGE.format(charset="utf-8", title="Cut", site="Example News",
            date="2024-03-07", body=KALLAS.replace("Kallas", "Michal")).encode("utf-8"))
    data = buf.getvalue()
    path.write_bytes(data[:-200] if truncate else data)


@pytest.mark.parametrize("gz", [False, True])
def test_read_warc_html_responses_only(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    build_warc(path, gz)
    items = list(read_located([path]))
    good = [(loc, a) for loc, a in items if isinstance(a, Article)]
    bad = [(loc, e) for loc, e in items if isinstance(e, InputError)]
    assert [a.url for _, a in good] == ["https://news.example.ee/kallas", "https://zeitung.example.de/mueller",
                                        "https://news.example.ru/peskov"]
    kallas, mueller, peskov = (a for _, a in good)
    assert "Prime Minister Kaja Kallas told reporters" in kallas.text
    assert "Home" not in kallas.text and "Copyright" not in kallas.text  # trafilatura kept the article only
    assert kallas.title == "Estonia raises defence spending" and kallas.published == "2024-03-04"
    assert kallas.outlet == "Example News"
    assert "Jürgen Müller" in mueller.text and "drängen" in mueller.text  # windows-1252 from the HTTP header
    assert "Дмитрий Песков" in peskov.text and peskov.title == "Песков о бюджете"  # windows-1251 from <meta>
    assert len(bad) == 1 and "truncated WARC record" in str(bad[0][1])
    assert bad[0][0].startswith(str(path) + "@")
    assert all(loc.startswith(str(path) + "@") for loc, _ in good)


def test_ingest_warc_stores_good_pages_and_records_failures(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    build_warc(path, gz=True)
    with Store(tmp_path / "c.db") as store:
        report = ingest([path], store)
        assert report.added == 3 and report.failed == 1
        assert store.count_articles() == 3
        failures = store.failures()
        assert len(failures) == 1 and failures[0]["stage"] == "read"
        assert "truncated" in failures[0]["reason"] and failures[0]["location"].startswith(str(path) + "@")
        urls = {r["url"] for r in store.articles()}
        assert urls == {"https://news.example.ee/kallas", "https://zeitung.example.de/mueller",
                        "https://news.example.ru/peskov"}
        hits = store.search("rushed decision")
        assert hits and hits[0]["article"]["url"] == "https://news.example.ee/kallas"
        assert "Kallas" in (hits[0]["source_text"] or "")
        # the same crawl again: nothing new, the failure not repeated
        again = ingest([path], store)
        assert again.added == 0 and again.known == 3
        assert store.count_articles() == 3 and store.count_failures() == 1


def test_read_folder_recursive_with_bad_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text('"We will win," the coach said after the game on Sunday.', encoding="utf-8")
    (tmp_path / "a" / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "b.html").write_bytes(PAGE.format(charset="utf-8", title="Kallas", site="Example News",
                                                  date="2024-03-04", body=KALLAS).encode())
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Officials said the bridge would reopen.", "outlet": "Daily"}) + "\n"
        + "{not json\n" + json.dumps({"id": "x2"}) + "\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    build_warc(tmp_path / "sub" / "crawl.warc", gz=False, truncate=False)
    items = list(read_located([tmp_path]))
    arts = [a for _, a in items if isinstance(a, Article)]
    errors = {loc.replace(str(tmp_path), ""): str(e) for loc, e in items if isinstance(e, InputError)}
    assert {a.id for a in arts} == {"one", "b", "x1", "https://news.example.ee/kallas", "https://zeitung.example.de/mueller",
                                    "https://news.example.ru/peskov", "https://news.example.ee/cut"}
    assert "empty" in errors["/a/empty.txt"] and "binary" in errors["/binary.txt"]
    assert "not JSON" in errors["/feed.jsonl:2"] and "no 'text'" in errors["/feed.jsonl:3"]
    assert not any("notes.md" in k for k in errors)
    x1 = next(a for a in arts if a.id == "x1")
    assert x1.outlet == "Daily"


def test_read_paths_keeps_its_behaviour(tmp_path, samples):
    # cli/extract.py relies on read_paths: articles and InputErrors, in order
    items = list(read_paths([str(tmp_path / "missing.txt"), str(ROOT / "src" / "saidwhat" / "samples" / "news.jsonl")]))
    assert isinstance(items[0], InputError) and "no such file" in str(items[0])
    assert [a.id for a in items[1:]] == [s["id"] for s in samples]
    assert list(read_path(ROOT / "tests" / "data"))[0].published == "2009-06-05"


def test_decode_html_charsets():
    assert decode_html("<meta charset='koi8-r'>Привет".encode("koi8-r"), "x") == "<meta charset='koi8-r'>Привет"
    assert decode_html("Grüße".encode("latin-1"), "x", "iso-8859-1") == "Grüße"
    assert decode_html("Grüße".encode("utf-8"), "x", "no-such-charset") == "Grüße"


def test_read_warc_http_encodings(tmp_path):
    import gzip

    html = PAGE.format(charset="utf-8", title="Kallas", site="Example News", date="2024-03-04", body=KALLAS).encode()
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for uri, body, headers in [
            ("https://e.example/gzip", gzip.compress(html), [("Content-Encoding", "gzip")]),
            ("https://e.example/chunked", b"%x\r\n%s\r\n0\r\n\r\n" % (len(html), html), [("Transfer-Encoding", "chunked")]),
            ("https://e.example/broken", b"\x1f\x8b\x08 not gzip at all", [("Content-Encoding", "gzip")])]:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), *headers], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))
    (tmp_path / "enc.warc.gz").write_bytes(buf.getvalue())
    items = [item for _, item in read_located([tmp_path / "enc.warc.gz"])]
    assert ["Prime Minister Kaja Kallas told reporters" in a.text for a in items[:2]] == [True, True]
    assert isinstance(items[2], InputError) and "Content-Encoding gzip" in str(items[2])
