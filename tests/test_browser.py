"""The web page in a real headless Chromium (Debian's ``chromium``; never a downloaded browser),
driven by playwright against ``saidwhat``'s app served by uvicorn on 127.0.0.1."""
import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")]

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, samples):
    from test_api import build_store

    yield from serve(build_store(tmp_path_factory.mktemp("browser-store"), samples))


@pytest.fixture(scope="module")
def stance_server(tmp_path_factory):
    """A collection ingested with stance: the articles of test_stance_store."""
    from test_stance_store import build_stance_store

    yield from serve(build_stance_store(tmp_path_factory.mktemp("browser-stance")))


def serve(db):
    import uvicorn

    from saidwhat.api import create_app

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    # a Content-Security-Policy violation (an inline style or script) is a console error
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def test_browser_paste_sample_article(server, page, samples):
    sample = next(s for s in samples if s["id"].startswith("wn-2019-01-07"))
    page.goto(server + "/")
    page.fill("#paste-text", sample["text"])
    page.click("#paste-submit")
    page.wait_for_selector("#article-text .q")
    assert page.locator("#article-text .q").count() >= 5
    assert page.locator("#article-text .src").count() >= 3 and page.locator("#article-text .cue").count() >= 3
    speakers = page.locator("#speaker-list .speaker h3").all_inner_texts()
    assert len(speakers) >= 3 and any("Trump" in s for s in speakers)
    # one colour per speaker: different speakers' quotes get different colour classes
    colours = {c.split()[-1] for c in page.locator("#article-text .q").evaluate_all("els => els.map(e => e.className)")}
    assert len(colours) >= 3
    # clicking a quote shows who said it, the cue, the type and the confidence
    page.locator("#article-text .q").first.click()
    card = page.locator("#card")
    card.wait_for(state="visible")
    assert card.locator('[data-f="speaker"]').inner_text().strip() not in ("", "—") or \
        card.locator('[data-f="source"]').inner_text().strip() not in ("", "—")
    assert card.locator('[data-f="type"]').inner_text() in ("direct", "indirect", "mixed")
    assert float(card.locator('[data-f="confidence"]').inner_text()) > 0
    # a quote in the side list scrolls to it and opens its card
    page.keyboard.press("Escape")
    page.locator("#speaker-list .quote-link").nth(1).click()
    card.wait_for(state="visible")
    assert page.locator("#article-text .active").count() >= 1
    assert not page.errors


def test_browser_search(server, page):
    page.goto(server + "/search")
    page.fill("#search-q", "harbour")
    page.select_option("select[name=type]", "direct")
    page.click("#search-submit")
    page.wait_for_selector("#results")
    results = page.locator("#results .result")
    assert results.count() >= 2
    assert "harbour" in results.first.inner_text().lower()
    results.first.locator("a[href^='/articles/']").click()
    page.wait_for_selector("#article-text .q")
    assert "harbour" in page.locator("#article-title").inner_text().lower()
    assert not page.errors


def test_browser_search_by_confidence(server, page):
    """The confidence choice filters, lands in the URL, stays chosen after the page loads, and
    each result shows its confidence as a small badge with the figures in its title."""
    page.goto(server + "/search")
    page.select_option("#search-confidence", "0.95")
    page.click("#search-submit")
    page.wait_for_selector("#results")
    assert "min_confidence=0.95" in page.url
    assert page.locator("#search-confidence").input_value() == "0.95"
    badges = page.locator("#results .result .conf")
    assert badges.count() == page.locator("#results .result").count() >= 5
    assert all(float(x) >= 0.95 for x in badges.all_inner_texts())
    assert "right 93% of the time" in badges.first.get_attribute("title")
    confident = int(page.locator("#results h2").inner_text().split()[0].replace(",", ""))
    page.select_option("#search-confidence", "")
    page.click("#search-submit")
    page.wait_for_selector("#results")
    assert "min_confidence=0" not in page.url and page.locator("#search-confidence").input_value() == ""
    assert int(page.locator("#results h2").inner_text().split()[0].replace(",", "")) > confident
    assert not page.errors


