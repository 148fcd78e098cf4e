"""Namesakes: which of several people of the article a bare name stands for ("Biden": Joe or Hunter).

The evidence, in order: the mention's own title (gender, role) or the he/she that follows it in
its sentence, the quote thread, a mention of only one of them as a subject in the same or the
previous sentence, one of them being named as the other's relative ("Biden's son Hunter Biden":
the surname is then the other's), a mention of only one of them in the paragraph or the two
before, then salience (named more often, introduced first and alone, with a role of its own).
When nothing decides, ``decide_namesake`` says so (None) and the name stays a speaker of its own.
"""
from __future__ import annotations

from typing import Optional

from .entity import Entity
from .index import ArticleIndex, fold_word
from .lexicon import GENDERED_NOUNS, HONORIFICS, HONORIFICS_FEMALE, HONORIFICS_MALE
from .roles import EXACT, is_role_word, match, parse_role


def title_gender(titles: list) -> Optional[str]:
    for t in titles:
        lw = t.lower_
        if lw in HONORIFICS_MALE:
            return "male"
        if lw in HONORIFICS_FEMALE:
            return "female"
        g = GENDERED_NOUNS.get(lw)
        if g:
            return g
    return None




def decide_namesake(ix: ArticleIndex, cands: list[Entity], pos: int, titles: list,
                    prev: Optional[Entity] = None, thread: bool = False, lookup=None) -> Optional[Entity]:
    """Which of several people a bare name at ``pos`` is ("Biden": Joe or Hunter), or None when
    nothing decides. In order: the mention's own title (gender, role) or the he/she that follows
    it, the quote thread, a mention of only one of them in the same or previous sentence, then in
    the paragraph, then in the two paragraphs before, then salience (named more often, first
    introduced, with a role of their own rather than as someone's relative: "Biden's son Hunter")."""
    if len(cands) <= 1:
        return cands[0] if cands else None
    tg = title_gender(titles) or _gender_after(ix, pos)
    if tg:
        same = [c for c in cands if c.pronoun_gender() == tg]
        if len(same) == 1:
            return same[0]
        cands = [c for c in cands if c.pronoun_gender() in (tg, None)] or cands
    role_toks = [t for t in titles if t.lower_ not in HONORIFICS]
    if role_toks and any(is_role_word(t) for t in role_toks):
        role = parse_role(role_toks, lookup)
        if role is not None:
            ok = [c for c in cands if match(role, c) == EXACT]
            if len(ok) == 1:
                return ok[0]
    si, para = ix.sent_of(pos), ix.para_of(pos)
    if prev is not None and prev in cands:
        last = max((m.start for m in prev.mentions if m.start < pos), default=None)
        if thread or last is not None and ix.para_of(last) == para and si - ix.sent_of(last) <= 1:
            return prev

    def clear(m) -> bool:  # a mention that says who it is, about that person
        return m.named and not m.ambiguous and m.namesakes <= 1 and m.start != pos and not m.poss

    word = fold_word(ix.text[pos:pos + 40].split()[0].strip(".,;:'’\"")) if ix.text[pos:pos + 40].split() else ""

    def full(m) -> bool:  # "Hunter" alone says nothing about whom "Biden" means
        return clear(m) and (len(ix.text[m.start:m.end].split()) > 1 or fold_word(ix.text[m.start:m.end]) == word)

    near = [c for c in cands if any(full(m) and m.subject and si - 1 <= m.sent <= si and m.start < pos
                                    for m in c.mentions)]
    if len(near) == 1:
        return near[0]
    # one of them is named as the other's relative ("Biden's son Hunter Biden"): the bare surname is
    # the other, unless a sentence around says otherwise (above)
    kin = [c for c in cands if any(r.of is not None and r.of in cands and r.of is not c for r in c.roles)]
    if len(kin) == len(cands) - 1:
        return next(c for c in cands if c not in kin)
    here = [c for c in cands if any(full(m) and ix.para_of(m.start) == para and m.start < pos
                                    for m in c.mentions)]
    if len(here) == 1:
        return here[0]
    if not here:
        recent = [c for c in cands if any(full(m) and para - 2 <= ix.para_of(m.start) <= para and m.start < pos
                                          for m in c.mentions)]
        if len(recent) == 1:
            return recent[0]
    first = min(cands, key=lambda c: c.first_at())
    if any(c is not first and ix.sent_of(c.first_at()) == ix.sent_of(first.first_at()) for c in cands):
        first = None  # introduced together: neither is the article's first

    def salience(c: Entity) -> int:
        own = any(r.of is None and r.head for r in c.roles)
        kin = any(r.of is not None and r.of in cands for r in c.roles)
        named = sum(1 for m in c.mentions if m.named and not m.ambiguous and m.namesakes <= 1 and m.start != pos)
        return named + 2 * (c is first) + 2 * own - 2 * kin
    score = {id(c): salience(c) for c in cands}
    best = max(cands, key=lambda c: score[id(c)])
    if all(score[id(best)] >= score[id(c)] + 2 for c in cands if c is not best):
        return best
    return None


def _gender_after(ix: ArticleIndex, pos: int) -> Optional[str]:
    """He/she (his/her) after a name in its own sentence, before any other name: how the article
    refers to whom the name stands for ("Trump demands ..., yet refuses to explain how his wife")."""
    end = ix.sent_start(ix.sent_of(pos) + 1)
    toks = ix.tokens(pos, min(end, pos + 300))
    for t in toks[1:]:
        if t.ent_type_ == "PERSON":
            return None
        lw = t.lower_
        if lw in _GENDERED and not ix.in_quote(t.idx):
            return _GENDERED[lw]
    return None


_GENDERED = {"he": "male", "his": "male", "him": "male", "himself": "male",
             "she": "female", "her": "female", "hers": "female", "herself": "female"}
