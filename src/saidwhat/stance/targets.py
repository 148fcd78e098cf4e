"""Targets: the entities each attribution's content is about.

Rules over the spaCy parse the pipeline already made (no second pass):

1. **Mentions** anywhere in the article: spaCy's PERSON, ORG, GPE and NORP entities (titles,
   a leading "the" and a possessive 's stripped; "Russian" before a noun is Russia, "Russians"
   a group), and definite noun phrases headed by an organisation or group noun ("the alliance",
   "the government", "the rebels").
2. **One entity per referent**: person names cluster as the speaker resolver does (a surname or
   first name joins the one full name it completes), organisations and places by text, by a small
   alias table ("U.S." = "United States", "Britain" = "United Kingdom") and by acronym ("NATO" =
   "North Atlantic Treaty Organization"). A description joins the entity the article ties it
   to: a compound ("the NATO alliance"), an apposition ("NATO, the Western alliance,"; "the
   alliance, NATO,") or a copula ("NATO is an alliance"); a role noun ("the president") joins the
   speaker who carries that role. Without such evidence a description stays a target of its own
   ("the alliance"). The canonical name is the article's speaker name where one matches
   ("Kallas" -> "Kaja Kallas"), else the longest form.
3. **Pronouns** in a content: he/she/they... that the speaker resolver linked to a speaker
   (``Speaker.mentions``), else he/him/his and she/her whose nearest person antecedent in the
   same or the previous paragraph is unambiguous; a pronoun that refers to the attribution's own
   speaker is self-reference, not a target ("I", "we", "he said he would").
4. **Targets** of an attribution: the entities with a mention inside its content parts, in
   order of first mention, never its own speaker. A statement about no one gets ``[]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from ..model import Article, Attribution, Span, Speaker, Target
from ..speakers.lexicon import initials

_ENT_KIND = {"PERSON": "person", "ORG": "organisation", "GPE": "country", "NORP": "group"}

TITLES = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady president pres. sen sen. senator
gov gov. governor rep rep. representative secretary minister premier chancellor mayor judge
justice gen gen. general col col. lt lt. capt capt. adm adm. ambassador chairman chairwoman
speaker leader rev rev. pope king queen prince princess prime foreign deputy former vice
attorney chief director spokesman spokeswoman spokesperson first sheikh emir
""".split())

# heads of definite descriptions that name an organisation or a group of people
ORG_NOUNS = frozenset("""
alliance bloc union government administration regime party ministry agency company firm
organisation organization council committee court parliament congress senate army military
police federation league coalition commission board bank cabinet kremlin pentagon junta
opposition campaign state country nation republic kingdom movement group network
corporation authority authorities
""".split())
GROUP_NOUNS = frozenset("""
rebels insurgents militants protesters demonstrators separatists troops forces soldiers
allies enemies opponents critics voters workers immigrants migrants refugees democrats
republicans conservatives liberals
""".split())
# descriptions that only stand for another entity: a target only when the article ties them
ANAPHORIC = frozenset("country nation state republic kingdom".split())
ROLE_NOUNS = frozenset("""
president prime minister chancellor premier leader king queen secretary senator governor mayor
ambassador chairman chairwoman spokesman spokeswoman general chief commander candidate
""".split())

# names of one country (lower case, no dots) -> the canonical form
_COUNTRY = {
    "us": "United States", "u.s": "United States", "usa": "United States", "america": "United States",
    "united states": "United States", "united states of america": "United States",
    "uk": "United Kingdom", "u.k": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "united kingdom": "United Kingdom",
    "eu": "European Union", "european union": "European Union",
    "un": "United Nations", "u.n": "United Nations", "united nations": "United Nations",
    "russian federation": "Russia", "prc": "China", "people's republic of china": "China",
    "uae": "United Arab Emirates", "dprk": "North Korea",
}
# a name after one of these inside a speaker's mention is not who the speaker is ("other critics
# outside the Democratic party", "a spokesman for the ministry")
_PREPOSITIONS = frozenset("of from outside inside at in with for by among within near against about to on".split())

# "Democratic leadership", "Republican officials": the party, as "Russian troops" is Russia
# ("Democrats", the people, stay a group of their own)
_PARTY_ADJECTIVES = {"democratic": "Democratic Party", "republican": "Republican Party"}