def test_browser_speaker_directory_says_who_they_are(server, page):
    """The directory gives each speaker's role, organisation and country under the name (what a
    journalist needs to tell one 'Maria Lindqvist' from another), how many there are, and dates
    that do not break over two lines."""
    page.goto(server + "/speakers")
    row = page.locator("#speakers-table tr", has=page.locator("a", has_text="Maria Lindqvist")).first
    assert "mayor" in row.locator("td").first.inner_text().lower()
    assert page.locator("#speakers-count").inner_text().split()[1].rstrip(",") in ("speaker", "speakers")
    date = row.locator("td.date").first
    assert date.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap" and "-" in date.inner_text()
    assert not page.errors


def test_browser_samples_are_listed_by_headline(server, page, samples):
    page.goto(server + "/")
    links = page.locator(".samples a")
    assert links.count() >= 1 and len(links.first.inner_text().split()) >= 3  # a headline, not "Wikinews, 2017-07-21"
    assert not page.errors


def test_browser_speaker_timeline(server, page):
    page.goto(server + "/speakers")
    page.locator("#speakers-table a", has_text="Maria Lindqvist").first.click()
    page.wait_for_selector("#speaker-name")
    assert page.locator("#speaker-name").inner_text() == "Maria Lindqvist"
    bars = page.locator("svg.timeline rect.bar")
    assert bars.count() >= 3
    box = page.locator("svg.timeline").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 60  # drawn, not collapsed
    assert "week of 2024-03-04" in bars.first.locator("title").text_content()
    assert "Mayor Maria Lindqvist" in page.locator("#aliases").inner_text()
    assert "Tomas Berg" in page.locator("#mentions").inner_text()
    assert not page.errors


