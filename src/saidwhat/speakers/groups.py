"""Groups and documents.

- **Groups.** A coordinated source ("Biden and Harris", "Pierce and Hawkins both", "Reuters and
  NBC", "Trump and his supporters") is cut into its conjuncts; the resolver resolves each one and
  credits the attribution to a group speaker that lists them (kind ``group``, one per set of
  members), never to one of them.
- **Documents.** A source whose head is a document noun ("the report", "the ruling", "the
  hotel's website", "guidelines") is resolved to the body that issued it when the article says
  so: in the source itself ("the WHO's report", "a Pentagon statement", "a report by the WHO") or
  at an earlier mention of the same document ("The WHO published a report ...", "a report by
  ...", "the court ruled ..."); else it stays a speaker of kind ``document``.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..lexicon import SPEECH_VERBS
from .entity import Entity
from .index import ArticleIndex, head_of, is_poss_marker
from .lexicon import DOCUMENT_NOUNS, ISSUE_VERBS, ORG_NOUNS, place_of

_CC = frozenset("and & nor".split())
_PRECONJ = frozenset("both either neither all".split())
# the verb a body does when it issues the document ("the court ruled" -> its ruling)
_DOC_VERBS = {"ruling": "rule", "decision": "decide", "judgment": "judge", "judgement": "judge",
              "statement": "state", "order": "order", "report": "report", "finding": "find",
              "findings": "find", "verdict": "find", "announcement": "announce", "tweet": "tweet",
              "post": "post", "letter": "write", "guidelines": "recommend", "guidance": "recommend"}


def _second_role(c, head, toks: list) -> bool:
    """"Leonard Burman, director of the Tax Policy Center and a professor at Syracuse": a role
    after the name's apposition, coordinated with it, is the same person's second role."""
    from .roles import is_role_word
    from .lexicon import PERSON_NOUNS
    return c.tag_ == "NN" and (is_role_word(c) or c.lemma_.lower() in PERSON_NOUNS) and \
        any(x.dep_ == "det" and x.lower_ in ("a", "an") for x in c.children) and \
        any(t.text == "," and head.i < t.i < c.i for t in toks)


def _is_place(tok) -> bool:
    return tok.ent_type_ in ("GPE", "LOC") or bool(place_of(tok.text))


def _place_in_name(c, head) -> bool:
    """"The High Court of England and Wales", "the Islamic State of Iraq and the Levant": a place
    coordinated with the place after the head's "of" belongs to the name."""
    if not head.text[:1].isupper() or c.pos_ != "PROPN" or len([t for t in c.subtree if not t.is_punct and t.i <= c.i]) > 2:
        return False
    return any(p.dep_ == "prep" and p.lower_ == "of" and head.i < p.i < c.i
               and any(o.dep_ == "pobj" and _is_place(o) and (_is_place(c) or c.ent_type_ != "ORG")
                       for o in p.children)
               for p in head.children)


def _acronym_follows(toks: list) -> bool:
    """Whether the phrase ends in an acronym in parentheses ("... (UAAR)") after an "and" with no
    article of its own: what comes before it is one organisation's name, "and" included."""
    doc = toks[0].doc
    end = toks[-1].i + 1
    k = next((t.i for t in toks if t.text == "("), end if end < len(doc) and doc[end].text == "(" else None)
    if k is None or k + 2 >= len(doc) or doc[k + 2].text != ")":
        return False
    acr = doc[k + 1].text.replace(".", "")
    # "Allergy and Infectious Diseases (NIAID)"; not "the Investigative Committee and the Federal
    # Security Service (FSB)", two bodies, each with its article
    ccs = [t for t in toks if t.lower_ in _CC and t.i < k]
    return acr.isupper() and acr.isalpha() and len(acr) >= 2 and bool(ccs) and \
        all(t.i + 1 < k and doc[t.i + 1].lower_ not in ("the", "a", "an") for t in ccs)