# adjectival demonyms -> country ("Russian troops" is about Russia)
_DEMONYM = {
    "american": "United States", "british": "United Kingdom", "russian": "Russia",
    "ukrainian": "Ukraine", "chinese": "China", "french": "France", "german": "Germany",
    "israeli": "Israel", "palestinian": "Palestine", "iranian": "Iran", "iraqi": "Iraq",
    "syrian": "Syria", "turkish": "Turkey", "indian": "India", "pakistani": "Pakistan",
    "japanese": "Japan", "korean": "Korea", "north korean": "North Korea",
    "south korean": "South Korea", "mexican": "Mexico", "canadian": "Canada",
    "estonian": "Estonia", "polish": "Poland", "italian": "Italy", "spanish": "Spain",
    "saudi": "Saudi Arabia", "egyptian": "Egypt", "libyan": "Libya", "afghan": "Afghanistan",
    "european": "European Union", "belarusian": "Belarus", "georgian": "Georgia",
    "serbian": "Serbia", "hungarian": "Hungary", "greek": "Greece", "venezuelan": "Venezuela",
    "cuban": "Cuba", "brazilian": "Brazil", "australian": "Australia", "nigerian": "Nigeria",
    "lithuanian": "Lithuania", "latvian": "Latvia", "finnish": "Finland", "swedish": "Sweden",
}
_MALE = frozenset("he him his himself".split())
_FEMALE = frozenset("she her hers herself".split())
_PLURAL = frozenset("they them their theirs themselves".split())
_SELF = frozenset("i me my mine myself we us our ours ourselves".split())
_POSS = re.compile(r"(?:['’]s|['’])$")
_WS = re.compile(r"\s+")


@dataclass
class _Mention:
    start: int
    end: int
    text: str          # normalised surface form
    kind: str
    label: str         # spaCy label, "DESC" for a description, "PRON" for a pronoun
    head: str = ""     # description's head lemma
    para: int = 0


@dataclass
class _Entity:
    kind: str
    forms: list[str] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    descriptors: set = field(default_factory=set)  # head nouns the article ties to it
    speaker: Optional[Speaker] = None
    gender: Optional[str] = None

    @property
    def name(self) -> str:
        if self.speaker is not None and self.speaker.kind != "other":
            return self.speaker.name
        named = [f for f in self.forms if f and not f.startswith("the ")]
        return max(named or self.forms, key=lambda f: (len(f.split()), len(f)))


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _strip(tokens: list) -> list:
    """An entity's tokens less a leading determiner/title and a trailing possessive."""
    toks = list(tokens)
    while toks and (toks[0].lower_ in ("the", "a", "an") or
                    (toks[0].lower_ in TITLES and len(toks) > 1 and toks[0].ent_type_ != "GPE")):
        toks = toks[1:]
    while toks and (toks[-1].tag_ == "POS" or toks[-1].text in ("'s", "’s", "'", "’")):
        toks = toks[:-1]
    return toks


