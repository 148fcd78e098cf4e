"""Quote provenance on articles written for the purpose: one quote, five outlets, four wordings."""
import pytest

from saidwhat import extract_many
from saidwhat.clusters import normalise, same_quote, words
from saidwhat.crossdoc import resolve
from saidwhat.store import Store, text_hash

Q = "We will not be rushed into a decision by anyone, and we will defend every inch of our territory"
ARTICLES = [
    {"id": "a", "outlet": "Baltic Times", "published": "2024-03-04",
     "text": f'"{Q}," Prime Minister Kaja Kallas said on Monday in Tallinn.'},
    {"id": "b", "outlet": "Reuters", "published": "2024-03-05",
     "text": f'"{Q}," Kaja Kallas said in Tallinn on Monday.'},
    {"id": "c", "outlet": "Daily Wire", "published": "2024-03-06",  # trimmed
     "text": '"We will not be rushed into a decision by anyone," Kallas told reporters.'},
    {"id": "d", "outlet": "Tabloid", "published": "2024-03-07",  # slightly altered: a misquote
     "text": "\"We won't be rushed into any decision by anyone, and we will defend every inch of our territory,\" "
             "Kallas said on Thursday."},
    {"id": "e", "outlet": "Blog", "published": "2024-03-03",  # re-punctuated, and published first
     "text": "\"We will NOT be rushed into a decision by anyone -- and we'll defend every inch of our territory,\" "
             "Kallas wrote on her blog."},
    {"id": "f", "outlet": "ERR", "published": "2024-03-08",  # another quote
     "text": '"The euro was the right choice for Estonia and for the whole region," Siim Kallas said on Thursday.'},
]


@pytest.fixture(scope="module")
def extracted():
    return list(extract_many(ARTICLES))


def _store(articles):
    store = Store(":memory:")
    store.add_articles([(a, text_hash(a.text), a.id) for a in articles])
    resolve(store)
    return store


def _cluster_of(store, ext_id):
    ids = {h["cluster_id"] for h in store.search(type="direct", limit=100) if h["article"]["ext_id"] == ext_id}
    assert len(ids) == 1
    return ids.pop()


def test_clusters_provenance_across_outlets(extracted):
    store = _store(extracted)
    cid = _cluster_of(store, "a")
    assert {_cluster_of(store, x) for x in "abcde"} == {cid}
    assert _cluster_of(store, "f") != cid
    c = store.cluster(cid)
    assert c["n_articles"] == 5 and c["n_outlets"] == 5
    # first seen: the earliest publication, not the first ingested
    assert c["first_seen"]["outlet"] == "Blog" and c["first_seen"]["published"] == "2024-03-03"
    assert c["first_seen"]["article"]["ext_id"] == "e"
    assert [a["article"]["published"] for a in c["attributions"]] == sorted(a["article"]["published"] for a in c["attributions"])
    variants = {v["text"].strip("\"“”").rstrip(","): v for v in c["variants"]}
    assert len(variants) == 4  # a and b quote the same words
    assert variants[Q]["count"] == 2 and set(variants[Q]["outlets"]) == {"Baltic Times", "Reuters"}
    misquote = [t for t in variants if "won't" in t]
    assert misquote and variants[misquote[0]]["outlets"] == ["Tabloid"]
    listed = store.clusters()
    assert listed[0]["id"] == cid and listed[0]["n_articles"] == 5 and listed[0]["n_variants"] == 4
    assert store.count_clusters(min_articles=2) == 1
    store.close()


def test_clusters_do_not_depend_on_ingest_order(extracted):
    def groups(store):
        out = {}
        for h in store.search(type="direct", limit=100):
            out.setdefault(h["cluster_id"], set()).add(h["article"]["ext_id"])
        return sorted(sorted(g) for g in out.values())

    forward, backward = _store(extracted), _store(list(reversed(extracted)))
    assert groups(forward) == groups(backward)
    forward.close()
    backward.close()


def test_same_quote_rules():
    q = words(Q)
    assert same_quote(q, words(Q.upper() + "!"))                                  # re-punctuated
    assert same_quote(q, words("We will not be rushed into a decision by anyone"))  # trimmed
    assert same_quote(q, words(Q.replace("every inch", "each inch")))             # one word changed
    assert not same_quote(q, words("We will decide when we are ready, and not before"))
    assert not same_quote(words("We will not"), words("We will"))                 # too short to be near
    assert same_quote(words("Yes."), words("yes"))                                 # short: exact only
    assert not same_quote(words("It is a good day"), words("It is a bad day for us all"))
    assert normalise("“Don’t — ever!”") == "don't ever"
