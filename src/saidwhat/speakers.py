"""Stage 5: resolve each attribution's source to a canonical speaker of the article.

Rule-based, over the spaCy parse and entities the pipeline already made (no second pass, no
coreference model). In order:

1. **Named mentions.** Every PERSON / ORG / GPE / NORP / FAC entity, titles ("Mr.", "President",
   "Sen.") and possessive 's stripped. Person names are clustered: multi-word names with the same
   first and last word are one person (the longest form is the canonical name); a single word
   ("Kallas", "Hillary") or a titled surname ("Mrs. Clinton") joins the full name it completes,
   gender (title, first name, pronoun evidence) choosing between namesakes ("Bill Clinton" /
   "Hillary Clinton") and, when still ambiguous, the most recently mentioned one. Organisations
   cluster by text, by last word ("The Post" -> "The New York Post") and by acronym.
2. **Roles** seen with a name: titles before it ("US President Joe Biden"), appositions on either
   side ("Joe Biden, the US president,"; "the president, Joe Biden,").
3. **Gender** of a person: title (Mr./Mrs./Ms.), a small first-name lexicon, gendered role nouns
   (spokeswoman), and he/she used right after the name when it is the only person around.
4. **Sources**, named ones first, then the rest in text order:
   - a name (or a role whose apposition is a name) -> that speaker;
   - he/she/they/it -> the previous attribution's speaker when compatible (gender, number, kind)
     and the cue continues a thread ("he added") or no other compatible candidate came between;
     else the most salient compatible mention: current sentence before the pronoun, then back
     sentence by sentence, subjects first, mentions inside quotes last; I/we only inside another
     attribution's content (-> that speaker), else unresolved;
   - a role noun ("the president", "Russia's leader", "the minister") -> the person carrying a
     compatible role anywhere in the article (same head noun, modifiers not contradicting; "leader"
     matches heads of state/government of the same country); else the quote thread (the previous
     attribution when this cue is "added", or the next one when it is "..., Biden added"), never
     a person whose known roles contradict it. With no evidence a definite role becomes its own
     person speaker named by the role ("prime minister"), shared by later identical mentions;
   - "the Kremlin", "the campaign", "the government", places and organisations -> organisation;
   - any other noun phrase becomes its own speaker (kind person for person nouns such as "a
     source", "other" otherwise): definite ones ("the source") join an earlier speaker with the
     same head noun, indefinite ones ("a source", "officials") each stand alone.
   - no source, or nothing usable in it -> ``speaker`` stays None.

Speakers are returned in order of first mention (``s1``, ``s2``, ...) and only when at least one
attribution refers to them. ``resolve`` never raises: on an internal error it falls back to one
speaker per distinct source text.
"""
from __future__ import annotations

import bisect
import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from .lexicon import ROLE_NOUNS as _LEX_ROLE_NOUNS
from .model import Article, Attribution, Span, Speaker

log = logging.getLogger("saidwhat")

# ---------------------------------------------------------------------------------------------
# lexicons (kept here: this stage's own data)

TITLES_MALE = frozenset("mr mr. sir lord king prince father fr fr. brother".split())
TITLES_FEMALE = frozenset("mrs mrs. ms ms. miss madam madame dame lady queen princess sister".split())
TITLES = frozenset("""
dr dr. prof prof. president pres. sen sen. senator gov gov. governor rep rep. representative
secretary minister premier chancellor mayor judge justice gen gen. general col col. colonel
lt lt. capt capt. captain adm adm. admiral sgt sgt. sergeant maj maj. major cmdr cmdr.
ambassador chairman chairwoman chair speaker leader rev rev. reverend bishop pope cardinal
rabbi imam sheikh st. saint vice prime foreign deputy former attorney inspector commissioner
chief director coach officer detective professor candidate nominee rep. congressman
congresswoman councilman councilwoman councillor councilor superintendent president-elect
sheriff agent spokesman spokeswoman spokesperson first
""".split()) | TITLES_MALE | TITLES_FEMALE

ROLE_NOUNS = frozenset(_LEX_ROLE_NOUNS) | frozenset("""
president-elect vice-president premier chancellor spokesperson minister secretary-general
commissioner councillor councilor councilman councilwoman superintendent inspector detective
trooper attorney-general mp legislator delegate assemblyman assemblywoman speaker whip
strategist pollster consultant negotiator regulator monarch emperor prince princess dictator
strongman ruler boss owner executive cfo coo cto chairperson treasurer economist scientist
researcher doctor physician surgeon nurse teacher principal student spokesmen spokeswomen
""".split())

# nouns that stand for a person without being a title
PERSON_NOUNS = frozenset("""
source sources official officials aide aides witness witnesses resident residents operative
insider insiders person people man woman men women voter voters supporter supporters critic
critics observer observers expert experts analyst analysts staffer staffers employee employees
worker workers member members friend friends neighbor neighbour relative victim victims
protester protesters activist activists lawyer lawyers attorney attorneys colleague
colleagues ally allies rival rivals opponent opponents
""".split())

ORG_NOUNS = frozenset("""
kremlin government administration campaign ministry department agency office police
company firm party committee commission council court army military navy embassy
parliament congress senate house cabinet bureau authority authorities regime union
organisation organization group team board bank fund university institute foundation
spokesperson's prosecutors pentagon state coalition alliance movement network newspaper paper
magazine channel station service services club league federation association
""".split())

GENDERED_ROLES = {
    "spokesman": "male", "chairman": "male", "congressman": "male", "councilman": "male",
    "assemblyman": "male", "king": "male", "prince": "male", "husband": "male", "father": "male",
    "son": "male", "brother": "male", "man": "male", "emperor": "male",
    "spokeswoman": "female", "chairwoman": "female", "congresswoman": "female",
    "councilwoman": "female", "assemblywoman": "female", "queen": "female",
    "princess": "female", "wife": "female", "mother": "female", "daughter": "female",
    "sister": "female", "woman": "female",
}