class _Finder:
    def __init__(self, article: Article, blocks: list) -> None:
        self.article = article
        self.text = article.text
        self.blocks = blocks
        self.paras = [m.start() for m in re.finditer(r"\n\s*\n|\n", self.text)]
        self.mentions: list[_Mention] = []
        self.entities: list[_Entity] = []
        self.of: dict[tuple[int, int], _Entity] = {}
        self.pron_speaker: dict[tuple[int, int], Speaker] = {}
        for sp in article.speakers:
            for m in sp.mentions:
                self.pron_speaker[(m.start, m.end)] = sp

    def para(self, pos: int) -> int:
        import bisect
        return bisect.bisect_right(self.paras, pos)

    # -- 1. mentions -----------------------------------------------------------------------------
    def collect(self) -> None:
        seen: set[tuple[int, int]] = set()
        for off, doc in self.blocks:
            for ent in doc.ents:
                kind = _ENT_KIND.get(ent.label_)
                if kind is None:
                    continue
                toks = _strip(list(ent))
                if not toks:
                    continue
                s, e = toks[0].idx + off, toks[-1].idx + len(toks[-1]) + off
                surface = _norm(self.text[s:e])
                if ent.label_ == "NORP":
                    key = surface.lower()
                    is_adj = toks[-1].tag_ in ("JJ", "NNP") and toks[-1].dep_ in ("amod", "compound")
                    if key in _DEMONYM and is_adj:
                        surface, kind = _DEMONYM[key], "country"
                    elif key in _PARTY_ADJECTIVES and is_adj:
                        surface, kind = _PARTY_ADJECTIVES[key], "organisation"
                elif ent.label_ == "PERSON" and not surface[:1].isupper():
                    continue
                if (s, e) in seen:
                    continue
                seen.add((s, e))
                self.mentions.append(_Mention(s, e, surface, kind, ent.label_, para=self.para(s)))
            # definite descriptions ("the alliance", "the rebels", "the president")
            for tok in doc:
                low = tok.lemma_.lower()
                if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in _ENT_KIND:
                    continue
                if low not in ORG_NOUNS and tok.lower_ not in GROUP_NOUNS and low not in ROLE_NOUNS:
                    continue
                dets = [c for c in tok.children if c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")]
                if not dets:
                    continue
                if any(c.dep_ in ("compound", "poss", "amod") and c.ent_type_ in _ENT_KIND for c in tok.children):
                    continue  # "the NATO alliance", "Russia's government": the entity is named
                left = min([dets[0].i] + [c.i for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i])
                s, e = doc[left].idx + off, tok.idx + len(tok) + off
                if low in ROLE_NOUNS:
                    kind = "person"
                elif tok.lower_ in GROUP_NOUNS or tok.tag_ == "NNS":
                    kind = "group"
                else:
                    kind = "organisation"
                if (s, e) in seen:
                    continue
                seen.add((s, e))
                surface = _norm(self.text[s:e])
                surface = surface[:1].lower() + surface[1:] if dets[0].i == left else surface
                self.mentions.append(_Mention(s, e, surface, kind, "DESC", head=low, para=self.para(s)))
        self.mentions.sort(key=lambda m: m.start)

    # -- 2. entities -------------------------------------------------------------------------------
    def cluster(self) -> None:
        names = [m for m in self.mentions if m.label != "DESC"]
        by_key: dict[str, _Entity] = {}
        persons: list[_Entity] = []

        def add(m: _Mention, ent: _Entity) -> None:
            ent.mentions.append(m)
            if m.text not in ent.forms:
                ent.forms.append(m.text)
            self.of[(m.start, m.end)] = ent

        # full names first, so that a surname can join them
        for m in sorted(names, key=lambda m: (-len(m.text.split()), m.start)):
            if m.kind == "person":
                words = m.text.split()
                match = None
                for ent in persons:
                    for f in ent.forms:
                        fw = f.split()
                        if f == m.text or (len(words) == 1 and words[0] in (fw[0], fw[-1])) or \
                                (len(words) > 1 and len(fw) > 1 and words[0] == fw[0] and words[-1] == fw[-1]):
                            match = ent if match in (None, ent) else False
                            break
                if match:
                    add(m, match)
                else:
                    ent = _Entity("person")
                    persons.append(ent)
                    self.entities.append(ent)
                    add(m, ent)
                continue
            key = m.text.lower().replace(".", "").strip()
            canon = _COUNTRY.get(key) or _COUNTRY.get(m.text.lower().rstrip("."))
            if canon:
                key = canon.lower()
                m.text = canon if m.text.lower().rstrip(".") in ("us", "u.s", "uk", "u.k", "un", "u.n") else m.text
                if m.kind == "group":
                    m.kind = "country"
            ent = by_key.get(key)
            if ent is None:
                acr = initials(m.text)
                if len(acr) >= 2:
                    ent = by_key.get(acr.lower())  # "North Atlantic Treaty Organization" after "NATO"
                if ent is None:
                    for k, other in by_key.items():
                        if m.text.isupper() and len(m.text) >= 2 and any(initials(f) == m.text for f in other.forms):
                            ent = other
                            break
            if ent is None:
                ent = _Entity(m.kind)
                self.entities.append(ent)
            if canon and canon not in ent.forms:
                ent.forms.append(canon)
            by_key[key] = ent
            add(m, ent)
        self._speakers()
        self._descriptors()
        # descriptions: join the one entity the article ties the head noun to, else their own
        for m in self.mentions:
            if m.label != "DESC" or (m.start, m.end) in self.of:
                continue
            sp = self.pron_speaker.get((m.start, m.end))
            cands = [e for e in self.entities if m.head in e.descriptors]
            if sp is not None:
                cands = [e for e in self.entities if e.speaker is sp] or cands
            if len(cands) == 1:
                add(m, cands[0])
                continue
            if sp is not None:  # the resolver tied a role noun to a speaker with no named mention
                ent = _Entity("person" if sp.kind == "person" else "organisation", speaker=sp)
                self.entities.append(ent)
                add(m, ent)
                continue
            if m.head in ANAPHORIC:
                continue  # "the country" with nothing to tie it to: no target
            key = "desc:" + m.text.lower()
            ent = by_key.get(key)
            if ent is None:
                ent = by_key[key] = _Entity(m.kind)
                self.entities.append(ent)
            add(m, ent)

    def _speakers(self) -> None:
        """Tie entities to the article's speakers: a speaker mention on the entity's mention, or
        the speaker's name among the entity's forms; learn gender from resolved pronouns."""
        for sp in self.article.speakers:
            spans = [(m.start, m.end) for m in sp.mentions]
            for ent in self.entities:
                if ent.speaker is not None or (ent.kind == "person") != (sp.kind == "person"):
                    continue
                # the entity is the speaker mention or its head ("Prime Minister Kaja Kallas"),
                # not a word inside it ("critics of U.S. policy")
                hit = any(s <= m.start and m.end <= e and
                          not self.text[m.end:e].strip(" '’s").strip()
                          and not _PREPOSITIONS.intersection(self.text[s:m.start].lower().split())
                          for m in ent.mentions for s, e in spans)
                same = sp.name in ent.forms or (ent.kind == "person" and any(
                    len(f.split()) == 1 and f in sp.name.split() for f in ent.forms))
                if hit or same:
                    ent.speaker = sp
                    if sp.name not in ent.forms:
                        ent.forms.append(sp.name)
            for m in sp.mentions:
                low = m.text.lower()
                g = "male" if low in _MALE else "female" if low in _FEMALE else None
                if g:
                    for ent in self.entities:
                        if ent.speaker is sp:
                            ent.gender = ent.gender or g
        for ent in self.entities:
            if ent.kind != "person" or ent.gender:
                continue
            for m in ent.mentions:
                before = self.text[max(0, m.start - 6):m.start].lower()
                if re.search(r"\bmr\.?\s*$", before):
                    ent.gender = "male"
                elif re.search(r"\b(mrs|ms)\.?\s*$", before):
                    ent.gender = "female"

    def _descriptors(self) -> None:
        """Head nouns the article ties to a named entity: compound ("the NATO alliance"),
        apposition ("NATO, the alliance," / "the alliance, NATO,"), copula ("NATO is an
        alliance"), and a speaker's roles ("prime minister" -> "minister")."""
        for off, doc in self.blocks:
            for tok in doc:
                low = tok.lemma_.lower()
                if low not in ORG_NOUNS and low not in ROLE_NOUNS:
                    continue
                partners = []
                partners += [c for c in tok.children if c.dep_ in ("compound", "appos") and c.ent_type_]
                if tok.dep_ == "appos" and tok.head.ent_type_:
                    partners.append(tok.head)
                if tok.dep_ == "attr" and tok.head.lemma_ == "be":
                    partners += [c for c in tok.head.children if c.dep_ == "nsubj" and c.ent_type_]
                for p in partners:
                    ent = self._entity_at(p.idx + off)
                    if ent is not None:
                        ent.descriptors.add(low)
        for ent in self.entities:
            if ent.speaker is not None:
                for role in ent.speaker.roles:
                    words = role.lower().split()
                    if words:
                        ent.descriptors.add(words[-1])

    def _entity_at(self, pos: int) -> Optional[_Entity]:
        for (s, e), ent in self.of.items():
            if s <= pos < e:
                return ent
        return None

    # -- 3. pronouns -----------------------------------------------------------------------------
    def pronoun(self, tok: Any, off: int, attribution: Attribution) -> Optional[_Entity]:
        s, e = tok.idx + off, tok.idx + len(tok) + off
        low = tok.lower_
        sp = self.pron_speaker.get((s, e))
        if sp is not None:
            for ent in self.entities:
                if ent.speaker is sp:
                    return ent
            ent = _Entity("person" if sp.kind == "person" else "organisation", speaker=sp)
            self.entities.append(ent)
            return ent
        if low not in _MALE and low not in _FEMALE:
            return None
        gender = "male" if low in _MALE else "female"
        para = self.para(s)
        own = attribution.speaker
        # the nearest person mentioned before, in this paragraph or the one before
        cands = [m for m in self.mentions
                 if m.end <= s and m.kind == "person" and para - 1 <= m.para <= para and (m.start, m.end) in self.of]
        obj = low == "him" or (low == "her" and tok.tag_ != "PRP$")  # accusative: not the subject
        if own is not None and own.kind == "person" and not obj:
            own_ents = [ent for ent in self.entities if ent.speaker is own]
            if not own_ents or own_ents[0].gender in (None, gender):
                if attribution.type != "direct":
                    return None  # "he said he would ...": the speaker himself
        seen: list[_Entity] = []
        for m in reversed(cands):
            ent = self.of[(m.start, m.end)]
            if ent.gender not in (None, gender) or ent in seen:
                continue
            if own is not None and ent.speaker is own:
                continue
            seen.append(ent)
        if not seen:
            return None
        if len(seen) > 1 and seen[1].gender == gender and seen[0].gender != gender:
            return seen[1]
        if len(seen) > 1 and seen[0].gender is None and seen[1].gender is None:
            return None  # two people, no way to tell
        return seen[0]

    # -- 4. targets ------------------------------------------------------------------------------
    def targets(self, a: Attribution) -> list[Target]:
        # the content, and a cue's own object ("warned Russia", "praised Poland")
        parts = list(a.content_parts or [a.content]) + ([a.cue] if a.cue is not None else [])
        skip = [x for x in (a.source,) if x is not None]

        def inside(s: int, e: int) -> bool:
            return any(p.start <= s and e <= p.end for p in parts) and not any(x.overlaps(Span(s, e)) for x in skip)

        found: dict[int, list[tuple[int, int]]] = {}
        order: list[_Entity] = []
        for m in self.mentions:
            if inside(m.start, m.end):
                ent = self.of.get((m.start, m.end))
                if ent is not None:
                    if ent not in order:
                        order.append(ent)
                    found.setdefault(id(ent), []).append((m.start, m.end))
        for off, doc in self.blocks:
            end = off + len(doc.text)
            if a.content.end <= off or a.content.start >= end:
                continue
            for tok in doc:
                if tok.pos_ != "PRON" or tok.lower_ in _SELF:
                    continue
                s, e = tok.idx + off, tok.idx + len(tok) + off
                if not inside(s, e):
                    continue
                ent = self.pronoun(tok, off, a)
                if ent is None:
                    continue
                if ent not in order:
                    order.append(ent)
                found.setdefault(id(ent), []).append((s, e))
        merged: dict[tuple[str, str], set] = {}  # two entities under one name are one target
        for ent in order:
            if a.speaker is not None and ent.speaker is a.speaker:
                continue  # self-reference
            merged.setdefault((ent.name, ent.kind), set()).update(found[id(ent)])
        out = [Target(name=name, kind=kind,  # type: ignore[arg-type]
                      mentions=[Span.of(self.text, s, e) for s, e in sorted(spans)])
               for (name, kind), spans in merged.items()]
        out.sort(key=lambda t: t.mentions[0].start)
        return out


def find_targets(article: Article, blocks: list) -> None:
    """Set ``targets`` (without stance) on every attribution of ``article``, from the parsed
    ``blocks`` (``(offset, Doc)`` pairs, as ``parse.parse_many`` gives them)."""
    f = _Finder(article, blocks)
    f.collect()
    f.cluster()
    for a in article.attributions:
        a.targets = f.targets(a)
