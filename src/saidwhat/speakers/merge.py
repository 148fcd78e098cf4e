"""The same speaker across articles: which article speakers are one collection speaker.

Pure functions over what each article's resolver stored (name, kind, roles, gender, country,
organisation, group members, and the source texts that referred to the speaker);
``saidwhat.crossdoc`` reads them from a store and writes the result.

- A name is split into role and name ("Estonian Prime Minister Kaja Kallas" -> "Kaja Kallas",
  role "Estonian Prime Minister"; "Kaja Kallas, the prime minister" too).
- A person with a first name and a surname is one speaker per (first name, surname); an initial
  ("K. Kallas") joins the only full name it fits.
- A surname alone joins the full name with that surname in the same article if there is one
  (the article itself resolved it), else the only full name with that surname in the collection,
  else the only one whose roles share a word with its own; without evidence it stays a speaker of
  its own, never merged by guess.
- Organisations, places and named groups of people ("Democrats") are keyed by their name; a
  group speaker ("Biden and Harris") by its members' keys; documents, pronouns and unnamed
  sources get no collection speaker.
- Merging only joins what is compatible: aliases are names of the speaker (never a phrase with
  a conjunction, a pronoun or someone else's name), roles are clean role phrases, and kind and
  gender are the consensus of the articles (the gender an article refers to a person by).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional

from ..lexicon import PRONOUNS, ROLE_NOUNS
from .lexicon import capitalised_name_word, generic_institution, initials
from .lexicon import FEMALE_NAMES, MALE_NAMES, NAME_DESCRIPTORS, NEUTRAL_MODIFIERS, RANK_MODIFIERS, is_demonym, place_of
from .roles import clean_role_text, split_role_texts

TITLES = frozenset(ROLE_NOUNS | set("""
mr mrs ms miss dr sir dame lord lady prof rev gen col lt sgt capt cpt maj adm gov sen rep
deputy vice former acting interim foreign defence defense interior finance health justice
foreign trade state executive assistant senior top associate general attorney-general
president-elect vice-president chief of staff first minister ministers presidential
party campaign press secretary-general undersecretary mp mep incumbent presumptive
im gm fm cm wgm wim wfm wcm mla msp mpp
actor actress podcaster ecologist physicist biologist chemist astronomer filmmaker novelist columnist
commentator blogger comedian presenter athlete historian scientist researcher
""".split()))
PARTICLES = frozenset("von van der den de la le da di del du dos bin ibn al el ter ten".split())
SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
DETERMINERS = frozenset("the a an this that these those another some several many his her their its our".split())
CONJUNCTIONS = frozenset("and or nor & but plus".split())
GENERIC = frozenset("""
official officials source sources expert experts critic critics resident residents witness witnesses
analyst analysts observer observers people person man woman men women someone somebody everyone
police authorities authority government spokesman spokeswoman spokesperson statement report reports
study survey poll researchers researcher scientists scientist doctors doctor lawyers lawyer staff
member members supporters supporter protesters protester activists activist leaders leader voters
organizers organisers officers officer investigators prosecutors campaign aides aide family friends
neighbours neighbors students student teachers teacher who which that
""".split()) | ROLE_NOUNS
# Institutions every place has: "Police said ..." in two articles are two police forces, so a
# bare one of these is no collection speaker (its article keeps it); "the Kremlin", "Pentagon",
# "Congress" name one body and stay.
LOCAL_INSTITUTIONS = frozenset("""
police government authorities authority army military court courts ministry council committee
department agency administration officials prosecutors prosecution cabinet opposition company
university hospital school forces media press parliament municipality city county state
""".split())
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
jakarta bangkok nairobi pretoria abuja caracas havana brasilia doha beirut amman gaza
""".split())

_ORG_LAST = frozenset("""news times herald bulletin gazette tribune journal daily magazine press agency
ministry party committee council commission university institute foundation corporation company
association federation network channel conference project""".split())
_ROLE_PREPS = frozenset("of from at for with in to on by".split())
PERSON_WORDS = frozenset("people man men woman women others everyone someone many some all most".split())

