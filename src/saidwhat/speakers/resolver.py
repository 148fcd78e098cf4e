"""The per-article resolver: each attribution's source to an entity of the article, then the
entities that speak as ``Speaker`` objects.

Named sources first (so that a role noun can follow the quote thread forward to ", Biden
added"), then the rest in text order:

- a coordinated source -> a group of its conjuncts, each resolved as below (``groups``);
- a name -> its entity; a bare surname two people share -> the one that the source's titles,
  the quote thread, the sentence, the paragraph or salience support, else a speaker of its own;
- he/she/they/it -> ``pronouns``; I/we -> the speaker of the quotation they stand in;
- a relation noun ("his father", "Biden's son") -> the relative the article names, through the
  possessor;
- a document ("the report", "the ruling") -> the body that issued it, else a ``document``;
- a role noun ("the US president", "Russia's leader") -> by evidence, not recency: an exact
  role match (every modifier of the source confirmed), then the quote thread (the previous
  attribution when this cue is "added", or the next one when it is ", Biden added"), then a weak
  match (nothing contradicts); only people named before the source or within the next sentence;
- any other noun phrase -> its own speaker (``organisation`` for "the campaign", "the ministry";
  ``person`` for "a source", "the minister"; ``other`` for plural people), definite ones shared
  by later mentions with the same head.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import Optional

from ..model import Article, Attribution, Span, Speaker
from ..quotes import is_question
from . import groups, pronouns
from .entity import Entity, EntityTable
from .index import ArticleIndex, head_of, phrase, strip_tokens
from .lexicon import (
    FAMILY_NOUNS, FEMALE_NAMES, GENDER_PRONOUNS, GENDERED_NOUNS, HONORIFICS_FEMALE, HONORIFICS_MALE, INDEFINITE, LABEL_TITLES,
    MALE_NAMES, MASTHEADS, ORG_DESCRIPTORS, ORG_NOUNS, PERSON_NOUNS, PLATFORMS, PRONOUNS, RELATION_GENDER, THREAD_CUES, TITLES, country_in, generic_institution, main_country,
    place_of,
)
from .names import NameCollector, org_descriptor
from .namesakes import decide_namesake
from .roles import EXACT, NONE, WEAK, contradicts, is_role_word, match, parse_role

_POSS_TO_PRON = {"his": "he", "her": "she", "their": "they", "its": "it"}
# an interview turn: "((Sara Seager)) ..." or "NG: ..." at the start of a paragraph
_TURN = re.compile(r"\(\(([^()\n]{1,60})\)\)|([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):\s")
_INTERVIEWERS = frozenset("wn wikinews q question interviewer".split())
_INTERVIEWER_OUTLETS = {"wn": "Wikinews", "wikinews": "Wikinews"}  # "((WN))": Wikinews asking
_CAPS_WORD = re.compile(r"(Mc|Mac|O['’])?([A-Z][A-Z'’-]*)")


def _cased(word: str) -> str:
    """A name word of a transcript label as a name is written: "SMITH" -> "Smith", "O'BRIEN" ->
    "O'Brien", "McCONNELL" -> "McConnell", "SMITH-JONES" -> "Smith-Jones"; others as given."""
    m = _CAPS_WORD.fullmatch(word)
    if not m:
        return word
    body = re.sub(r"[A-Z]+", lambda x: x.group(0).capitalize(), m.group(2))
    return (m.group(1) or "") + body


def split_label(label: str) -> Optional[tuple[list[str], str, Optional[str]]]:
    """A transcript label's titles, the name it gives and the gender its honorific says:
    "SEN. JONES" -> (["senator"], "Jones", None); "MR. SMITH" -> ([], "Smith", "male"); None when
    it is not a titled name (or an all-capitals name of two words or more, "JOHN SMITH")."""
    words = label.split()
    roles, gender, k = [], None, 0
    while k < len(words) - 1 and words[k].lower().rstrip(".") in LABEL_TITLES:
        w = words[k].lower().rstrip(".")
        if LABEL_TITLES[w]:
            roles.append(LABEL_TITLES[w])
        elif w in HONORIFICS_MALE or w + "." in HONORIFICS_MALE:
            gender = "male"
        elif w in HONORIFICS_FEMALE or w + "." in HONORIFICS_FEMALE:
            gender = "female"
        k += 1
    rest = words[k:]
    if not rest or len(rest) > 3 or not all(re.fullmatch(r"[A-Za-z][\w.'’-]*", w) for w in rest):
        return None
    if k == 0 and not (len(rest) >= 2 and all(w.isupper() and len(w.rstrip(".")) > 1 for w in rest)):
        return None
    return roles, " ".join(_cased(w) for w in rest), gender
AMBIGUOUS = object()



class _Contents:
    """The content parts of attributions in ``order``, by start: ``outer(a, pos)`` is the last
    attribution (in ``order``) other than ``a`` with a part holding ``pos``, found without
    scanning them all (what ``for o in order`` found, in time about constant for news)."""

    def __init__(self, order: list) -> None:
        self.order = order
        self.parts = sorted((cp.start, cp.end, k) for k, o in enumerate(order) for cp in o.content_parts)
        self.starts = [p[0] for p in self.parts]
        self.reach = list(itertools.accumulate((p[1] for p in self.parts), max))  # largest end so far

    def outer(self, a: Attribution, pos: int) -> Optional[Attribution]:
        best = -1
        j = bisect.bisect_right(self.starts, pos) - 1
        while j >= 0 and self.reach[j] > pos:
            s, e, k = self.parts[j]
            if s <= pos < e and k > best and self.order[k] is not a:
                best = k
            j -= 1
        return self.order[best] if best >= 0 else None


# words that focus a noun phrase, no part of whom it names ("not only developers", "even critics")
_FOCUS_WORDS = frozenset("not only even just also especially particularly mostly mainly merely simply".split())


def _sentence_capital(words: list, name: str, common_head: bool = False) -> bool:
    """Whether ``name`` (the text of ``words``) starts with a capital only because its first
    word opens a sentence (or follows an opening quotation mark there): "Statistics show",
    "Reports say" are statistics and reports. Not "Retired General" (another capitalised word
    the NER left out), nor a word in capitals or an entity's, nor a word the article capitalises
    elsewhere (a name the NER missed) unless the phrase's head is a known common noun
    (``common_head``: a document, "Poll" of a headline's "New Poll Shows" is still a poll)."""
    w0 = words[0]
    doc = w0.doc
    return (w0.is_sent_start or w0.i > 0 and doc[w0.i - 1].is_sent_start and doc[w0.i - 1].is_punct) \
        and w0.pos_ in ("NOUN", "ADJ", "NUM", "DET", "PRON") and not w0.ent_type_ \
        and w0.text[:1].isupper() and not w0.text.isupper() and name.startswith(w0.text) \
        and not any(t.text[:1].isupper() and not t.ent_type_ and t.pos_ != "PROPN" or t.pos_ == "PROPN"
                    and not t.ent_type_ for t in words[1:]) \
        and (common_head or not any(t.text == w0.text and not t.is_sent_start and t.i != w0.i for t in doc))


class Resolver:
    def __init__(self, article: Article, blocks: list) -> None:
        self.article = article
        self.text = article.text or ""
        self.ix = ArticleIndex(self.text, blocks)
        self.t = EntityTable(self.ix)
        self.names = NameCollector(self.ix, self.t)
        self.common: list[Entity] = []
        self.groups: dict[frozenset, Entity] = {}
        self.of: dict[int, Entity] = {}        # id(attribution) -> entity
        self.named_of: dict[int, Entity] = {}  # id(attribution) -> entity, named sources only
        self._speakers: dict[int, Speaker] = {}
        self._extra: dict[int, Speaker] = {}
        self._doc_off = {id(d): off for off, d in self.ix.blocks}
        self._label_atts: set = set()  # attributions whose source is an interview turn's label

    @functools.cached_property
    def main_country(self) -> Optional[str]:
        """The country the article names most often (``lexicon.main_country``), read once."""
        return main_country(self.text)

    # -- tokens to entities -----------------------------------------------------------------

    def off_of(self, tok) -> int:
        return self._doc_off.get(id(tok.doc), 0)

    def entity_of_token(self, tok) -> Optional[Entity]:
        e = self.t.entity_at(self.off_of(tok), tok.i)
        if e is not None:
            return e
        pron = _POSS_TO_PRON.get(tok.lower_) or (tok.lower_ if tok.lower_ in PRONOUNS else None)
        if pron:
            return pronouns.resolve(self.ix, self.t, pron, self.off_of(tok) + tok.idx, [])
        return self.names.acronym_of.get(tok.text)

    def lookup(self, toks: list) -> Optional[Entity]:
        toks = [t for t in toks if not t.is_punct and t.tag_ != "POS" and t.text not in ("'s", "’s")]
        for t in reversed(toks):
            e = self.entity_of_token(t)
            if e is not None:
                return e
        return None

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> list[Speaker]:
        self.names.run()
        for m in self.t.mentions:
            m.label = self.is_label(m.start, m.end)
        pronouns.gender_votes(self.ix, self.t)
        self._pending_relations()
        atts = [a for a in self.article.attributions if isinstance(a, Attribution)]
        for a in atts:
            a.speaker = None
        order = sorted(atts, key=_start)
        toks_of: dict[int, list] = {}
        # pass 1: named sources
        for a in order:
            if a.source is None:
                continue
            toks = toks_of[id(a)] = self.source_tokens(a)
            head = head_of(toks)
            e = self.labelled(a, toks)
            if e is not None:
                self._label_atts.add(id(a))
                self.named_of[id(a)] = e
                self.assign(a, e)
                for m in self.t.between(a.source.start, a.source.end):
                    m.label = True
                continue
            if head is None:
                continue
            toks, head, parts = groups.split_source(toks, head)
            if head is None or parts:
                continue
            e = self.titled_name_at_end(toks, head) or self.described_name_at_end(toks, head) or self.named(toks, head)
            if isinstance(e, Entity):
                self.named_of[id(a)] = e
                self.assign(a, e)
        # pass 2: the rest in text order (linear in the attributions: the last one with a speaker
        # is kept as the loop goes, the contents holding a position are looked up by their starts)
        self._contents = _Contents(order)
        last: Optional[Attribution] = None  # the last attribution before this one with a speaker
        for i, a in enumerate(order):
            if i and id(order[i - 1]) in self.of:
                last = order[i - 1]
            if a.source is None or id(a) in self.of:
                continue
            toks = toks_of.get(id(a)) or []
            prev = last
            nxt = order[i + 1] if i + 1 < len(order) else None
            e = self.source_entity(a, toks, prev, nxt, order)
            if e is not None:
                self.assign(a, e)
        return self.speakers()

    def source_tokens(self, a: Attribution) -> list:
        src = a.source
        if src is None or not isinstance(src.start, int) or src.end <= src.start:
            return []
        s, e = max(0, src.start), min(len(self.text), src.end)
        toks = self.ix.tokens(s, e)
        words = [t for t in toks if not t.is_punct]
        # "[Ar]", "[Fr]": a language note after a link, no one
        if len(words) == 1 and len(words[0].text) <= 3 and words[0].i > 0 and words[0].doc[words[0].i - 1].text == "[":
            return []
        # "He Quoting": a pronoun and the verb the parser glued to it
        if len(words) > 1 and words[0].lower_ in PRONOUNS and all(
                t.tag_ in ("VBG", "VBD", "VBN", "VBZ", "VBP") or t.lower_.endswith("ing") and len(t.text) > 5
                for t in words[1:]):
            return words[:1]
        # "Greek prime minister Kyriakos Mitsotakis speaking to the Atlantic Council think tank
        # called ...": the parser made the participle the phrase's head; its subject is the source
        head = head_of(toks)
        if head is not None and head.tag_ in ("VBG", "VBN") and head.pos_ == "VERB" \
                and not any(c.dep_ in ("aux", "auxpass") for c in head.children):  # a participle, no "have tried"
            ids = {t.i for t in toks}
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i in ids and c.i < head.i]
            # the subject opens the source ("Several people Republicans have tried to talk to" is
            # the people, not Republicans)
            if subj and subj[0].left_edge.i <= min(t.i for t in toks if not t.is_punct and t.pos_ != "DET") \
                    and not any(c.dep_ == "case" for c in subj[0].children):  # not "The Republican Party's presumed nominee"
                inner = {t.i for t in subj[0].subtree}
                return [t for t in toks if t.i in inner]
        return toks

    def assign(self, a: Attribution, e: Entity) -> None:
        self.of[id(a)] = e
        e.used = True
        for m in e.members:
            m.used = True
        if a.source is not None and a.source.end > a.source.start:
            s, end = a.source.start, a.source.end
            if not any(s <= m.start and m.end <= end for m in e.mentions):
                self.t.add_mention(e, s, end, True, named=False)

    # -- sources ----------------------------------------------------------------------------

    def source_entity(self, a: Attribution, toks: list, prev: Optional[Attribution],
                      nxt: Optional[Attribution], order: list) -> Optional[Entity]:
        head = head_of(toks)
        if head is None:
            return None
        toks, head, parts = groups.split_source(toks, head)
        if head is None:
            return None
        if parts:
            members: list[Entity] = []
            for k, p in enumerate(parts):
                ph = head_of(p)
                e = self.shared_surname(p, parts[k + 1:])
                if e is None:
                    e = self.named(p, ph) if ph is not None else None
                if e is AMBIGUOUS:
                    e = self.namesake(p, ph, a.source.start, None, False)
                if e is None and ph is not None:
                    e = self.phrase_entity(a, p, ph, None, None, order)
                if isinstance(e, Entity) and e not in members and not any(ch.isdigit() for ch in e.name):
                    members.append(e)
            if len(members) > 1:
                return self.group(members)
            return members[0] if members else None
        e = self.named(toks, head)
        prev_e = self.of.get(id(prev)) if prev is not None else None
        if e is AMBIGUOUS:
            return self.namesake(toks, head, a.source.start, prev_e, self.is_thread_cue(a))
        if isinstance(e, Entity):
            return e
        return self.phrase_entity(a, toks, head, prev, nxt, order)

    def described_name_at_end(self, toks: list, head) -> Optional[Entity]:
        """"The carmaker Tesla", "the supermarket chain Coles": a lower-case word saying what kind
        of company follows, then the organisation's name ending the source (the parser made the
        descriptor the head); the organisation, not a common noun "carmaker Tesla"."""
        if head.pos_ != "NOUN" or not head.text.islower() or not org_descriptor(head.lower_):
            return None
        after = [t for t in toks if t.i > head.i and not t.is_punct]
        if not after or after[0].i != head.i + 1 or any(t.i <= head.i for t in toks if t.ent_type_):
            return None
        e = self.t.entity_at(self.off_of(after[-1]), after[-1].i)
        if e is None or e.kind != "organisation" or any(self.t.entity_at(self.off_of(t), t.i) is not e for t in after):
            return None
        return e

    def titled_name_at_end(self, toks: list, head) -> Optional[Entity]:
        """A source that ends with a role and a person's name is that person, wherever the parser
        put the head ("African Export-Import Bank president Okey Oramah", "Longtime Imus in the
        Morning writer and performer Rob Bartlett" had their heads on "Export" and "Imus")."""
        words = [t for t in toks if not t.is_punct]
        if len(words) < 3 or words[-1].ent_type_ != "PERSON" or head.ent_type_ == "PERSON" or any(
                t.text in (",", "(", "—") or t.text == "–" and t.whitespace_
                or t.lower_ in ("who", "which", "that", "whose") for t in toks):
            return None  # "Victor Cha, who served ... under President George W. Bush" is Cha
        k = len(words) - 1
        while k > 0 and words[k].ent_iob_ == "I" and words[k - 1].ent_type_ == "PERSON":
            k -= 1
        if k < 1 or head.i >= words[k].i:
            return None  # the head is in the name: the usual path knows it
        before = words[k - 1]
        if not (is_role_word(before) or before.lemma_.lower() in PERSON_NOUNS or before.pos_ == "NOUN"
                and before.text.islower() and before.lower_.endswith(groups.AGENT_SUFFIXES)) or before.ent_type_:
            return None  # "... writer and performer Rob Bartlett"
        e = self.t.entity_at(self.off_of(words[-1]), words[-1].i)
        return e if e is not None and e.kind == "person" else None

    def phrase_entity(self, a: Attribution, toks: list, head, prev: Optional[Attribution],
                      nxt: Optional[Attribution], order: list) -> Optional[Entity]:
        pos = toks[0].idx + self.off_of(toks[0]) if toks else a.source.start
        lw = head.lower_
        if lw in _POSS_TO_PRON and len([t for t in toks if not t.is_punct]) == 1:
            lw = _POSS_TO_PRON[lw]  # "his claim that ...": the source is whom "his" refers to
        if lw in ("i", "we", "me", "us"):
            return self.first_person(a, order)
        if lw == "you" and len(toks) == 1:
            return self.addressee(pos)
        if lw in ("who", "which", "that") and head.head.dep_ in ("relcl", "acl") and head.head.head.i != head.i:
            # "..., who said": the noun phrase the clause belongs to
            ante = head.head.head
            sub = [t for t in ante.subtree if t.i <= ante.i]
            e = self.named(sub, ante)
            if e is AMBIGUOUS:
                e = self.namesake(sub, ante, self.off_of(ante) + ante.idx, None, False)
            if e is None and sub:
                e = self.phrase_entity(a, sub, ante, prev, nxt, order) if ante.lower_ not in (
                    "who", "which", "that") else None
            return e if isinstance(e, Entity) else None
        if head.pos_ == "PRON" or lw in PRONOUNS:
            if lw not in PRONOUNS or pronouns.generic(head):
                return None
            if prev is not None and id(prev) in self._label_atts and self.ix.para_of(pos) != self.ix.para_of(prev.source.start):
                prev = None  # the question's asker is no one's antecedent in the answer
            e = None
            front = _dislocated(head) if lw in ("he", "she", "they") else None
            if front is not None:  # "My mom, she always encouraged me": the noun phrase in front
                sub = [t for t in front.subtree if t.i <= front.i]
                e = self.named(sub, front)  # "Reyes, he ...": a name first, as for any source
                if not isinstance(e, Entity):
                    e = self.phrase_entity(a, sub, front, prev, nxt, order)
                if not (isinstance(e, Entity) and pronouns.compatible(e, lw)):
                    e = None
            if e is None:
                prev_e = self.of.get(id(prev)) if prev is not None else None
                prev_end = _end(prev) if prev is not None else 0
                contents = [(cp.start, cp.end) for cp in (a.content_parts or [])]
                blocked: list = []
                e = pronouns.resolve(self.ix, self.t, lw, pos, contents, prev_e, prev_end, self.is_thread_cue(a),
                                     self.speaking_at(a, pos, order) if lw in ("he", "she") else None,
                                     blocked=blocked)
                if lw in ("he", "she"):
                    e = self.unnamed_antecedent(lw, pos, contents, e)
                elif e is None and blocked:
                    e = self.plural_antecedent(blocked[0])
            if e is not None and lw in GENDER_PRONOUNS and e.kind == "person":
                e.gender_votes[GENDER_PRONOUNS[lw]] += 1
            return e
        if head.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM") and lw not in TITLES:
            return None
        noun = head.lemma_.lower() if head.pos_ == "NOUN" else lw
        possessed = any(c.dep_ == "poss" for c in head.children if c.i < head.i)
        singular = head.tag_ not in ("NNS", "NNPS")
        if (lw in RELATION_GENDER or noun in RELATION_GENDER) and (possessed or noun in FAMILY_NOUNS) and singular:
            e = self.relation(toks, head, noun if noun in RELATION_GENDER else lw, pos)
            if e is not None:
                return e
        if groups.is_document(head) and not is_role_word(head):
            return self.document(a, toks, head, pos)
        return self.role_or_common(a, toks, head, prev, nxt, pos)

    def plural_antecedent(self, at: int) -> Optional[Entity]:
        """"Police are investigating a shooting. They said ...": the plural noun phrase whose
        subject stopped the pronoun's search (``pronouns.resolve``), as the speaker such a source
        would get ("police", "show insiders"); None when it names no one (a thing, a quantity)."""
        toks = [t for t in self.ix.tokens(at, at + 1) if self.off_of(t) + t.idx == at]
        if not toks:
            return None
        t = toks[0]
        if not (t.lemma_.lower() in PERSON_NOUNS or is_role_word(t) or t.lower_ in pronouns.COLLECTIVE):
            return None  # "Stocks fell. They ...", "the results": not who speaks
        sub = [x for x in t.subtree if x.i <= t.i]
        while len(sub) > 1 and (sub[0].lower_ in _FOCUS_WORDS or sub[0].dep_ in ("preconj", "cc", "punct")):
            sub = sub[1:]  # "not only developers can ...": the developers
        e = self.role_or_common(_NO_ATTRIBUTION, sub, t, None, None, at)
        if e is None or e.kind == "person" and not e.plural:
            return None
        s0 = self.off_of(sub[0]) + sub[0].idx
        self.t.add_mention(e, s0, at + len(t.text), 1, named=False)
        return e

    def unnamed_antecedent(self, pron: str, pos: int, contents: list, found: Optional[Entity]) -> Optional[Entity]:
        """he/she whose antecedent the named mentions miss: the subject of a clause in this or the
        three sentences before that is a person noun ("The stranger walked into the bar ... he
        said"; "The old woman sat by the window") or a bare first name the NER took for an
        organisation ("Oksana stood in the ruins of her kitchen"), when it comes after every
        mention of what the named mentions found (or they found nothing)."""
        gender = GENDER_PRONOUNS[pron]
        si = self.ix.sent_of(pos)
        lo = self.ix.sent_start(si - 3)
        last_found = max((m.start for m in found.mentions if m.start < pos), default=-1) if found is not None else -1
        best = None
        for t in self.ix.tokens(max(lo, last_found + 1), pos) if pos > lo else []:
            p = self.off_of(t) + t.idx
            if p >= pos or p <= last_found or self.ix.in_quote(p) or any(s <= p < e for s, e in contents):
                continue
            if t.dep_ not in ("nsubj", "nsubjpass") or t.tag_ not in ("NN", "NNP"):
                continue
            if t.pos_ == "NOUN":
                lemma = t.lemma_.lower()
                if not (lemma in PERSON_NOUNS or lemma in GENDERED_NOUNS or is_role_word(t)) or \
                        lemma in ("one", "someone", "somebody", "everyone", "everybody", "nobody", "anyone") or \
                        GENDERED_NOUNS.get(lemma) not in (None, gender):
                    continue
                best = ("noun", t)
            elif t.pos_ == "PROPN":
                e = self.t.entity_at(self.off_of(t), t.i)
                if e is not None and e.kind == "organisation" and _bare_first_name(e, t):
                    best = ("name", t, e)
        if best is None:
            return found
        if best[0] == "name":
            e = best[2]
            e.kind = "person"  # "Oksana stood in the ruins of her kitchen": the NER's ORG was a first name
            e.kind_votes["person"] += 2
            return e
        t = best[1]
        mention = self.t.between(self.off_of(t) + t.idx, self.off_of(t) + t.idx + 1)
        if mention:
            return mention[0].entity if mention[0].entity.kind == "person" else found
        sub = [x for x in t.subtree if x.i <= t.i]
        tpos = self.off_of(t) + t.idx
        if is_role_word(t) and t.lemma_.lower() not in RELATION_GENDER and t.lower_ not in RELATION_GENDER:
            # a role ("the president would hand him ..."): the person who holds it, if the article
            # names one; never a new speaker that later role nouns would be matched against
            role = parse_role(sub, self.lookup)
            e = self.role_entity(_NO_ATTRIBUTION, role, tpos, None, None, gender) \
                if role is not None and role.of is None else None
            if e is not None and e.kind == "person" or found is not None:
                return e if e is not None and e.kind == "person" else found
            # no one named fits: the role's holder as the article leaves them ("The mayor spoke to
            # reporters. He said: ..."; "an Egyptian education official raised his hand")
        e = self.role_or_common(_NO_ATTRIBUTION, sub, t, None, None, tpos)
        if e is None or e.kind != "person" or e.pronoun_gender() not in (None, gender):
            return found
        s0 = self.off_of(sub[0]) + sub[0].idx
        self.t.add_mention(e, s0, self.off_of(t) + t.idx + len(t.text), 1, named=False)
        return e

    # -- names ------------------------------------------------------------------------------

    def named(self, toks: list, head):
        """The named entity a source phrase refers to, AMBIGUOUS for a surname two people share,
        or None."""
        if head is None:
            return None
        off = self.off_of(head)
        e = self.t.entity_at(off, head.i)
        if e is not None:
            pos = off + head.idx
            m = next((m for m in e.mentions if m.start <= pos < m.end), None)
            if m is not None and (m.ambiguous or m.namesakes > 1):
                return AMBIGUOUS
            if e.kind == "person" or not (head.lower_ in ORG_DESCRIPTORS):
                return e
        ids = {t.i for t in toks}
        titled = head.lower_ in TITLES or is_role_word(head) or head.pos_ == "PROPN"
        plural = head.tag_ in ("NNS", "NNPS")
        # "President Biden" where the head is inside a compound chain of the entity
        if titled and not plural:
            for t in toks:
                # not a name before a lower-case role: "The Wooster professor", "a Trump adviser"
                if t.head.i == head.i and t.dep_ == "compound" and (t.i > head.i or not head.text.islower()):
                    c = self.t.entity_at(off, t.i)
                    if c is not None and c.kind == "person":
                        return c
        if head.lower_ == "one":
            # "one of the family's attorneys, Justin Bamberg,": the person the apposition names
            for t in toks:
                if t.dep_ == "appos" and (t.head.i == head.i or t.head.dep_ == "pobj" and t.head.head.head.i == head.i):
                    c = self.t.entity_at(off, t.i)
                    if c is not None and c.kind == "person":
                        return c
        if (head.pos_ == "NOUN" or is_role_word(head) or head.lower_ in TITLES) and not plural:
            # "A member of the Tunisian Parliament, Samir Dilou said": a name closing the source
            # after a comma, which the parser made a second subject rather than an apposition
            last = next((t for t in reversed(toks) if not t.is_punct), None)
            if last is not None and last.i > head.i and last.ent_type_ == "PERSON" and last.head.i == head.head.i \
                    and last.dep_ == head.dep_ and any(t.text == "," and head.i < t.i < last.i for t in toks):
                c = self.t.entity_at(off, last.i)
                if c is not None and c.kind == "person":
                    return c
            # "the president, Joe Biden,", "A Republican Assemblywoman, Jill Tolles"; not a noun
            # past the head's own verb, which the parser hung on it from the statement ("as this
            # editorial puts it, simply another Napoleon")
            for ch in head.children:
                if ch.dep_ == "appos" and not (ch.i not in ids and head.i < head.head.i < ch.i):
                    c = self.t.entity_at(off, ch.i)
                    if c is not None and c.kind in ("person", "organisation"):
                        return c
                if ch.dep_ == "acl" and ch.lemma_.lower() in ("name", "call") and ch.tag_ == "VBN":
                    # "a Gabonese reader named Ogwera", "a man called John Smith"
                    for x in ch.children:
                        c = self.t.entity_at(off, x.i) if x.dep_ in ("oprd", "attr", "dobj", "xcomp") else None
                        if c is not None and c.kind == "person":
                            return c
            # "UC San Diego's chancellor, Pradeep Khosla": a person named right after the role
            if is_role_word(head):
                rest = [t for t in toks if t.i > head.i]
                while rest and (rest[0].is_punct or rest[0].lower_ in ("the", "of")):
                    rest = rest[1:]
                if rest and rest[0].ent_type_ == "PERSON" and rest[0].head.i in {head.i} | {x.i for x in rest}:
                    c = self.t.entity_at(off, rest[0].i)
                    if c is not None and c.kind == "person":
                        return c
                # "the communications director for the Trump campaign, Tim Murtaugh,"; "President of
                # Ukraine Volodymyr Zelenskyy"
                for t in toks:
                    if t.i > head.i and (t.ent_type_ == "PERSON" or self.t.entity_at(off, t.i) is not None) and (
                            t.head.i == head.i and t.dep_ in ("appos", "npadvmod", "dep")
                            or t.dep_ == "pobj" and t.head.head.i == head.i and t.head.lower_ in ("of", "to")
                            # "President of Ukraine Volodymyr Zelenskyy", "Ambassador to the United
                            # Nations Nikki Haley" (one phrase to the parser): a place or body, then
                            # the name; not "an aide to Hillary Clinton", "the mayor of Yartsevo" (a
                            # town the NER took for a person)
                            and any(x.ent_type_ in ("ORG", "GPE") and x.i < t.i for x in t.subtree)
                            # "The mayor of Paris, Anne Hidalgo,": the parser hangs the name on "Paris"
                            or t.dep_ == "appos" and t.ent_type_ in ("PERSON", "ORG") and t.head.dep_ == "pobj"
                            and t.head.head.head.i == head.i and t.head.head.lower_ in ("of", "for", "at")):
                        c = self.t.entity_at(off, t.i)
                        if c is not None and c.kind == "organisation" and t.dep_ == "appos" and _person_like(c):
                            c.kind = "person"  # "the president of Namibia, Hage Geingob," (tagged ORG)
                        if c is not None and c.kind == "person":
                            return c
        if head.lower_ in ORG_DESCRIPTORS or head.lemma_.lower() in ("agency", "newspaper", "outlet"):
            # "Yonhap news agency", "the Reuters news agency": the name inside
            for t in toks:
                if t.i < head.i:
                    c = self.t.entity_at(off, t.i)
                    if c is not None and c.kind == "organisation":
                        return c
        if head.text in self.names.acronym_of:
            return self.names.acronym_of[head.text]
        if head.text.isupper() and 2 <= len(head.text) <= 4 and len(toks) == 1:
            e = self.turn_entity(head.text)  # "NG" for Natasha Gownaris, in an interview
            if e is not None and e.kind == "person":
                return e
        if (head.pos_ == "PROPN" or head.text[:1].isupper() and head.pos_ in ("NOUN", "ADJ", "VERB")) \
                and head.lower_ not in TITLES and not is_role_word(head):
            # a name the NER missed: surname / first name of a known person
            cands = self.names.candidates(head.text)
            if len(cands) == 1:
                return cands[0]
            if len(cands) > 1:
                return AMBIGUOUS
        return None

    def namesake(self, toks: list, head, pos: int, prev_e: Optional[Entity], thread: bool) -> Optional[Entity]:
        w = head.lower_
        cands = self.names.candidates(head.text)
        titles = [t for t in toks if t.i < head.i]
        e = decide_namesake(self.ix, cands, pos, titles, prev_e, thread, self.lookup)
        if e is not None:
            return e
        # nothing decides: a speaker of its own, shared by the undecided mentions of the name
        for c in self.common:
            if c.kind == "person" and c.definite_key == "surname:" + w:
                return c
        c = self.t.new("person")
        c.forms.append((1, head.text))
        c.last_word = w
        c.definite_key = "surname:" + w
        self.common.append(c)
        return c

    # -- first person, relations, documents, groups ------------------------------------------

    def outer(self, a: Attribution, pos: int, order: list) -> Optional[Attribution]:
        """The attribution other than ``a`` whose content holds ``pos`` (the last in ``order``)."""
        contents = getattr(self, "_contents", None)
        return (contents if contents is not None and contents.order is order else _Contents(order)).outer(a, pos)

    def speaking_at(self, a: Attribution, pos: int, order: list) -> Optional[Entity]:
        """The person whose own words hold ``pos``: the speaker of a quotation around it, of an
        "I ..." statement around it, or of the interview answer it is in. They are "I" there,
        never "he" or "she" ('"I like the way he talks about it"'); in reported speech they can
        be ("Smith said he would resign"), so that is not asked."""
        outer = self.outer(a, pos, order)
        e = None
        if outer is not None:
            src = outer.source
            first = src is not None and self.text[src.start:src.end].strip().lower() in ("i", "me")
            turn = src is not None and self.is_label(src.start, src.end)  # "((Anna Berg)) ...", "MS. BERG: ..."
            if outer.type == "direct" or first or turn:
                e = self.of.get(id(outer))
        else:
            label, end = self._turn_at(self.ix.para_starts[self.ix.para_of(pos)]) or ("", 0)
            if label and end <= pos and self._turns(label) >= 2:
                e = self.turn_entity(label)
        return e if e is not None and e.kind == "person" else None

    def first_person(self, a: Attribution, order: list) -> Optional[Entity]:
        """I/we: the speaker of the attribution whose content holds this one; else, in an interview,
        the person whose turn it is ("((Sara Seager)) ...", "NG: ..."); else, in a paragraph that a
        colon introduces ("Bruno Nepumoceno reached the following conclusion:"), the one it names."""
        pos = a.source.start
        outer = self.outer(a, pos, order)
        if outer is not None:
            return self.of.get(id(outer))
        para = self.ix.para_of(pos)
        for p in range(para, max(-1, para - 30), -1):
            turn = self._turn_at(self.ix.para_starts[p])
            if turn:
                label = turn[0]
                if p != para and self._turns(label) < 2:
                    break  # a heading ("Collaborative Testing: a leaking dam"), not an interview's turns
                return self.turn_entity(label)
        if para > 0:
            start = self.ix.para_starts[para - 1]
            prev_text = self.text[start:self.ix.para_starts[para]].rstrip()
            if prev_text.endswith(":") and not self.ix.in_quote(len(prev_text) + start - 1):
                last = self.ix.sent_of(start + len(prev_text) - 1)
                ms = [m for m in self.t.between(self.ix.sent_start(last), start + len(prev_text))
                      if m.named and m.entity.kind in ("person", "organisation")]
                subj = [m for m in ms if m.subject]
                if not subj and self.text[a.source.start:a.source.end].lower() in ("i", "me"):
                    # "At the newsportal Gaboneco, a reader named Ogwera left a comment:": "I" is a person
                    subj = [m for m in ms if m.entity.kind == "person"]
                if subj or ms:
                    return (subj or ms)[0].entity
        return None

    def is_label(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is an interview turn's label: it opens its line, alone in
        double parentheses ("((WN)) Did Red Hat ...") or before a colon ("MR. SMITH: ..."), or
        opens a quotation or follows a sentence's end in a transcript run on in one paragraph
        ("the exchange: "MS. PSAKI: ... REPORTER: ...")."""
        line = self.text.rfind("\n", 0, start) + 1
        before = self.text[line:start].strip()
        if before == "((":
            return self.text[end:end + 2] == "))"
        return self.text[end:end + 1] == ":" and (not before or before[-1] in "\"“.?!…")

    def labelled(self, a: Attribution, toks: list) -> Optional[Entity]:
        """The person a transcript label names ("MR. SMITH: ...", "SEN. JONES: ..."), or the
        outlet that asks ("((WN))": Wikinews)."""
        src = a.source
        if src is None or not toks or not self.is_label(src.start, src.end):
            return None
        label = self.text[src.start:src.end]
        if label.strip().lower() in _INTERVIEWER_OUTLETS:
            return self.outlet(_INTERVIEWER_OUTLETS[label.strip().lower()])
        if self.text[src.end:src.end + 1] != ":":
            return None
        return self.label_entity(label, toks)

    def outlet(self, name: str) -> Entity:
        e = next((x for x in self.t.entities if x.kind == "organisation" and x.name == name), None)
        if e is None:
            e = self.t.new("organisation")
            e.forms.append((len(name.split()), name))
            e.last_word = name.split()[-1].lower()
            e.definite_key = "outlet:" + name.lower()
        return e

    def label_entity(self, label: str, toks: Optional[list] = None) -> Optional[Entity]:
        from .entity import Role

        parts = split_label(" ".join(label.split()))
        if parts is None:
            return None
        roles, name, gender = parts
        words = name.split()
        low = name.lower()
        people = [e for e in self.t.entities if e.kind == "person" and e.forms]
        e = next((x for x in people if any(f.lower() == low for _, f in x.forms)), None)
        if e is None and len(words) == 1:
            cands = self.names.candidates(name)
            if gender:
                cands = [c for c in cands if c.pronoun_gender() in (None, gender)]
            if len(cands) == 1:
                e = cands[0]
        if e is None and toks:  # the parser's entity on the label itself ("JONES", or "SMITH" as ORG)
            named = [t for t in toks if t.text.lower().rstrip(".") not in LABEL_TITLES]
            x = self.lookup(named) if named else None
            if x is not None and x.kind in ("person", "organisation", "other") and not x.members and \
                    all(f.lower() == low for _, f in x.forms):
                e = x
                e.kind = "person"
        if e is None:
            key = "label:" + low
            e = next((c for c in self.common if c.definite_key == key), None)
            if e is None:
                e = self.t.new("person")
                e.definite_key = key
                e.last_word = words[-1].lower()
                if len(words) > 1:
                    e.first_words.add(words[0].lower())
                self.common.append(e)
        # the name as a name is written, not in the label's capitals
        e.forms = [(n, name if f.lower() == low else f) for n, f in e.forms]
        e._name_cache = ()
        if not any(f == name for _, f in e.forms):
            e.forms.append((len(words), name))
        e.kind_votes["person"] += 3
        if gender:
            e.gender_votes[gender] += 3
        for r in roles:
            e.add_role(Role(text=r, head=r))
        return e

    def _turn_at(self, start: int) -> Optional[tuple[str, int]]:
        """(label, end of the label) of the interview turn a paragraph starting at ``start`` opens
        with ("((Sara Seager)) ...", "NG: ..."), or None."""
        m = _TURN.match(self.text, start)
        return ((m.group(1) or m.group(2) or "").strip(), m.end()) if m else None

    def _turn_labels(self) -> dict[str, int]:
        """Every interview turn label of the article with the number of paragraphs it opens."""
        if not hasattr(self, "_turn_count"):
            from collections import Counter
            self._turn_count = Counter()
            for start in self.ix.para_starts:
                turn = self._turn_at(start)
                if turn:
                    self._turn_count[turn[0]] += 1
        return self._turn_count

    def _turns(self, label: str) -> int:
        """How many paragraphs open with the turn label ``label``."""
        return self._turn_labels()[label]

    def _asks(self, label: str) -> bool:
        """Whether a turn label is the interviewer's: most of its turns are questions."""
        if not hasattr(self, "_askers"):
            turns: dict[str, list[bool]] = {}
            for start in self.ix.para_starts:
                turn = self._turn_at(start)
                if turn:
                    end = self.text.find("\n", start)
                    body = self.text[start:end if end != -1 else len(self.text)].rstrip()
                    turns.setdefault(turn[0], []).append(body.endswith("?"))
            self._askers = {k for k, v in turns.items() if sum(v) * 2 >= len(v) and len(v) >= 2}
        return label in self._askers

    def addressee(self, pos: int) -> Optional[Entity]:
        """"((WN)) You noted that ...": "you" in an interviewer's turn is the one person the
        interview's other turn labels name; None elsewhere (a generic "you", a quotation's) and in
        a question ("Do you plan on ...?" asks, it reports nothing the interviewee said)."""
        turn = self._turn_at(self.ix.para_starts[self.ix.para_of(pos)])
        if turn is None or turn[1] > pos or not (turn[0].lower() in _INTERVIEWERS or self._asks(turn[0])):
            return None
        sent = self.ix.sent_of(pos)
        if is_question(self.text[self.ix.sent_start(sent):self.ix.sent_start(sent + 1)]):
            return None
        answered = {id(e): e for label in self._turn_labels() if label != turn[0]
                    for e in [self.turn_entity(label)] if e is not None and e.kind == "person"}
        return next(iter(answered.values())) if len(answered) == 1 else None

    def turn_entity(self, label: str) -> Optional[Entity]:
        """The entity an interview turn's label names: a name, a surname, or initials ("NG")."""
        if not label or label.lower() in _INTERVIEWERS or self._asks(label):
            return None
        low = label.lower()
        people = [e for e in self.t.entities if e.kind in ("person", "organisation") and e.forms]
        for test in (lambda e: e.name.lower() == low,
                     lambda e: any(f.lower() == low for _, f in e.forms),
                     lambda e: e.kind == "person" and e.last_word == low,
                     lambda e: label.isupper() and len(e.name.split()) > 1 and
                     "".join(w[0] for w in e.name.split() if w[:1].isupper()) == label):
            hits = [e for e in people if test(e)]
            if len(hits) == 1:
                return hits[0]
        return self.label_entity(label)  # "MR. SMITH"

    def _pending_relations(self) -> None:
        """"his father, Tom Smith": the father of whom "his" refers to."""
        from .entity import Role

        for e, noun, pron, pos in self.names.pending_relations:
            poss = pronouns.resolve(self.ix, self.t, pron, pos, [])
            if poss is not None and poss is not e and poss.kind == "person":
                e.add_role(Role(text=f"{poss.name}'s {noun}", head=noun, of=poss))

    def relation(self, toks: list, head, noun: str, pos: int) -> Optional[Entity]:
        from .entity import Role

        poss_tok = next((c for c in head.children if c.dep_ == "poss"), None)
        if poss_tok is None:
            for c in head.children:  # "the father of Joe Biden"
                if c.dep_ == "prep" and c.lower_ == "of":
                    poss_tok = next((g for g in c.children if g.dep_ == "pobj"), None)
        possessor = None
        if poss_tok is not None:
            pron = _POSS_TO_PRON.get(poss_tok.lower_)
            if pron:
                possessor = pronouns.resolve(self.ix, self.t, pron, pos, [])
            else:
                possessor = self.lookup(list(poss_tok.subtree))
        if possessor is None and noun not in FAMILY_NOUNS:
            return None
        people = [e for e in self.t.entities if e.kind == "person" and e.forms and e is not possessor]
        tied = [e for e in people if any(r.head == noun and r.of is possessor for r in e.roles)] \
            if possessor is not None else []
        if tied:
            return _nearest(tied, pos)
        para = self.ix.para_of(pos)
        loose = [e for e in people if any(r.head == noun and r.of is None for r in e.roles)
                 and any(abs(self.ix.para_of(m.start) - para) <= 2 for m in e.mentions)]
        if len(loose) == 1:
            return loose[0]
        # a person of their own, known by the relation: "Joe Biden's father"
        key = f"relation:{noun}:{id(possessor)}"
        for c in self.common:
            if c.definite_key == key:
                return c
        c = self.t.new("person")
        name = f"{possessor.name}'s {noun}" if possessor is not None else noun
        c.forms.append((len(name.split()), name))
        c.definite_key = key
        c.head = noun
        c.add_role(Role(text=name if possessor is not None else noun, head=noun, of=possessor))
        self.common.append(c)
        return c

    def document(self, a: Attribution, toks: list, head, pos: int) -> Optional[Entity]:
        def issuer(tok) -> Optional[Entity]:  # a name, or an organisation noun ("the state court")
            e = self.entity_of_token(tok)
            if e is None and tok.pos_ == "NOUN" and tok.lemma_.lower() in ORG_NOUNS:
                sub = [t for t in tok.subtree if t.i <= tok.i]
                if any(c.dep_ == "poss" for c in tok.children):  # "Rubio's campaign", as its source would be
                    e = self.phrase_entity(a, sub, tok, None, None, [])
                else:
                    e = self.common_entity(sub, tok, None, tok.tag_ == "NNS", False, False)
            return e
        e = groups.issuer_in_phrase(toks, head, issuer) or groups.issued_by(head, issuer) \
            or groups.issuer_in_article(self.ix, head, pos, issuer)
        if e is not None:
            return e
        # "the hotel's website": the organisation the possessor stands for, named or not
        owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")), None)
        if owner is not None:
            sub = [t for t in owner.subtree if t.tag_ != "POS" and t.text not in ("'s", "’s")]
            e = self.phrase_entity(a, sub, owner, None, None, [])
            if e is not None and e.kind in ("organisation", "person"):
                return e
        noun = head.lemma_.lower()
        words = groups.document_name([t for t in toks if t.i <= head.i])
        name = " ".join(t.text for t in words) or head.text
        if _sentence_capital(words or [head], name, common_head=True):
            name = name[:1].lower() + name[1:]  # "Reports show" -> reports
        indefinite = bool(toks) and toks[0].lower_ in INDEFINITE
        if not indefinite:
            for c in reversed(self.common):
                if c.kind == "document" and c.head == noun:
                    return c
        c = self.t.new("document")
        c.forms.append((len(name.split()), name))
        c.head = noun
        self.common.append(c)
        return c

    def shared_surname(self, part: list, later: list) -> Optional[Entity]:
        """"Barack and Michelle Obama", "David and Jeanne Heidler": a given name alone before a
        conjunct that ends in a surname is that surname's bearer ("Barack Obama"; it was a speaker
        "Barack"), the article's person of that full name when there is one; not when the article
        knows the word as someone's surname ("Ryan" of Paul Ryan)."""
        if len(part) != 1 or len(later) != 1:
            return None  # two conjuncts only: "Trump, Ryan and RNC Chairman Reince Priebus" lists three
        t = part[0]
        low = t.lower_
        if t.pos_ != "PROPN" or not t.text[:1].isupper() or (low not in MALE_NAMES and low not in FEMALE_NAMES):
            return None
        if any(len(x.name.split()) > 1 and x.name.split()[-1].lower() == low for x in self.t.persons):
            return None  # "Ryan" is Paul Ryan's surname in this article
        last = later[-1]
        names = [x for x in last if x.pos_ == "PROPN" and x.text[:1].isupper()]
        if len(names) < 2 or names[-1].i != last[-1].i or names[-1].lower_ in MALE_NAMES \
                or names[-1].lower_ in FEMALE_NAMES:
            return None
        full = f"{t.text} {names[-1].text}"
        e = next((x for x in self.t.persons if x.name.lower() == full.lower()), None)
        if e is None:
            e = self.t.new("person")
            e.forms.append((2, full))
        s = self.off_of(t) + t.idx
        self.t.add_mention(e, s, s + len(t.text), 1)
        return e

    def group(self, members: list[Entity]) -> Entity:
        key = frozenset(id(m) for m in members)
        g = self.groups.get(key)
        if g is None:
            g = self.groups[key] = self.t.new("group", members=list(members), plural=True)
        return g

    # -- role nouns and other noun phrases ----------------------------------------------------

    def is_thread_cue(self, a: Optional[Attribution]) -> bool:
        if a is None or a.cue is None:
            return False
        for t in self.ix.tokens(a.cue.start, a.cue.end):
            if t.lemma_.lower() in THREAD_CUES or t.lower_ in ("added", "adds", "continued", "concluded"):
                return True
        return False

    def role_or_common(self, a: Attribution, toks: list, head, prev: Optional[Attribution],
                       nxt: Optional[Attribution], pos: int) -> Optional[Entity]:
        core = [t for t in toks if t.i <= head.i]
        tail = _of_phrase(toks, head)
        role = parse_role(core + tail, self.lookup) if (is_role_word(head) or head.lower_ in TITLES) else None
        plural = head.tag_ in ("NNS", "NNPS")
        indefinite = bool(toks) and toks[0].lower_ in INDEFINITE or (
            plural and not any(t.lower_ == "the" for t in core))
        possessed = role is not None and role.of is not None
        gender = None
        if not plural and head.lower_ != "one" and (
                role is not None or head.lemma_.lower() in PERSON_NOUNS or head.lower_ in PERSON_NOUNS):
            gender = (GENDERED_NOUNS.get(role.head) if role is not None else None) or \
                GENDERED_NOUNS.get(head.lower_) or self.referred_gender(a, toks)
        if role is not None and not possessed and not indefinite and not plural:
            e = self.role_entity(a, role, pos, prev, nxt, gender)
            if e is not None:
                if gender and not GENDERED_NOUNS.get(role.head) and e.kind == "person":
                    e.gender_votes[gender] += 1  # what the article calls it ("the minister ... she")
                return e
        return self.common_entity(toks, head, role, plural, indefinite, possessed, gender)

    def referred_gender(self, a: Optional[Attribution], toks: list) -> Optional[str]:
        """The gender a role-noun source is referred to by, when its noun says none ("the
        minister"): its own statement's bound pronoun ("The minister told reporters that he had
        doubts": the subject of the content's main clause), else a he/she that is the subject of a
        clause in the next sentence, with no other person named in between."""
        if a is None or not toks:
            return None
        content = a.content
        if content is not None and content.end > content.start:
            ctoks = self.ix.tokens(content.start, content.end)
            ids = {t.i for t in ctoks}
            for t in ctoks:
                if t.head.i in ids and t.head.i != t.i:
                    continue  # only the content's main clause(s)
                for c in t.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i in ids and c.lower_ in ("he", "she") \
                            and not self.ix.in_quote(self.off_of(c) + c.idx):
                        return GENDER_PRONOUNS[c.lower_]
                break
        end = max(_end(a), toks[-1].idx + self.off_of(toks[-1]) + len(toks[-1].text))
        si = self.ix.sent_of(end)
        hi = self.ix.sent_start(si + 2)
        nxt_start = self.ix.sent_start(si + 1)
        following = self.ix.tokens(end, hi)
        if self.ix.offset_of(nxt_start) != self.ix.offset_of(end):  # the next sentence opens a block
            following += self.ix.tokens(nxt_start, hi)
        for t in following:
            p = self.off_of(t) + t.idx
            if p < end or self.ix.in_quote(p):
                continue
            if t.ent_type_ == "PERSON" or any(m.named and m.entity.kind == "person"
                                              for m in self.t.between(p, p + 1)):
                return None  # someone else named first: the pronoun may be theirs
            if t.lower_ in GENDER_PRONOUNS:
                # the subject of the next sentence's main clause ("He gave no date."), not one
                # after another person's noun ("His ex-wife agreed ... she is not running")
                if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and self.ix.sent_of(p) == si + 1:
                    return GENDER_PRONOUNS[t.lower_]
                return None
        return None

    def role_entity(self, a: Attribution, role, pos: int, prev: Optional[Attribution],
                    nxt: Optional[Attribution], gender: Optional[str] = None) -> Optional[Entity]:
        gender = GENDERED_NOUNS.get(role.head) or gender
        si = self.ix.sent_of(pos)
        graded: dict[int, list[Entity]] = {EXACT: [], WEAK: []}
        for e in self.t.entities:
            if e.kind != "person" or e.plural or not e.roles:
                continue
            if gender and e.pronoun_gender() not in (None, gender):
                continue
            g = match(role, e)
            if g == NONE:
                continue
            if not any(m.start < pos or self.ix.sent_of(m.start) <= si + 1 for m in e.mentions):
                continue  # named only later in the article: not this source's antecedent
            graded[g].append(e)
        if graded[EXACT]:
            return _nearest(graded[EXACT], pos)

        def fits(e: Optional[Entity]) -> bool:
            return e is not None and e.kind == "person" and not e.plural and not contradicts(role, e) and \
                (not gender or e.pronoun_gender() in (None, gender))
        prev_e = self.of.get(id(prev)) if prev is not None else None
        if prev_e is not None and self.is_thread_cue(a) and fits(prev_e) and \
                si - self.ix.sent_of(prev.content.end) <= 3:
            prev_e.add_role(role)
            return prev_e
        nxt_e = self.named_of.get(id(nxt)) if nxt is not None else None
        if nxt_e is not None and self.is_thread_cue(nxt) and fits(nxt_e) and \
                self.ix.sent_of(nxt.source.start) - si <= 3:
            nxt_e.add_role(role)
            return nxt_e
        # a weak match (a bare title) only where nothing around its name ties it to another
        # country: "In Tallinn, President Alar Karis ..." never takes "the US president"
        para = self.ix.para_of(pos)
        window = 1 if role.places or role.orgs else 3  # "the president of Turkey": only close by
        weak = [e for e in graded[WEAK] if not (role.places and self._elsewhere(e, role.places))
                and any(m.named and 0 <= para - self.ix.para_of(m.start) <= window for m in e.mentions)]
        if weak:
            e = _nearest(weak, pos)
            e.add_role(role, votes=0)
            return e
        # the quote run goes on under another name: "Clinton says ... The Democratic presidential
        # nominee says ..." (the previous attribution, a named person, in the sentence before)
        if prev_e is not None and fits(prev_e) and prev_e.forms and prev.source is not None and \
                0 <= si - self.ix.sent_of(prev.source.start) <= 1:
            rivals = [m for m in self.t.between(prev.source.end, pos) if m.named and m.subject and not m.in_quote
                      and m.entity is not prev_e and m.entity.kind == "person"]
            if not rivals:
                prev_e.add_role(role, votes=0)
                return prev_e
        return None

    def _elsewhere(self, e: Entity, places: frozenset) -> bool:
        """Whether the sentences that name ``e`` name countries, none of them ``places``."""
        found: set = set()
        for m in e.mentions:
            if m.named:
                si = self.ix.sent_of(m.start)
                found |= country_in(self.text[self.ix.sent_start(si):self.ix.sent_start(si + 1)])
        return bool(found) and not (found & places)

    def common_entity(self, toks: list, head, role, plural: bool, indefinite: bool,
                      possessed: bool, gender: Optional[str] = None) -> Optional[Entity]:
        first = strip_tokens(toks)
        if not first:
            return None
        if all(t.ent_type_ in ("DATE", "TIME") or t.is_punct or t.lower_ in ("a", "an", "the") for t in first):
            return None  # "Monday saw armed police ...", "a March [2019 press release]": a time is nobody
        first = _keep_quantifier(toks, first)
        titled = False
        # a title before a name ("Chief Superintendent Graciano Mijares"), not one an "of" phrase
        # completes ("a Minister of Legislative Assembly from Assam" was the speaker "of Legislative
        # Assembly from Assam")
        while len(first) > 1 and first[0].lower_ in TITLES and first[0].pos_ == "PROPN" and first[0].text[:1].isupper() \
                and first[1].text[:1].isupper():
            first = first[1:]
            titled = True
        # the name stops before an apposition or relative clause ("X, which represents ...")
        cut = next((k for k, t in enumerate(first) if k and t.text in (",", "(", "—", "–", ";")), None)
        if cut:
            first = _keep_quantifier(toks, strip_tokens(first[:cut]) or first)
        if head.pos_ == "PROPN":
            # "Graciano Mijares of the police of ...": a name ends before "of the <common noun>"
            # ("Secretary of the Interior", "Bank of America" keep theirs: capitalised)
            cut = next((k for k, t in enumerate(first) if t.i > head.i and t.dep_ == "prep" and t.head.i == head.i
                        and k + 2 < len(first) and first[k + 1].lower_ in ("the", "a", "an")
                        and first[k + 2].text.islower()), None)
            if cut:
                first = first[:cut]
        # a time after the description is no part of it ("federal prosecutors in April", "an
        # arbitration panel in 2001"), nor the subject of a relative clause ("all the experts I")
        cut = next((k for k, t in enumerate(first) if k and t.dep_ == "prep" and t.lower_ in ("in", "on", "during")
                    and all(x.ent_type_ in ("DATE", "TIME") or x.is_punct for x in first[k + 1:])
                    and len(first) > k + 1), None)
        if cut:
            first = first[:cut]
        # nor a time after it with no preposition ("a Minister ... from Assam earlier this month")
        k = len(first)
        while k > 1 and first[k - 1].ent_type_ in ("DATE", "TIME") and first[k - 1].i != head.i \
                and first[k - 1].dep_ != "compound":
            k -= 1
        if k < len(first) and first[k - 1].pos_ in ("NOUN", "PROPN") and not any(t.dep_ == "pobj" for t in first[k:]):
            first = first[:k]  # (not "polls taken over the past two weeks", "emails released this week",
            # "memoir of his Reagan years")
        while len(first) > 1 and first[-1].lower_ in ("i", "we", "you") and first[-1].pos_ == "PRON":
            first = first[:-1]
        titled_name = titled and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in first)
        _, _, name = phrase(self.text, self.off_of(first[0]), first)
        name = re.sub(r"^(his|her|their|its|our|my|your)\s+", "", name, flags=re.I)
        if _sentence_capital(first, name):
            name = name[:1].lower() + name[1:]  # "Statistics show" -> statistics
        if possessed and role is not None and not plural:
            name = role.text
        lname = name.lower()
        hl = head.lemma_.lower() if head.pos_ == "NOUN" else head.lower_
        is_role = is_role_word(head) and not plural
        if (hl in ORG_NOUNS or head.lower_ in ORG_NOUNS) and (not plural or hl in ("authority", "police")):
            kind = "organisation"  # "the ministry", "the authorities"; "religious groups" are "other"
        elif is_role or hl in PERSON_NOUNS or head.lower_ in PERSON_NOUNS or is_role_word(head):
            kind = "other" if plural else "person"
        elif titled_name:
            kind = "person"  # "Chief Superintendent Graciano Mijares": a title before a name
            plural = False  # (a name ending in -s the tagger took for a plural)
        else:
            kind = "other"
        if not indefinite:
            for c in reversed(self.common):
                if gender and c.kind == "person" and c.pronoun_gender() not in (None, gender):
                    continue  # "the minister ... he" is not "the prime minister ... she"
                if c.definite_key == lname or (not possessed and c.head == hl and c.kind == kind
                                               and len(first) == 1):
                    if gender and c.kind == "person":
                        c.gender_votes[gender] += 1
                    return c
            # "the campaign" / "the ministry": an earlier organisation with that last word; also
            # for a head noun that names no kind of organisation by itself ("the Gun Violence
            # Archive ... the archive")
            # (one a name possesses only with that name: "Rubio's campaign" is no earlier "campaign
            # of the former senator", "Ryan's office" is "House Speaker Paul Ryan's office")
            owner = next((c.lower_ for c in head.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
            if kind == "organisation" or kind == "other" and not plural and len(first) == 1 and toks[0].lower_ == "the":
                para = self.ix.para_of(self.off_of(head) + head.idx)
                for c in reversed(self.t.entities):
                    if c.kind == "organisation" and c.last_word in (hl, head.lower_) and c.forms and any(
                            0 <= para - self.ix.para_of(m.start) <= 3 for m in c.mentions) \
                            and (owner is None or owner in re.findall(r"\w+", c.name.lower())):
                        return c
        c = self.t.new(kind)
        c.forms.append((len(name.split()), name))
        c.head = hl
        c.plural = plural
        c.last_word = head.lower_
        c.definite_key = "" if indefinite else lname
        if role is not None and kind == "person":
            c.add_role(role)
        if gender and kind == "person":
            c.gender_votes[gender] += 1
        self.common.append(c)
        return c

    # -- output -----------------------------------------------------------------------------

    def speakers(self) -> list[Speaker]:
        used = [e for e in self.t.entities if e.used]
        used.sort(key=lambda e: e.first_at() if e.mentions else min(
            (m.first_at() for m in e.members), default=1 << 60))
        out = []
        for n, e in enumerate(used, 1):
            sp = self.speaker_of(e)
            sp.id = f"s{n}"
            out.append(sp)
        for e in used:  # members by id, now that ids are set
            self._speakers[id(e)].members = [self._speakers[id(m)].id for m in e.members if id(m) in self._speakers]
        for a in self.article.attributions:
            e = self.of.get(id(a))
            a.speaker = self._speakers.get(id(e)) if e is not None else None
        return out

    def speaker_of(self, e: Entity, refresh: bool = True) -> Speaker:
        sp = self._speakers.get(id(e)) or self._extra.get(id(e))
        if sp is not None and not refresh:
            return sp  # the article's speakers do not change once resolved
        if sp is None:
            sp = Speaker(id="", name=e.name or "", kind=e.kind)  # type: ignore[arg-type]
            (self._speakers if e.used else self._extra)[id(e)] = sp
            if not e.used:
                sp.id = f"e{len(self._extra)}"
        sp.name = e.name or sp.name
        sp.kind = e.kind  # type: ignore[assignment]
        if e.kind == "other" and _organisation_shaped(sp.name):
            sp.kind = e.kind = "organisation"  # "Boeing", "AFP", "CalFire": no entity, but a company's name
        sp.mentions = sorted({Span.of(self.text, m.start, m.end) for m in e.mentions})
        roles = []
        for r in e.roles:
            if r.text and r.text.lower() not in {x.lower() for x in roles}:
                roles.append(r.text)
        sp.roles = roles
        sp.gender = e.gender or "unknown"  # type: ignore[assignment]
        sp.organisation = e.organisation
        sp.country = e.country
        if sp.country is None and e.kind == "organisation" and generic_institution(e.name):
            # "the Supreme Court" of an article about Puerto Rico is Puerto Rico's, not the UK's: the
            # collection keeps apart institutions of different countries by this
            sp.country = self.main_country
        return sp

    # -- any span ---------------------------------------------------------------------------

    def resolve_span(self, start: int, end: int) -> Optional[Speaker]:
        """The canonical entity of the article that the text ``[start, end)`` refers to."""
        ms = [m for m in self.t.mentions if m.start < end and start < m.end]
        if ms:
            best = max(ms, key=lambda m: (min(end, m.end) - max(start, m.start), -(m.end - m.start)))
            return self.speaker_of(best.entity, refresh=False)
        toks = self.ix.tokens(start, end)
        head = head_of(toks)
        if head is None:
            return None
        e = self.named(toks, head)
        if e is AMBIGUOUS:
            e = self.namesake(toks, head, start, None, False)
        elif e is None and (head.pos_ == "PRON" or head.lower_ in PRONOUNS or head.lower_ in _POSS_TO_PRON):
            e = self.entity_of_token(head)
        elif e is None and is_role_word(head):
            role = parse_role([t for t in toks if t.i <= head.i] + _of_phrase(toks, head), self.lookup)
            if role is not None and role.of is None:
                e = self.role_entity(_NO_ATTRIBUTION, role, start, None, None)
        return self.speaker_of(e, refresh=False) if isinstance(e, Entity) else None


_NO_ATTRIBUTION = Attribution(type="indirect", content=Span(0, 0, ""))


def _organisation_shaped(name: str) -> bool:
    """One word that only an organisation is called: a platform or company the lexicon knows
    ("Boeing"), an acronym ("AFP", "ESWN") or a capital inside a word ("CalFire"; not "McCain",
    "DeSantis", "LeBron"); or a newspaper's name, capitalised words ending in a masthead word
    ("Sydney Morning Herald", "Toronto Star": the NER tags them EVENT or nothing)."""
    words = name.split()
    if 2 <= len(words) <= 5 and words[-1].lower() in MASTHEADS and all(w[:1].isupper() for w in words) \
            and (len(words) > 2 or words[0].lower() not in FEMALE_NAMES and words[0].lower() not in MALE_NAMES):  # not "Emily Post"
        return True
    if " " in name or not name.isalpha():
        return False
    if name.lower() in PLATFORMS or name.isupper() and 2 <= len(name) <= 4:  # not a transcript label ("WALLACE")
        return True
    return name[:1].isupper() and any(c.isupper() for c in name[3:]) and not name.isupper() and \
        not re.match(r"(Mc|Mac|De|Di|Da|La|Le|Van|Von|Du)[A-Z]", name)


def _person_like(e: Entity) -> bool:
    """Whether an organisation's names could be a person's: two to four capitalised words, no
    organisation word, no acronym ("Hage Geingob")."""
    forms = {f for _, f in e.forms}
    return bool(forms) and not e.acronyms and not e.long_form and all(
        2 <= len(f.split()) <= 4 and all(w[:1].isupper() and not w.isupper() for w in f.split())
        and not any(w.lower() in ORG_NOUNS for w in f.split()) and not place_of(f) for f in forms)


def _bare_first_name(e: Entity, t) -> bool:
    """Whether an organisation the NER found is rather a person known by one name: one word, in
    title case, no place, no organisation word, no acronym ("Oksana", "Kofi")."""
    forms = {f for _, f in e.forms}
    if len(forms) != 1 or e.long_form or e.acronyms:
        return False
    w = next(iter(forms))
    return " " not in w and w.isalpha() and w[:1].isupper() and w[1:].islower() and len(w) > 2 \
        and not place_of(w) and w.lower() not in ORG_NOUNS and t.ent_type_ in ("ORG", "")


def _keep_quantifier(toks: list, first: list) -> list:
    """``strip_tokens`` drops "one" as a determiner: "one of the lawyers" keeps it (not "of the
    lawyers"), as does "one or more of its members"."""
    if first and first[0].lower_ in ("of", "or") and toks and toks[0].i < first[0].i:
        return [first[0].doc[first[0].i - 1]] + first
    return first


def _of_phrase(toks: list, head) -> list:
    """"of Estonia" after a role head, when the source includes it."""
    ids = {t.i for t in toks}
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "at") and c.i in ids:
            return [t for t in c.subtree if t.i in ids]
    return []


def _dislocated(pron):
    """The noun a subject pronoun takes up from just before it ("My mom, she always ...", "The
    minister, he said nothing"): the noun before its comma, attached to the same verb; None when
    the comma ends another clause ("The mayor, she said, would not resign": "mayor" belongs to
    "resign")."""
    i, doc = pron.i, pron.doc
    if pron.dep_ != "nsubj" or i < 2 or doc[i - 1].text != ",":
        return None
    n = doc[i - 2]
    if n.head.i == pron.head.i and n.dep_ in ("npadvmod", "dep", "nsubj", "dislocated") and n.pos_ in ("NOUN", "PROPN") \
            and n.ent_type_ not in ("DATE", "TIME"):  # "Last week, they endorsed ..."
        return n
    return None


def _nearest(cands: list[Entity], pos: int) -> Entity:
    """The entity mentioned most recently before ``pos``, else the one mentioned soonest after."""
    def key(e: Entity) -> tuple:
        before = [m.start for m in e.mentions if m.start < pos]
        return (0, -max(before)) if before else (1, min((m.start for m in e.mentions), default=0))
    return sorted(cands, key=key)[0]


def _start(a: Attribution) -> int:
    xs = [a.content.start]
    if a.cue is not None:
        xs.append(a.cue.start)
    if a.source is not None:
        xs.append(a.source.start)
    return min(xs)


def _end(a: Attribution) -> int:
    return max([a.source.end if a.source else 0, a.content.end, a.cue.end if a.cue else 0])
