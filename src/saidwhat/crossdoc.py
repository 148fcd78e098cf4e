"""Speakers across articles: one collection-wide speaker per person or organisation.

Each article's own speakers (``Article.speakers``, stored in ``article_speakers``) are read by
their name, kind and roles (and the source texts that referred to them), and mapped to speakers
of the whole collection (``speakers``, ``speaker_aliases``, ``speaker_roles``):

- a name is split into role and name: "Estonian Prime Minister Kaja Kallas" is the name "Kaja
  Kallas" with the role "Estonian Prime Minister"; "Kaja Kallas, the prime minister" too;
- a person with a first name and a surname is one speaker per (first name, surname): "Kaja
  Kallas" everywhere is one speaker, "Siim Kallas" another; an initial ("K. Kallas") joins the
  only full name it fits;
- a surname alone ("Kallas", "Prime Minister Kallas") joins the full name with that surname in
  the same article if there is one; else the only full name with that surname in the collection;
  else, when several people share the surname, the only one whose roles share a word with its
  roles (first name, role and organisation are the evidence); without evidence it stays a speaker
  of its own ("Kallas"), never merged by guess;
- organisations and places that speak ("the Kremlin", "Moscow", "the Health Ministry", "NATO")
  are speakers of kind ``organisation`` keyed by their name without "the";
- pronouns and unnamed sources ("she", "officials", "the prime minister") get no collection
  speaker: the article's own resolution (``speakers.py``) is what links them to a name.

``resolve(store)`` recomputes the mapping for the whole store in one transaction (a few seconds
per 100,000 article speakers) and keeps the ids of speakers whose key is unchanged; ingest runs it
at the end. It only relies on ``Speaker.name``/``kind``/``roles`` and source texts.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from .lexicon import PRONOUNS, ROLE_NOUNS

if TYPE_CHECKING:
    from .store import Store

TITLES = frozenset(ROLE_NOUNS | set("""
mr mrs ms miss dr sir dame lord lady prof rev gen col lt sgt capt cpt maj adm gov sen rep
deputy vice former acting interim foreign defence defense interior finance health justice
foreign trade state executive assistant senior top associate general attorney-general
president-elect vice-president chief of staff first minister ministers presidential
party campaign press secretary-general undersecretary mp mep
""".split()))
PARTICLES = frozenset("von van der den de la le da di del du dos bin ibn al el ter ten".split())
SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
DETERMINERS = frozenset("the a an this that these those another some several many his her their its our".split())
GENERIC = frozenset("""
official officials source sources expert experts critic critics resident residents witness witnesses
analyst analysts observer observers people person man woman men women someone somebody everyone
police authorities authority government spokesman spokeswoman spokesperson statement report reports
study survey poll researchers researcher scientists scientist doctors doctor lawyers lawyer staff
member members supporters supporter protesters protester activists activist leaders leader voters
organizers organisers officers officer investigators prosecutors campaign aides aide family friends
neighbours neighbors students student teachers teacher
""".split()) | ROLE_NOUNS
ORG_WORDS = frozenset("""
kremlin ministry government party council commission agency department police army navy office
committee university college institute inc ltd llc corp corporation company co association
union bank court parliament congress senate house pentagon administration embassy foundation
organisation organization group network channel newspaper times post news agency service
services authority authorities federation league club team fund board bureau cabinet
coalition alliance secretariat directorate command forces military guard tribunal assembly
hospital school church mosque reuters afp ap bbc cnn tass xinhua un nato eu who imf opec
""".split())
PLACES = frozenset("""
afghanistan albania algeria argentina armenia australia austria azerbaijan bahrain bangladesh
belarus belgium bolivia bosnia brazil bulgaria cambodia cameroon canada chile china colombia
croatia cuba cyprus czechia denmark egypt estonia ethiopia finland france georgia germany ghana
greece hungary iceland india indonesia iran iraq ireland israel italy japan jordan kazakhstan
kenya korea kosovo kuwait latvia lebanon libya lithuania luxembourg malaysia mali mexico
moldova mongolia morocco myanmar nepal netherlands nigeria norway oman pakistan palestine panama
peru philippines poland portugal qatar romania russia rwanda serbia singapore slovakia slovenia
somalia spain sudan sweden switzerland syria taiwan tanzania thailand tunisia turkey uganda
ukraine uae uk us usa venezuela vietnam yemen zambia zimbabwe britain america europe
moscow washington beijing london paris berlin kyiv kiev tehran ankara damascus baghdad cairo
tripoli riyadh jerusalem brussels tokyo seoul pyongyang delhi new-delhi islamabad kabul
ottawa canberra madrid rome warsaw tallinn riga vilnius minsk budapest vienna prague athens
stockholm oslo helsinki copenhagen dublin lisbon bern geneva hong-kong taipei hanoi manila
jakarta bangkok nairobi pretoria abuja caracas havana brasilia ottawa doha beirut amman gaza
""".split())

_APOS = str.maketrans({"’": "'", "‘": "'"})


def fold(s: str) -> str:
    """Case- and accent-insensitive form of a name."""
    s = unicodedata.normalize("NFKD", s.translate(_APOS))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()


def _capitalised(tok: str) -> bool:
    return tok[:1].isupper()


def _is_title(tok: str) -> bool:
    t = fold(tok).rstrip(".")
    return t in TITLES or t.split("-")[0] in TITLES


@dataclass
class Parsed:
    """A source name read as ``kind`` with ``name`` (display form), ``given``/``surname`` (folded)
    and the role words seen with it."""

    kind: str                      # person | organisation | other
    name: str
    given: tuple[str, ...] = ()
    surname: str = ""
    roles: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return bool(self.given)


def _tokens(s: str) -> list[str]:
    return [t for t in re.split(r"\s+", s.strip()) if t]


def _strip_determiners(toks: list[str]) -> list[str]:
    while toks and fold(toks[0]) in DETERMINERS:
        toks = toks[1:]
    return toks


def _name_run(toks: list[str]) -> tuple[list[str], list[str]]:
    """Split tokens into (role tokens, trailing name tokens)."""
    end = len(toks)
    while end and fold(toks[end - 1]).rstrip(".,") in SUFFIXES:
        end -= 1
    i = end
    while i > 0:
        t = toks[i - 1]
        if _capitalised(t) and not _is_title(t):
            i -= 1
            continue
        j = i - 1  # particles inside a name: "von der Leyen", between capitalised names only
        while j > 0 and fold(toks[j]) in PARTICLES and fold(toks[j - 1]) in PARTICLES:
            j -= 1
        if fold(t) in PARTICLES and i < end and j > 0 and _capitalised(toks[j - 1]) \
                and not _is_title(toks[j - 1]):
            i = j
        else:
            break
    return toks[:i], toks[i:end]


def _is_org(toks: list[str]) -> bool:
    folded = [fold(t).strip(".,'") for t in toks]
    if any(f in ORG_WORDS or f.removesuffix("'s") in ORG_WORDS for f in folded):
        return True
    joined = "-".join(folded)
    if joined in PLACES or (len(folded) == 1 and folded[0].removesuffix("'s") in PLACES):
        return True
    word = "".join(toks).replace(".", "")
    return len(toks) == 1 and len(word) >= 2 and word.isupper() and word.isalpha()


def parse_name(raw: str, kind: str = "other", roles: Optional[list[str]] = None) -> Parsed:
    """Read one speaker name (as the article gives it) into kind, name and roles."""
    roles = [r for r in (roles or []) if r]
    text = " ".join(raw.translate(_APOS).split()).strip(" ,.;:\"'")
    text = re.sub(r"'s$", "", text)
    if not text or fold(text) in PRONOUNS:
        return Parsed("other", text, roles=roles)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > 1:  # "Kaja Kallas, the prime minister" / "the prime minister, Kaja Kallas"
        best = None
        for i, p in enumerate(parts):
            sub = parse_name(p, kind)
            if sub.kind != "other" and (best is None or (sub.kind == "person" and best[1].kind != "person")):
                best = (i, sub)
        if best is None:
            return Parsed("other", text, roles=roles)
        i, sub = best
        sub.roles = roles + sub.roles + [p for j, p in enumerate(parts) if j != i]
        return sub
    toks = _strip_determiners(_tokens(text))
    if not toks:
        return Parsed("other", text, roles=roles)
    role_toks, name_toks = _name_run(toks)
    titled = any(_is_title(t) for t in role_toks)
    if kind == "organisation" or (_is_org(toks) and not (name_toks and titled and not _is_org(name_toks))):
        return Parsed("organisation", " ".join(toks), roles=roles)
    role = " ".join(role_toks).strip(" ,")
    if role:
        roles = roles + [role]
    if not name_toks or (len(name_toks) == 1 and fold(name_toks[0]) in GENERIC):
        return Parsed("other", text, roles=roles)
    if kind == "other" and len(toks) == len(name_toks) == 1 and toks[0] == text.split()[0] \
            and fold(toks[0]) in DETERMINERS | GENERIC:
        return Parsed("other", text, roles=roles)
    folded = [fold(t).rstrip(".") for t in name_toks]
    # surname: the last name token with the particles before it ("von der Leyen")
    s = len(folded) - 1
    while s > 0 and folded[s - 1] in PARTICLES:
        s -= 1
    surname = " ".join(folded[s:])
    given = tuple(folded[:s])
    return Parsed("person", " ".join(name_toks), given=given, surname=surname, roles=roles)


def role_words(roles: list[str]) -> set[str]:
    out = set()
    for r in roles:
        for w in re.findall(r"[\w'-]+", fold(r)):
            w = w.removesuffix("'s")
            if w not in DETERMINERS and w not in {"of", "for", "and", "to", "in", "at", "on", "former"} and len(w) > 1:
                out.add(w)
    return out


def _given_fits(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether given names ``short`` (maybe initials) fit ``full``: "k" fits "kaja"."""
    if short == full or not short:
        return True
    if len(short) > len(full):
        return False
    return all(s == f or (len(s) == 1 and f.startswith(s)) for s, f in zip(short, full))


