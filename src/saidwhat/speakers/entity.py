"""What the resolver builds: entities of the article (a person, an organisation, a group, a
document, an unnamed "other"), their mentions, roles and the evidence for their kind and gender."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from .lexicon import FEMALE_NAMES, GENDERED_NOUNS, MALE_NAMES, PARTICLES_LOWER, capitalised_name_word

KINDS = ("person", "organisation", "group", "document", "other")


@dataclass(frozen=True)
class Role:
    """A role noun phrase seen with an entity ("Estonian prime minister").

    ``head`` is the role noun ("minister"), ``office`` the words that make the office ("prime"),
    ``places`` the countries it is tied to ("Estonia"), ``orgs`` the organisations (folded names),
    ``of``: for relation nouns ("his father"), the entity the relation is to.
    """

    text: str
    head: str
    office: frozenset = frozenset()
    places: frozenset = frozenset()
    orgs: frozenset = frozenset()
    of: Optional["Entity"] = field(default=None, compare=False, hash=False)
    org_names: tuple = ()  # the organisations as written ("the Kremlin" -> "Kremlin")

    @property
    def bare(self) -> bool:
        return not (self.office or self.places or self.orgs)


@dataclass(eq=False)
class Mention:
    start: int
    end: int
    entity: "Entity"
    subject: int             # 2: subject of the main clause, 1: of another clause, 0: no subject
    sent: int
    in_quote: bool
    ambiguous: bool = False  # a bare name that could be more than one person
    named: bool = True       # a name (not a role noun or pronoun)
    namesakes: int = 1       # how many people a bare name could be
    poss: bool = False       # a possessor ("Hunter Biden's laptop"), not what the sentence is about
    label: bool = False      # an interview turn's label ("((WN))", "MR. SMITH:"): no pronoun's antecedent
    aside: bool = False      # a name modifying a common noun ("the EB-5 program", "a Pinellas sheriff's
    #                          detective") or a place after "in"/"at": not what a "they" takes up


@dataclass(eq=False)
class Entity:
    kind: str                                   # one of KINDS
    forms: list = field(default_factory=list)   # (n words, text) name forms, in text order
    mentions: list = field(default_factory=list)  # Mention
    roles: list = field(default_factory=list)   # Role
    gender_votes: Counter = field(default_factory=Counter)  # "male"/"female": the article's references
    kind_votes: Counter = field(default_factory=Counter)    # "person"/"organisation"/"other"
    plural: bool = False
    first_words: set = field(default_factory=set)
    last_word: str = ""
    head: str = ""            # for common-noun speakers: the head lemma
    definite_key: str = ""
    members: list = field(default_factory=list)  # a group's entities
    acronyms: set = field(default_factory=set)
    long_form: str = ""       # the name an acronym stands for, when the article defines it
    issuer: Optional["Entity"] = None  # a document's author
    used: bool = False

    # -- name ---------------------------------------------------------------------------------

    _name_cache: tuple = field(default=(), repr=False)

    @property
    def name(self) -> str:
        key = (len(self.forms), self.long_form, self.kind, len(self.members))
        if self._name_cache and self._name_cache[0] == key:
            return self._name_cache[1]
        value = self._name()
        if self.kind != "group":
            self._name_cache = (key, value)
        return value

    def _name(self) -> str:
        if self.kind == "group" and self.members:
            names = [m.name for m in self.members]
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if self.long_form:
            return self.long_form
        if not self.forms:
            return ""
        count = Counter(f[1] for f in self.forms)

        def key(f: tuple) -> tuple:
            n, text = f
            words = text.split()
            first = words[0].lower() if words else ""
            if self.kind == "person":
                well = all(capitalised_name_word(w) or w.lower() in PARTICLES_LOWER for w in words)
            else:
                well = bool(words) and words[0][:1].isupper() and words[-1][:1].isupper()
            well = well and not any(c.isdigit() for c in text)
            return (well, n > 1 and (first in MALE_NAMES or first in FEMALE_NAMES) if self.kind == "person"
                    else True, n, count[text], len(text))
        return max(self.forms, key=key)[1]

    @property
    def spans(self) -> list[tuple[int, int]]:
        return sorted({(m.start, m.end) for m in self.mentions})

    def first_at(self) -> int:
        return min((m.start for m in self.mentions), default=1 << 60)

    # -- gender -------------------------------------------------------------------------------

    @property
    def gender(self) -> Optional[str]:
        """The gender the article refers to it by (titles, pronouns, gendered nouns), or None."""
        if self.kind != "person":
            return None
        m, f = self.gender_votes["male"], self.gender_votes["female"]
        if m > f:
            return "male"
        if f > m:
            return "female"
        return None

    @property
    def name_prior(self) -> Optional[str]:
        """A guess from a first name: only ever used to choose between pronoun antecedents."""
        # every first name it goes by, so that the answer does not hang on a set's order (which
        # varies between processes): first names that disagree ("Carly" and "Ted" in one entity
        # the NER made of a headline) say nothing
        words = self.first_words
        if not words and self.kind == "person" and self.forms and all(len(f[1].split()) == 1 for f in self.forms):
            words = {f[1].lower() for f in self.forms}  # a bare first name: "Tom and Sarah met ... she said"
        male = any(fw in MALE_NAMES and fw not in FEMALE_NAMES for fw in words)
        female = any(fw in FEMALE_NAMES and fw not in MALE_NAMES for fw in words)
        return "male" if male and not female else "female" if female and not male else None

    def pronoun_gender(self) -> Optional[str]:
        return self.gender or self.name_prior

    # -- roles --------------------------------------------------------------------------------

    def add_role(self, role: Optional[Role], votes: int = 2) -> None:
        if role is None or not role.head:
            return
        if not any(r == role and r.text.lower() == role.text.lower() for r in self.roles):
            self.roles.append(role)
        g = GENDERED_NOUNS.get(role.head)
        if g:
            self.gender_votes[g] += votes

    @property
    def places(self) -> set:
        return {p for r in self.roles if r.of is None for p in r.places}

    @property
    def orgs(self) -> set:
        return {o for r in self.roles if r.of is None for o in r.orgs}

    @property
    def country(self) -> Optional[str]:
        c = Counter(p for r in self.roles if r.of is None for p in r.places)
        return c.most_common(1)[0][0] if c else None

    @property
    def organisation(self) -> Optional[str]:
        c = Counter(o for r in self.roles if r.of is None for o in r.org_names)
        return c.most_common(1)[0][0] if c else None


class EntityTable:
    """The entities of one article and their mentions, sorted by position, with the tokens that
    name them (``(block offset, token index) -> entity``)."""

    def __init__(self, index) -> None:
        import bisect as _b

        self._bisect = _b
        self.ix = index
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.starts: list[int] = []
        self.at: dict[tuple[int, int], Entity] = {}

    def new(self, kind: str, **kw) -> Entity:
        e = Entity(kind, **kw)
        self.entities.append(e)
        return e

    @property
    def persons(self) -> list[Entity]:
        return [e for e in self.entities if e.kind == "person" and e.forms]

    def add_mention(self, e: Entity, s: int, e_: int, subject: int, named: bool = True, poss: bool = False) -> Mention:
        for m in e.mentions:
            if m.start == s and m.end == e_:
                return m
        m = Mention(s, e_, e, subject, self.ix.sent_of(s), self.ix.in_quote(s), named=named, poss=poss)
        e.mentions.append(m)
        i = self._bisect.bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.mentions.insert(i, m)
        return m

    def register(self, e: Entity, toks, off: int) -> None:
        for t in toks:
            self.at[(off, t.i)] = e

    def entity_at(self, off: int, i: int) -> Optional[Entity]:
        return self.at.get((off, i))

    def between(self, lo: int, hi: int) -> list[Mention]:
        a = self._bisect.bisect_left(self.starts, lo)
        b = self._bisect.bisect_left(self.starts, hi)
        return self.mentions[a:b]

    def merge(self, into: Entity, e: Entity) -> None:
        if into is e:
            return
        into.forms.extend(e.forms)
        for m in e.mentions:
            m.entity = into
            into.mentions.append(m)
        for r in e.roles:
            into.add_role(r, votes=0)
        into.gender_votes.update(e.gender_votes)
        into.kind_votes.update(e.kind_votes)
        into.first_words |= e.first_words
        into.acronyms |= e.acronyms
        into.long_form = into.long_form or e.long_form
        for k, v in list(self.at.items()):
            if v is e:
                self.at[k] = into
        self.entities = [x for x in self.entities if x is not e]