def conjuncts(toks: list, head) -> list[list]:
    """The phrases a coordinated source lists, each without the others, or [] when the source is
    not coordinated ("Biden and Harris" -> [[Biden], [Harris]])."""
    if head is None:
        return []
    ids = {t.i for t in toks}
    if not any(t.lower_ in _CC for t in toks):
        return []
    if _acronym_follows(toks):
        return []  # "The Union of Rationalist Atheists and Agnostics (UAAR)": one organisation's name
    conj = [c for c in head.conjuncts if c.i in ids and not _second_role(c, head, toks)
            and not _place_in_name(c, head)]
    if not conj:
        # the parser hung the coordination below the head ("Ratcliffe and FBI director Christopher
        # Wray", with "Ratcliffe" on "director"): cut at a top-level "and" between two names
        ccs = [t for t in toks if t.lower_ in _CC and t.ent_iob_ == "O" and t.i > toks[0].i]
        cj = [c for t in toks for c in t.children if c.dep_ == "conj" and c.i in ids and not _place_in_name(c, head)
              and not _place_in_name(c, c.head)  # "the organisation, the Islamic State of Iraq and the Levant,"
              and not any(a.i in ids and a.dep_ in ("relcl", "acl", "advcl") for a in c.ancestors)]
        # (nor two places in a clause about the speaker: "Mr. Kim, who was traveling in Europe and Africa")
        if any(_second_role(c, head, toks) for c in cj):
            return []
        if cj and all(c.head.dep_ == "poss" for c in cj):
            return []  # "Baloch and Waseem's mother, Anwar": the two are whose mother, not who speaks
        if any(c.head.dep_ in ("compound", "nmod", "amod") and c.head.head.i in ids and c.head.head.i > c.i
               and not c.head.ent_type_ for c in cj):
            return []  # "The House Oversight and Reform Committee": modifiers of one name
        if head.text[:1].isupper() and (head.lemma_.lower() in ORG_NOUNS or head.lower_ in ORG_NOUNS) \
                and cj and all(c.i < head.i for c in cj):
            return []  # "The Confederated Salish and Kootenai Tribes": one organisation's name
        if len(ccs) == 1 and cj:
            left = [t for t in toks if t.i < ccs[0].i and not t.is_punct and t.lower_ not in _PRECONJ]
            commas = [t for t in toks if t.text == "," and t.i < ccs[0].i]
            if commas and left and left[0].i < commas[-1].i:
                named = [t for t in left if t.i > commas[-1].i]
                if named and all(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in named):
                    left = named  # "The lawyers, John Smith and Jane Doe,": the two names
            right = [t for t in toks if t.i > ccs[0].i and not t.is_punct and t.lower_ not in _PRECONJ]
            if left and right and (left[-1].pos_ == "PROPN" or left[-1].ent_type_) and \
                    (right[-1].pos_ == "PROPN" or right[-1].ent_type_):
                return [left, right]
        return []
    # "National Institute of Allergy and Infectious Diseases", "High Court of England and Wales": an
    # "and" inside one name coordinates nothing
    def ent_start(t) -> int:
        if not t.ent_type_:
            return -1
        i = t.i
        while i > 0 and t.doc[i].ent_iob_ == "I":
            i -= 1
        return i
    heads = [head]
    for c in sorted(conj, key=lambda t: t.i):
        if ent_start(c) == -1 or all(ent_start(c) != ent_start(h) for h in heads):
            heads.append(c)
    if len(heads) < 2:
        return []
    heads.sort(key=lambda t: t.i)
    if len(heads) >= 3 and heads[0] is head and head.tag_ in ("NNS", "NNPS") and head.ent_type_ != "PERSON" \
            and head.i + 1 < len(head.doc) and head.doc[head.i + 1].text == "," \
            and all(h.ent_type_ == "PERSON" for h in heads[1:]):
        heads = heads[1:]  # "Two Democratic Representatives, Collin Peterson and Jeff Van Drew": the two names
    others = {h.i: {x.i for x in h.subtree} for h in heads}
    out = []
    for h in heads:
        own = {x.i for x in h.subtree}
        for o in heads:
            if o is h:
                continue
            if o is not h and o.i in own:
                own -= others[o.i]
        words = [t for t in toks if t.i in own and not (t.dep_ in ("cc", "preconj") or t.lower_ in _CC
                                                        or t.lower_ in _PRECONJ or t.is_punct)]
        # a comma-separated list leaves its commas on the earlier conjuncts
        if words:
            out.append(words)
    return out if len(out) > 1 else []