_APOS = str.maketrans({"’": "'", "‘": "'"})


def fold(s: str) -> str:
    """Case- and accent-insensitive form of a name."""
    s = unicodedata.normalize("NFKD", s.translate(_APOS))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()


# British and American spellings of the words that organisations' names share: the WHO is one
# speaker whether an article writes "Organisation" or "Organization"
_SPELLING = {"organisation": "organization", "organisations": "organizations", "centre": "center",
             "centres": "centers", "defence": "defense", "labour": "labor", "programme": "program",
             "programmes": "programs", "councillors": "councilors"}
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # "u.s." -> "us"


def org_fold(name: str) -> str:
    """The collection key text of an organisation's name: ``fold`` with one spelling of the words
    English writes two ways and acronyms without their dots ("U.S. Centre" = "US Center")."""
    s = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), fold(name))
    return " ".join(_SPELLING.get(w, w) for w in s.split())


def _capitalised(tok: str) -> bool:
    return capitalised_name_word(tok)


def _is_title(tok: str) -> bool:
    t = fold(tok).rstrip(".")
    return t in TITLES or t.split("-")[0] in TITLES


@dataclass
class Parsed:
    """A source name read as ``kind`` with ``name`` (display form), ``given``/``surname`` (folded)
    and the role phrases seen with it."""

    kind: str                      # person | organisation | group | other
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
    return toks[:i], toks[i:len(toks)]


def _is_org(toks: list[str]) -> bool:
    folded = [fold(t).strip(".,'") for t in toks]
    if any(f in ORG_WORDS or f.removesuffix("'s") in ORG_WORDS for f in folded):
        return True
    joined = "-".join(folded)
    if joined in PLACES or (len(folded) == 1 and folded[0].removesuffix("'s") in PLACES):
        return True
    word = "".join(toks).replace(".", "")
    return len(toks) == 1 and len(word) >= 2 and word.isupper() and word.isalpha()


