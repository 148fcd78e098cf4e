"""Quote provenance: the same direct quote across articles forms one cluster.

A quote joins a cluster when its normalised wording (lower case, no punctuation, one kind of
apostrophe) is the cluster's, or when it is a near-duplicate of it:

- *re-worded a little*: word-level similarity ``2M / (len(a) + len(b)) >= 0.8`` (``M`` words
  matched in order, ``difflib``), e.g. one word changed in a ten-word quote;
- *trimmed*: at least 5 words and ``M / len(shorter) >= 0.9``, the shorter quote found almost
  word for word inside the longer one.

Candidates come from an index of word pairs (``cluster_keys``: a 63-bit hash of two adjacent
words, pairs of two stop words left out), so a quote is compared with the wordings of the few clusters that
share at least two pairs with it, not with the whole store. A quote that is the same as wordings
of several clusters merges them (single linkage), so the clusters do not depend on the order in
which articles arrive. Quotes of fewer than 4 words cluster on
exact wording only. Clustering runs inside the store's write transaction (``Store.add_articles``),
so it is as crash-safe as the articles themselves; the first-seen article, outlet and date of a
cluster are read at query time (``Store.cluster``), earliest publication date first, so the order
of ingestion does not matter.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from difflib import SequenceMatcher
from typing import Optional

MIN_WORDS_NEAR = 4        # shorter quotes cluster on exact wording only
MIN_WORDS_TRIMMED = 5     # a trimmed quote must keep at least this many words
RATIO = 0.8               # re-worded: 2M / (la + lb)
CONTAINMENT = 0.9         # trimmed: M / min(la, lb)
MAX_CANDIDATES = 25

STOP = frozenset("""a an the and or but of to in on at for by with from as is are was were be been
it its this that these those i we you he she they them our us my your his her their not no
will would can could should do does did have has had so if than then there here which who what""".split())

_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_WORD = re.compile(r"[\w']+")


def words(text: str) -> list[str]:
    """The quote's words, lower case, apostrophes unified, punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).translate(_APOS).lower()
    return [w.strip("'") for w in _WORD.findall(text) if w.strip("'")]


def normalise(text: str) -> str:
    return " ".join(words(text))


def keys(ws: list[str]) -> list[int]:
    """Index keys of a quote: hashes of adjacent word pairs, except pairs of two stop words."""
    out = set()
    for a, b in zip(ws, ws[1:]):
        if a in STOP and b in STOP:
            continue
        digest = hashlib.blake2b(f"{a} {b}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
        out.add(int.from_bytes(digest, "big") >> 1)  # fits SQLite's signed 64-bit INTEGER
    return sorted(out)


def similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """``(ratio, containment)`` of two word lists."""
    if not a or not b:
        return 0.0, 0.0
    m = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return 2 * m / (len(a) + len(b)), m / min(len(a), len(b))


def same_quote(a: list[str], b: list[str]) -> bool:
    """Whether two quotes (word lists) are the same quote: identical, re-worded a little, or trimmed."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_WORDS_NEAR:
        return False
    ratio, containment = similarity(a, b)
    return ratio >= RATIO or (min(len(a), len(b)) >= MIN_WORDS_TRIMMED and containment >= CONTAINMENT)


def find(conn: sqlite3.Connection, ws: list[str]) -> list[int]:
    """The clusters a quote (word list) belongs to: those holding a wording that is the same
    quote (usually one; several when this quote bridges them)."""
    norm = " ".join(ws)
    exact = [int(r[0]) for r in conn.execute(
        "SELECT cluster_id FROM cluster_variants WHERE norm = ? ORDER BY cluster_id", (norm,))]
    if len(ws) < MIN_WORDS_NEAR:
        return exact[:1]
    ks = keys(ws)
    if not ks:
        return exact
    need = 2 if len(ks) > 2 else 1
    found = set(exact)
    q = (f"SELECT cluster_id, count(*) AS n FROM cluster_keys WHERE key IN ({','.join('?' * len(ks))})"
         f" GROUP BY cluster_id HAVING n >= ? ORDER BY n DESC, cluster_id LIMIT {MAX_CANDIDATES}")
    for (cluster_id, _) in conn.execute(q, (*ks, need)).fetchall():
        if cluster_id in found:
            continue
        for (other,) in conn.execute("SELECT norm FROM cluster_variants WHERE cluster_id = ? LIMIT 50",
                                     (cluster_id,)):
            if same_quote(ws, other.split()):
                found.add(int(cluster_id))
                break
    return sorted(found)


def _merge(conn: sqlite3.Connection, into: int, others: list[int]) -> None:
    """Fold clusters ``others`` into ``into`` (a quote that matched them all bridges them)."""
    for other in others:
        conn.execute("UPDATE attributions SET cluster_id = ? WHERE cluster_id = ?", (into, other))
        conn.execute("INSERT OR IGNORE INTO cluster_variants (norm, cluster_id)"
                     " SELECT norm, ? FROM cluster_variants WHERE cluster_id = ?", (into, other))
        conn.execute("INSERT OR IGNORE INTO cluster_keys (key, cluster_id)"
                     " SELECT key, ? FROM cluster_keys WHERE cluster_id = ?", (into, other))
        conn.execute("DELETE FROM cluster_variants WHERE cluster_id = ?", (other,))
        conn.execute("DELETE FROM cluster_keys WHERE cluster_id = ?", (other,))
        conn.execute("DELETE FROM clusters WHERE id = ?", (other,))


def assign(conn: sqlite3.Connection, attribution_id: int, text: str, now: str) -> Optional[int]:
    """Put one stored direct quote into its cluster (a new one if none fits; the clusters it
    bridges are merged) and return the cluster id; quotes without words get none. Runs inside the
    caller's transaction."""
    ws = words(text)
    if not ws:
        return None
    norm = " ".join(ws)
    found = find(conn, ws)
    if found:
        cluster_id = found[0]
        _merge(conn, cluster_id, found[1:])
    else:
        cluster_id = conn.execute("INSERT INTO clusters (text, norm, created_at) VALUES (?,?,?)",
                                  (text, norm, now)).lastrowid
    conn.execute("INSERT OR IGNORE INTO cluster_variants (norm, cluster_id) VALUES (?,?)", (norm, cluster_id))
    if len(ws) >= MIN_WORDS_NEAR:
        conn.executemany("INSERT OR IGNORE INTO cluster_keys (key, cluster_id) VALUES (?,?)",
                         [(k, cluster_id) for k in keys(ws)])
    conn.execute("UPDATE attributions SET cluster_id = ? WHERE id = ?", (cluster_id, attribution_id))
    return cluster_id
