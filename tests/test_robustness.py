"""``saidwhat.extract`` never raises on arbitrary strings, and what it returns is consistent.

Property-based (hypothesis): control characters, lone surrogates, NULs, unbalanced quotes, mixed
scripts, very long words, plus one ~1 MB text built once. For every result, every span slices the
article text exactly and ``Article.from_dict(a.to_dict()) == a``. ``extract_many`` yields the good
items of a mix in order and reports the bad ones to ``on_error``.
"""
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import saidwhat
from saidwhat.model import Article

SAMPLES = Path(__file__).resolve().parent.parent / "src" / "saidwhat" / "samples" / "news.jsonl"
_SURROGATE = re.compile("[\ud800-\udfff]")
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SPECIAL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u200b", "\u200e",
           "\u2028", "\u2029", "\ufeff", "\ufffd", "\ud800", "\udbff", "\udc00", "\udfff", "\r", "\t",
           "\n", "\n\n", "\xa0"]
MARKS = ['"', "'", "''", "``", "“", "”", "‘", "’", "„", "«", "»", "‹", "›", "‚"]
WORDS = ["said", "says", "told", "reporters", "according", "to", "he", "she", "they", "it", "The",
         "president", "minister", "Obama", "Kaja", "Kallas", "Mr.", "Trump's", "ministers'", "that",
         "believes", "Asked", "whether", "added", ",", ".", ":", "—", "(", ")", "<tweet id=\"1\">",
         "</tweet>", "<tweet/>", "Москва", "北京", "مرحبا", "שלום", "Ελλάδα", "😀", "e\u0301",
         "x" * 300, "ab" * 2000]

# Arbitrary unicode, with surrogates and control characters mixed in (plain st.text() never
# yields lone surrogates).
any_char = st.one_of(st.characters(), st.sampled_from([c for c in SPECIAL + MARKS if len(c) == 1]))
news_piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(SPECIAL),
                       st.lists(any_char, max_size=8).map("".join))
# News-like: words and marks joined by spaces, so the parser sees sentences with quotes and cues.
news_like = st.lists(news_piece, max_size=80).map(" ".join)
arbitrary = st.lists(st.one_of(any_char, st.sampled_from(MARKS + SPECIAL)), max_size=300).map("".join)


def check(article: Article, text: str) -> None:
    """Every span slices ``text`` exactly; the article survives JSON dicts (and JSON text)."""
    assert article.text == text
    n = len(text)

    def ok(span, what):
        assert span is not None, what
        assert 0 <= span.start <= span.end <= n, (what, span)
        assert text[span.start:span.end] == span.text, (what, span)

    for a in article.attributions:
        assert a.type in ("direct", "indirect", "mixed")
        ok(a.content, "content")
        assert a.content_parts
        for p in a.content_parts:
            ok(p, "content part")
        if a.cue is not None:
            ok(a.cue, "cue")
        if a.source is not None:
            ok(a.source, "source")
        if a.speaker is not None:
            for m in a.speaker.mentions:
                ok(m, "attribution speaker mention")
        assert 0.0 <= a.confidence <= 1.0
    for s in article.speakers:
        for m in s.mentions:
            ok(m, "speaker mention")
    assert Article.from_dict(article.to_dict()) == article
    if not _SURROGATE.search(text):
        # (JSON text cannot carry lone surrogates faithfully: "\ud800\udc00" reads back as one
        # astral character, so only the dict round trip is checked for such texts)
        assert Article.from_json(article.to_json()) == article


@SETTINGS
@given(arbitrary)
def test_extract_never_raises_on_arbitrary_strings(text):
    check(saidwhat.extract(text), text)


@SETTINGS
@given(news_like)
def test_extract_never_raises_on_news_like_strings(text):
    check(saidwhat.extract(text), text)