# heads of state / government / organisations that "leader" / "head" / "chief" may stand for
LEADER_HEADS = frozenset("""
president prime premier chancellor king queen leader chief head chairman chairwoman chair
monarch emperor dictator ruler secretary-general ceo director minister
""".split())
GENERIC_LEADER = frozenset("leader head chief boss ruler".split())

MALE_NAMES = frozenset("""
aaron abdul abe abraham adam adrian ahmed al alan albert alejandro alex alexander alexei
alfred ali andrew andy angus anthony antonio arnold arthur barack barry ben benjamin bernie
bernard bill billy bob bobby boris brad bradley brandon brett brian bruce bryan carl carlos
chad charles charlie chris christopher chuck clarence colin craig dan daniel danny darren
dave david dean dennis derek dick dmitry don donald doug douglas duncan dwight ed eddie edward
emmanuel enrique eric erik ernest evan francis francisco frank fred gary gavin george gerald
gordon graham greg gregory hank harold harry hassan henry howard hugh ian isaac ivan jack jacob
jake james jamie jared jason jay jean-claude jeb jeff jeffrey jeremy jerry jim jimmy joe joel
john johnny jon jonathan jorge jose joseph josh joshua juan julian justin keir keith ken kenneth
kevin kim-jong kyle larry lee leo leonard lindsey liam lloyd louis luis luke marco mario mark
martin matt matthew max michael mike mitch mitt mohammed muhammad nathan neil nicholas nick
nicolas nigel noah olaf oliver omar oscar owen pat patrick paul pete peter phil philip rafael
ralph rand randy ray raymond reince richard rick rob robert roberto rod rodrigo roger ron
ronald rudy rupert russell ryan sam samuel scott sean sergei sergey seth shinzo silvio simon
stephen steve steven stuart ted terry thomas tim timothy todd tom tommy tony travis trey
tyler victor vince vincent viktor vladimir volodymyr walter wayne will william xi yuri zach
""".split())

FEMALE_NAMES = frozenset("""
abigail alexandra alice alicia alison amanda amy ana andrea angela angelina ann anna anne
annie ashley barbara betsy betty beverly brenda bridget carly carol caroline carolyn catherine
cathy charlotte chelsea cheryl christina christine cindy claire claudia cynthia dana deborah
debbie denise diana diane donna doris dorothy elaine eleanor elena elizabeth ellen emily emma
erin eva evelyn frances giorgia gloria grace hannah heather heidi helen hillary hope huma ivanka
jackie jacqueline jane janet janice jean jennifer jessica jill jo joan joanne jodi joy joyce
judith judy julia julie kaja kamala karen kate katherine kathleen kathy katie kay kayleigh
kellyanne kelly kim kirsten kristen laura lauren linda lisa liz lori louise lucy lynn madeleine
margaret maria marie marine marilyn marine martha mary megan melania melissa michelle mitzi
monica nancy natalie nicola nicole nikki olivia pam pamela patricia patty paula peggy penny
rachel rebecca rita roberta rosa rose ruth sally samantha sandra sara sarah sharon sheila
shirley sonia stephanie sue susan suzanne tammy tara teresa theresa tiffany tina tulsi
ursula valerie vanessa victoria virginia wendy whitney yulia
""".split())

PRONOUNS = {
    "he": ("male", "sg"), "she": ("female", "sg"), "they": (None, "pl"), "it": ("neuter", "sg"),
    "i": (None, "self"), "we": (None, "self"), "him": ("male", "sg"), "her": ("female", "sg"),
    "them": (None, "pl"), "us": (None, "self"), "me": (None, "self"), "you": (None, "you"),
}
_GENDER_PRON = {"he": "male", "him": "male", "his": "male", "himself": "male",
                "she": "female", "her": "female", "hers": "female", "herself": "female"}

THREAD_CUES = frozenset("add continue conclude elaborate go reiterate insist explain".split())

DETERMINERS = frozenset("the a an this that these those another one some any each every".split())
INDEFINITE = frozenset("a an another one some any several many".split())
POSS_PRONOUNS = frozenset("his her their its our my your".split())

_COUNTRY_ALIASES = {
    "u.s": "us", "u.s.": "us", "us": "us", "american": "us", "america": "us", "usa": "us",
    "uk": "uk", "u.k.": "uk", "u.k": "uk", "british": "uk", "britain": "uk",
    "russian": "russia", "french": "france", "german": "germany", "chinese": "china",
    "ukrainian": "ukraine", "israeli": "israel", "iranian": "iran", "estonian": "estonia",
    "turkish": "turkey", "polish": "poland", "dutch": "netherlands", "greek": "greece",
    "swedish": "sweden", "spanish": "spain", "japanese": "japan", "korean": "korea",
    "mexican": "mexico", "canadian": "canada", "italian": "italy", "indian": "india",
}

_NAME_ENTS = ("PERSON", "ORG", "GPE", "NORP", "FAC")
_QUOTE_OPEN = "“„«"
_QUOTE_CLOSE = "”»"
_WS = re.compile(r"\s+")


# ---------------------------------------------------------------------------------------------
# internal records