AGENT_SUFFIXES = ("ist", "ian", "er", "or", "ant", "ent")  # specialist, historian, lawyer, ...


def split_source(toks: list, head) -> tuple[list, object, list]:
    """(tokens, head, conjuncts) of a source: a coordinated source keeps its conjuncts (``[]``
    when it is not coordinated); bare roles coordinated before one name (``roles_of_one``) are
    narrowed to that person's phrase, with no conjuncts."""
    parts = conjuncts(toks, head)
    if parts and roles_of_one(parts):
        return parts[-1], head_of(parts[-1]), []
    return toks, head, parts


def roles_of_one(parts: list[list]) -> bool:
    """"Retired FBI agent and terrorism specialist Ali Soufan": bare role nouns (no determiner, no
    name) coordinated before the one name are that person's roles, not other people ("the mayor
    and Governor Jane Smith" are two)."""
    from .roles import is_role_word
    from .lexicon import PERSON_NOUNS

    *firsts, last = parts
    if not any(t.ent_type_ == "PERSON" for t in last):
        return False
    for words in firsts:
        head = words[-1]
        if words[0].dep_ in ("det", "poss") or words[0].lower_ in ("the", "a", "an") or \
                any(t.ent_type_ == "PERSON" for t in words) or head.tag_ != "NN" or \
                not (is_role_word(head) or head.lemma_.lower() in PERSON_NOUNS
                     or head.text.islower() and head.lower_.endswith(AGENT_SUFFIXES)):
            return False
    return True


# nouns that name the same document ("The court issued its decision ... The ruling said")
_SAME_DOCUMENT = [frozenset(g.split()) for g in (
    "ruling decision judgment judgement verdict opinion order", "report study survey analysis findings paper",
    "statement announcement release communique communiqué declaration", "website site page",
    "guidelines guideline guidance", "letter memo memorandum email e-mail", "tweet post")]


def same_document(lemma: str) -> frozenset:
    return next((g for g in _SAME_DOCUMENT if lemma in g), frozenset([lemma]))


def is_document(head) -> bool:
    """A common noun that names a text ("the report"), not a name ("Page")."""
    if head is None or head.pos_ != "NOUN":
        return False
    if head.text[:1].isupper() and head.i != head.sent.start:
        return False
    return head.lemma_.lower() in DOCUMENT_NOUNS or head.lower_ in DOCUMENT_NOUNS


def issuer_in_phrase(toks: list, head, entity_of: Callable[[object], Optional[Entity]]) -> Optional[Entity]:
    """The issuer named inside the source: possessor, its author ("a Twitter post by Amy Cook":
    the platform or outlet a compound names published it, the author wrote it), compound, or
    "from/of X"."""
    for t in toks:
        if t.head.i == head.i and t.dep_ == "poss":
            e = entity_of(t)
            if e is not None and e.kind in ("organisation", "person", "group"):
                return e
    by = _prep_object(head, ("by",), entity_of)
    if by is not None:
        return by
    for t in toks:
        if t.head.i != head.i or t.i == head.i:
            continue
        if t.dep_ in ("compound", "nmod") and t.i < head.i and t.pos_ == "PROPN":
            e = entity_of(t)
            if e is not None and e.kind in ("organisation", "person", "group"):
                return e
    return _prep_object(head, ("from", "of"), entity_of)


def _prep_object(head, preps: tuple, entity_of: Callable[[object], Optional[Entity]]) -> Optional[Entity]:
    """The organisation, person or group a preposition after ``head`` names ("by X")."""
    for t in head.children:
        if t.dep_ == "prep" and t.lower_ in preps and t.i > head.i:
            for o in t.children:
                if o.dep_ == "pobj":
                    e = entity_of(o)
                    if e is not None and e.kind in ("organisation", "person", "group"):
                        return e
    return None