@pytest.mark.parametrize("text", [
    "", " ", "\n", "\x00", "\ud800", "\udfff\ud800", "\x00" * 100, "\ud800 said \udc00",
    '"', "“", "”", "''", "'''", '"""', "“unclosed quote", "closing only”", "«»»«", "„“”",
    '"We will not be rushed," she said.\x00',
    "“We will\ud800 not be rushed,” the prime minister said.",
    "“Unclosed,\n\n“still unclosed\n\nhe said.",
    "''Never,'' he said. ''Never.\n\n''Ever,'' she said.",
    "Kallas said " + "“" * 500,
    "He said " + "x" * 100_000 + " yesterday.",
    "said " * 3000,
    "\u202eمرحبا said Обама “你好” 😀 e\u0301 ‘x’",
    '<tweet tweet-id="745260520282951681" author="@x">“We will win,” he wrote.</tweet>',
    "\r\n".join(["“Line,” he said."] * 50),
])
def test_extract_on_hand_picked_strings(text):
    check(saidwhat.extract(text), text)


def _megabyte_text() -> str:
    """About 1 MB: sample news, very long words, and junk of marks, control characters and
    surrogates, deterministically shuffled together (built once, not by hypothesis)."""
    arts = [json.loads(line)["text"] for line in SAMPLES.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    news = "\n\n".join(arts)
    rng = random.Random(20261127)
    junk = MARKS + SPECIAL + ["<tweet id=\"1\">", "said", "Obama's", " ", " ", "“", "\n\n“"]
    chunks, size = [], 0
    while size < 1_000_000:
        r = rng.random()
        if r < 0.5:
            start = rng.randrange(len(news) // 2)
            chunk = news[start:start + rng.randint(500, 5000)]
        elif r < 0.75:
            chunk = " " + rng.choice("xyz") * rng.randint(1000, 20000) + " "
        else:
            chunk = "".join(rng.choice(junk) for _ in range(rng.randint(50, 500)))
        chunks.append(chunk)
        size += len(chunk)
    return "".join(chunks)[:1_000_000]


@pytest.fixture(scope="module")
def megabyte_text():
    return _megabyte_text()


def test_one_megabyte_text(megabyte_text):
    assert len(megabyte_text) == 1_000_000
    article = saidwhat.extract(megabyte_text, id="big")
    check(article, megabyte_text)
    assert article.attributions  # the news in it is still found


class Weird:
    pass


def test_extract_many_yields_good_items_in_order_and_reports_bad_ones():
    items = [
        "“We will not be rushed,” the prime minister said.",
        {"id": "a", "text": '"It is over," Obama said.'},
        {"id": "no-text"},
        {"id": "bytes", "text": b"bytes are not text"},
        {"id": "none", "text": None},
        {"id": "int", "text": 42},
        {"id": "b", "text": "\ud800“unclosed\x00 quote, she said"},
        42,
        None,
        Weird(),
        ["a", "list"],
        Article(id="c", text="Kallas said the talks had failed."),
        {"id": "d", "text": ""},
        "",
    ]
    errors = []
    out = list(saidwhat.extract_many(iter(items), batch_size=3,
                                     on_error=lambda i, e: errors.append((i, type(e).__name__))))
    assert [a.id for a in out] == ["0", "a", "b", "c", "d", "13"]
    assert [a.text for a in out] == [items[0], items[1]["text"], items[6]["text"], items[11].text, "", ""]
    for a in out:
        check(a, a.text)
    assert [i for i, _ in errors] == ["no-text", "bytes", "none", "int", "7", "8", "9", "10"]
    assert all(name in ("TypeError", "ValueError", "InputError") for _, name in errors), errors


def test_extract_many_default_error_handler_logs_and_goes_on(caplog):
    out = list(saidwhat.extract_many([{"id": "x"}, "He said so."]))
    assert [a.text for a in out] == ["He said so."]
    assert any("x" in r.getMessage() for r in caplog.records)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(arbitrary, news_like, st.none(), st.integers(),
                          st.builds(dict, text=st.one_of(arbitrary, st.integers()))), max_size=8))
def test_extract_many_property(items):
    errors = []
    out = list(saidwhat.extract_many(items, batch_size=2, on_error=lambda i, e: errors.append(i)))
    good = [it if isinstance(it, str) else it["text"] for it in items
            if isinstance(it, str) or isinstance(it, dict) and isinstance(it.get("text"), str)]
    assert [a.text for a in out] == good
    assert len(out) + len(errors) == len(items)
    for a in out:
        check(a, a.text)
