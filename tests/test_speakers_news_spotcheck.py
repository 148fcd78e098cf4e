"""A hand-judged spot-check of resolved speakers on real news (not PolNeAR), run as a test.

``tests/data/speakers_news_spotcheck.jsonl`` holds 80 sources that saidwhat found in the openly
licensed news of ``../shared/data/news/articles.jsonl`` (Wikinews and Global Voices), drawn at
random (seed 21, at most 2 per article) from the default tagger's output, 20 in each of four
kinds: pronoun ("he", "she", "they", "it"), role noun ("the federation", "a report", "The
governor of Puerto Rico, Wanda Vázquez Garced,": no capitalised head, or an indefinite one),
surname or other single name ("Graham", "Minetest") and name (full names and organisations:
"NASA Administrator Charles Bolden", "The Associated Press"). The kind is only how the draw was
stratified: it is read off the source's words, so a few are odd ("Buyers" is a "surname").
For each, a person read the article (the paragraphs before the source at least, and the rest for
a fuller name) and wrote down who the source really is before looking at saidwhat's speaker:
``acceptable`` lists the names that count (the first is ``expected``, the article's fullest
name), ``"group:A|B"`` for a group with those members, ``null`` when the source names no one
the article names ("a report", "they" for unnamed people) or is no speaker at all (a few spans
the tagger took for sources: "the pregnancy", "Park Won-soon's death"). The list holds ids,
offsets and the (short) source text only, no article text.

Unlike ``test_speakers_spotcheck.py`` this runs the whole pipeline: the sampled articles are
extracted again and each item is matched to the attribution whose source overlaps the judged
span (the same span first, else the largest overlap); an item whose span saidwhat no longer
finds counts as wrong. "Right" is ``test_speakers_spotcheck.is_right``.

Figures when this was written (branch newscheck, main at 162fe2d): default ``fast`` tagger
(how the items were drawn) 65/80 (0.8125): pronouns 16/20, role nouns 16/20, surnames 19/20,
names 14/20; ``SAIDWHAT_MODEL=ensemble`` (what this test runs, see conftest.py) 60/80 (0.750):
pronouns 14/20, role nouns 15/20, surnames 18/20, names 13/20, of which 5 because the ensemble's tagger
finds no source at the judged span (4 of them spans the fast tagger wrongly took for sources, with
``null`` expected: counted wrong all the same, as an item saidwhat no longer finds). The floor is the
ensemble's score less 0.03.

A second file, ``speakers_news_spotcheck2.jsonl``, was drawn the same way with seed 22 from the
articles the first one does not use (48 articles), judged blind in the same way, at main 1cd8e27:
default ``fast`` tagger 67/80, ensemble 58/80 (9 of its misses spans the ensemble does not find).
One list was widened after the first run (the Gabon "he" also accepts "Albert-Bernard Bongo",
Omar Bongo's birth name given in the same sentence). Its misses then led to the fixes of 1cb5c5b
(fast 71/80, ensemble 62/80).
"""
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import SHARED
from test_speakers_spotcheck import is_right

NEWS = SHARED / "data" / "news" / "articles.jsonl"
DATA = Path(__file__).parent / "data"
# (file, floor): the ensemble's score less 0.03
SPOTCHECKS = {
    "first": (DATA / "speakers_news_spotcheck.jsonl", 0.75),   # 0.750 when written, 0.825 at 1cb5c5b
    "second": (DATA / "speakers_news_spotcheck2.jsonl", 0.70),  # 0.725 when written, 0.775 at 1cb5c5b
}
# With the pruner (prune.py) 66 -> 63/80 and 62 -> 59/80: the attributions of 7 items are pruned
# away, none resolved differently; they are weak ones ("Adamowicz was an early supporter of
# democracy", "it wished to conceal", "The archive characterizes events where ...", "they
# cannot comprehend that ..."), three of them judged no speaker at all, and an item whose span is
# no longer a source counts wrong here.

pytestmark = pytest.mark.skipif(not NEWS.exists(), reason="needs ../shared/data/news/articles.jsonl")


@pytest.fixture(scope="module", params=sorted(SPOTCHECKS))
def spotcheck(request):
    return SPOTCHECKS[request.param]


@pytest.fixture(scope="module")
def checks(spotcheck):
    return [json.loads(line) for line in spotcheck[0].read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def extracted(checks):
    """The sampled articles, extracted once with the pipeline; by id."""
    import saidwhat

    wanted = {c["article"] for c in checks}
    records = []
    with NEWS.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                if rec["id"] in wanted:
                    records.append({k: rec[k] for k in ("id", "text", "title", "url", "outlet", "published") if k in rec})
    assert {r["id"] for r in records} == wanted
    failed = []
    out = {a.id: a for a in saidwhat.extract_many(records, on_error=lambda i, e: failed.append((i, e)))}
    assert not failed
    return out


def matching(article, s: int, e: int):
    """The attribution whose source is ``[s, e)``, else the one overlapping it most; None if none does."""
    found = [a for a in article.attributions if a.source is not None and a.source.start < e and s < a.source.end]
    if not found:
        return None
    return max(found, key=lambda a: ((a.source.start, a.source.end) == (s, e),
                                     min(e, a.source.end) - max(s, a.source.start)))


def test_speakers_news_spotcheck(spotcheck, checks, extracted):
    assert len(checks) == 80 and Counter(c["category"] for c in checks) == {
        "pronoun": 20, "role noun": 20, "surname": 20, "name": 20}
    assert max(Counter(c["article"] for c in checks).values()) <= 2
    right, total, wrong = Counter(), Counter(), []
    for c in checks:
        art = extracted[c["article"]]
        s, e = c["source"]
        assert art.text[s:e] == c["source_text"], c  # the data did not move
        att = matching(art, s, e)
        ok = att is not None and is_right(c["acceptable"], att.speaker)
        total[c["category"]] += 1
        right[c["category"]] += ok
        if not ok:
            got = "(span not found)" if att is None else (
                (att.speaker.name, att.speaker.kind) if att.speaker else None)
            wrong.append((c["article"], c["source_text"], got, c["expected"]))
    share = sum(right.values()) / sum(total.values())
    print(f"\nnews speaker spot-check ({spotcheck[0].name}): {sum(right.values())}/{sum(total.values())} right ({share:.3f});",
          ", ".join(f"{k} {right[k]}/{total[k]}" for k in total))
    for w in wrong:
        print("  wrong:", w)
    assert share >= spotcheck[1], wrong


def test_matching_prefers_the_same_span_then_the_largest_overlap():
    from saidwhat.model import Article, Attribution, Span

    text = 'Police Chief John Smith said "it is over," and John Smith added "no more."'
    art = Article(id="t", text=text)
    whole = Attribution(type="direct", content=Span.of(text, 29, 41), source=Span.of(text, 0, 23))
    part = Attribution(type="direct", content=Span.of(text, 64, 74), source=Span.of(text, 47, 57))
    exact = Attribution(type="direct", content=Span.of(text, 29, 41), source=Span.of(text, 13, 23))
    art.attributions = [whole, part]
    assert matching(art, 13, 23) is whole  # overlaps only that one
    art.attributions = [whole, exact, part]
    assert matching(art, 13, 23) is exact
    assert matching(art, 24, 28) is None
