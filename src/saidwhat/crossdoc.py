"""Speakers across articles: one collection-wide speaker per person, organisation or group.

Each article's own speakers (``Article.speakers``, stored in ``article_speakers``) are read with
their name, kind, roles, gender, organisation, country and group members, and the source texts
that referred to them, and mapped to speakers of the whole collection (``speakers``,
``speaker_aliases``, ``speaker_roles``, ``speaker_members``). Which article speakers are one
collection speaker is decided by ``saidwhat.speakers.merge`` (pure functions, tested apart):
"Kaja Kallas" everywhere is one speaker and "Siim Kallas" another; a bare "Kallas" joins a full
name only on evidence; "The Kremlin" and "Moscow" are organisations; "Biden and Harris" is a
group whose members are Joe Biden and Kamala Harris; pronouns, documents and unnamed sources
("officials") are no one's alias. A collection speaker's kind and gender are the consensus of
its articles; its aliases are the names its sources give it (never "Biden and Harris" or "she"),
its roles clean role phrases.

``resolve(store)`` recomputes the mapping for the whole store in one transaction (a few seconds
per 100,000 article speakers) and keeps the ids of speakers whose key is unchanged; ingest runs it
at the end.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Optional

from .lexicon import PRONOUNS
from .speakers.merge import (  # noqa: F401  (re-exported: the names tests and users know)
    Local, Parsed, assign, clean_alias, consensus, fold, parse_name, role_display, role_words,
)
from .speakers.roles import clean_role_text

if TYPE_CHECKING:
    from .store import Store

_Local = Local  # the name before the merge logic moved to saidwhat.speakers.merge


def _display(forms: Counter, kind: str) -> str:
    """The speaker's name: its most frequent written form (longest on ties)."""
    return max(forms.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


def resolve(store: "Store") -> int:
    """Recompute the collection's speakers from every article's own speakers; return how many
    collection speakers have attributions."""
    c = store.conn
    counts: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for article_id, local, source in c.execute(
            "SELECT article_id, local_speaker, coalesce(source_text, speaker_name) FROM attributions"
            " WHERE local_speaker IS NOT NULL"):
        counts[(article_id, local)][" ".join((source or "").split())] += 1
    locals_: list[Local] = []
    current: dict[tuple[int, str], Optional[int]] = {}
    for row in c.execute("SELECT article_id, local_id, name, kind, roles, speaker_id, gender, organisation,"
                         " country, members FROM article_speakers"):
        article_id, local_id, name, kind, roles, speaker_id, gender, organisation, country, members = row
        current[(article_id, local_id)] = speaker_id
        aliases = counts.get((article_id, local_id), Counter())
        parsed = parse_name(name, kind, json.loads(roles or "[]"))
        for alias in aliases:  # "Prime Minister Kallas": the roles the sources give are evidence too
            if alias and fold(alias) not in PRONOUNS and parsed.kind == "person" and clean_alias(alias, parsed.name, "person"):
                parsed.roles += [r for r in parse_name(alias, kind).roles if r not in parsed.roles]
        locals_.append(Local(article_id, local_id, parsed, aliases, sum(aliases.values()),
                             gender or "unknown", organisation, country, json.loads(members or "[]")))
    keys = assign(locals_)

    names: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[str, Counter] = defaultdict(Counter)
    genders: dict[str, Counter] = defaultdict(Counter)
    orgs: dict[str, Counter] = defaultdict(Counter)
    countries: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, set] = defaultdict(set)
    for loc in locals_:
        key = keys.get((loc.article_id, loc.local_id))
        if key is None:
            continue
        p = loc.parsed
        weight = max(loc.n, 1)
        kinds[key][p.kind] += weight
        if p.kind == "person" and loc.gender in ("female", "male"):
            genders[key][loc.gender] += 1  # one vote per article: how each article refers to them
        if loc.organisation:
            orgs[key][loc.organisation] += 1
        if loc.country:
            countries[key][loc.country] += 1
        if p.full or p.kind != "person":
            names[key][p.name] += weight
        else:
            names[key][p.name] += weight / 1000  # a surname names a speaker only when nothing else does
        if p.kind == "group":
            members[key] |= {keys[(loc.article_id, m)] for m in loc.members if (loc.article_id, m) in keys}
            continue
        aliases[key][p.name] += loc.n
        for a, n in loc.aliases.items():
            a = clean_alias(a, p.name, p.kind)
            if a:
                aliases[key][a] += n
        for r in p.roles:
            r = clean_role_text(r)
            if r:
                roles[key][role_display(r)] += weight
    # a name stored as a person by some articles and an organisation by others: one speaker,
    # of the kind most articles give it
    by_name: dict[str, list[str]] = defaultdict(list)
    for key in names:
        if key.split(":", 1)[0] in ("person", "organisation"):
            by_name[key.split(":", 1)[1]].append(key)
    rename: dict[str, str] = {}
    for name, ks in by_name.items():
        if len(ks) > 1:
            main = max(ks, key=lambda k: sum(kinds[k].values()))
            for k in ks:
                if k != main:
                    rename[k] = main
                    for table in (names, kinds, genders, orgs, countries, aliases, roles):
                        table[main].update(table.pop(k, Counter()))
    keys = {lk: rename.get(k, k) for lk, k in keys.items()}
    for gk in list(members):
        members[gk] = {rename.get(m, m) for m in members[gk]}

    def kind_of(key: str) -> str:
        return consensus(kinds[key], key.split(":", 1)[0])

    try:
        c.execute("BEGIN IMMEDIATE")
        ids: dict[str, int] = {}
        for key in names:
            kind = kind_of(key)
            row = (_display(names[key], kind), kind,
                   consensus(genders[key], "unknown") if kind == "person" else "unknown",
                   consensus(orgs[key], "") or None, consensus(countries[key], "") or None)
            c.execute("INSERT OR IGNORE INTO speakers (key, name, kind) VALUES (?,?,?)", (key, row[0], row[1]))
            ids[key] = c.execute("SELECT id FROM speakers WHERE key=?", (key,)).fetchone()[0]
            c.execute("UPDATE speakers SET name=?, kind=?, gender=?, organisation=?, country=? WHERE id=?",
                      (*row, ids[key]))
        c.execute("DELETE FROM speaker_aliases")
        c.execute("DELETE FROM speaker_roles")
        c.execute("DELETE FROM speaker_members")
        c.executemany("INSERT INTO speaker_aliases (speaker_id, alias, count) VALUES (?,?,?)",
                      [(ids[k], a, n) for k, cnt in aliases.items() if k in ids for a, n in cnt.items()])
        c.executemany("INSERT INTO speaker_roles (speaker_id, role, count) VALUES (?,?,?)",
                      [(ids[k], r, int(n)) for k, cnt in roles.items() if k in ids for r, n in cnt.items() if r])
        c.executemany("INSERT OR IGNORE INTO speaker_members (group_id, member_id) VALUES (?,?)",
                      [(ids[g], ids[m]) for g, ms in members.items() if g in ids for m in ms if m in ids])
        # rewrite only what changed: a growing collection mostly adds
        changed = [(ids[keys[k]] if k in keys else None, k[0], k[1]) for k, old in current.items()
                   if (ids[keys[k]] if k in keys else None) != old]
        c.executemany("UPDATE article_speakers SET speaker_id=? WHERE article_id=? AND local_id=?", changed)
        c.execute("UPDATE attributions SET speaker_id = s.speaker_id FROM article_speakers s"
                  " WHERE s.article_id = attributions.article_id AND s.local_id = attributions.local_speaker"
                  " AND attributions.speaker_id IS NOT s.speaker_id")
        c.execute("UPDATE speakers SET n_attributions=0, n_articles=0, first_seen=NULL, last_seen=NULL")
        c.execute("""UPDATE speakers SET n_attributions = t.n, n_articles = t.na, first_seen = t.f, last_seen = t.l
            FROM (SELECT a.speaker_id AS sid, count(*) AS n, count(DISTINCT a.article_id) AS na,
                         min(ar.published_date) AS f, max(ar.published_date) AS l
                  FROM attributions a JOIN articles ar ON ar.id = a.article_id
                  WHERE a.speaker_id IS NOT NULL GROUP BY a.speaker_id) AS t
            WHERE speakers.id = t.sid""")
        c.execute("COMMIT")
    except BaseException:
        if c.in_transaction:
            c.execute("ROLLBACK")
        raise
    return store.count_speakers()