def issued_by(t, entity_of: Callable[[object], Optional[Entity]], said_in: bool = True) -> Optional[Entity]:
    """Who issued the document ``t``, by the verb it goes with: "Bell issued a statement" (the
    subject), "a report was released by the ministry", "a statement released by the Supreme
    Court" (the agent), "Trump, in a statement delivered via the press secretary, announced" (the
    subject of the verb it is said in; only with ``said_in``)."""
    def agent_of(v) -> Optional[Entity]:
        agent = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        return entity_of(agent[0]) if agent else None

    def subject_of(v) -> Optional[Entity]:
        subj = [c for c in v.children if c.dep_ == "nsubj"]
        return entity_of(subj[0]) if subj else None

    if t.dep_ == "compound" and t.head.pos_ == "NOUN":
        return issued_by(t.head, entity_of, said_in)  # "sent out an email fundraising appeal"
    e = None
    if t.dep_ == "dobj" and t.head.lemma_.lower() in ISSUE_VERBS:
        e = subject_of(t.head)
    elif t.dep_ == "nsubjpass" and t.head.lemma_.lower() in ISSUE_VERBS:
        e = agent_of(t.head)
    elif said_in and t.dep_ == "pobj" and t.head.lower_ in ("in", "via", "through") and t.head.head.pos_ == "VERB" \
            and (t.head.head.lemma_.lower() in SPEECH_VERBS or t.head.head.lemma_.lower() in ISSUE_VERBS):
        e = subject_of(t.head.head)  # not "Trump did well in polls", "In this poll, Trump rose"
    if e is None:  # the participle may hang lower: "A report about the integration of immigrants issued ... by"
        v = next((c for c in t.subtree if c.dep_ == "acl" and c.lemma_.lower() in ISSUE_VERBS), None)
        e = agent_of(v) if v is not None else None
    return e if e is not None and e.kind in ("organisation", "person", "group") else None


def issuer_in_article(ix: ArticleIndex, head, pos: int,
                      entity_of: Callable[[object], Optional[Entity]]) -> Optional[Entity]:
    """The issuer of an earlier mention of the same document noun, nearest first."""
    lemma = head.lemma_.lower()
    nouns = same_document(lemma)
    verbs = {_DOC_VERBS[n] for n in nouns if n in _DOC_VERBS}
    found = None
    for off, doc in ix.blocks:
        if off > pos:
            break
        for t in doc:
            at = off + t.idx
            if at >= pos:
                break
            e = None
            if t.lemma_.lower() in nouns and t.pos_ == "NOUN":
                # "X said in a statement": that statement is X's a few paragraphs on, not the next
                # article section's "the statement added" (another body's)
                near = ix.para_of(pos) - ix.para_of(at) <= 2
                e = issuer_in_phrase(list(t.subtree), t, entity_of) or issued_by(t, entity_of, said_in=near)
                if e is None:  # "its report": the possessive pronoun's organisation
                    poss = [c for c in t.children if c.dep_ == "poss" and c.lower_ in ("its", "their")]
                    if poss:
                        e = entity_of(poss[0])
            elif t.lemma_.lower() in verbs and t.pos_ == "VERB":
                subj = [c for c in t.children if c.dep_ == "nsubj"]
                e = entity_of(subj[0]) if subj else None
                if e is not None and e.kind != "organisation":
                    e = None
            if e is not None and e.kind in ("organisation", "person", "group"):
                found = e
    return found


def document_name(toks: list) -> list:
    """The document phrase to name a ``document`` speaker by: without determiners, possessive
    pronouns or what follows the noun."""
    out = [t for t in toks if not (t.is_punct or t.lower_ in ("the", "a", "an", "this", "that", "its", "their",
                                                            "his", "her") or is_poss_marker(t))]
    return out
