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
at the end. It then links the stored targets (``link_targets``): a target that is a collection
speaker ("Putin" in a quote, the speaker Vladimir Putin) gets that speaker's id, key and name.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Optional

from .lexicon import PRONOUNS
from .speakers.merge import (  # noqa: F401  (re-exported: the names tests and users know)
    PLACES, Local, Parsed, _given_fits, _is_org, assign, clean_alias, consensus, fold, org_fold, parse_name, role_display, role_words,
)
from .speakers.lexicon import initials
from .speakers.roles import clean_role_text

if TYPE_CHECKING:
    from .store import Store

_Local = Local  # the name before the merge logic moved to saidwhat.speakers.merge


def _display(forms: Counter, kind: str) -> str:
    """The speaker's name: its most frequent written form (longest on ties)."""
    return max(forms.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


def distinguish(names: dict[str, str], kinds: dict[str, str], countries: dict[str, Optional[str]]) -> dict[str, str]:
    """Display names that tell apart speakers of one name and kind: the collection keeps the
    Supreme Courts of the United States and of the United Kingdom apart (their keys hold the
    country), and the directory should not list two "Supreme Court"s. Each of them whose country
    is known and not already in its name is shown as "Supreme Court (United Kingdom)"; a lone
    name, or one without a country, is left as it is."""
    by: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, name in names.items():
        by[(fold(name), kinds[key])].append(key)
    out = dict(names)
    for (_, kind), ks in by.items():
        if len(ks) < 2 or kind == "group":
            continue
        for k in ks:
            country = countries.get(k)
            if country and fold(country) not in fold(names[k]):
                out[k] = f"{names[k]} ({country})"
    return out


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
            if alias and fold(alias) not in PRONOUNS and parsed.kind == "person" and clean_alias(alias, parsed.name, "person", descriptions=True):
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

    kind_by = {k: kind_of(k) for k in names}
    country_by = {k: consensus(countries[k], "") or None for k in names}
    shown = distinguish({k: _display(names[k], kind_by[k]) for k in names}, kind_by, country_by)
    try:
        c.execute("BEGIN IMMEDIATE")
        ids: dict[str, int] = {}
        for key in names:
            kind = kind_by[key]
            row = (shown[key], kind,
                   consensus(genders[key], "unknown") if kind == "person" else "unknown",
                   consensus(orgs[key], "") or None, country_by[key])
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
    link_targets(store)
    return store.count_speakers()


def _compatible(target_kind: str, speaker_kind: str) -> bool:
    """Whether a target of ``target_kind`` may be a speaker of ``speaker_kind``: people are
    people; a country, an organisation or a group of people ("Democrats") may speak as an
    organisation ("Russia said") or an unnamed group."""
    if target_kind == "person":
        return speaker_kind == "person"
    return speaker_kind in ("organisation", "other")


_DESCRIPTION = re.compile(r"^(?:the|a|an|this|that|these|those|its|their|our|his|her|my|your)\s", re.I)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w'-]+", fold(text)) if w not in ("the", "of", "and")}


def _names_alike(target: str, speaker: str, person: bool) -> bool:
    """Whether an alias match is a match of names: a person's every word is a word of the
    speaker's name ("Putin", "Vladimir Putin"), anything else has the same words ("the Kremlin",
    "Kremlin"), or one is the other's acronym ("NATO"); never "Hong Kong" for a speaker
    mis-named "Kong government", nor the city "Melbourne" for "Melbourne city council"."""
    tw, sw = _words(target), _words(speaker)
    if tw and (tw <= sw if person else tw == sw):
        return True
    ini, ini_t = initials(speaker), initials(target)
    return (len(ini) > 1 and target.replace(".", "") == ini) or (len(ini_t) > 1 and speaker.replace(".", "") == ini_t)


DOMINANT = 10  # a bare surname goes to a namesake with this many times the others' attributions


def link_targets(store: "Store") -> int:
    """Give every stored target its collection identity; return how many target rows are linked
    to a collection speaker.

    A target is the collection speaker that (1) its own article's speaker of that name, or the
    only one of its article's speakers with that surname, resolved to ("Kallas" in an article
    quoting Kaja Kallas), else (2) has its key (a full name: "Vladimir Putin" is
    ``person:vladimir putin``; an organisation by its name), else (3) for a bare surname
    ("Putin"; a first name that does not fit is no match), the only person of the collection
    with that surname, or one with ``DOMINANT`` times the attributions of all the others ("Trump"
    is Donald Trump, not Melania Trump, in a collection full of his quotes), else (4) the only
    compatible speaker with that alias whose name is alike (every word of the target in it, or
    an acronym). An unlinked target is keyed by kind and name ("country:russia"), a name the
    NER calls by several kinds by the kind most of its rows have; a lone surname joins the full
    name with that surname in its article's targets, else the only one in the collection's;
    a description ("the government", "that party") is its article's own (``...@ARTICLE_ID``):
    "the government" of two articles are not one target."""
    c = store.conn
    targets = c.execute("SELECT article_id, article_name, kind, count(*) FROM attribution_targets"
                        " GROUP BY article_id, article_name, kind").fetchall()
    if not targets:
        return 0
    speakers = {r[0]: (r[1], r[2], r[3], r[4]) for r in c.execute(
        "SELECT id, key, name, kind, n_attributions FROM speakers WHERE n_attributions > 0")}
    by_key = {key: sid for sid, (key, _, _, _) in speakers.items()}
    by_alias: dict[str, set[int]] = defaultdict(set)
    for sid, alias in c.execute("SELECT speaker_id, alias FROM speaker_aliases"):
        if sid in speakers:
            by_alias[fold(alias)].add(sid)
    for sid, (_, name, _, _) in speakers.items():
        by_alias[fold(name)].add(sid)
    full_speakers: dict[str, dict[tuple[str, ...], int]] = defaultdict(dict)
    for sid, (_, name, kind, _) in speakers.items():
        if kind == "person":
            p = parse_name(name, "person")
            if p.kind == "person" and p.full:
                full_speakers[p.surname][p.given] = sid
    local: dict[tuple[int, str], set[int]] = defaultdict(set)
    local_surname: dict[tuple[int, str], set[int]] = defaultdict(set)
    for article_id, name, kind, speaker_id in c.execute(
            "SELECT article_id, name, kind, speaker_id FROM article_speakers WHERE speaker_id IS NOT NULL"
            " AND article_id IN (SELECT DISTINCT article_id FROM attribution_targets)"):
        local[(article_id, fold(name))].add(speaker_id)
        if kind == "person":
            p = parse_name(name, "person")
            if p.kind == "person" and p.full:
                local_surname[(article_id, p.surname)].add(speaker_id)
    parsed = {(n, k): parse_name(n, "person") if k == "person" else None for _, n, k, _ in targets}
    full_targets: dict[str, Counter] = defaultdict(Counter)  # surname -> full names (their rows)
    here_targets: dict[tuple[int, str], set[str]] = defaultdict(set)
    kinds: dict[str, Counter] = defaultdict(Counter)  # a name's kinds (their rows)
    for article_id, name, kind, n in targets:
        p = parsed[(name, kind)]
        if p is not None and p.kind == "person" and p.full:
            full_targets[p.surname][p.name] += n
            here_targets[(article_id, p.surname)].add(p.name)
        kinds[fold(name)][kind] += n
    surnames = set(full_speakers) | set(full_targets)
    for (name, kind), p in list(parsed.items()):
        words = name.split()
        if kind == "organisation" and len(words) == 1 and fold(name) in surnames and name[:1].isupper() \
                and not _is_org(words) and fold(name) not in PLACES:
            # a surname the NER took for an organisation ("Trump said"): the person, as for speakers
            parsed[(name, kind)] = parse_name(name, "person")
        elif p is not None and not p.full and fold(name) not in surnames \
                and sum(v for k, v in kinds[fold(name)].items() if k != "person") > kinds[fold(name)]["person"]:
            parsed[(name, kind)] = None  # "COVID-19" tagged a person here and a thing more often

    def only(ids: set[int], kind: str, name: Optional[str] = None) -> Optional[int]:
        fits = {i for i in ids if i in speakers and _compatible(kind, speakers[i][2])
                and (name is None or _names_alike(name, speakers[i][1], kind == "person"))}
        return next(iter(fits)) if len(fits) == 1 else None

    def person_key(full_name: str) -> str:
        q = parse_name(full_name, "person")
        return "person:" + " ".join((*q.given, q.surname))

    out = []
    for article_id, name, kind, _ in targets:
        p = parsed[(name, kind)]
        person = p is not None and p.kind == "person"
        ekind = "person" if person else kind if kind != "person" else "organisation"  # as read here
        sid = only(local.get((article_id, fold(name)), set()), ekind)
        key = None
        if sid is None and person:
            if p.full:
                sid = by_key.get(person_key(name))
            else:
                sid = only(local_surname.get((article_id, p.surname), set()), ekind)
                fits = {s: speakers[s][3] for g, s in full_speakers.get(p.surname, {}).items()
                        if _given_fits(p.given, g)}
                if sid is None and fits:
                    top = max(fits, key=lambda s: fits[s])
                    if len(fits) == 1 or fits[top] >= DOMINANT * (sum(fits.values()) - fits[top]):
                        sid = top
                if sid is None:
                    here = here_targets.get((article_id, p.surname), set())
                    there = set(full_targets.get(p.surname, {})) | {speakers[f][1] for f in fits}
                    names = here if len(here) == 1 else there if len(there) == 1 else set()
                    if names:
                        full = next(iter(names))
                        sid = by_key.get(person_key(full))
                        key = (person_key(full), full)
        elif sid is None and p is None:
            sid = by_key.get("organisation:" + org_fold(name)) or by_key.get("other:" + org_fold(name))
            if sid is not None and not _compatible(ekind, speakers[sid][2]):
                sid = None
        if sid is None:
            sid = only(by_alias.get(fold(name), set()), ekind, name)
        if sid is not None:
            out.append((speakers[sid][0], speakers[sid][1], sid, article_id, name, kind))
        elif key is not None:
            out.append((key[0], key[1], None, article_id, name, kind))
        elif person:
            out.append(("person:" + " ".join((*p.given, p.surname)), name, None, article_id, name, kind))
        elif _DESCRIPTION.match(name):
            out.append((f"{kind}:{fold(name)}@{article_id}", name, None, article_id, name, kind))
        else:
            others = Counter({k: v for k, v in kinds[fold(name)].items() if k != "person"})
            as_kind = consensus(others, kind if kind != 'person' else 'organisation')
            # an organisation's key as a speaker's: one spelling ("Organisation" = "Organization")
            folded = org_fold(name) if as_kind in ("organisation", "other") else fold(name)
            out.append((f"{as_kind}:{folded}", name, None, article_id, name, kind))
    try:
        c.execute("BEGIN IMMEDIATE")
        c.executemany("UPDATE attribution_targets SET key = ?, name = ?, speaker_id = ?"
                      " WHERE article_id = ? AND article_name = ? AND kind = ?"
                      " AND (key IS NOT ?1 OR name IS NOT ?2 OR speaker_id IS NOT ?3)", out)
        c.execute("COMMIT")
    except BaseException:
        if c.in_transaction:
            c.execute("ROLLBACK")
        raise
    return sum(1 for row in out if row[2] is not None)