def _roles(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        for r in split_role_texts(t):
            if r and r.lower() not in {x.lower() for x in out}:
                out.append(r)
    return out


def parse_name(raw: str, kind: str = "", roles: Optional[list[str]] = None) -> Parsed:
    """Read one speaker name (as the article gives it) into kind, name and roles. ``kind`` is
    the article's (``""``: unknown); an article's ``other`` speaker is never a person."""
    roles = _roles([r for r in (roles or []) if r])
    text = " ".join(raw.translate(_APOS).split()).strip(" ,.;:\"'")
    text = re.sub(r"'s$", "", text)
    text = re.split(r"\s+via\s+", text)[0]  # "the mayor of Yartsevo via news agency Interfax": a channel, not the speaker
    if kind in ("group", "document"):
        return Parsed(kind, text, roles=roles)
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
        sub.roles = _roles(roles + sub.roles + [p for j, p in enumerate(parts) if j != i])
        return sub
    toks = _strip_determiners(_tokens(text))
    if not toks:
        return Parsed("other", text, roles=roles)
    role_toks, name_toks = _name_run(toks)
    if name_toks and fold(name_toks[-1]).strip(".,'") in _ORG_LAST and role_toks and _is_title(role_toks[-1]) \
            and _capitalised(role_toks[-1]):
        # "a source within the Interior Ministry", "a spokesman for the Foreign Ministry": the
        # capitalised title word names the ministry, not a person called "Ministry"
        while role_toks and _capitalised(role_toks[-1]):
            name_toks = [role_toks[-1]] + name_toks
            role_toks = role_toks[:-1]
        if role_toks and kind != "organisation":
            prep = next((fold(t) for t in reversed(role_toks) if fold(t) in _ROLE_PREPS), None)
            if prep in ("for", "from", "at", "with"):
                return Parsed("organisation", " ".join(name_toks))  # as "a spokesperson for Stagecoach South"
            return Parsed("other", text, roles=roles)
    if role_toks and fold(role_toks[-1]) in _ROLE_PREPS and kind != "organisation":
        # someone of an organisation or a place, not its name: "a spokesperson for Stagecoach
        # South" speaks for the company; "a federal judge in Texas", "the president of Turkey",
        # "a correspondent from French Wikinews" are no one the collection knows by name
        org = list(name_toks)
        while len(org) > 1 and is_demonym(org[0]):
            org = org[1:]
        first = next((i for i, t in enumerate(org[:-1]) if fold(t) in MALE_NAMES or fold(t) in FEMALE_NAMES), None)
        if first is not None:  # "Senator from Vermont Bernie Sanders": a place, then the person
            return parse_name(" ".join(org[first:]), kind, roles + [" ".join(role_toks + org[:first])])
        if fold(role_toks[-1]) in ("for", "from", "at", "with") and org and not (
                fold(" ".join(org)) in PLACES or place_of(" ".join(org)) or len(org) == 1 and is_demonym(org[0])):
            return Parsed("organisation", " ".join(org))  # the person's roles are not the organisation's
        return Parsed("other", text, roles=roles)
    while len(name_toks) > 1 and fold(name_toks[-1]).rstrip(".,") in NAME_DESCRIPTORS:
        name_toks = name_toks[:-1]  # "Kama Melly QC"
    while len(name_toks) > 1 and is_demonym(name_toks[0]):
        role_toks, name_toks = role_toks + name_toks[:1], name_toks[1:]  # "Kenyan Eliud Kipchoge"
    titled = any(_is_title(t) for t in role_toks)
    if kind == "organisation" or (kind == "" and _is_org(toks)
                                  and not (name_toks and titled and not _is_org(name_toks))):
        return Parsed("organisation", " ".join(toks), roles=roles)
    role = " ".join(role_toks).strip(" ,")
    if role:
        roles = _roles(roles + [role])
    if not name_toks or (len(name_toks) == 1 and fold(name_toks[0]) in GENERIC):
        return Parsed("other", text, roles=roles)
    if kind == "other":  # named groups of people ("Democrats") are not persons
        if role_toks or any(not _capitalised(t) for t in name_toks):
            return Parsed("other", text, roles=roles)
        return Parsed("other", " ".join(name_toks), roles=roles)
    # what no person is called: a country ("Nigeria"), a paper or body ("Fars News", "Iranian Chess
    # Federation"), people in the plural ("Americans", "Presidents")
    last = fold(name_toks[-1]).strip(".,'")
    if len(name_toks) == 1 and (last in PLACES or place_of(name_toks[0]) == name_toks[0]):
        return Parsed("organisation", name_toks[0], roles=roles)
    if len(name_toks) > 1 and last in _ORG_LAST:
        return Parsed("organisation", " ".join(name_toks), roles=roles)
    if len(name_toks) == 1 and last.endswith("s") and (
            last[:-1] in TITLES or is_demonym(name_toks[0][:-1]) or last[:-1] in GENERIC):
        return Parsed("other", name_toks[0], roles=roles)
    folded = [fold(t).rstrip(".") for t in name_toks]
    # surname: the last name token with the particles before it ("von der Leyen")
    end = len(folded)
    while end > 1 and folded[end - 1].rstrip(",") in SUFFIXES:
        end -= 1
    s = end - 1
    while s > 0 and folded[s - 1] in PARTICLES:
        s -= 1
    surname = " ".join(folded[s:end])
    given = tuple(folded[:s])
    return Parsed("person", " ".join(name_toks), given=given, surname=surname, roles=roles)


_LOWER_ROLE_WORDS = TITLES | NEUTRAL_MODIFIERS | RANK_MODIFIERS | frozenset("""
presidential prime foreign general executive press chief head state lord of the for and
""".split())


def role_display(text: str) -> str:
    """A role written the same way wherever it comes from: "Incumbent President" -> "incumbent
    president" (names, places and acronyms keep their capitals: "US president")."""
    out = []
    for w in text.split():
        f = fold(w).strip(".,")
        out.append(w.lower() if f in _LOWER_ROLE_WORDS and not (w.isupper() and len(w) > 1) else w)
    return " ".join(out)


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
class Local:
    """One article's speaker, as stored."""

    article_id: int
    local_id: str
    parsed: Parsed
    aliases: Counter
    n: int
    gender: str = "unknown"
    organisation: Optional[str] = None
    country: Optional[str] = None
    members: list[str] = field(default_factory=list)


def _sans_initials(given: tuple[str, ...]) -> tuple[str, ...]:
    if not given or len(given[0]) < 2:
        return given
    return (given[0],) + tuple(g for g in given[1:] if len(g) > 1)


def _drop_middle_initials(locals_: list[Local]) -> None:
    """"Brian T. Carroll" and "Brian Carroll" are one person across articles, as are "John F. Kerry"
    and "John Kerry": a middle initial is dropped from the identity unless the collection has the
    same name with two different ones ("George W. Bush", "George H. W. Bush")."""
    variants: dict[tuple, set] = defaultdict(set)
    for loc in locals_:
        p = loc.parsed
        if p.kind == "person" and p.full and len(p.given[0]) > 1:
            variants[(_sans_initials(p.given), p.surname)].add(tuple(g for g in p.given[1:] if len(g) == 1))
    for loc in locals_:
        p = loc.parsed
        if p.kind == "person" and p.full and len(p.given[0]) > 1:
            base = _sans_initials(p.given)
            if base != p.given and len(variants[(base, p.surname)] - {()}) == 1:
                loc.parsed = Parsed(p.kind, p.name, base, p.surname, p.roles)


def _person_key(given: tuple[str, ...], surname: str) -> str:
    return "person:" + " ".join((*given, surname))


def assign(locals_: list[Local]) -> dict[tuple[int, str], str]:
    """The collection key of every local speaker that has one (pure function, tested apart)."""
    keys: dict[tuple[int, str], str] = {}
    _drop_middle_initials(locals_)
    full_by_surname: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for loc in locals_:
        p = loc.parsed
        if p.kind == "person" and p.full and all(len(g) > 1 for g in p.given):
            full_by_surname[p.surname].add(p.given)
            roles_of[_person_key(p.given, p.surname)] |= role_words(p.roles)
    by_article: dict[int, list[Local]] = defaultdict(list)
    for loc in locals_:
        by_article[loc.article_id].append(loc)
        # a lone surname the NER took for an organisation ("Biden said ...") is a person when the
        # collection knows people by that surname and nothing in the name says organisation
        p = loc.parsed
        if p.kind == "organisation" and len(p.name.split()) == 1 and fold(p.name) in full_by_surname \
                and not _is_org([p.name]):
            loc.parsed = Parsed("person", p.name, surname=fold(p.name), roles=p.roles)

    for loc in locals_:
        p = loc.parsed
        k = (loc.article_id, loc.local_id)
        if p.kind in ("organisation", "other"):
            words = _strip_determiners(p.name.split())
            # "the government", "authorities in the United Kingdom", "People" (first in its
            # sentence) are no one in particular
            if words and _capitalised(words[0]) and not (
                    (len(words) == 1 and fold(words[0]) in LOCAL_INSTITUTIONS)
                    or p.kind == "other" and (not all(_capitalised(t) for t in words)
                                           or (len(words) == 1 and fold(words[0]) in GENERIC | PERSON_WORDS)
                                           # a role with no name: "PG&E President", "Tunisian Prime Minister"
                                           or fold(words[-1]).strip(".,'") in TITLES)):
                keys[k] = p.kind + ":" + org_fold(p.name)  # "the government" is no one in particular
                placed = _placed_institution(p.name)
                if placed is not None:  # "U.S. Supreme Court" = the "Supreme Court" of a US article
                    keys[k] = p.kind + ":" + org_fold(placed[1]) + "@" + fold(placed[0])
                elif loc.country and generic_institution(p.name):
                    keys[k] += "@" + fold(loc.country)  # the UK's "Supreme Court" is not Puerto Rico's
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
        if not candidates and not p.given:
            # "Rosselló" for "Ricardo Rosselló Nevares": the first of two surnames, one person's
            paternal = {(g, s) for s, gs in full_by_surname.items() for g in gs if len(g) >= 2 and g[-1] == p.surname}
            if len(paternal) == 1:
                g, s = next(iter(paternal))
                keys[k] = _person_key(g, s)
                continue
        keys[k] = _person_key(chosen, p.surname) if chosen is not None else _person_key(p.given, p.surname)
    _acronyms_to_long_forms(locals_, keys)
    _countryless_institutions(keys)
    # groups: by their members' keys, once every member has one
    for loc in locals_:
        if loc.parsed.kind != "group":
            continue
        member_keys = sorted({keys.get((loc.article_id, m)) for m in loc.members} - {None})  # type: ignore[type-var]
        if len(member_keys) >= 2:
            keys[(loc.article_id, loc.local_id)] = "group:" + "|".join(member_keys)  # type: ignore[arg-type]
    return keys


def _countryless_institutions(keys: dict[tuple[int, str], str]) -> None:
    """An institution of a generic name ("Congress", "the Senate") in an article that names no
    country is the collection's one institution of that name whose country is known ("Congress
    (United States)"): without it, the directory listed "Congress" beside "Congress (United
    States)" and Donald Trump was "quoted together" with both. With two countries or more
    ("Senate (United States)", "Senate (Puerto Rico)") the plain one stays apart."""
    placed: dict[str, set[str]] = defaultdict(set)
    for key in keys.values():
        base, at, _ = key.partition("@")
        if at and base.startswith("organisation:") and "|" not in key:
            placed[base].add(key)
    for k, key in keys.items():
        if key.startswith("organisation:") and "@" not in key and len(placed.get(key, ())) == 1:
            keys[k] = next(iter(placed[key]))


def _acronyms_to_long_forms(locals_: list[Local], keys: dict[tuple[int, str], str]) -> None:
    """An organisation known in some article only by its acronym ("AFP said") is the one
    organisation of the collection whose name it abbreviates ("Agence France-Presse"); the
    article that spells it out does this already, this is for the others. Two candidates, or
    none: it keeps its own key."""
    long_names: dict[str, set[str]] = defaultdict(set)  # initials -> keys of long names
    acronym_keys: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for loc in locals_:
        k = (loc.article_id, loc.local_id)
        key = keys.get(k)
        if key is None or not key.startswith("organisation:") or "@" in key:
            continue
        name = " ".join(_strip_determiners(loc.parsed.name.split()))
        letters = name.replace(".", "")
        if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() and " " not in name:
            acronym_keys[letters].append(k)
        elif len(name.split()) >= 2:
            ini = initials(name)
            if len(ini) >= 2:
                long_names[ini].add(key)
    for acr, ks in acronym_keys.items():
        cands = long_names.get(acr, set())
        if len(cands) == 1:
            target = next(iter(cands))
            for k in ks:
                keys[k] = target


def _placed_institution(name: str) -> Optional[tuple[str, str]]:
    """(country, institution) of a country's generic institution: "U.S. Supreme Court",
    "Britain's Supreme Court" -> ("United States" / "United Kingdom", "Supreme Court"); else None."""
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n:
            country = place_of(re.sub(r"['’]s$", "", " ".join(words[:n])))
            rest = " ".join(words[n:])
            if country and generic_institution(rest):
                return country, rest
    return None


def consensus(votes: Counter, default: str) -> str:
    """The value with the most votes, ``default`` on a tie or none."""
    top = votes.most_common(2)
    if not top or (len(top) > 1 and top[0][1] == top[1][1]):
        return default
    return top[0][0]


_ALIAS_CUT = re.compile(r"\s*[,;:(\[]\s*|\s+(?:who|which|that|whose|said|says|a|an)\s+")


def clean_alias(alias: str, name: str, kind: str, descriptions: bool = False) -> str:
    """The name a source text gives the speaker ("Prime Minister Kallas", "the WHO"), or "" when
    it gives none: pronouns, role nouns alone, coordinated phrases, another's name, debris, and
    (unless ``descriptions``, for reading roles off it) a description in lower case before the
    name ("main presidential rival Joe Biden")."""
    a = " ".join((alias or "").translate(_APOS).split()).strip(" ,;:\"'“”‘’.")
    a = _ALIAS_CUT.split(a, maxsplit=1)[0]
    a = re.sub(r"'s$", "", a).strip()
    toks = _strip_determiners(_tokens(a))
    if any(fold(t) in CONJUNCTIONS for t in toks):
        return ""  # "Biden and Harris", "Trump and his supporters": a group, no one's name
    # trailing lower-case words are no part of a name ("Nancy Pelosi yesterday"), unless the
    # organisation's name has them ("the Trump administration")
    own = {fold(w) for w in name.split()} if kind != "person" else set()
    while len(toks) > 1 and not _capitalised(toks[-1]) and fold(toks[-1]) not in PARTICLES \
            and fold(toks[-1]) not in own:
        toks = toks[:-1]
    a = " ".join(toks)
    if not a or len(toks) > 8 or any(c.isdigit() for c in a) or fold(a) in PRONOUNS:
        return ""
    if any(fold(t) in CONJUNCTIONS for t in toks):
        return ""
    name_words = {fold(w).strip(".,'") for w in name.split()} - DETERMINERS - {"of", "the", "and"}
    words = {fold(w).strip(".,'") for w in toks}
    if not (words & name_words) and not (len(toks) == 1 and toks[0].replace(".", "") == initials(name)):
        return ""
    if kind == "person":
        # every capitalised word outside the role must be one of the name's words, and what
        # stands before the name a role ("Prime Minister Kallas", not "live television Erdogan")
        role_toks, name_toks = _name_run(toks)
        if any(fold(t).strip(".,") not in name_words and fold(t).rstrip(".") not in SUFFIXES for t in name_toks):
            return ""
        if role_toks and not clean_role_text(" ".join(role_toks)):
            return ""
        if not descriptions and any(not _capitalised(t) for t in role_toks):
            return ""  # "main presidential rival Joe Biden": a description (kept in roles), not a name
    elif not _capitalised(toks[0]):
        return ""  # "the court", "opinion of the Court": no name of it
    elif not _org_alias(toks, name):
        return ""
    return a


def _org_alias(toks: list[str], name: str) -> bool:
    """Whether ``toks`` name the organisation or group ``name``: its head word kept ("Trump" is
    not the "Trump administration", nor "Biden" the "Biden campaign"), or its acronym, and no
    other name glued before it ("Democratic National Convention Republicans" is not "Republicans")."""
    nwords = name.split()
    nw = [fold(w).strip(".,'") for w in nwords]
    aw = [fold(t).strip(".,'") for t in toks]
    joined = "".join(toks).replace(".", "")
    if joined == initials(nwords) or name.replace(".", "") == initials(toks):
        return True
    if not nw or nw[-1] not in aw:
        return False
    first = aw.index(nw[0]) if nw[0] in aw else aw.index(nw[-1])
    extra = [t for t in toks[:first] if fold(t).strip(".,'") not in nw and fold(t) not in DETERMINERS]
    return all(not _capitalised(t) or t.isupper() and len(t) <= 3 or fold(t) in PLACES for t in extra)