@dataclass
class _Cluster:
    kind: str  # person | organisation | other
    forms: list[tuple[int, str]] = field(default_factory=list)  # (n words, text) name forms
    mentions: list[Span] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    role_keys: list[tuple[str, frozenset]] = field(default_factory=list)
    gender_votes: dict = field(default_factory=lambda: {"male": 0, "female": 0})
    gender_fixed: Optional[str] = None
    plural: bool = False
    first_words: set = field(default_factory=set)
    last_word: str = ""
    head: str = ""  # for common-noun speakers: the head lemma
    definite_key: str = ""
    used: bool = False

    @property
    def gender(self) -> Optional[str]:
        if self.gender_fixed:
            return self.gender_fixed
        m, f = self.gender_votes["male"], self.gender_votes["female"]
        if m > f:
            return "male"
        if f > m:
            return "female"
        return None

    @property
    def name(self) -> str:
        if not self.forms:
            return ""
        # the fullest form, but one that starts with a known first name beats an epithet
        # ("Crooked Hillary Clinton") or a stray word the NER swept in
        def key(f: tuple[int, str]) -> tuple:
            first = f[1].split()[0].lower() if f[1].split() else ""
            return (f[0] > 1 and (first in MALE_NAMES or first in FEMALE_NAMES), f[0], len(f[1]))
        return max(self.forms, key=key)[1]

    def add_role(self, text: str, key: tuple[str, frozenset]) -> None:
        if text and text.lower() not in {r.lower() for r in self.roles}:
            self.roles.append(text)
        if key[0] and key not in self.role_keys:
            self.role_keys.append(key)
        g = GENDERED_ROLES.get(key[0])
        if g:
            self.gender_votes[g] += 2


@dataclass
class _Mention:
    start: int
    end: int
    cluster: _Cluster
    subject: bool
    sent: int
    in_quote: bool
    ambiguous: bool = False  # a bare name that could be more than one person


class _Index:
    """Article-level view over the parsed blocks: tokens by char offset, sentences, quotes."""

    def __init__(self, text: str, blocks: list) -> None:
        self.text = text
        self.blocks = []
        for b in blocks or []:
            try:
                off, doc = int(b[0]), b[1]
                len(doc)
            except Exception:
                continue
            self.blocks.append((off, doc))
        self.blocks.sort(key=lambda b: b[0])
        self.block_starts = [b[0] for b in self.blocks]
        # Doc.text is rebuilt on every access: the length from the last token instead
        self.block_lens = [(d[-1].idx + len(d[-1].text_with_ws)) if len(d) else 0 for _, d in self.blocks]
        self.sent_starts: list[int] = []
        for off, doc in self.blocks:
            try:
                for s in doc.sents:
                    self.sent_starts.append(s.start_char + off)
            except Exception:  # no sentence boundaries: one sentence per block
                self.sent_starts.append(off)
        self.sent_starts.sort()
        self.quote = self._quote_mask(text)

    @staticmethod
    def _quote_mask(text: str) -> bytearray:
        mask = bytearray(len(text))
        inside = False
        opener = ""
        for i, c in enumerate(text):
            if c == "\n":
                inside = False
                continue
            if c == '"':
                inside = not inside
                continue
            if not inside and c in _QUOTE_OPEN:
                inside, opener = True, c
                continue
            if inside and (c in _QUOTE_CLOSE or (c == "“" and opener == "„")):
                inside = False
                continue
            if inside:
                mask[i] = 1
        return mask

    def in_quote(self, pos: int) -> bool:
        return 0 <= pos < len(self.quote) and bool(self.quote[pos])

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def block_of(self, pos: int):
        i = bisect.bisect_right(self.block_starts, pos) - 1
        if i < 0:
            return None
        off, doc = self.blocks[i]
        if pos > off + self.block_lens[i]:
            return None
        return off, doc

    def tokens(self, start: int, end: int) -> list:
        """The tokens of one block overlapping [start, end)."""
        b = self.block_of(start)
        if b is None:
            return []
        off, doc = b
        n = self.block_lens[bisect.bisect_right(self.block_starts, start) - 1]
        s, e = max(0, start - off), min(n, end - off)
        if e <= s:
            return []
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is None:
            return []
        return list(sp)


# ---------------------------------------------------------------------------------------------
# helpers


def _norm_word(w: str) -> str:
    w = w.lower().strip(".,;:\"'“”‘’")
    return w


def _country(w: str) -> str:
    w = _norm_word(w)
    if w.endswith("'s") or w.endswith("’s"):
        w = w[:-2]
    return _COUNTRY_ALIASES.get(w, w)


def _mods_compatible(mention_mods: frozenset, role_mods: frozenset) -> bool:
    if not mention_mods or not role_mods:
        return True
    for m in mention_mods:
        if not any(m == r or (len(m) >= 4 and len(r) >= 4 and m[:4] == r[:4]) for r in role_mods):
            return False
    return True


def _is_poss_marker(t) -> bool:
    return t.tag_ == "POS" or t.text in ("'s", "’s", "'", "’")


def _strip_tokens(toks: list) -> list:
    """Drop punctuation, determiners and possessive markers at the edges."""
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].lower_ in DETERMINERS):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space or _is_poss_marker(toks[-1])):
        toks = toks[:-1]
    return toks


def _phrase(text: str, off: int, toks: list) -> tuple[int, int, str]:
    s = toks[0].idx + off
    e = toks[-1].idx + len(toks[-1].text) + off
    return s, e, _WS.sub(" ", text[s:e]).strip()


def _role_from_tokens(toks: list) -> tuple[str, tuple[str, frozenset]]:
    """Role text ("US president") and key (head, modifiers) from a role phrase's tokens."""
    toks = _strip_tokens(toks)
    # cut a trailing name or anything after a comma / preposition we do not want
    words = []
    for t in toks:
        if t.is_punct and t.text not in ("-",):
            if t.text in (",", ";", "(", ")"):
                break
            continue
        words.append(t)
    if not words:
        return "", ("", frozenset())
    # head: the last role/person noun, else the last noun
    head_i = None
    for i in range(len(words) - 1, -1, -1):
        lw = words[i].lower_
        if lw in ROLE_NOUNS or lw in PERSON_NOUNS or words[i].lemma_.lower() in ROLE_NOUNS:
            head_i = i
            break
    if head_i is None:
        for i in range(len(words) - 1, -1, -1):
            if words[i].pos_ in ("NOUN", "PROPN"):
                head_i = i
                break
    if head_i is None:
        return "", ("", frozenset())
    words = words[:head_i + 1]
    head = words[-1].lemma_.lower() if words[-1].pos_ == "NOUN" else words[-1].lower_
    if words[-1].lower_ in ROLE_NOUNS:
        head = words[-1].lower_
    mods = frozenset(_country(w.text) for w in words[:-1]
                     if not _is_poss_marker(w) and w.lower_ not in DETERMINERS
                     and w.lower_ not in POSS_PRONOUNS and not w.is_punct)
    out = []
    for w in words:
        if w.lower_ in ROLE_NOUNS or w.lower_ in TITLES or w.pos_ in ("NOUN", "ADJ", "VERB"):
            out.append(w.text.lower() if not w.text.isupper() else w.text)
        else:
            out.append(w.text)
        out.append(w.whitespace_)
    text = "".join(out).strip().replace(" 's", "'s").replace(" ’s", "’s")
    return text, (head, mods)


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isupper())