@dataclass
class _Local:
    article_id: int
    local_id: str
    parsed: Parsed
    aliases: Counter
    n: int


def _person_key(given: tuple[str, ...], surname: str) -> str:
    return "person:" + " ".join((*given, surname))


def assign(locals_: list[_Local]) -> dict[tuple[int, str], str]:
    """The collection key of every local speaker that has one (pure function, tested apart)."""
    keys: dict[tuple[int, str], str] = {}
    full_by_surname: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for loc in locals_:
        p = loc.parsed
        if p.kind == "person" and p.full and all(len(g) > 1 for g in p.given):
            full_by_surname[p.surname].add(p.given)
            roles_of[_person_key(p.given, p.surname)] |= role_words(p.roles)
    by_article: dict[int, list[_Local]] = defaultdict(list)
    for loc in locals_:
        by_article[loc.article_id].append(loc)

    for loc in locals_:
        p = loc.parsed
        k = (loc.article_id, loc.local_id)
        if p.kind == "organisation":
            if any(_capitalised(t) for t in p.name.split()):  # "the government" is no one in particular
                keys[k] = "organisation:" + fold(p.name)
            continue
        if p.kind != "person":
            continue
        if p.full and all(len(g) > 1 for g in p.given):
            keys[k] = _person_key(p.given, p.surname)
            continue
        # a surname alone, or with initials: the same article first, then the collection
        here = {q.parsed.given for q in by_article[loc.article_id]
                if q.parsed.kind == "person" and q.parsed.surname == p.surname and q.parsed.full
                and all(len(g) > 1 for g in q.parsed.given) and _given_fits(p.given, q.parsed.given)}
        candidates = here or {g for g in full_by_surname.get(p.surname, ()) if _given_fits(p.given, g)}
        chosen = None
        if len(candidates) == 1:
            chosen = next(iter(candidates))
        elif len(candidates) > 1:  # several people share the surname: roles must decide
            mine = role_words(p.roles)
            fits = [g for g in candidates if mine & roles_of[_person_key(g, p.surname)]]
            if len(fits) == 1:
                chosen = fits[0]
        if chosen is not None:
            keys[k] = _person_key(chosen, p.surname)
        else:
            keys[k] = _person_key(p.given, p.surname)
    return keys


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
    locals_: list[_Local] = []
    current: dict[tuple[int, str], Optional[int]] = {}
    for article_id, local_id, name, kind, roles, speaker_id in c.execute(
            "SELECT article_id, local_id, name, kind, roles, speaker_id FROM article_speakers"):
        current[(article_id, local_id)] = speaker_id
        aliases = counts.get((article_id, local_id), Counter())
        parsed = parse_name(name, kind, json.loads(roles or "[]"))
        for alias in aliases:  # "Prime Minister Kallas": the roles the sources give are evidence too
            if alias and fold(alias) not in PRONOUNS:
                parsed.roles += [r for r in parse_name(alias, kind).roles if r not in parsed.roles]
        locals_.append(_Local(article_id, local_id, parsed, aliases, sum(aliases.values())))
    keys = assign(locals_)

    names: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[str, str] = {}
    aliases: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, Counter] = defaultdict(Counter)
    for loc in locals_:
        key = keys.get((loc.article_id, loc.local_id))
        if key is None:
            continue
        kinds[key] = loc.parsed.kind
        weight = max(loc.n, 1)
        if loc.parsed.full or loc.parsed.kind == "organisation":
            names[key][loc.parsed.name] += weight
        else:
            names[key][loc.parsed.name] += weight / 1000  # a surname names a speaker only when nothing else does
        aliases[key][loc.parsed.name] += loc.n
        for a, n in loc.aliases.items():
            a = a.strip(" ,;:\"'“”‘’")
            if "," in a or len(a.split()) > 6:  # an appositive: keep the name it gives
                parsed = parse_name(a)
                a = parsed.name if parsed.kind != "other" else ""
            if a and fold(a) not in PRONOUNS:
                aliases[key][a] += n
        for r in loc.parsed.roles:
            roles[key][" ".join(r.split())] += weight

    try:
        c.execute("BEGIN IMMEDIATE")
        ids: dict[str, int] = {}
        for key in names:
            c.execute("INSERT OR IGNORE INTO speakers (key, name, kind) VALUES (?,?,?)",
                      (key, _display(names[key], kinds[key]), kinds[key]))
            ids[key] = c.execute("SELECT id FROM speakers WHERE key=?", (key,)).fetchone()[0]
            c.execute("UPDATE speakers SET name=?, kind=? WHERE id=?",
                      (_display(names[key], kinds[key]), kinds[key], ids[key]))
        c.execute("DELETE FROM speaker_aliases")
        c.execute("DELETE FROM speaker_roles")
        c.executemany("INSERT INTO speaker_aliases (speaker_id, alias, count) VALUES (?,?,?)",
                      [(ids[k], a, n) for k, cnt in aliases.items() for a, n in cnt.items()])
        c.executemany("INSERT INTO speaker_roles (speaker_id, role, count) VALUES (?,?,?)",
                      [(ids[k], r, int(n)) for k, cnt in roles.items() for r, n in cnt.items() if r])
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
