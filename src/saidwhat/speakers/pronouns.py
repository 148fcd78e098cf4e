"""Pronouns: which entity "he", "she", "they" or "it" refers to, and the gender evidence that
pronouns give a person.

A pronoun source goes to the previous attribution's speaker when compatible (gender, number,
kind) and the cue continues a thread ("he added") or no other compatible subject came between;
else to the most salient compatible mention: the current sentence before the pronoun, then back
sentence by sentence, subjects first, mentions inside quotes and inside the attribution's own
content last. Gender compatibility uses what the article says (titles, pronouns, gendered nouns)
and, only when it says nothing, a first-name prior.
"""
from __future__ import annotations

from typing import Optional

from .entity import Entity, EntityTable, Mention
from .index import ArticleIndex
from .lexicon import GENDER_PRONOUNS, PRONOUNS, RELIGIONS, is_demonym

PERSONAL = ("he", "she", "him", "her")
PLURAL = ("they", "them")


_FAITHS_AND_TONGUES = frozenset("""muslim islamic arabic christian jewish hindu buddhist catholic protestant orthodox
sunni shia shiite sikh evangelical latino hispanic english spanish french german russian chinese""".split()) | RELIGIONS


def _adjective_name(name: str) -> bool:
    """A one-word nationality, faith or language adjective ("Israeli", "Muslim", "Arabic")."""
    if not name or " " in name or name.endswith("s"):
        return False
    return is_demonym(name) or name.lower() in _FAITHS_AND_TONGUES or name.lower().endswith(("ic", "ese", "ish", "ine", "ian"))


def compatible(e: Entity, pron: str) -> bool:
    if pron in PERSONAL:
        if e.kind != "person" or e.plural:
            return False
        g = e.pronoun_gender()
        return g in (None, PRONOUNS[pron][0])
    if pron in PLURAL:
        if e.kind == "other" and _adjective_name(e.name):
            return False  # "Israeli", "Islamic", "Arabic": an adjective the NER tagged, nobody's "they"
        return e.kind in ("organisation", "other", "group") or e.plural
    if pron == "it":
        return e.kind in ("organisation", "document") and not e.plural
    return False


def _subject_pronoun(ix: ArticleIndex, lo: int, hi: int, pron: str) -> Optional[int]:
    """Where ``pron`` ("he", "she") is the subject of a main clause in [lo, hi), outside quotes."""
    off = ix.offset_of(lo)
    for t in ix.tokens(lo, hi):
        if t.lower_ == pron and t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" \
                and not ix.in_quote(off + t.idx) and not generic(t):
            return off + t.idx
    return None


COLLECTIVE = frozenset("police staff personnel crew public".split())


def _plural_subject(ix: ArticleIndex, table: EntityTable, lo: int, hi: int,
                    contents: list[tuple[int, int]]) -> Optional[int]:
    """Where a plural common noun the table does not know is the subject of a main clause in
    [lo, hi), outside quotes and contents ("Police are investigating ...", "show insiders. They
    said"): the "they" after it is those people, no named body of the text. A subject whose noun
    phrase holds a name ("Officials at the State Department") is not one."""
    off = ix.offset_of(lo)
    for t in ix.tokens(lo, hi):
        if t.dep_ not in ("nsubj", "nsubjpass") or not (
                t.tag_ == "NNS" or t.lower_ in COLLECTIVE and t.tag_ in ("NN", "NNP", "NNS")):
            continue
        h = t.head
        if not (h.dep_ == "ROOT" or h.dep_ == "conj" and h.head.dep_ == "ROOT"):
            continue
        p = off + t.idx
        if not lo <= p < hi or ix.in_quote(p) or any(s <= p < e for s, e in contents):
            continue
        sub = list(t.subtree)
        a, b = off + sub[0].idx, off + sub[-1].idx + len(sub[-1].text)
        if any(m.start < b and m.end > a for m in table.between(a - 200, b)):
            continue
        return p
    return None


def generic(tok) -> bool:
    """A "he/she", "he or she", "s/he", "his or her": anyone, no one's pronoun and no gender."""
    doc, i = tok.doc, tok.i
    pair = ("he", "she", "s", "his", "her", "him", "hers")
    before = doc[i - 1].lower_ if i > 0 else ""
    after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return before in ("/", "or") and i > 1 and doc[i - 2].lower_ in pair \
        or after in ("/", "or") and i + 2 < len(doc) and doc[i + 2].lower_ in pair