# ---------------------------------------------------------------------------------------------
# the resolver


class _Resolver:
    def __init__(self, article: Article, blocks: list) -> None:
        self.article = article
        self.text = article.text or ""
        self.ix = _Index(self.text, blocks)
        self.clusters: list[_Cluster] = []
        self.mentions: list[_Mention] = []  # sorted by start
        self.mention_starts: list[int] = []
        self.ent_at: dict[tuple[int, int], _Cluster] = {}  # (block offset, token i) -> cluster
        self.persons: list[_Cluster] = []
        self.common: list[_Cluster] = []

    # -- named mentions ------------------------------------------------------------------------

    def collect(self) -> None:
        raw = []  # (start, end, label, words, title words, ent, off)
        for off, doc in self.ix.blocks:
            for ent in doc.ents:
                if ent.label_ not in _NAME_ENTS:
                    continue
                toks = list(ent)
                titles = []
                while toks and (toks[0].lower_ in DETERMINERS or toks[0].is_punct):
                    toks = toks[1:]
                if ent.label_ == "PERSON":
                    while len(toks) > 1 and toks[0].lower_ in TITLES:
                        titles.append(toks[0])
                        toks = toks[1:]
                while toks and (toks[-1].is_punct or _is_poss_marker(toks[-1])):
                    toks = toks[:-1]
                if not toks:
                    continue
                s, e, name = _phrase(self.text, off, toks)
                if name.endswith("'s") or name.endswith("’s"):
                    name, e = name[:-2], e - 2
                if not name or not any(c.isalpha() for c in name):
                    continue
                # titles to the left, outside the entity ("US President Joe Biden")
                left = []
                j = ent.start - 1
                while j >= 0:
                    t = doc[j]
                    if t.is_punct and t.text not in (".",):
                        break
                    if t.head.i >= ent.start and t.head.i < ent.end and t.dep_ in ("compound", "amod", "nmod", "poss", "case", "det") \
                            or (left and t.head.i == left[0].i and t.dep_ in ("compound", "amod", "poss", "case", "det")) \
                            or t.lower_ in TITLES and t.head.i >= ent.start and t.head.i < ent.end:
                        left.insert(0, t)
                        j -= 1
                        continue
                    break
                raw.append((s, e, ent.label_, name, titles + [t for t in left], ent, off))
        # proper-noun subjects the NER missed ("Oz has been dogged ...") count as person names
        for off, doc in self.ix.blocks:
            for t in doc:
                if t.dep_ not in ("nsubj", "nsubjpass") or t.ent_type_:
                    continue
                org = t.lower_ in ORG_NOUNS
                if t.pos_ != "PROPN" and not org:
                    continue
                if t.pos_ == "PROPN" and (not t.is_title or t.lower_ in TITLES):
                    continue
                toks = [t]
                j = t.i - 1
                while j >= 0 and doc[j].head.i == t.i and doc[j].dep_ == "compound" and doc[j].pos_ == "PROPN":
                    toks.insert(0, doc[j])
                    j -= 1
                if org:  # "The Trump Campaign", "the Clinton campaign": an organisation
                    if len(toks) > 1:
                        ps, pe, name = _phrase(self.text, off, toks)
                        raw.append((ps, pe, "ORG", name, [], doc[toks[0].i:t.i + 1], off))
                    continue
                if any(x.ent_type_ for x in toks):
                    continue
                titles = []
                while len(toks) > 1 and toks[0].lower_ in TITLES:
                    titles.append(toks.pop(0))
                ps, pe, name = _phrase(self.text, off, toks)
                if any(c.isalpha() for c in name):
                    raw.append((ps, pe, "PERSON", name, titles, doc[toks[0].i:t.i + 1], off))
        raw.sort(key=lambda r: r[0])
        persons = [r for r in raw if r[2] == "PERSON"]
        # ORG / GPE entities that are a person's name seen elsewhere ("Trump" tagged ORG)
        full = {r[3].lower() for r in persons if len(r[3].split()) > 1}
        lasts = {r[3].split()[-1].lower() for r in persons}
        others = []
        for r in raw:
            if r[2] in ("ORG", "GPE", "NORP", "FAC"):
                lw = r[3].lower()
                if lw in full or (" " not in lw and lw in lasts and r[2] != "GPE"):
                    persons.append(r)
                    continue
                others.append(r)
        persons.sort(key=lambda r: r[0])
        self._cluster_persons(persons)
        self._cluster_orgs(others)

    def _add_mention(self, c: _Cluster, s: int, e: int, subject: bool) -> None:
        sp = Span.of(self.text, s, e)
        if sp not in c.mentions:
            c.mentions.append(sp)
        m = _Mention(s, e, c, subject, self.ix.sent_of(s), self.ix.in_quote(s))
        i = bisect.bisect_left(self.mention_starts, s)
        self.mention_starts.insert(i, s)
        self.mentions.insert(i, m)

    def _register_tokens(self, c: _Cluster, ent, off: int) -> None:
        for t in ent:
            self.ent_at[(off, t.i)] = c

    def _cluster_persons(self, raw: list) -> None:
        full: dict[tuple[str, str], _Cluster] = {}
        singles = []
        for r in raw:
            s, e, _, name, titles, ent, off = r
            words = name.split()
            if len(words) >= 2:
                key = (words[0].lower(), words[-1].lower())
                c = full.get(key)
                if c is None:
                    c = full[key] = _Cluster("person")
                    c.first_words.add(words[0].lower())
                    c.last_word = words[-1].lower()
                    self.clusters.append(c)
                    self.persons.append(c)
                self._attach_person(c, r)
            else:
                singles.append(r)
        # "Lamont Scott" inside "Keith Lamont Scott": one person when only one name contains it
        for key, c in list(full.items()):
            words = c.name.lower().split()
            hosts = [o for k2, o in full.items() if o is not c and len(o.name.split()) > len(words)
                     and o.last_word == c.last_word and self._contains(o.name.lower().split(), words)]
            if len(hosts) == 1:
                self._merge(hosts[0], c)
                full[key] = hosts[0]
        for r in singles:
            s, e, _, name, titles, ent, off = r
            w = name.lower()
            tgender = self._title_gender(titles)
            cands = [c for c in self.persons if c.last_word == w or w in c.first_words]
            if tgender:
                g = [c for c in cands if self._name_gender(c) in (tgender, None)]
                if g:
                    cands = g
            if len(cands) > 1:
                # most recently mentioned before this one, else the nearest after
                def recency(c: _Cluster) -> tuple:
                    before = [m.start for m in c.mentions if m.start < s]
                    if before:
                        return (0, -max(before))
                    return (1, min((m.start for m in c.mentions), default=0))
                cands.sort(key=recency)
            if cands:
                self._attach_person(cands[0], r)
                if len(cands) > 1:
                    for m in self.mentions:
                        if m.start == s and m.cluster is cands[0]:
                            m.ambiguous = True
            else:
                c = _Cluster("person")
                c.last_word = w
                self.clusters.append(c)
                self.persons.append(c)
                self._attach_person(c, r)

    @staticmethod
    def _contains(big: list[str], small: list[str]) -> bool:
        it = iter(big)
        return all(w in it for w in small)

    def _merge(self, into: _Cluster, c: _Cluster) -> None:
        into.forms.extend(c.forms)
        into.mentions.extend(m for m in c.mentions if m not in into.mentions)
        for r, k in zip(c.roles, c.role_keys):
            into.add_role(r, k)
        for g in ("male", "female"):
            into.gender_votes[g] += c.gender_votes[g]
        into.first_words |= c.first_words
        for m in self.mentions:
            if m.cluster is c:
                m.cluster = into
        for k, v in self.ent_at.items():
            if v is c:
                self.ent_at[k] = into
        self.clusters = [x for x in self.clusters if x is not c]
        self.persons = [x for x in self.persons if x is not c]

    @staticmethod
    def _title_gender(titles: list) -> Optional[str]:
        for t in titles:
            lw = t.lower_
            if lw in TITLES_MALE:
                return "male"
            if lw in TITLES_FEMALE:
                return "female"
            if lw in GENDERED_ROLES:
                return GENDERED_ROLES[lw]
        return None

    @staticmethod
    def _name_gender(c: _Cluster) -> Optional[str]:
        for fw in c.first_words:
            if fw in MALE_NAMES and fw not in FEMALE_NAMES:
                return "male"
            if fw in FEMALE_NAMES and fw not in MALE_NAMES:
                return "female"
        return c.gender

    def _attach_person(self, c: _Cluster, r) -> None:
        s, e, _, name, titles, ent, off = r
        c.forms.append((len(name.split()), name))
        subject = ent.root.dep_ in ("nsubj", "nsubjpass")
        self._add_mention(c, s, e, subject)
        self._register_tokens(c, ent, off)
        g = self._title_gender(titles)
        if g:
            c.gender_votes[g] += 3
        words = name.split()
        if len(words) >= 2:
            fw = words[0].lower()
            c.first_words.add(fw)
            if fw in MALE_NAMES and fw not in FEMALE_NAMES:
                c.gender_votes["male"] += 3
            elif fw in FEMALE_NAMES and fw not in MALE_NAMES:
                c.gender_votes["female"] += 3
        # roles: titles before the name
        role_toks = [t for t in titles if t.lower_ not in TITLES_MALE | TITLES_FEMALE]
        if role_toks and any(t.lower_ in ROLE_NOUNS or t.lower_ in TITLES for t in role_toks):
            if any(t.lower_ in ROLE_NOUNS or t.lemma_.lower() in ROLE_NOUNS for t in role_toks):
                text, key = _role_from_tokens(role_toks)
                if text:
                    c.add_role(text, key)
        # appositions: "Joe Biden, the US president," and "the US president, Joe Biden,"
        root = ent.root
        for ch in root.children:
            if ch.dep_ == "appos" and ch.pos_ in ("NOUN",) and not (ent.start <= ch.i < ent.end):
                self._add_apposition(c, list(ch.subtree), off, False)
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            h = root.head
            toks = [t for t in h.subtree if not (root.left_edge.i <= t.i <= root.right_edge.i)]
            toks = [t for t in toks if t.i <= h.i]
            self._add_apposition(c, toks, off, h.dep_ in ("nsubj", "nsubjpass"))

    def _add_apposition(self, c: Any, toks: list, off: int, subject: bool) -> None:
        """A role phrase in apposition to a name: its role, and the phrase as a mention."""
        text, key = _role_from_tokens(toks)
        if text:
            c.add_role(text, key)
            st = _strip_tokens(toks)
            if st:
                ps, pe, _ = _phrase(self.text, off, st)
                self._add_mention(c, ps, pe, subject)

    def _cluster_orgs(self, raw: list) -> None:
        by_text: dict[str, _Cluster] = {}
        for r in raw:
            s, e, label, name, titles, ent, off = r
            key = name.lower()
            c = by_text.get(key)
            words = name.split()
            if c is None and len(words) == 1:
                w = words[0]
                for oc in reversed(self.clusters):
                    if oc.kind == "person" or not oc.forms:
                        continue
                    ow = oc.name.split()
                    if len(ow) > 1 and (ow[-1].lower() == key or (w.isupper() and len(w) >= 2 and _acronym(ow) == w)):
                        c = oc
                        break
            if c is None:
                kind = "other" if label == "NORP" else "organisation"
                c = _Cluster(kind)
                c.plural = label == "NORP"
                c.last_word = words[-1].lower()
                self.clusters.append(c)
            by_text[key] = c
            c.forms.append((len(words), name))
            self._add_mention(c, s, e, ent.root.dep_ in ("nsubj", "nsubjpass"))
            self._register_tokens(c, ent, off)

    # -- gender evidence from pronouns ----------------------------------------------------------

    def pronoun_votes(self) -> None:
        """he/she right after a person who is the only person of the sentence votes its gender."""
        by_sent: dict[int, list[_Mention]] = {}
        for m in self.mentions:
            if m.cluster.kind == "person" and not m.in_quote:
                by_sent.setdefault(m.sent, []).append(m)
        for si, ms in by_sent.items():
            cl = {id(m.cluster) for m in ms}
            if len(cl) != 1 or not any(m.subject for m in ms) or any(m.ambiguous for m in ms):
                continue
            c = ms[0].cluster
            start = ms[0].end
            nxt = self.ix.sent_starts[si + 2] if si + 2 < len(self.ix.sent_starts) else len(self.text)
            if si + 1 in by_sent:  # someone else named in the next sentence: only this sentence
                nxt = self.ix.sent_starts[si + 1] if si + 1 < len(self.ix.sent_starts) else len(self.text)
            for t in self.ix.tokens(start, min(nxt, start + 400)):
                lw = t.lower_
                if lw in _GENDER_PRON and not self.ix.in_quote(t.idx):
                    c.gender_votes[_GENDER_PRON[lw]] += 1
                    break

    # -- sources ------------------------------------------------------------------------------

    def source_tokens(self, a: Attribution) -> list:
        src = a.source
        if src is None or not isinstance(src.start, int) or src.end <= src.start:
            return []
        s, e = max(0, src.start), min(len(self.text), src.end)
        return self.ix.tokens(s, e)

    @staticmethod
    def head_of(toks: list):
        if not toks:
            return None
        ids = {t.i for t in toks}
        for t in toks:
            if t.head.i not in ids or t.head.i == t.i:
                if not t.is_punct:
                    return t
        content = [t for t in toks if not t.is_punct]
        return content[-1] if content else None

    def named_source(self, a: Attribution, toks: list) -> Optional[_Cluster]:
        head = self.head_of(toks)
        if head is None:
            return None
        b = self.ix.block_of(a.source.start)
        off = b[0] if b else 0
        c = self.ent_at.get((off, head.i))
        if c is not None:
            return c
        # "President Biden" where the head is inside a compound chain of the entity
        for t in toks:
            if t.head.i == head.i and t.dep_ == "compound":
                c = self.ent_at.get((off, t.i))
                if c is not None and c.kind == "person":
                    return c
        if head.pos_ == "NOUN" or head.lower_ in TITLES:
            # "the president, Joe Biden," -> the apposed person
            for ch in head.children:
                if ch.dep_ == "appos":
                    c = self.ent_at.get((off, ch.i))
                    if c is not None:
                        return c
        if head.pos_ == "PROPN" and not head.lower_ in TITLES:
            # a name the NER missed: surname / first name of a known person
            w = head.lower_
            cands = [c for c in self.persons if c.last_word == w or w in c.first_words]
            if cands:
                return self._most_recent(cands, a.source.start)
        return None

    def _most_recent(self, cands: list[_Cluster], pos: int) -> _Cluster:
        def key(c: _Cluster) -> tuple:
            before = [m.start for m in c.mentions if m.start < pos]
            return (0, -max(before)) if before else (1, min((m.start for m in c.mentions), default=0))
        return sorted(cands, key=key)[0]

    # compatibility of a cluster with a pronoun
    def compatible(self, c: _Cluster, pron: str) -> bool:
        g, n = PRONOUNS.get(pron, (None, None))
        if pron in ("he", "she", "him", "her"):
            if c.kind != "person" or c.plural:
                return False
            cg = self._name_gender(c) or c.gender
            return cg in (None, g)
        if pron in ("they", "them"):
            return c.kind in ("organisation", "other") or c.plural
        if pron == "it":
            return c.kind == "organisation" and not c.plural
        return False

    def resolve_pronoun(self, a: Attribution, head, prev: Optional[Attribution],
                        outer: Optional[Attribution]) -> Optional[_Cluster]:
        p = head.lower_
        if p in ("i", "we", "me", "us"):
            if outer is not None and outer.speaker is not None:
                return self._cluster_of_speaker.get(id(outer.speaker))
            return None
        if p not in ("he", "she", "they", "it", "him", "her", "them"):
            return None
        pos = a.source.start
        contents = [(cp.start, cp.end) for cp in (a.content_parts or [])]

        def in_content(m: _Mention) -> bool:
            return any(s <= m.start < e for s, e in contents)

        thread = self.is_thread_cue(a)
        prev_c = self._cluster_of_speaker.get(id(prev.speaker)) if prev is not None and prev.speaker else None
        if prev_c is not None and self.compatible(prev_c, p):
            prev_end = max([prev.source.end if prev.source else 0, prev.content.end,
                            prev.cue.end if prev.cue else 0])
            near = self.ix.sent_of(pos) - self.ix.sent_of(prev_end) <= 8
            if thread and near:
                return prev_c
            lo = bisect.bisect_left(self.mention_starts, min(prev_end, pos))
            hi = bisect.bisect_left(self.mention_starts, pos)
            rival = any(m.cluster is not prev_c and not m.in_quote and not in_content(m)
                        and self.compatible(m.cluster, p) for m in self.mentions[lo:hi])
            if not rival and near:
                return prev_c
        # salience: back sentence by sentence, subjects first, quoted mentions last
        si = self.ix.sent_of(pos)
        hi = bisect.bisect_left(self.mention_starts, pos)
        lo = hi
        fallback = None
        for back in range(0, 6):
            s_i = si - back
            if s_i < 0:
                break
            s_start = self.ix.sent_starts[s_i] if s_i < len(self.ix.sent_starts) else 0
            lo = bisect.bisect_left(self.mention_starts, s_start)
            ms = [m for m in self.mentions[lo:hi] if not in_content(m) and self.compatible(m.cluster, p)]
            hi = lo
            if not ms:
                continue
            outside = [m for m in ms if not m.in_quote]
            if p in ("he", "she", "him", "her"):  # gender known and matching beats unknown
                known = [m for m in outside if (self._name_gender(m.cluster) or m.cluster.gender)]
                if known:
                    outside = known
            if outside:
                subj = [m for m in outside if m.subject]
                if back == 0:
                    return (subj or outside)[-1].cluster
                return (subj or outside)[0].cluster
            if fallback is None:
                fallback = ms[-1].cluster
        if prev_c is not None and self.compatible(prev_c, p):
            return prev_c
        return fallback

    def is_thread_cue(self, a: Attribution) -> bool:
        if a.cue is None:
            return False
        for t in self.ix.tokens(a.cue.start, a.cue.end):
            if t.lemma_.lower() in THREAD_CUES or t.lower_ in ("added", "adds", "continued", "concluded"):
                return True
        return False

    def resolve_role(self, a: Attribution, toks: list, head, prev: Optional[Attribution],
                     nxt: Optional[Attribution]) -> Optional[_Cluster]:
        b = self.ix.block_of(a.source.start)
        off = b[0] if b else 0
        core = [t for t in toks if t.i <= head.i]
        # "Biden's aide", "his spokesman": someone else's role -> not a name match
        possessor = [t for t in core if t.dep_ == "poss" and t.head.i == head.i
                     and (t.ent_type_ in ("PERSON", "ORG") or t.pos_ == "PRON")]
        if possessor:  # the role proper is what follows the possessor's 's
            cut = max(t.i for t in possessor[-1].subtree)
            role_toks = [t for t in core if t.i > cut]
        else:
            role_toks = core
        text, key = _role_from_tokens(role_toks)
        hd, mods = key
        if not hd:
            hd, mods = head.lower_, frozenset()
        first = _strip_tokens(toks)
        indefinite = bool(toks) and (toks[0].lower_ in INDEFINITE) or (head.tag_ in ("NNS", "NNPS") and not any(t.lower_ == "the" for t in core))
        plural = head.tag_ in ("NNS", "NNPS")
        is_role = (hd in ROLE_NOUNS or head.lower_ in ROLE_NOUNS) and not plural
        if is_role and not possessor and not indefinite:
            gender = GENDERED_ROLES.get(hd)
            cands = []
            for c in self.persons:
                if gender and (self._name_gender(c) or c.gender) not in (None, gender):
                    continue
                for rh, rm in c.role_keys:
                    if rh == hd and _mods_compatible(mods, rm):
                        cands.append(c)
                        break
                    if hd in GENERIC_LEADER and rh in LEADER_HEADS and mods and _mods_compatible(mods, rm) and rm:
                        cands.append(c)
                        break
            if cands:
                c = self._most_recent(cands, a.source.start)
                return c
            # the thread: "... the president said" / "..., Biden added" (either direction)
            def ok(c: Optional[_Cluster]) -> bool:
                if c is None or c.kind != "person" or c.plural:
                    return False
                if gender and (self._name_gender(c) or c.gender) not in (None, gender):
                    return False
                if c.role_keys and not any(rh == hd for rh, _ in c.role_keys):
                    return False
                return True
            pos = a.source.start
            if prev is not None and prev.speaker is not None and self.is_thread_cue(a):
                c = self._cluster_of_speaker.get(id(prev.speaker))
                if ok(c) and self.ix.sent_of(pos) - self.ix.sent_of(prev.content.end) <= 3:
                    c.add_role(text, key)
                    return c
            if nxt is not None and nxt.source is not None and self.is_thread_cue(nxt):
                c = self._named.get(id(nxt))
                if ok(c) and self.ix.sent_of(nxt.source.start) - self.ix.sent_of(pos) <= 3:
                    c.add_role(text, key)
                    return c
        # no evidence: a speaker of its own, named by the phrase
        if not first:
            return None
        while len(first) > 1 and first[0].lower_ in TITLES and first[0].pos_ == "PROPN":
            first = first[1:]
        # the name stops before an apposition or relative clause ("X, which represents ...")
        cut = next((k for k, t in enumerate(first) if k and t.text in (",", "(", "—", "–", ";")), None)
        if cut:
            first = _strip_tokens(first[:cut]) or first
        s, e, name = _phrase(self.text, off, first)
        name = re.sub(r"^(his|her|their|its|our|my|your)\s+", "", name, flags=re.I)
        lname = name.lower()
        hl = head.lemma_.lower() if head.pos_ == "NOUN" else head.lower_
        if hl in ORG_NOUNS or head.lower_ in ORG_NOUNS:
            kind = "organisation"
        elif is_role or hl in PERSON_NOUNS or head.lower_ in PERSON_NOUNS or hl in ROLE_NOUNS:
            kind = "other" if plural else "person"
        else:
            kind = "other"
        if not indefinite:
            for c in reversed(self.common):
                if c.definite_key == lname or (not possessor and c.head == hl and c.kind == kind
                                               and len(first) == 1):
                    return c
            # "the campaign" / "the ministry": an earlier organisation with that last word
            if kind == "organisation":
                for c in reversed(self.clusters):
                    if c.kind == "organisation" and c.last_word in (hl, head.lower_) and c.forms:
                        return c
        c = _Cluster(kind)
        c.forms.append((len(name.split()), name))
        c.head = hl
        c.plural = plural
        c.last_word = head.lower_
        c.definite_key = "" if indefinite else lname
        if is_role and text:
            c.add_role(text, key)
        self.clusters.append(c)
        self.common.append(c)
        return c

    def run(self) -> list[Speaker]:
        self.collect()
        self.pronoun_votes()
        atts = [a for a in self.article.attributions if isinstance(a, Attribution)]
        for a in atts:
            a.speaker = None

        def start(a: Attribution) -> int:
            xs = [a.content.start]
            if a.cue is not None:
                xs.append(a.cue.start)
            if a.source is not None:
                xs.append(a.source.start)
            return min(xs)

        order = sorted(atts, key=start)
        self._named: dict[int, _Cluster] = {}
        self._cluster_of_speaker: dict[int, _Cluster] = {}
        speaker_of: dict[int, Speaker] = {}
        toks_of: dict[int, list] = {}
        assigned: dict[int, _Cluster] = {}

        def assign(a: Attribution, c: _Cluster) -> None:
            assigned[id(a)] = c
            c.used = True
            sp = speaker_of.get(id(c))
            if sp is None:
                sp = speaker_of[id(c)] = Speaker(id="", name=c.name or (a.source.text if a.source else ""),
                                                 kind=c.kind)  # type: ignore[arg-type]
                self._cluster_of_speaker[id(sp)] = c
            a.speaker = sp
            if a.source is not None:
                s, e = a.source.start, a.source.end
                # the source itself is a mention unless it just wraps a mention we have
                exists = any(s <= m.start and m.end <= e for m in c.mentions)
                if not exists and e > s:
                    self._add_mention(c, s, e, True)

        # pass 1: named sources
        for a in order:
            if a.source is None:
                continue
            toks = toks_of[id(a)] = self.source_tokens(a)
            c = self.named_source(a, toks)
            if c is not None:
                self._named[id(a)] = c
                assign(a, c)
        # pass 2: the rest in text order. (Linear: the last attribution with a speaker is kept as
        # the loop goes, and the contents holding a position are looked up by their starts.)
        parts = sorted((cp.start, cp.end, k) for k, o in enumerate(order) for cp in o.content_parts)
        part_starts = [p[0] for p in parts]
        reach = list(itertools.accumulate((p[1] for p in parts), max))  # the largest end so far

        def outer_of(a: Attribution, pos: int) -> Optional[Attribution]:
            """The last attribution (in ``order``) but ``a`` with a content part holding ``pos``."""
            best = -1
            j = bisect.bisect_right(part_starts, pos) - 1
            while j >= 0 and reach[j] > pos:
                s, e, k = parts[j]
                if s <= pos < e and k > best and order[k] is not a:
                    best = k
                j -= 1
            return order[best] if best >= 0 else None

        last: Optional[Attribution] = None  # the last attribution before this one with a speaker
        for i, a in enumerate(order):
            if i and order[i - 1].speaker is not None:
                last = order[i - 1]
            if a.source is None or id(a) in assigned:
                continue
            toks = toks_of.get(id(a)) or []
            head = self.head_of(toks)
            if head is None:
                continue
            prev = last
            nxt = order[i + 1] if i + 1 < len(order) else None
            c = None
            if head.pos_ == "PRON" or head.lower_ in PRONOUNS:
                outer = outer_of(a, a.source.start)
                if head.lower_ in PRONOUNS:
                    c = self.resolve_pronoun(a, head, prev, outer)
            elif head.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or head.lower_ in TITLES:
                c = self.resolve_role(a, toks, head, prev, nxt)
            if c is not None:
                if head.lower_ in _GENDER_PRON and c.kind == "person" and c.gender is None:
                    c.gender_votes[_GENDER_PRON[head.lower_]] += 1
                assign(a, c)
        # speakers in order of first mention
        used = [c for c in self.clusters if c.used]
        used.sort(key=lambda c: min((m.start for m in c.mentions), default=1 << 60))
        out = []
        for n, c in enumerate(used, 1):
            sp = speaker_of[id(c)]
            sp.id = f"s{n}"
            sp.name = c.name or sp.name
            sp.kind = c.kind  # type: ignore[assignment]
            sp.mentions = sorted(set(c.mentions))
            sp.roles = list(c.roles)
            out.append(sp)
        return out


def _fallback(article: Article) -> list[Speaker]:
    out: dict[str, Speaker] = {}
    for a in article.attributions:
        try:
            a.speaker = None
            if a.source is None or not a.source.text.strip():
                continue
            name = a.source.text.strip()
            sp = out.get(name)
            if sp is None:
                sp = out[name] = Speaker(id=f"s{len(out) + 1}", name=name, kind="other")
            sp.mentions.append(a.source)
            a.speaker = sp
        except Exception:
            continue
    return list(out.values())


def resolve(article: Article, blocks: list) -> list[Speaker]:
    """Set ``a.speaker`` on each attribution of ``article`` and return its speakers.

    ``blocks`` are the ``(char offset, spaCy Doc)`` pairs covering ``article.text``.
    """
    try:
        return _Resolver(article, blocks).run()
    except Exception as exc:  # never raise: degrade to one speaker per source text
        log.warning("speaker resolution failed for article %s: %s: %s",
                    getattr(article, "id", "?"), type(exc).__name__, exc)
        try:
            return _fallback(article)
        except Exception:
            return []


__all__ = ["resolve"]

