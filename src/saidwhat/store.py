"""The embedded store: one SQLite file (stdlib ``sqlite3``, WAL mode) that plain SQL can query.

Python API (stable; every result is the data model's own shape plus ids)::

    from saidwhat.store import Store
    with Store("saidwhat.db") as db:                     # Store(path, readonly=True) to only read
        db.search(text=None, speaker=None, outlet=None, since=None, until=None, type=None,
                  limit=50, offset=0, min_confidence=None) -> list[dict]  # newest article first
        db.count_search(... the same filters ...) -> int
        # min_confidence (0..1): only attributions whose confidence (the mean probability of the
        # tagger's tags) is at least this; also on stance_summary and sources_report
        db.speakers(limit=50, offset=0, kind=None, name=None, gender=None) -> list[dict]   # top first
        db.speaker(id) -> dict | None                    # with aliases, roles, counts, first/last seen
        db.sources_report(by="outlet"|"month", since=None, until=None, outlet=None,
                          min_confidence=None) -> dict   # share of attributions by speaker kind and gender
        db.speaker_timeline(id) -> list[dict]            # [{"week": "2020-01-06", "count": 3}, ...]
        db.article(id) -> Article | None                 # id: the store's int id, content hash or input id
        db.article_info(id) -> dict | None               # metadata only, no text
        db.articles(limit=50, offset=0, outlet=None) -> list[dict]
        db.cluster(id) -> dict | None                    # a quote's provenance: first seen, variants
        db.clusters(limit=50, offset=0, min_articles=2) -> list[dict]
        db.failures(limit=50, offset=0) -> list[dict]
        db.count_articles() / count_attributions() / count_speakers() / count_clusters()
        db.count_failures() -> int
        db.stats() -> dict                               # all the counts at once
        db.iter_attributions() -> Iterator[dict]         # every attribution, for export
    # targets and stance (articles extracted with stance=True, ``ingest --stance``):
        db.search(..., about="Russia", stance="negative")  # attributions about a target, with that stance
        db.stance_summary(speaker=None, about=None, by="month", since=None, until=None, outlet=None,
                          stance=None, limit=50, min_confidence=None) -> dict  # counts by stance per month/week/year/outlet/
                                                         # target/speaker ("how Biden talks about Putin")
        db.count_targets() -> dict                       # {"total", "negative", "neutral", "positive", "unscored"}
    # writing (ingest does it; read-only stores refuse):
        db.add_articles([(article, text_hash(article.text), location)], failures=[]) -> int  # new ones
        db.add_failure(location, stage, reason, hash=None); db.known(hashes) -> set[str]

An attribution ``dict`` is ``Attribution.to_dict()`` (``type``, ``content``, ``content_text``,
``content_parts``, ``cue``/``cue_text``, ``source``/``source_text``, ``speaker`` (the article's own
speaker: ``{"id", "name", "kind"}``), ``confidence``) plus ``id`` (int), ``article`` (``{"id",
"hash", "title", "url", "outlet", "published"}``), ``speaker_id``/``speaker_name``/``speaker_kind``
(the collection-wide speaker, see ``crossdoc``; ``None`` for pronouns and unnamed sources) and
``cluster_id`` (the quote's provenance cluster, direct quotes only, see ``clusters``). When
the article was extracted with stance, ``targets`` (``Target.to_dict()``: ``name``, ``kind``,
``mentions``, ``stance``, ``probability``) each carry the collection-wide ``key`` and the
collection speaker the target is, ``speaker_id``/``speaker_name`` (else ``None``).
A speaker ``dict`` is ``{"id", "name", "kind", "gender", "organisation", "country", "aliases":
[{"alias", "count"}], "roles": [...], "members": [{"id", "name", "kind"}] (a group's), "groups":
[{"id", "name", "n_attributions"}] (the groups a speaker was quoted in), "n_attributions",
"n_articles", "first_seen", "last_seen"}``; searching by a speaker's id also finds the
attributions of the groups it was quoted in.

Tables (``sqlite3 saidwhat.db .schema``): ``articles`` (one row per distinct text, keyed by the
sha256 ``hash`` of its whitespace-normalised text), ``attributions`` (one per attribution, with
spans as start/end columns), ``article_speakers`` (each article's own speakers), ``speakers``,
``speaker_aliases``, ``speaker_roles``, ``speaker_members`` (collection-wide), ``clusters``, ``cluster_variants`` and
``cluster_keys`` (quote provenance), ``attribution_targets`` (one row per (attribution, target):
collection key and name, kind, stance, probability, the collection speaker it is), ``failures`` (inputs that could not be read or extracted, with the reason),
``attributions_fts`` (FTS5 over quote text and source) and ``meta`` (schema version).

Writes go through one connection; each batch of articles is one transaction, so an ingest killed
at any moment leaves whole articles only, and ``INSERT OR IGNORE`` on the hash makes re-adding a
no-op.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from .errors import StoreError
from .model import Article

SCHEMA_VERSION = 3  # 2: speakers' gender, organisation, country and group members; 3: targets
log = logging.getLogger("saidwhat.store")

# One row per (attribution, target): what each statement is about and how it portrays it.
# ``key``, ``name`` and ``speaker_id`` are collection-wide (``crossdoc.link_targets``: a target
# "Putin" is the speaker Vladimir Putin); ``article_name`` is ``Target.name`` as its article gave it.
TARGETS_SCHEMA = """
CREATE TABLE IF NOT EXISTS attribution_targets (
    attribution_id INTEGER NOT NULL REFERENCES attributions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,               -- position in Attribution.targets
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    key TEXT NOT NULL,                  -- collection-wide identity: a speaker's key, or "country:russia"
    name TEXT NOT NULL,                 -- collection-wide name (the speaker's when it is one)
    article_name TEXT NOT NULL,         -- Target.name in its article
    kind TEXT NOT NULL,                 -- person | organisation | country | group
    stance TEXT,                        -- negative | neutral | positive; NULL when not scored
    probability REAL,
    speaker_id INTEGER REFERENCES speakers(id),  -- the collection speaker this target is
    PRIMARY KEY (attribution_id, seq));
CREATE INDEX IF NOT EXISTS attribution_targets_key ON attribution_targets(key, stance);
CREATE INDEX IF NOT EXISTS attribution_targets_speaker ON attribution_targets(speaker_id, stance);
CREATE INDEX IF NOT EXISTS attribution_targets_name ON attribution_targets(name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS attribution_targets_article ON attribution_targets(article_id);
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,          -- sha256 of the whitespace-normalised text
    ext_id TEXT,                        -- the id the input gave (file stem, JSONL id, WARC URI)
    location TEXT,                      -- where it was read from (path, path:line, path@offset)
    title TEXT, url TEXT, outlet TEXT,
    published TEXT,                     -- as given
    published_date TEXT,                -- YYYY-MM-DD when it could be read, else NULL
    text TEXT NOT NULL,
    speakers TEXT NOT NULL DEFAULT '[]',  -- JSON: [Speaker.to_dict()], the article's own speakers
    n_attributions INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE INDEX IF NOT EXISTS articles_date ON articles(published_date);
CREATE INDEX IF NOT EXISTS articles_ext ON articles(ext_id);

CREATE TABLE IF NOT EXISTS speakers (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,           -- normalised identity ("person:kaja kallas"), keeps ids stable
    name TEXT NOT NULL, kind TEXT NOT NULL,
    n_attributions INTEGER NOT NULL DEFAULT 0, n_articles INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT, last_seen TEXT,
    gender TEXT NOT NULL DEFAULT 'unknown',  -- consensus of how its articles refer to it
    organisation TEXT, country TEXT
);
CREATE TABLE IF NOT EXISTS speaker_aliases (
    speaker_id INTEGER NOT NULL REFERENCES speakers(id), alias TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (speaker_id, alias));
CREATE INDEX IF NOT EXISTS speaker_aliases_alias ON speaker_aliases(alias COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS speaker_roles (
    speaker_id INTEGER NOT NULL REFERENCES speakers(id), role TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (speaker_id, role));

CREATE TABLE IF NOT EXISTS article_speakers (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    local_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '[]',   -- JSON list
    speaker_id INTEGER REFERENCES speakers(id),
    gender TEXT NOT NULL DEFAULT 'unknown', organisation TEXT, country TEXT,
    members TEXT NOT NULL DEFAULT '[]',  -- JSON list of local ids (a group's members)
    PRIMARY KEY (article_id, local_id));
CREATE INDEX IF NOT EXISTS article_speakers_speaker ON article_speakers(speaker_id);
CREATE TABLE IF NOT EXISTS speaker_members (
    group_id INTEGER NOT NULL REFERENCES speakers(id), member_id INTEGER NOT NULL REFERENCES speakers(id),
    PRIMARY KEY (group_id, member_id));
CREATE INDEX IF NOT EXISTS speaker_members_member ON speaker_members(member_id);

CREATE TABLE IF NOT EXISTS clusters (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,                 -- the first-seen wording
    norm TEXT NOT NULL,                 -- normalised wording (lower case, no punctuation)
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS clusters_norm ON clusters(norm);
CREATE TABLE IF NOT EXISTS cluster_variants (
    norm TEXT NOT NULL, cluster_id INTEGER NOT NULL REFERENCES clusters(id),
    PRIMARY KEY (norm, cluster_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cluster_variants_cluster ON cluster_variants(cluster_id);
CREATE TABLE IF NOT EXISTS cluster_keys (
    key INTEGER NOT NULL, cluster_id INTEGER NOT NULL REFERENCES clusters(id),
    PRIMARY KEY (key, cluster_id)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS attributions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,               -- position in the article
    type TEXT NOT NULL,                 -- direct | indirect | mixed
    content_start INTEGER NOT NULL, content_end INTEGER NOT NULL, content_text TEXT NOT NULL,
    cue_start INTEGER, cue_end INTEGER, cue_text TEXT,
    source_start INTEGER, source_end INTEGER, source_text TEXT,
    local_speaker TEXT,                 -- article_speakers.local_id
    speaker_name TEXT, speaker_kind TEXT,  -- the article's own speaker
    speaker_id INTEGER REFERENCES speakers(id),  -- collection-wide speaker (crossdoc)
    cluster_id INTEGER REFERENCES clusters(id),  -- quote provenance (clusters), direct quotes
    confidence REAL,
    data TEXT NOT NULL,                 -- JSON: Attribution.to_dict(), exactly
    UNIQUE (article_id, seq));
CREATE INDEX IF NOT EXISTS attributions_speaker ON attributions(speaker_id);
CREATE INDEX IF NOT EXISTS attributions_cluster ON attributions(cluster_id);
CREATE INDEX IF NOT EXISTS attributions_type ON attributions(type);

CREATE VIRTUAL TABLE IF NOT EXISTS attributions_fts USING fts5(
    content_text, source_text, content='attributions', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER IF NOT EXISTS attributions_ai AFTER INSERT ON attributions BEGIN
    INSERT INTO attributions_fts(rowid, content_text, source_text)
    VALUES (new.id, new.content_text, new.source_text); END;
CREATE TRIGGER IF NOT EXISTS attributions_ad AFTER DELETE ON attributions BEGIN
    INSERT INTO attributions_fts(attributions_fts, rowid, content_text, source_text)
    VALUES ('delete', old.id, old.content_text, old.source_text); END;

CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    location TEXT NOT NULL,             -- file, file:line, file@offset or article id
    stage TEXT NOT NULL,                -- read | extract | store
    reason TEXT NOT NULL,
    hash TEXT,
    at TEXT NOT NULL,
    UNIQUE (location, stage, reason));
CREATE INDEX IF NOT EXISTS failures_hash ON failures(hash);
""" + TARGETS_SCHEMA


def text_hash(text: str) -> str:
    """The content key of an article: sha256 of its NFC text with whitespace runs collapsed."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


_APOS = str.maketrans({"’": "'", "‘": "'"})


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name (as ``speakers.merge.fold``)."""
    text = unicodedata.normalize("NFKD", " ".join(text.translate(_APOS).split()))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def target_key(kind: str, name: str) -> str:
    """A target's collection key before it is linked to a speaker: ``"country:russia"``."""
    return f"{kind}:{fold(name)}"


STANCES = ("negative", "neutral", "positive")


def _target_rows(attribution_id: int, article_id: int, targets: list[dict[str, Any]]) -> list[tuple]:
    rows = []
    for seq, t in enumerate(targets):
        name = str(t.get("name") or "").strip()
        if not name:
            continue
        kind = str(t.get("kind") or "organisation")
        stance = t.get("stance") if t.get("stance") in STANCES else None
        prob = t.get("probability")
        rows.append((attribution_id, seq, article_id, target_key(kind, name), name, name, kind, stance,
                     float(prob) if isinstance(prob, (int, float)) else None))
    return rows


_INSERT_TARGETS = ("INSERT OR REPLACE INTO attribution_targets (attribution_id, seq, article_id, key, name,"
                   " article_name, kind, stance, probability) VALUES (?,?,?,?,?,?,?,?,?)")


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def iso_date(value: Optional[str]) -> Optional[str]:
    """``YYYY-MM-DD`` from the common date forms feeds and trafilatura give, else ``None``."""
    if not value:
        return None
    value = str(value).strip()
    m = _DATE.search(value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


_SURROGATES = re.compile("[\ud800-\udfff]")


def _storable(article: Article) -> Article:
    """The article with lone surrogates (which SQLite's UTF-8 cannot hold) replaced by U+FFFD,
    one character for one, so every offset stays valid."""
    fields = (article.text, article.title, article.url, article.outlet, article.published, article.id)
    if not any(f and _SURROGATES.search(f) for f in fields):
        return article
    d = json.loads(json.dumps(article.to_dict(), ensure_ascii=True))
    fix = (lambda v: _SURROGATES.sub("\ufffd", v) if isinstance(v, str) else v)
    for key in ("id", "text", "title", "url", "outlet", "published"):
        if key in d:
            d[key] = fix(d[key])
    for sp in d["speakers"]:
        sp["name"] = fix(sp["name"])
        sp["roles"] = [fix(r) for r in sp["roles"]]
        for key in ("organisation", "country"):
            if sp.get(key):
                sp[key] = fix(sp[key])
    out = Article.from_dict(d)
    return out


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: every word must occur (each quoted, so ``"``, ``-``,
    ``AND`` or ``*`` are plain text); a trailing ``*`` on a word keeps its prefix meaning."""
    terms = []
    for word in re.findall(r"[\w'’*-]+", text):
        prefix = word.endswith("*")
        word = word.rstrip("*").strip("'’-")
        if word:
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def _sql_int(value: Any) -> Optional[int]:
    """``value`` as an SQLite integer id (0 <= id < 2**63), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not value.isdigit() or len(value) > 19:
            return None
        value = int(value)
    return value if isinstance(value, int) and 0 <= value < 2**63 else None


def check_confidence(value: Any) -> float:
    """A ``min_confidence`` filter: a number from 0 to 1, else a ``ValueError`` that says so."""
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not 0.0 <= number <= 1.0:  # NaN fails both comparisons
        raise ValueError(f"min_confidence: a number from 0 to 1, not {str(value)[:40]!r}")
    return number


def confidence_text(value: float) -> str:
    """A confidence for display, two decimals rounded down, so that what is shown is at least a
    ``min_confidence`` exactly when the value is: 0.949 shows "0.94", not the "0.95" it would
    round to and that "at least 0.95" leaves out."""
    return f"{math.floor(float(value) * 100 + 1e-9) / 100:.2f}"


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its ``%`` and ``_`` taken literally
    (``ESCAPE '\\'``)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_ATTR_COLUMNS = """a.id, a.data, a.speaker_id, a.cluster_id, s.name AS speaker_name, s.kind AS speaker_kind,
    ar.id AS article_id, ar.hash, ar.ext_id, ar.title, ar.url, ar.outlet, ar.published, ar.published_date"""


def _attr_row(row: sqlite3.Row) -> dict[str, Any]:
    d = json.loads(row["data"])
    d["id"] = row["id"]
    d["article"] = {"id": row["article_id"], "hash": row["hash"], "ext_id": row["ext_id"],
                    "title": row["title"], "url": row["url"], "outlet": row["outlet"],
                    "published": row["published_date"] or row["published"]}
    d["speaker_id"] = row["speaker_id"]
    d["speaker_name"] = row["speaker_name"]
    d["speaker_kind"] = row["speaker_kind"]
    d["cluster_id"] = row["cluster_id"]
    return d


class Store:
    """A saidwhat collection in one SQLite file. See the module docstring for the API."""

    def __init__(self, path: Union[str, Path] = "saidwhat.db", readonly: bool = False) -> None:
        """Open (or create) the store at ``path``; ``readonly=True`` opens it with SQLite's
        ``mode=ro`` (nothing is ever written), and where even that cannot work because the
        store lies in a read-only folder (SQLite's WAL mode needs its ``-shm`` file), with
        ``immutable=1`` (``self.immutable``): no locks, the file taken as it is; changes still
        in an uncheckpointed ``-wal`` file are then not seen (a warning is logged)."""
        self.path = str(path)
        self.readonly = readonly
        self.immutable = False
        try:
            if readonly:
                if self.path != ":memory:" and not Path(self.path).exists():
                    raise StoreError(f"{self.path}: no such store (run `saidwhat ingest` first)")
                self.conn = self._connect_readonly()
            else:
                self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                            check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout = 30000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self.conn.executescript(SCHEMA)
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                  (str(SCHEMA_VERSION),))
            version = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the store ({e})") from e
        try:
            newer = version is None or int(version[0]) > SCHEMA_VERSION
        except (TypeError, ValueError):
            newer = True
        if newer:
            raise StoreError(f"{self.path}: not a saidwhat store of schema {SCHEMA_VERSION}")
        if int(version[0]) < SCHEMA_VERSION:
            self._migrate(int(version[0]))

    # -- schema migrations ------------------------------------------------------------------
    _SPEAKER_COLUMNS = {
        "speakers": [("gender", "TEXT NOT NULL DEFAULT 'unknown'"), ("organisation", "TEXT"), ("country", "TEXT")],
        "article_speakers": [("gender", "TEXT NOT NULL DEFAULT 'unknown'"), ("organisation", "TEXT"),
                             ("country", "TEXT"), ("members", "TEXT NOT NULL DEFAULT '[]'")],
    }

    def _migrate(self, version: int) -> None:
        """Bring a store of an older schema to this one (schema 1 -> 2: the speaker columns and
        ``speaker_members``; the values of speakers stored before stay unknown until those articles
        are extracted again; 2 -> 3: ``attribution_targets``, see ``_migrate_targets``). A read-only store is migrated through a short-lived writable
        connection when the file allows it."""
        conn = self.conn
        if self.readonly:
            try:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            except sqlite3.Error as e:
                raise StoreError(f"{self.path}: store of schema {version} needs an upgrade to {SCHEMA_VERSION};"
                                 f" open it once writable (e.g. saidwhat ingest) ({e})") from e
        try:
            conn.execute("BEGIN IMMEDIATE")
            for table, columns in self._SPEAKER_COLUMNS.items():
                have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                for name, decl in columns:
                    if name not in have:
                        conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
            conn.execute("CREATE TABLE IF NOT EXISTS speaker_members (group_id INTEGER NOT NULL REFERENCES"
                         " speakers(id), member_id INTEGER NOT NULL REFERENCES speakers(id),"
                         " PRIMARY KEY (group_id, member_id))")
            conn.execute("CREATE INDEX IF NOT EXISTS speaker_members_member ON speaker_members(member_id)")
            if version < 3:
                self._migrate_targets(conn)
            conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: cannot upgrade the store from schema {version} to"
                             f" {SCHEMA_VERSION} ({e}); open it once writable (e.g. saidwhat ingest)") from e
        finally:
            if conn is not self.conn:
                conn.close()

    @staticmethod
    def _migrate_targets(conn: sqlite3.Connection) -> None:
        """Schema 2 -> 3: the ``attribution_targets`` table, filled from the targets that the
        attributions' JSON already holds (articles stored with stance through the Python API);
        their collection links are made by the next ``crossdoc.resolve``."""
        statement = ""
        for piece in TARGETS_SCHEMA.split(";"):  # executescript would commit the migration's transaction
            statement += piece + ";"
            if sqlite3.complete_statement(statement):
                conn.execute(statement)
                statement = ""
        rows = conn.execute("SELECT id, article_id, data FROM attributions WHERE data LIKE '%\"targets\":%'"
                            " AND id NOT IN (SELECT attribution_id FROM attribution_targets)").fetchall()
        for attribution_id, article_id, data in rows:
            targets = json.loads(data).get("targets") or []
            conn.executemany(_INSERT_TARGETS, _target_rows(attribution_id, article_id, targets))

    def _connect_readonly(self) -> sqlite3.Connection:
        from urllib.parse import quote

        uri = "file:" + quote(str(Path(self.path).resolve()), safe="/")
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as e:
            conn.close()
            text = str(e).lower()
            if "readonly" not in text and "read-only" not in text and "unable to open" not in text:
                raise
        wal = Path(self.path + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            log.warning("%s: opened as immutable (its folder is read-only): the changes in %s are not seen",
                        self.path, wal)
        self.immutable = True
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    # -- life cycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self.conn.execute(sql, tuple(params)).fetchone()
        return row[0] if row is not None else None

    # -- writing ----------------------------------------------------------------------------
    def known(self, hashes: Iterable[str]) -> set[str]:
        """The hashes among ``hashes`` already stored."""
        hashes = list(hashes)
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            part = hashes[i:i + 500]
            q = f"SELECT hash FROM articles WHERE hash IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.conn.execute(q, part))
        return found

    def add_articles(self, items: Iterable[tuple[Article, str, Optional[str]]],
                     failures: Iterable[tuple[str, str, str, Optional[str]]] = ()) -> int:
        """Store extracted articles ``(article, hash, location)`` and failures ``(location,
        stage, reason, hash)`` in ONE transaction; return how many articles were new.

        An article whose hash is already stored is skipped. Direct quotes are clustered (see
        ``clusters``) in the same transaction; collection-wide speakers are assigned afterwards by
        ``crossdoc.resolve(store)``.
        """
        from . import clusters

        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        added = 0
        self.last_added: set[str] = set()
        now = _now()
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            for article, h, location in items:
                article = _storable(article)
                location = _SURROGATES.sub("\ufffd", location) if location else location
                cur = c.execute(
                    "INSERT OR IGNORE INTO articles (hash, ext_id, location, title, url, outlet, published,"
                    " published_date, text, speakers, n_attributions, ingested_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (h, article.id, location, article.title, article.url, article.outlet, article.published,
                     iso_date(article.published), article.text,
                     json.dumps([s.to_dict() for s in article.speakers], ensure_ascii=False),
                     len(article.attributions), now))
                if cur.rowcount == 0:
                    continue
                added += 1
                self.last_added.add(h)
                article_id = cur.lastrowid
                c.execute("DELETE FROM failures WHERE hash = ?", (h,))  # an earlier try that failed
                c.executemany(
                    "INSERT INTO article_speakers (article_id, local_id, name, kind, roles, gender, organisation,"
                    " country, members) VALUES (?,?,?,?,?,?,?,?,?)",
                    [(article_id, s.id, s.name, s.kind, json.dumps(list(s.roles), ensure_ascii=False),
                      s.gender, s.organisation, s.country, json.dumps(list(s.members)))
                     for s in article.speakers])
                for seq, a in enumerate(article.attributions):
                    cur = c.execute(
                        "INSERT INTO attributions (article_id, seq, type, content_start, content_end, content_text,"
                        " cue_start, cue_end, cue_text, source_start, source_end, source_text, local_speaker,"
                        " speaker_name, speaker_kind, confidence, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (article_id, seq, a.type, a.content.start, a.content.end, a.content.text,
                         a.cue.start if a.cue else None, a.cue.end if a.cue else None,
                         a.cue.text if a.cue else None,
                         a.source.start if a.source else None, a.source.end if a.source else None,
                         a.source.text if a.source else None,
                         a.speaker.id if a.speaker else None, a.speaker.name if a.speaker else None,
                         a.speaker.kind if a.speaker else None, float(a.confidence),
                         json.dumps(a.to_dict(), ensure_ascii=False)))
                    if a.targets:
                        c.executemany(_INSERT_TARGETS, _target_rows(
                            cur.lastrowid, article_id, [t.to_dict() for t in a.targets]))
                    if a.type == "direct":
                        clusters.assign(c, cur.lastrowid, a.content.text, now)
            for location, stage, reason, h in failures:
                location, reason = _SURROGATES.sub("\ufffd", location), _SURROGATES.sub("\ufffd", reason)
                c.execute("INSERT OR IGNORE INTO failures (location, stage, reason, hash, at) VALUES (?,?,?,?,?)",
                          (location, stage, reason[:2000], h, now))
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        return added

    def add_failure(self, location: str, stage: str, reason: str, hash: Optional[str] = None) -> None:
        """Record one input that could not be read (``stage="read"``) or extracted."""
        self.add_articles((), [(location, stage, reason, hash)])

    # -- articles ---------------------------------------------------------------------------
    def _article_row(self, id: Union[int, str]) -> Optional[sqlite3.Row]:
        if _sql_int(id) is not None:
            row = self.conn.execute("SELECT * FROM articles WHERE id=?", (int(id),)).fetchone()
            if row is not None:
                return row
        return self.conn.execute("SELECT * FROM articles WHERE hash=? OR ext_id=? ORDER BY id LIMIT 1",
                                 (str(id), str(id))).fetchone()

    def article(self, id: Union[int, str]) -> Optional[Article]:
        """The stored ``Article`` (text, attributions, speakers, metadata); ``id`` is the store's
        int id, the content hash, or the id the input gave. ``Article.id`` is the input's id."""
        row = self._article_row(id)
        if row is None:
            return None
        attrs = [json.loads(r[0]) for r in self.conn.execute(
            "SELECT data FROM attributions WHERE article_id=? ORDER BY seq", (row["id"],))]
        return Article.from_dict({"id": row["ext_id"] or row["hash"], "text": row["text"],
                                  "title": row["title"], "url": row["url"], "outlet": row["outlet"],
                                  "published": row["published"], "speakers": json.loads(row["speakers"]),
                                  "attributions": attrs})

    @staticmethod
    def _info(row: sqlite3.Row) -> dict[str, Any]:
        return {"id": row["id"], "hash": row["hash"], "ext_id": row["ext_id"], "location": row["location"],
                "title": row["title"], "url": row["url"], "outlet": row["outlet"],
                "published": row["published_date"] or row["published"],
                "n_attributions": row["n_attributions"], "ingested_at": row["ingested_at"]}

    def article_info(self, id: Union[int, str]) -> Optional[dict[str, Any]]:
        row = self._article_row(id)
        return self._info(row) if row is not None else None

    def articles(self, limit: int = 50, offset: int = 0, outlet: Optional[str] = None) -> list[dict[str, Any]]:
        """Article metadata, newest first."""
        where, params = ("WHERE outlet = ? COLLATE NOCASE", [outlet]) if outlet else ("", [])
        rows = self.conn.execute(
            f"SELECT id, hash, ext_id, location, title, url, outlet, published, published_date, n_attributions,"
            f" ingested_at FROM articles {where} ORDER BY published_date DESC, id LIMIT ? OFFSET ?",
            (*params, int(limit), int(offset)))
        return [self._info(r) for r in rows]

    # -- search -----------------------------------------------------------------------------
    def _filters(self, text: Optional[str], speaker: Union[None, int, str], outlet: Optional[str],
                 since: Optional[str], until: Optional[str], type: Optional[str],
                 about: Union[None, int, str] = None, stance: Optional[str] = None,
                 min_confidence: Optional[float] = None) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if min_confidence is not None:
            where.append("a.confidence >= ?")
            params.append(check_confidence(min_confidence))
        if text and fts_query(text):
            where.append("a.id IN (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?)")
            params.append(fts_query(text))
        if (about is not None and str(about).strip()) or stance:
            # the same target must match both: "about Russia, negative" is negative about Russia
            cond, cparams = self._about(about, stance)
            where.append(f"a.id IN (SELECT t.attribution_id FROM attribution_targets t WHERE {cond})")
            params += cparams
        if speaker is not None and str(speaker).strip():
            if _sql_int(speaker) is not None:
                # their own attributions and those of the groups they were quoted in
                sid = _sql_int(speaker)
                where.append("(a.speaker_id = ? OR a.speaker_id IN"
                             " (SELECT group_id FROM speaker_members WHERE member_id = ?))")
                params += [sid, sid]
            else:
                # aliases are names without their article: "the Kremlin" finds "Kremlin"
                name = re.sub(r"^(?:the|a|an)\s+", "", str(speaker).strip(), flags=re.I) or str(speaker).strip()
                like = _like(name)
                where.append("(a.speaker_id IN (SELECT id FROM speakers WHERE name LIKE ? ESCAPE '\\'"
                             " UNION SELECT speaker_id FROM speaker_aliases WHERE alias = ? COLLATE NOCASE)"
                             " OR (a.speaker_id IS NULL AND (a.source_text LIKE ? ESCAPE '\\'"
                             " OR a.speaker_name LIKE ? ESCAPE '\\')))")
                params += [like, name, like, like]
        if outlet:
            where.append("(ar.outlet LIKE ? ESCAPE '\\' OR ar.url LIKE ? ESCAPE '\\')")
            params += [_like(outlet), _like(outlet)]
        if since:
            where.append("ar.published_date >= ?")
            params.append(iso_date(since) or since)
        if until:
            where.append("ar.published_date <= ?")
            params.append(iso_date(until) or until)
        if type:
            where.append("a.type = ?")
            params.append(type)
        return ("WHERE " + " AND ".join(where)) if where else "", params

    def search(self, text: Optional[str] = None, speaker: Union[None, int, str] = None,
               outlet: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
               type: Optional[str] = None, limit: int = 50, offset: int = 0,
               about: Union[None, int, str] = None, stance: Optional[str] = None,
               min_confidence: Optional[float] = None) -> list[dict[str, Any]]:
        """Attributions matching every filter given: ``text`` (words of the quote or source, FTS5),
        ``speaker`` (collection speaker id, or a name/alias substring), ``outlet`` (substring of
        outlet or URL), ``since``/``until`` (publication dates, inclusive), ``type``
        (direct|indirect|mixed), ``about`` (a target: a name, or a word of it, an alias of the
        speaker it is, a country's other name, its collection ``key``, or a speaker id) and
        ``stance`` (negative|neutral|positive: with ``about``, towards that target; alone,
        towards any) and ``min_confidence`` (0 to 1: only attributions whose ``confidence``, the
        mean probability of the tagger's tags, is at least this). Newest articles first."""
        where, params = self._filters(text, speaker, outlet, since, until, type, about, stance, min_confidence)
        rows = self.conn.execute(
            f"SELECT {_ATTR_COLUMNS} FROM attributions a JOIN articles ar ON ar.id = a.article_id"
            f" LEFT JOIN speakers s ON s.id = a.speaker_id {where}"
            f" ORDER BY ar.published_date DESC, a.article_id, a.seq LIMIT ? OFFSET ?",
            (*params, int(limit), int(offset)))
        return self._with_targets([_attr_row(r) for r in rows])

    def count_search(self, text: Optional[str] = None, speaker: Union[None, int, str] = None,
                     outlet: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                     type: Optional[str] = None, about: Union[None, int, str] = None,
                     stance: Optional[str] = None, min_confidence: Optional[float] = None) -> int:
        where, params = self._filters(text, speaker, outlet, since, until, type, about, stance, min_confidence)
        return int(self._one(f"SELECT count(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id"
                             f" {where}", params))

    def iter_attributions(self, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every stored attribution (the ``search`` shape), in storage order."""
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT {_ATTR_COLUMNS} FROM attributions a JOIN articles ar ON ar.id = a.article_id"
                f" LEFT JOIN speakers s ON s.id = a.speaker_id WHERE a.id > ? ORDER BY a.id LIMIT ?",
                (last, batch)).fetchall()
            if not rows:
                return
            yield from self._with_targets([_attr_row(r) for r in rows])
            last = rows[-1]["id"]

    # -- targets and stance -----------------------------------------------------------------
    STANCE_GROUPS = {
        "month": "coalesce(substr(ar.published_date, 1, 7), '(no date)')",
        "week": "coalesce(date(ar.published_date, 'weekday 0', '-6 days'), '(no date)')",
        "year": "coalesce(substr(ar.published_date, 1, 4), '(no date)')",
        "outlet": "coalesce(ar.outlet, '(no outlet)')",
        "target": "t.key",
        "speaker": "coalesce('id:' || a.speaker_id, 'name:' || a.speaker_name, '(unresolved)')",
    }

    @staticmethod
    def _about_names(about: str) -> list[str]:
        """The names a user's ``about`` stands for: itself (less "the"), and the country it names
        in another way ("US", "U.S.", "America" -> "United States"; "Russian" -> "Russia")."""
        from .stance.targets import _COUNTRY, _DEMONYM

        text = " ".join(about.split())
        bare = re.sub(r"^(?:the)\s+", "", text, flags=re.I) or text
        key = fold(bare).rstrip(".")
        names = [bare]
        for other in (_COUNTRY.get(key), _COUNTRY.get(key.replace(".", "")), _DEMONYM.get(key)):
            if other and other not in names:
                names.append(other)
        return names

    def _about(self, about: Union[None, int, str], stance: Optional[str]) -> tuple[str, list[Any]]:
        """The condition on a target row ``t`` for ``about`` and ``stance``."""
        conds: list[str] = []
        params: list[Any] = []
        if about is not None and str(about).strip():
            text = str(about).strip()
            if isinstance(about, int) or text.isdigit():
                conds.append("t.speaker_id = ?")  # a collection speaker, by id
                params.append(int(text))
            else:
                alts = ["t.key = ?", "t.speaker_id IN (SELECT speaker_id FROM speaker_aliases"
                                     " WHERE alias = ? COLLATE NOCASE)"]
                params += [text, text]
                for name in self._about_names(text):
                    # the whole name, or whole words of it: "Putin" finds "Vladimir Putin", "US" not "Russia"
                    like = "% " + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %"
                    alts += ["t.name = ? COLLATE NOCASE", "t.article_name = ? COLLATE NOCASE",
                             "(' ' || t.name || ' ') LIKE ? ESCAPE '\\'",
                             "(' ' || t.article_name || ' ') LIKE ? ESCAPE '\\'"]
                    params += [name, name, like, like]
                conds.append("(" + " OR ".join(alts) + ")")
        if stance:
            if stance not in STANCES:
                raise ValueError(f"stance: one of {', '.join(STANCES)}, not {stance!r}")
            conds.append("t.stance = ?")
            params.append(stance)
        return " AND ".join(conds) or "1", params

    def targets_of(self, attribution_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """The stored target rows of these attributions, in order: ``{attribution_id: [{"seq",
        "key", "name", "article_name", "kind", "stance", "probability", "speaker_id",
        "speaker_name"}]}``."""
        ids = [int(i) for i in attribution_ids]
        out: dict[int, list[dict[str, Any]]] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            rows = self.conn.execute(
                "SELECT t.attribution_id, t.seq, t.key, t.name, t.article_name, t.kind, t.stance, t.probability,"
                " t.speaker_id, s.name AS speaker_name FROM attribution_targets t"
                " LEFT JOIN speakers s ON s.id = t.speaker_id"
                f" WHERE t.attribution_id IN ({','.join('?' * len(part))}) ORDER BY t.attribution_id, t.seq", part)
            for r in rows:
                d = dict(r)
                out.setdefault(d.pop("attribution_id"), []).append(d)
        return out

    def _with_targets(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Give each target of these search-shaped rows its collection ``key``, ``speaker_id`` and
        ``speaker_name``."""
        links = self.targets_of(r["id"] for r in rows if r.get("targets"))
        for r in rows:
            by_seq = {t["seq"]: t for t in links.get(r["id"], [])}
            for seq, t in enumerate(r.get("targets") or []):
                link = by_seq.get(seq)
                t["key"] = link["key"] if link else target_key(t.get("kind", ""), t.get("name", ""))
                t["speaker_id"] = link["speaker_id"] if link else None
                t["speaker_name"] = link["speaker_name"] if link else None
        return rows

    def stance_summary(self, speaker: Union[None, int, str] = None, about: Union[None, int, str] = None,
                       by: str = "month", since: Optional[str] = None, until: Optional[str] = None,
                       outlet: Optional[str] = None, stance: Optional[str] = None,
                       limit: int = 50, min_confidence: Optional[float] = None) -> dict[str, Any]:
        """How statements treat their targets: counts of (attribution, target) pairs by stance,
        for attributions of ``speaker`` (as in ``search``) about ``about`` (as in ``search``),
        grouped ``by`` month, week, year, outlet, target ("how they talk about": the most
        frequent targets first) or speaker (who talks about it, and how).

        Returns ``{"by", "speaker", "about", "rows": [{"key", "name", "kind", "speaker_id", "n",
        "stances": {stance: n}, "shares": {stance: share}, "tone"}], "total": <a row for all>,
        "speakers": [...], "targets": [...]}``: ``tone`` is (positive - negative) / n, from -1 to
        1; ``speakers`` and ``targets`` list the collection speakers and targets the filters
        matched (most pairs first, at most 10), for a title such as "Joe Biden on Vladimir Putin".
        Time rows go oldest first (undated last), the others most pairs first (at most ``limit``).
        Pairs whose stance was not scored are not counted, nor, with ``min_confidence``, those of
        attributions less confident than that (as in ``search``)."""
        if by not in self.STANCE_GROUPS:
            raise ValueError(f"by: one of {', '.join(self.STANCE_GROUPS)}, not {by!r}")
        where, params = self._filters(None, speaker, outlet, since, until, None, min_confidence=min_confidence)
        cond, cparams = self._about(about, stance)
        where = (where + " AND " if where else "WHERE ") + f"t.stance IS NOT NULL AND {cond}"
        params = params + cparams
        base = ("FROM attribution_targets t JOIN attributions a ON a.id = t.attribution_id"
                " JOIN articles ar ON ar.id = a.article_id LEFT JOIN speakers s ON s.id = a.speaker_id"
                f" LEFT JOIN speakers ts ON ts.id = t.speaker_id {where}")
        group = self.STANCE_GROUPS[by]
        rows = self.conn.execute(
            f"SELECT {group} AS k, t.stance AS st, count(*) AS n,"
            " CASE WHEN ts.id IS NOT NULL THEN ts.name ELSE t.name END AS tname, t.kind AS tkind,"
            " t.speaker_id AS tsid, s.name AS sname, s.kind AS skind, a.speaker_id AS sid, a.speaker_name AS lname"
            f" {base} GROUP BY k, st, tname, tkind, tsid, sname, skind, sid, lname", params).fetchall()
        table: dict[str, dict[str, Any]] = {}
        names: dict[str, Counter] = {}
        kinds: dict[str, Counter] = {}
        total = self._stance_row("all")
        for r in rows:
            row = table.get(r["k"])
            if row is None:
                row = table[r["k"]] = self._stance_row(r["k"])
                names[r["k"]] = Counter()
                if by == "target":
                    row.update(speaker_id=r["tsid"])
                elif by == "speaker":
                    row.update(kind=r["skind"], speaker_id=r["sid"])
            if by == "target":
                names[r["k"]][r["tname"]] += r["n"]
                kinds.setdefault(r["k"], Counter())[r["tkind"]] += r["n"]
            elif by == "speaker":
                names[r["k"]][r["sname"] or r["lname"] or "(unresolved)"] += r["n"]
            for x in (row, total):
                x["n"] += r["n"]
                x["stances"][r["st"]] += r["n"]
        for k, row in table.items():
            row["name"] = names[k].most_common(1)[0][0] if names[k] else k
            if k in kinds:  # the kind most of its rows have ("Trump": a person the NER once took for an ORG)
                row["kind"] = kinds[k].most_common(1)[0][0]
        out = list(table.values())
        if by in ("month", "week", "year"):
            out.sort(key=lambda x: (x["key"].startswith("("), x["key"]))
        else:
            out.sort(key=lambda x: (-x["n"], str(x["name"]).lower()))
            out = out[:max(0, int(limit))]
        for row in out + [total]:
            n = row["n"]
            row["shares"] = {st: round(v / n, 4) if n else 0.0 for st, v in row["stances"].items()}
            row["tone"] = round((row["stances"]["positive"] - row["stances"]["negative"]) / n, 4) if n else 0.0

        def top(sql: str) -> list[dict[str, Any]]:
            return [dict(r) for r in self.conn.execute(sql + " LIMIT 10", params)]

        matched_speakers = top(f"SELECT a.speaker_id AS id, s.name, s.kind, count(*) AS n {base}"
                               " AND a.speaker_id IS NOT NULL GROUP BY a.speaker_id ORDER BY n DESC, s.name") \
            if speaker is not None and str(speaker).strip() else []
        matched_targets = top(f"SELECT t.key, CASE WHEN ts.id IS NOT NULL THEN ts.name ELSE max(t.name) END AS name,"
                              f" t.kind, t.speaker_id, count(*) AS n {base} GROUP BY t.key ORDER BY n DESC, name") \
            if about is not None and str(about).strip() else []
        return {"by": by, "speaker": speaker, "about": about, "rows": out, "total": total,
                "speakers": matched_speakers, "targets": matched_targets}

    @staticmethod
    def _stance_row(key: str) -> dict[str, Any]:
        return {"key": key, "name": key, "kind": None, "speaker_id": None, "n": 0,
                "stances": dict.fromkeys(STANCES, 0)}

    def count_targets(self) -> dict[str, int]:
        """(attribution, target) pairs stored: ``{"total", "negative", "neutral", "positive",
        "unscored"}``."""
        out = {"total": 0, **dict.fromkeys(STANCES, 0), "unscored": 0}
        for stance, n in self.conn.execute("SELECT stance, count(*) FROM attribution_targets GROUP BY stance"):
            out["total"] += n
            out[stance if stance in STANCES else "unscored"] += n
        return out

    # -- speakers ---------------------------------------------------------------------------
    def _speaker(self, row: sqlite3.Row) -> dict[str, Any]:
        sid = row["id"]
        return {"id": sid, "name": row["name"], "kind": row["kind"], "gender": row["gender"],
                "organisation": row["organisation"], "country": row["country"],
                "aliases": [{"alias": r[0], "count": r[1]} for r in self.conn.execute(
                    "SELECT alias, count FROM speaker_aliases WHERE speaker_id=? ORDER BY count DESC, alias",
                    (sid,))],
                "roles": [r[0] for r in self.conn.execute(
                    "SELECT role FROM speaker_roles WHERE speaker_id=? ORDER BY count DESC, role", (sid,))],
                "members": [{"id": r[0], "name": r[1], "kind": r[2]} for r in self.conn.execute(
                    "SELECT s.id, s.name, s.kind FROM speaker_members m JOIN speakers s ON s.id = m.member_id"
                    " WHERE m.group_id=? ORDER BY s.name", (sid,))],
                "groups": [{"id": r[0], "name": r[1], "n_attributions": r[2]} for r in self.conn.execute(
                    "SELECT s.id, s.name, s.n_attributions FROM speaker_members m JOIN speakers s"
                    " ON s.id = m.group_id WHERE m.member_id=? AND s.n_attributions > 0"
                    " ORDER BY s.n_attributions DESC, s.name", (sid,))],
                "n_attributions": row["n_attributions"], "n_articles": row["n_articles"],
                "first_seen": row["first_seen"], "last_seen": row["last_seen"]}

    def speakers(self, limit: int = 50, offset: int = 0, kind: Optional[str] = None,
                 name: Optional[str] = None, gender: Optional[str] = None) -> list[dict[str, Any]]:
        """Collection speakers with at least one attribution, most attributions first; ``name``
        filters on a substring of the name, or an alias given whole; ``kind`` (person,
        organisation, group, other) and ``gender`` (female, male, unknown) on those fields."""
        where, params = ["n_attributions > 0"], []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if gender:
            where.append("gender = ?")
            params.append(gender)
        if name:
            where.append("(name LIKE ? ESCAPE '\\' OR id IN (SELECT speaker_id FROM speaker_aliases"
                         " WHERE alias = ? COLLATE NOCASE))")
            params += [_like(name), name.strip()]
        rows = self.conn.execute(
            f"SELECT * FROM speakers WHERE {' AND '.join(where)} ORDER BY n_attributions DESC, name"
            f" LIMIT ? OFFSET ?", (*params, int(limit), int(offset))).fetchall()
        return [self._speaker(r) for r in rows]

    def speaker(self, id: int) -> Optional[dict[str, Any]]:
        if _sql_int(id) is None:
            return None
        row = self.conn.execute("SELECT * FROM speakers WHERE id=?", (int(id),)).fetchone()
        return self._speaker(row) if row is not None else None

    SOURCE_KINDS = ("person", "organisation", "group", "document", "other", "unresolved")
    SOURCE_GENDERS = ("female", "male", "unknown")

    def sources_report(self, by: str = "outlet", since: Optional[str] = None, until: Optional[str] = None,
                       outlet: Optional[str] = None, min_confidence: Optional[float] = None) -> dict[str, Any]:
        """Who gets quoted, per outlet or per month (``by``): the share of attributions by speaker
        kind (person, organisation, group, document, other; ``unresolved`` when the source is
        not resolved to a speaker) and, among people, by the gender the articles refer to them by
        (female, male, unknown). A speaker's kind and gender are the collection speaker's (the
        consensus of its articles) when it has one, else the article's own speaker's. With
        ``min_confidence``, only attributions at least that confident count (as in ``search``).

        Returns ``{"by", "rows": [{"key", "n", "kinds": {kind: n}, "kind_shares": {kind: share},
        "people", "genders": {gender: n}, "gender_shares": {gender: share}}], "total": <a row
        for everything>}``; rows in order of outlet (most attributions first) or month."""
        if by not in ("outlet", "month"):
            raise ValueError("by: outlet or month")
        group = "coalesce(ar.outlet, '(no outlet)')" if by == "outlet" else \
            "coalesce(substr(ar.published_date, 1, 7), '(no date)')"
        where, params = self._filters(None, None, outlet, since, until, None, min_confidence=min_confidence)
        rows = self.conn.execute(
            f"SELECT {group} AS k,"
            " CASE WHEN a.local_speaker IS NULL THEN 'unresolved' ELSE coalesce(s.kind, sp.kind, 'other') END AS sk,"
            " coalesce(s.gender, sp.gender, 'unknown') AS sg, count(*) AS n"
            " FROM attributions a JOIN articles ar ON ar.id = a.article_id"
            " LEFT JOIN speakers s ON s.id = a.speaker_id"
            " LEFT JOIN article_speakers sp ON sp.article_id = a.article_id AND sp.local_id = a.local_speaker"
            f" {where} GROUP BY k, sk, sg", params).fetchall()
        table: dict[str, dict[str, Any]] = {}
        total = self._report_row("all")
        for r in rows:
            kind = r["sk"] if r["sk"] in self.SOURCE_KINDS else "other"
            gender = r["sg"] if r["sg"] in self.SOURCE_GENDERS else "unknown"
            for row in (table.setdefault(r["k"], self._report_row(r["k"])), total):
                row["n"] += r["n"]
                row["kinds"][kind] += r["n"]
                if kind == "person":
                    row["people"] += r["n"]
                    row["genders"][gender] += r["n"]
        out = list(table.values())
        out.sort(key=(lambda x: (-x["n"], x["key"])) if by == "outlet" else (lambda x: x["key"]))
        for row in out + [total]:
            row["kind_shares"] = {k: round(v / row["n"], 4) if row["n"] else 0.0 for k, v in row["kinds"].items()}
            row["gender_shares"] = {g: round(v / row["people"], 4) if row["people"] else 0.0
                                    for g, v in row["genders"].items()}
        return {"by": by, "rows": out, "total": total}

    def _report_row(self, key: str) -> dict[str, Any]:
        return {"key": key, "n": 0, "kinds": dict.fromkeys(self.SOURCE_KINDS, 0), "people": 0,
                "genders": dict.fromkeys(self.SOURCE_GENDERS, 0)}

    def speaker_timeline(self, id: int) -> list[dict[str, Any]]:
        """Attributions of a speaker per week (``week`` is the Monday, ISO date), dated articles
        only, oldest first."""
        rows = self.conn.execute(
            "SELECT date(ar.published_date, 'weekday 0', '-6 days') AS week, count(*) AS n"
            " FROM attributions a JOIN articles ar ON ar.id = a.article_id"
            " WHERE a.speaker_id = ? AND ar.published_date IS NOT NULL GROUP BY week ORDER BY week",
            (int(id),))
        return [{"week": r["week"], "count": r["n"]} for r in rows]

    # -- quote clusters ---------------------------------------------------------------------
    def cluster(self, id: int) -> Optional[dict[str, Any]]:
        """A quote's provenance: ``{"id", "text", "first_seen": {attribution, article, outlet,
        published}, "variants": [{"text", "count", "articles", "outlets", "first_published"}],
        "attributions": [search-shaped dicts, earliest first], "n_articles", "n_outlets"}``."""
        if _sql_int(id) is None:
            return None
        row = self.conn.execute("SELECT * FROM clusters WHERE id=?", (int(id),)).fetchone()
        if row is None:
            return None
        rows = self.conn.execute(
            f"SELECT {_ATTR_COLUMNS} FROM attributions a JOIN articles ar ON ar.id = a.article_id"
            f" LEFT JOIN speakers s ON s.id = a.speaker_id WHERE a.cluster_id = ?"
            f" ORDER BY ar.published_date IS NULL, ar.published_date, a.id", (int(id),)).fetchall()
        attrs = self._with_targets([_attr_row(r) for r in rows])
        variants: dict[str, dict[str, Any]] = {}
        for a in attrs:
            v = variants.setdefault(a["content_text"], {"text": a["content_text"], "count": 0, "articles": [],
                                                        "outlets": [], "first_published": a["article"]["published"]})
            v["count"] += 1
            if a["article"]["id"] not in v["articles"]:
                v["articles"].append(a["article"]["id"])
            if a["article"]["outlet"] and a["article"]["outlet"] not in v["outlets"]:
                v["outlets"].append(a["article"]["outlet"])
        first = attrs[0] if attrs else None
        return {"id": row["id"], "text": first["content_text"] if first else row["text"],
                "first_seen": ({"attribution_id": first["id"], "article": first["article"],
                                "outlet": first["article"]["outlet"], "published": first["article"]["published"]}
                               if first else None),
                "variants": list(variants.values()), "attributions": attrs,
                "n_articles": len({a["article"]["id"] for a in attrs}),
                "n_outlets": len({a["article"]["outlet"] for a in attrs if a["article"]["outlet"]})}

    def clusters(self, limit: int = 50, offset: int = 0, min_articles: int = 2) -> list[dict[str, Any]]:
        """Quote clusters seen in at least ``min_articles`` articles, most widespread first:
        ``{"id", "text", "n_attributions", "n_articles", "n_variants", "first_published"}``."""
        rows = self.conn.execute(
            "SELECT c.id, c.text, count(*) AS n_attributions, count(DISTINCT a.article_id) AS n_articles,"
            " count(DISTINCT a.content_text) AS n_variants, min(ar.published_date) AS first_published"
            " FROM clusters c JOIN attributions a ON a.cluster_id = c.id JOIN articles ar ON ar.id = a.article_id"
            " GROUP BY c.id HAVING n_articles >= ? ORDER BY n_articles DESC, n_variants DESC, c.id"
            " LIMIT ? OFFSET ?", (int(min_articles), int(limit), int(offset)))
        return [dict(r) for r in rows]

    # -- failures and counts ----------------------------------------------------------------
    def failures(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT id, location, stage, reason, hash, at FROM failures ORDER BY id"
                                 " LIMIT ? OFFSET ?", (int(limit), int(offset)))
        return [dict(r) for r in rows]

    def count_articles(self) -> int:
        return int(self._one("SELECT count(*) FROM articles"))

    def count_attributions(self) -> int:
        return int(self._one("SELECT count(*) FROM attributions"))

    def count_speakers(self) -> int:
        return int(self._one("SELECT count(*) FROM speakers WHERE n_attributions > 0"))

    def count_clusters(self, min_articles: int = 1) -> int:
        return int(self._one("SELECT count(*) FROM (SELECT cluster_id FROM attributions WHERE cluster_id"
                             " IS NOT NULL GROUP BY cluster_id HAVING count(DISTINCT article_id) >= ?)",
                             (int(min_articles),)))

    def count_failures(self) -> int:
        return int(self._one("SELECT count(*) FROM failures"))

    def stats(self) -> dict[str, int]:
        return {"articles": self.count_articles(), "attributions": self.count_attributions(),
                "speakers": self.count_speakers(), "clusters": self.count_clusters(),
                "failures": self.count_failures()}
