"""Roles: reading a role phrase ("Estonia's prime minister", "WHO director-general", "his father")
into a ``Role``, cleaning role text, and matching a role-noun source against an entity's roles.

A role's modifiers are sorted into what can decide between two people: the office ("prime",
"foreign"; rank words such as "vice" must agree exactly), the places it is tied to (country names
and demonyms alike: "US", "American", "United States"), and the organisations ("Kremlin", "WHO",
"Republican"). Words such as "former" or "new" never decide.

``match`` grades an entity for a role-noun source: ``EXACT`` when every modifier of the source is
confirmed by the entity's roles ("the US president" / "US President Joe Biden"), ``WEAK`` when
nothing contradicts but something is unconfirmed ("the US president" / a bare "President Karis"),
``NONE`` when the heads differ or a modifier contradicts ("the US president" / "Estonian President
Alar Karis").
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from .entity import Entity, Role
from .index import is_poss_marker
from .lexicon import (
    CITY_COUNTRY, DETERMINERS, FEMALE_NAMES, GENERIC_LEADER, MALE_NAMES, LEADER_HEADS, NEUTRAL_MODIFIERS, OFFICE_WORDS, PERSON_NOUNS,
    POSS_PRONOUNS, RANK_MODIFIERS, RELATION_GENDER, ROLE_NOUNS, TITLES, place_of,
)

NONE, WEAK, EXACT = 0, 1, 2

_CUT_WORDS = frozenset("who which that whose whom with since after before when while where because".split())
_FIRST_NAMES = MALE_NAMES | FEMALE_NAMES  # where a name starts, never a gender
_PREPS = frozenset("of for at from in to on with".split())
_ROLE_HEADS = ROLE_NOUNS | frozenset(RELATION_GENDER)
_PARTY_WORDS = frozenset("""republican republicans democratic democrat democrats conservative
conservatives labour liberal liberals green greens libertarian socialist communist tory tories
independent gop dem dems""".split())
_PARTY = {"gop": "republican", "republicans": "republican", "democratic": "democrat", "democrats": "democrat",
          "dem": "democrat", "dems": "democrat", "conservatives": "conservative", "tories": "tory",
          "liberals": "liberal", "greens": "green"}


def _party(word: str) -> str:
    w = word.lower()
    return _PARTY.get(w, w)


def fold(s: str) -> str:
    return " ".join(s.replace("’", "'").lower().split()).strip(" .,'")


def hyphen_compound(t) -> tuple[int, int, str]:
    """The hyphen-joined run of tokens around ``t`` ("director - general" -> "director-general"):
    (first index, last index, lower-case text)."""
    doc = t.doc
    a = b = t.i
    while a >= 2 and doc[a - 1].text == "-" and not doc[a - 2].whitespace_ and not doc[a - 1].whitespace_:
        a -= 2
    while b + 2 < len(doc) and doc[b + 1].text == "-" and not doc[b].whitespace_ and not doc[b + 1].whitespace_:
        b += 2
    return a, b, "".join(x.lower_ for x in doc[a:b + 1])


def is_role_word(t) -> bool:
    lw = t.lower_
    doc, i = t.doc, t.i
    hyphen = (i + 1 < len(doc) and doc[i + 1].text == "-") or (i > 0 and doc[i - 1].text == "-")
    if not hyphen:
        return lw in _ROLE_HEADS or t.lemma_.lower() in _ROLE_HEADS
    a, b, compound = hyphen_compound(t)
    if a != b:  # "director-general" is a role (its last part stands for it); "head-to-head" is not
        return t.i == b and compound in _ROLE_HEADS
    return lw in _ROLE_HEADS or t.lemma_.lower() in _ROLE_HEADS


def _role_head_index(words: list) -> Optional[int]:
    for i in range(len(words) - 1, -1, -1):
        if is_role_word(words[i]):
            return i
    return None


def _norm_head(t) -> str:
    a, b, compound = hyphen_compound(t)
    if a != b and compound in _ROLE_HEADS:
        return compound
    lw = t.lower_
    if lw in _ROLE_HEADS:
        return lw
    lem = t.lemma_.lower()
    return lem if lem in _ROLE_HEADS else lw


def _word_text(t) -> str:
    """How a word is written in a role: common words lower-case, names and acronyms as given."""
    if t.text.isupper() and len(t.text) > 1:
        return t.text
    if t.lower_ in OFFICE_WORDS:
        return t.text.lower()
    if place_of(t.text) or (t.pos_ == "PROPN" and t.lower_ not in TITLES and t.lower_ not in _ROLE_HEADS
                            and t.lower_ not in _PARTY_WORDS) or t.ent_type_ in ("ORG", "GPE", "NORP"):
        return t.text
    return t.text.lower()


def split_roles(toks: list) -> list[list]:
    """A role phrase cut where a role can no longer go on, split at conjunctions into the roles
    it lists ("Conservative Party leader and Prime Minister" -> two)."""
    out, cur = [], []
    for t in toks:
        if t.text in (",", ";", "(", ")", ":", "—", "–") or t.text in _CUT_WORDS:
            break
        if t.lower_ in ("and", "or", "&", "/"):
            out.append(cur)
            cur = []
            continue
        cur.append(t)
    out.append(cur)
    return [c for c in out if c]


def parse_role(toks: list, lookup: Optional[Callable[[list], Optional[Entity]]] = None) -> Optional[Role]:
    """One role from its tokens, or None when the phrase has no role noun at its head.

    ``lookup(tokens)`` maps a possessor ("Biden's", "his") to the entity it names, if known."""
    parts = split_roles(toks)
    if not parts:
        return None
    words = parts[0]
    # edges: determiners, punctuation, numbers ("2020 presidential nominee")
    while words and (words[0].is_punct or words[0].lower_ in DETERMINERS):
        words = words[1:]
    # the head is the last role noun before any preposition: "minister of Estonia"
    first_prep = next((i for i, w in enumerate(words) if w.lower_ in _PREPS and i > 0), len(words))
    pre = words[:first_prep]
    head_i = _role_head_index(pre)
    if head_i is None:
        return None
    head = pre[head_i]
    if head.tag_ in ("NNS", "NNPS") and head.lower_ not in ("spokesmen",):
        return None  # "two teenage chess players": a group the person is part of, not a role
    before, after = pre[:head_i], words[head_i + 1:] if first_prep == head_i + 1 else []
    # a possessor: "Estonia's", "Biden's", "his", "UC San Diego's"
    of = None
    places, orgs, office, org_names = set(), set(), set(), []
    kept: list = []
    poss_end = max((i for i, w in enumerate(before) if is_poss_marker(w) or w.lower_ in POSS_PRONOUNS),
                   default=-1)
    if poss_end >= 0:
        owner = before[:poss_end + 1]
        owner_words = [w for w in owner if not is_poss_marker(w)]
        before = before[poss_end + 1:]
        owner_text = " ".join(w.text for w in owner_words)
        p = place_of(owner_text) if owner_words else ""
        ent = lookup(owner) if lookup is not None else None
        if p:
            places.add(p)
            kept += owner
        elif ent is not None and ent.kind == "person" and (
                any(f == owner_text for _, f in ent.forms) or head.lower_ in RELATION_GENDER):
            of = ent
        elif ent is not None and ent.kind == "organisation" and len(owner_words) == 1:
            orgs.add(fold(ent.name))
            org_names.append(ent.name)
            kept += owner
        elif owner_words and owner_words[-1].lower_ in POSS_PRONOUNS:
            return None  # "his father" with no known possessor: no role of anyone yet
        elif owner_words and all(w.pos_ == "PROPN" for w in owner_words):
            orgs.add(fold(owner_text))
            org_names.append(owner_text)
            kept += owner
    # modifiers before the head
    i = 0
    while i < len(before):
        w = before[i]
        if any(c.isdigit() for c in w.text) or w.is_punct and w.text != "-":
            i += 1
            continue
        # a multi-word place ("United States", "South Korea") or a proper-noun run (an organisation)
        if (w.pos_ == "PROPN" or w.ent_type_ in ("ORG", "GPE", "NORP") or place_of(w.text)
                or w.text.isupper() and len(w.text) >= 2 and w.text.isalpha()) \
                and w.lower_ not in TITLES and w.lower_ not in _ROLE_HEADS \
                and w.lower_ not in NEUTRAL_MODIFIERS and w.lower_ not in RANK_MODIFIERS:
            j = i
            while j + 1 < len(before) and (before[j + 1].pos_ == "PROPN" or before[j + 1].ent_type_ in ("ORG", "GPE")) \
                    and before[j + 1].lower_ not in TITLES and before[j + 1].lower_ not in _ROLE_HEADS:
                j += 1
            run = before[i:j + 1]
            text = " ".join(x.text for x in run)
            p = place_of(text) or (place_of(run[0].text) if len(run) == 1 else "")
            if p:
                places.add(p)
            elif all(x.lower_ in OFFICE_WORDS for x in run):
                office.update(x.lower_ for x in run)  # "Interior Minister"
            elif all(x.ent_type_ in ("GPE", "LOC") for x in run):
                c = CITY_COUNTRY.get(text.lower())  # "Ottawa MP": a place, not an organisation
                if c:
                    places.add(c)
            elif not any(x.ent_type_ in ("ORG", "NORP", "FAC", "PERSON") or x.text.isupper() and len(x.text) >= 2
                         for x in run) and (lookup is None or lookup(run) is None):
                office.update(x.lower_ for x in run)  # "Chief Technical Officer": title case, no name
            elif len(run) == 1 and run[0].lower_ in _PARTY_WORDS:
                orgs.add(_party(run[0].lower_))
            else:
                ent = lookup(run) if lookup is not None else None
                if ent is not None and ent.kind == "person" and any(f == text for _, f in ent.forms):
                    i = j + 1
                    continue  # a name inside a role phrase is not the role
                if ent is not None and ent.kind == "organisation":
                    orgs.add(fold(ent.name))
                    org_names.append(ent.name)
                else:
                    orgs.add(fold(text))
                    org_names.append(text)
            kept += run
            i = j + 1
            continue
        lw = w.lower_
        p = place_of(w.text)
        if p:
            places.add(p)
        elif lw in _PARTY_WORDS:
            orgs.add(_party(lw))
        elif lw in NEUTRAL_MODIFIERS:
            pass
        elif w.pos_ in ("ADJ", "NOUN", "PROPN") or lw in RANK_MODIFIERS or lw in TITLES:
            office.add(w.lemma_.lower() if w.pos_ == "NOUN" else lw)
        elif w.pos_ in ("VERB", "ADV", "NUM", "DET", "PRON", "CCONJ", "ADP"):
            i += 1
            continue  # "leading President Trump": not part of the role
        kept.append(w)
        i += 1
    # "of Estonia", "for the Kremlin", "of State"
    tail: list = []
    if after and after[0].lower_ in ("of", "for", "at", "to"):
        np = [t for t in after[1:] if not t.is_punct or t.text == "-"]
        np_words = [t for t in np if t.lower_ not in DETERMINERS]
        # "President of Ukraine Volodymyr Zelenskyy": the place, not the name after it
        for k in range(len(np_words) - 1, 0, -1):
            if place_of(" ".join(t.text for t in np_words[:k])) and any(
                    t.ent_type_ == "PERSON" or t.lower_ in _FIRST_NAMES for t in np_words[k:]):
                np_words = np_words[:k]
                np = [t for t in np if t.i <= np_words[-1].i]
                break
        text = " ".join(t.text for t in np_words)
        if np_words and not any(c.isdigit() for c in text) and len(np_words) <= 6:
            p = place_of(text) or CITY_COUNTRY.get(text.lower(), "")
            ent = lookup(np) if lookup is not None else None
            if p:
                places.add(p)
            elif all(t.ent_type_ in ("GPE", "LOC") for t in np_words):
                pass  # "mayor of Eastport": a place, no organisation
            elif ent is not None and ent.kind == "person" and head.lower_ in RELATION_GENDER:
                of = ent
            elif ent is not None and ent.kind == "organisation" or (
                    np_words[0].text[:1].isupper() and after[0].lower_ in ("for", "at")):
                orgs.add(fold(ent.name if ent is not None else text))
                org_names.append(ent.name if ent is not None else text)
            elif all(t.text[:1].isupper() for t in np_words):
                office.update(t.lower_ for t in np_words)
            else:
                np = []
            tail = [after[0]] + np if np else []
    hd = _norm_head(head)
    words_out = [w for w in kept if not any(c.isdigit() for c in w.text)] + [head] + tail
    words_out.sort(key=lambda w: w.i)
    text = "".join(_word_text(w) + w.whitespace_ for w in words_out).strip()
    text = re.sub(r"\s+(['’]s)\b", r"\1", text)
    if of is not None:
        text = f"{of.name}'s {hd}" if not tail else text
    text = clean_role_text(text)
    if not text:
        return None
    return Role(text=text, head=hd, office=frozenset(office), places=frozenset(places),
                orgs=frozenset(orgs), of=of, org_names=tuple(org_names))


_DEBRIS = re.compile(r"^(his|her|their|its|our|my|your|and|or|but|both|either|the|a|an)\b\s*", re.I)


def clean_role_text(text: str) -> str:
    """A role as a clean noun phrase: no numbers, no conjunction fragments, no possessive
    debris, no relative clause; "" when nothing role-like remains."""
    text = " ".join((text or "").split())
    if re.match(r"(?:[Ww]ho|[Ww]hich|[Tt]hat|[Ww]hose|[Ww]here|[Ww]hen|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|[Mm]y)\b",
                text):
        return ""  # a relative clause, or someone's relative ("his wife") whose someone is not said
    text = re.split(r"\s*[,;:(]\s*|\s+(?:who|which|that|whose|with)\s+", text, maxsplit=1)[0]
    # what follows the role noun, unless it is "of/for/at ...": "candidate wearing a facemask"
    ws = text.split()
    heads = [i for i, w in enumerate(ws) if w.lower().strip("'’") in _ROLE_HEADS]
    if heads and heads[-1] + 1 < len(ws) and ws[heads[-1] + 1].lower() not in _PREPS:
        text = " ".join(ws[:heads[-1] + 1])
    prev = None
    while prev != text:
        prev = text
        text = _DEBRIS.sub("", text).strip(" -–—'\"“”‘’.")
        text = re.sub(r"\s+(and|or|of|for|at|the|to|in|&)$", "", text, flags=re.I)
    if not text or any(c.isdigit() for c in text) or len(text.split()) > 10:
        return ""
    if re.search(r"\b(and|or|&)\b", text, re.I) and not _both_roles(text):
        return ""
    words = [w.lower() for w in re.findall(r"[\w'’-]+", text)]
    if not any(w in _ROLE_HEADS or w.rstrip("s") in _ROLE_HEADS or w in PERSON_NOUNS for w in words):
        return ""
    return text


def _both_roles(text: str) -> bool:
    parts = re.split(r"\s+(?:and|or|&)\s+", text)
    return len(parts) > 1 and all(
        any(w.lower() in _ROLE_HEADS for w in p.split()) for p in parts)


def split_role_texts(text: str) -> list[str]:
    """A role text that lists several ("leader and prime minister") as its cleaned parts."""
    parts = re.split(r"\s+(?:and|&)\s+", " ".join(text.split()))
    if len(parts) > 1 and all(clean_role_text(p) for p in parts):
        return [clean_role_text(p) for p in parts]
    t = clean_role_text(text)
    return [t] if t else []


# ---------------------------------------------------------------------------------------------
# matching a role-noun source to an entity


def _soft_in(word: str, words: set) -> bool:
    return any(word == w or (len(word) >= 4 and len(w) >= 4 and word[:4] == w[:4]) for w in words)


def _orgs_agree(a: set, b: set) -> bool:
    for x in a:
        for y in b:
            if x == y or x in y.split() or y in x.split():
                return True
            if x.replace(".", "").isalpha() and len(x) >= 2 and "".join(w[0] for w in y.split()
                                                                        if w not in ("of", "the", "and")) == x:
                return True
    return False


def match_role(m: Role, r: Role, e: Entity) -> int:
    """How well an entity's role ``r`` supports the source role ``m``."""
    generic = m.head in GENERIC_LEADER and m.head != r.head
    if not (r.head == m.head or (generic and r.head in LEADER_HEADS)):
        return NONE
    if not generic:
        if (m.office & RANK_MODIFIERS) != (r.office & RANK_MODIFIERS):
            return NONE
    mo, ro = m.office - RANK_MODIFIERS, r.office - RANK_MODIFIERS
    weak = False
    if not generic and mo:
        if ro and not all(_soft_in(w, ro) for w in mo):
            return NONE
        if not ro:
            weak = True
    places = set(r.places) | e.places
    if m.places:
        if places and not (m.places & places):
            return NONE
        if not places:
            weak = True
    orgs = set(r.orgs) | e.orgs
    if m.orgs:
        if orgs and not _orgs_agree(set(m.orgs), orgs):
            return NONE
        if not orgs:
            weak = True
    if generic and (weak or not (m.places or m.orgs)):
        return NONE  # "the leader" alone, or "Russia's leader" with nothing to confirm it
    return WEAK if weak else EXACT


def match(m: Role, e: Entity) -> int:
    """The best grade any of the entity's own roles gives the source role ``m``."""
    best = NONE
    for r in e.roles:
        if r.of is not None:
            continue
        best = max(best, match_role(m, r, e))
        if best == EXACT:
            break
    return best


def contradicts(m: Role, e: Entity) -> bool:
    """Whether the entity's known roles rule out the source role (another office or country)."""
    if e.kind != "person":
        return True
    own = [r for r in e.roles if r.of is None]
    if m.places and e.places and not (m.places & e.places):
        return True
    if not own:
        return False
    if any(r.head == m.head or (m.head in GENERIC_LEADER and r.head in LEADER_HEADS) for r in own):
        return match(m, e) == NONE
    return False