def gender_votes(ix: ArticleIndex, table: EntityTable) -> None:
    """he/she right after a person who is the only person of the sentence votes its gender."""
    by_sent: dict[int, list[Mention]] = {}
    for m in table.mentions:
        if m.entity.kind == "person" and not m.in_quote:
            by_sent.setdefault(m.sent, []).append(m)
    for si, ms in by_sent.items():
        ents = {id(m.entity) for m in ms}
        if len(ents) != 1 or not any(m.subject for m in ms) or any(m.ambiguous for m in ms):
            continue
        e = ms[0].entity
        start = ms[0].end
        nxt = ix.sent_start(si + 2)
        if si + 1 in by_sent:  # someone else named in the next sentence: only this sentence
            nxt = ix.sent_start(si + 1)
        off = ix.offset_of(start)
        for t in ix.tokens(start, min(nxt, start + 400)):
            lw = t.lower_
            if lw in GENDER_PRONOUNS and not ix.in_quote(off + t.idx) and not generic(t):
                g = GENDER_PRONOUNS[lw]
                if e.name_prior in (None, g) or lw in ("he", "she") and ix.sent_of(off + t.idx) == si:
                    # a pronoun against the first name is someone else's ("Dave Meltzer tweeted
                    # after hearing the news of her death"; "Mark Lopez presented the budget. The
                    # new mayor, she said, ..."), unless it is a he or she of the name's own
                    # sentence ("Alex Morgan spoke next, and she said ...")
                    e.gender_votes[g] += 1
                break


def resolve(ix: ArticleIndex, table: EntityTable, pron: str, pos: int, contents: list[tuple[int, int]],
            prev: Optional[Entity] = None, prev_end: int = 0, thread: bool = False,
            speaking: Optional[Entity] = None, depth: int = 0,
            blocked: Optional[list] = None) -> Optional[Entity]:
    """The entity a third-person pronoun at ``pos`` refers to. ``prev``: the previous
    attribution's entity (ending at ``prev_end``); ``thread``: the cue continues it ("added");
    ``speaking``: whose direct speech holds the pronoun, who calls themself "I" there, so that a
    "he" in it is someone else ('"I like the way he talks about it," Kay said')."""
    if pron not in PERSONAL + PLURAL + ("it",):
        return None
    def fits(e: Entity, p: str) -> bool:
        return e is not speaking and compatible(e, p)

    def takes(m: Mention) -> bool:
        # "they" takes up neither a name modifying a noun nor a possessor ("Ohio's removal of
        # voters because they ..."): the noun phrase around it is what it refers to
        return fits(m.entity, pron) and not (pron in PLURAL and (m.aside or m.poss) or pron == "it" and m.aside)

    def in_content(m: Mention) -> bool:
        return any(s <= m.start < e for s, e in contents)

    if prev is not None and fits(prev, pron):
        near = ix.sent_of(pos) - ix.sent_of(prev_end) <= 8
        if thread and near:
            return prev
        rival = any(m.entity is not prev and not m.in_quote and not m.label and not in_content(m)
                    and takes(m)
                    and m.named for m in table.between(min(prev_end, pos), pos)) \
            or pron in PLURAL and _plural_subject(ix, table, min(prev_end, pos), pos, contents) is not None
        if not rival and near:
            return prev
    # salience: back sentence by sentence, subjects first, quoted mentions last
    si = ix.sent_of(pos)
    hi = pos
    fallback = None
    for back in range(0, 6):
        s_i = si - back
        if s_i < 0:
            break
        lo = ix.sent_start(s_i)
        ms = [m for m in table.between(lo, hi) if not in_content(m) and not m.label and takes(m)]
        if back > 0 and pron in ("he", "she") and depth < 3:
            # "Day had one child ... She was also married to George Weidler, Marty Melcher and Barry
            # Comden. She said ...": the same pronoun as the subject of an earlier sentence, before
            # any name that could be it, continues that sentence's thread, not its objects
            same = _subject_pronoun(ix, lo, hi, pron)
            if same is not None and not any(m.subject and m.start < same for m in ms):
                return resolve(ix, table, pron, same, contents, prev, prev_end, thread, speaking, depth + 1)
        if pron in PLURAL and not any(m.subject and not m.in_quote for m in ms):
            at = _plural_subject(ix, table, lo, hi, contents)
            if at is not None:  # "Police are investigating a shooting. They did not identify ..."
                if blocked is not None:
                    blocked.append(at)  # the caller may make that noun phrase the speaker
                return None
        hi = lo
        if not ms:
            continue
        # inside someone's quoted speech, the names quoted there are what "he" can refer to
        outside = [m for m in ms if not m.in_quote or speaking is not None]
        if pron in PERSONAL:  # gender known and matching beats unknown
            known = [m for m in outside if m.entity.pronoun_gender()]
            if known:
                outside = known
        if outside:
            subj = [m for m in outside if m.subject]
            if back == 0:
                return (subj or outside)[-1].entity
            return (subj or outside)[0].entity
        if fallback is None and back > 1:
            # a name quoted in this sentence or the one before is what the speaker talked about,
            # not the speaker ('"I heard Donald Trump say ...," he said')
            fallback = ms[-1].entity
    if prev is not None and fits(prev, pron):
        return prev
    return fallback