def test_browser_script_in_article_runs_nothing(server, page):
    from test_api import SCRIPT_TEXT

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.fill("#paste-text", SCRIPT_TEXT + ' <script>alert("x")</script>')
    page.click("#paste-submit")
    page.wait_for_selector("#article-text")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not dialogs
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text and "<img src=x" in text  # shown as text
    assert page.locator("#article-text script, #article-text img, #article-text b").count() == 0
    # the details card shows text, not markup, too
    page.locator("#article-text [data-a]").first.click()
    assert page.locator("#card script, #card img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_browser_speaker_page_kind_gender_roles_and_groups(server, page):
    page.goto(server + "/speakers")
    page.locator("#speakers-table a", has_text="Donald Trump").first.click()
    page.wait_for_selector("#speaker-name")
    assert page.locator("#speaker-name").inner_text() == "Donald Trump"
    assert page.locator("#speaker-kind").inner_text() == "person"
    assert "a man" in page.locator("#speaker-gender").inner_text()  # "he", "Mr.": how the articles refer to him
    assert page.locator("#speaker-country").inner_text() == "United States"
    roles = page.locator("#roles li").all_inner_texts()
    assert "president" in roles and not any(ch.isdigit() for r in roles for ch in r)
    aliases = page.locator("#aliases li").all_inner_texts()
    assert aliases and not any(" and " in a for a in aliases)
    # quoted together with Congress: the group's page lists its members and links back
    page.locator("#groups a").first.click()
    page.wait_for_selector("#members")
    assert page.locator("#speaker-kind").inner_text() == "group"
    members = page.locator("#members a").all_inner_texts()
    assert "Donald Trump" in members and len(members) >= 2
    page.locator("#members a", has_text="Donald Trump").click()
    page.wait_for_selector("#speaker-name")
    assert page.locator("#speaker-name").inner_text() == "Donald Trump"
    assert not page.errors


def test_browser_sources_report_with_plot(server, page):
    page.goto(server + "/")
    page.locator("nav a", has_text="Who is quoted").click()
    page.wait_for_selector("#sources-plot svg.shares")
    rows = page.locator("#sources-table tbody tr")
    outlets = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert outlets[:2] == ["Wikinews", "Global Voices"] and outlets[-1] == "all"
    assert {"Harbour Gazette", "Coastal Times"} <= set(outlets)
    # the plot: one kind bar per row, gender bars for rows quoting people; shares in the tooltips
    box = page.locator("svg.shares").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert page.locator("svg.shares rect.k-person").count() == len(outlets)
    tip = page.locator("svg.shares rect.k-person").first.locator("title").text_content()
    assert tip.startswith("Wikinews") and "people" in tip and "%" in tip
    assert page.locator("svg.shares rect.g-male").count() >= 1
    # the table and the API agree
    api = page.request.get(server + "/api/sources?by=outlet").json()
    total = next(r for r in api["rows"] if r["key"] == "Wikinews")
    cells = rows.nth(0).locator("td").all_inner_texts()
    assert cells[1] == str(total["n"]) and cells[2] == f"{100 * total['kind_shares']['person']:.0f}%"
    # per month
    page.select_option("#sources-by", "month")
    page.click("#sources-submit")
    page.wait_for_selector("#sources-table")
    months = page.locator("#sources-table tbody tr td:first-child").all_inner_texts()
    assert "2024-03" in months and months == sorted(months[:-1]) + ["all"]
    assert not page.errors


def test_browser_target_marks_on_the_article_view(stance_server, page):
    page.goto(stance_server + "/search?about=Russia&stance=negative")
    page.wait_for_selector("#results")
    assert page.locator("#results .result").count() == 2
    assert "negative" in page.locator("#results .about-line").first.inner_text()
    page.locator("#results .result a[href^='/articles/']").first.click()
    page.wait_for_selector("#article-text .tgt")
    assert page.locator("#stance-legend").is_visible()
    assert page.locator("#stance-legend .st-negative").inner_text() == "negative"
    marks = page.locator("#article-text .tgt.st-negative")
    assert [m for m in marks.all_inner_texts() if m == "Russia"] == ["Russia", "Russia"]
    first = marks.first
    # not colour alone: its own underline style, a sign after it, and the words in its title
    style = first.evaluate("e => [getComputedStyle(e).textDecorationStyle, getComputedStyle(e, '::after').content]")
    assert style[0] == "wavy" and "−" in style[1]
    assert "about Russia: negative" in first.get_attribute("title")
    neutral = page.locator("#stance-legend .st-neutral").evaluate("e => getComputedStyle(e).textDecorationStyle")
    assert neutral == "dashed"
    # the list of whom the article's statements are about, in words
    about = page.locator("#article-targets li", has_text="Russia").inner_text()
    assert "2 negative" in about
    # clicking a target opens its statement's card, which says whom it is about and how
    first.click()
    card = page.locator("#card")
    card.wait_for(state="visible")
    assert "Russia: negative" in card.locator('[data-f="about"]').inner_text()
    assert card.locator('[data-f="speaker"]').inner_text() == "Kaja Kallas"
    assert not page.errors


def test_browser_speaker_how_they_talk_about(stance_server, page):
    page.goto(stance_server + "/speakers")
    page.locator("#speakers-table a", has_text="Kaja Kallas").first.click()
    page.wait_for_selector("#talks-about")
    section = page.locator("#talks-about")
    box = section.locator("svg.stance-bars").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 40
    assert section.locator("svg rect.st-negative").count() >= 2 and section.locator("svg rect.st-positive").count() >= 1
    titles = section.locator("svg rect title").all_text_contents()
    assert "Vladimir Putin: 3 negative (100%)" in titles
    row = section.locator("table tbody tr", has_text="Vladimir Putin")
    assert row.locator("td").all_inner_texts()[1:5] == ["3", "3", "0", "0"]
    # the target leads to the stance summary between the two, over time, with the statements
    row.locator("a", has_text="Vladimir Putin").click()
    page.wait_for_selector("#stance-title")
    assert page.locator("#stance-title").inner_text() == "Kaja Kallas on Vladimir Putin"
    assert page.locator("svg.stance-timeline rect.st-negative").count() == 2  # January and March
    assert page.locator("#stance-examples .result").count() == 3
    assert not page.errors


def test_browser_paste_with_stance(stance_server, page):
    from test_stance_store import ARTICLES

    page.goto(stance_server + "/")
    page.fill("#paste-text", ARTICLES[3]["text"])
    page.check("#paste-stance")
    page.click("#paste-submit")
    page.wait_for_selector("#article-text .tgt")
    assert set(page.locator("#article-text .tgt").evaluate_all("els => els.map(e => e.classList.contains('st-neutral'))")) == {True}
    assert "Latvia" in page.locator("#article-targets").inner_text()
    assert page.locator("#paste-stance").is_checked()
    assert not page.errors
