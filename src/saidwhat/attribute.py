"""Stage 4: cues, sources and contents, linked into attributions.

The trained tagger (``tagger``) labels each token as part of a cue, a source or a content; this
module turns the labels into spans and links them: each content to its cue (the parse first,
then distance within the paragraph), contents sharing a cue merged into one attribution with
several parts, and each cue to its source (its syntactic subject first, else the nearest source
span in the sentence). The tagger's attributions then pass the pruner (``prune``), which drops
those a small model fitted on out-of-fold predictions deems most likely wrong. Without a trained
model, a rule-based finder (quotes + speech verbs + the parse) gives a weaker but working result.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Optional

from spacy.tokens import Doc

from . import quotes as quotes_mod
from . import tagger
from .lexicon import ROLE_NOUNS, SPEECH_VERBS
from .model import Attribution, Span
from .parse import token_texts
from .prune import prune
from .tagger import RawSpan


def attribution_type(text: str, parts: list[tuple[int, int]], mask: bytearray) -> str:
    """direct / indirect / mixed, as PolNeAR derives it: the share of the content's letters
    inside quotation marks."""
    inside = outside = 0
    for s, e in parts:
        for i in range(s, e):
            if text[i].isalnum():
                if mask[i]:
                    inside += 1
                else:
                    outside += 1
    if inside and not outside:
        return "direct"
    if inside:
        return "mixed"
    return "indirect"


def _doc_len(doc: Doc) -> int:
    """len(doc.text) without rebuilding the text (spaCy joins every token on each access)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace()):
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def block_quotes(text: str, doc: Doc, offset: int = 0) -> tuple[list, bytearray]:
    """The quotations of one parsed block and their character mask, found in the text the parse
    read (``doc.text``: the block of ``text`` as ``pipeline._clean`` made it, same offsets)."""
    block = doc.text
    qs = quotes_mod.find_quotes(block)
    return qs, quotes_mod.quote_mask(block, qs)


def find_attributions(text: str, doc: Doc, offset: int = 0, tagged: Optional[tuple] = None) -> list[Attribution]:
    """Attributions of one parsed block ``doc`` whose text is ``text[offset:offset+len(doc.text)]``;
    ``tagged`` = (quotes, mask, tagger spans) when the caller tagged the block already (in a batch)."""
    if tagged is not None:
        qs, mask, spans = tagged
        return prune(from_spans(text, doc, offset, spans, qs, mask))
    model = tagger.get_model()
    qs, mask = block_quotes(text, doc, offset)
    if model is not None:
        return prune(from_spans(text, doc, offset, model.predict_spans(doc, qs, mask), qs, mask))
    linked = rule_attributions(doc, qs)
    linked.extend(cueless_quotes(doc, quote_tokens(doc, qs), linked))
    return build(text, doc, offset, linked, mask)


def from_spans(text: str, doc: Doc, offset: int, spans: list[RawSpan], qs: list, mask: bytearray) -> list[Attribution]:
    """Attributions from the tagger's token spans: split, link, add cue-less quotes, build."""
    # "“…” ― Name" and "Name: “…”" are unambiguous formats: they win over the tagger's spans
    qtoks = quote_tokens(doc, qs)
    formatted = cueless_quotes(doc, qtoks, [])
    title = title_end(doc) if offset == 0 else 0  # only an article's first block has its title
    headline = headline_attribution(doc, title)
    if headline is not None:
        formatted = [f for f in formatted if f[2][0].start >= headline[2][0].end] + [headline]
    if formatted:
        claimed = _claimed(formatted)
        spans = [sp for sp in spans if not any(i in claimed for i in range(sp.start, sp.end))]
    spans = depicted_speakers(doc, complete_sources(doc, split_contents(doc, spans, qs)))
    para = _paragraph_ids(doc)
    sent_of = _sentence_ids(doc, para)
    linked = join_split_quotes(doc, link(doc, spans, para, title, sent_of), qtoks, para)
    linked = keep_to_cue_brackets(doc, linked, para)
    linked = continue_paragraph_quotes(doc, qtoks, linked)
    linked.extend(formatted)
    linked = colon_quotes(doc, qtoks, linked, spans, para)
    linked.extend(uncovered_quotes(doc, qtoks, linked, spans))
    linked.extend(according_to_clauses(doc, linked, sent_of, mask))
    linked.extend(orphan_speech_cues(doc, spans, linked, sent_of))
    return build(text, doc, offset, [x for x in linked if not question_to_you(doc, x, sent_of)], mask)


def orphan_speech_cues(doc: Doc, spans: list[RawSpan], linked: list, sent_of: list[int]) -> list:
    """``The agents are likely to finish soon, current and former officials said``: when the
    clause a tagged speech verb governs went to another attribution (the tagger gives each word
    one role; PolNeAR nests the two), the verb is left without content and dropped. A tagged cue
    that no attribution has, whose head is a speech verb with a subject and a clausal complement
    (spaCy's ``ccomp``), gets that complement as content and its subject as source; confidence is
    the cue's tag probability. PolNeAR train, out of fold (fold networks, whole pipeline): 77
    added, 56 of them right (12 earlier ones lose their gold match to them), F1 0.6815 -> 0.6824.
    Measured and left out: complements running out of the verb's sentence (13 more, a misparse
    on news transcripts), cues without a subject (6 more, 1 right), any verb instead of speech
    verbs (190 added, 74 right, F1 0.6813). ``sent_of``: ``_sentence_ids``."""
    used = _cue_tokens(linked)
    out = []
    for sp in spans:
        if sp.role != "cue" or any(i in used for i in range(sp.start, sp.end)):
            continue
        verb = doc[sp.start:sp.end].root
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in SPEECH_VERBS:
            continue
        comps = [c for c in verb.children if c.dep_ == "ccomp"]
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not comps or not subjects:
            continue
        a, b = comps[0].left_edge.i, comps[0].right_edge.i + 1
        if sent_of[a] != sent_of[verb.i] or sent_of[b - 1] != sent_of[verb.i]:
            continue  # a complement running out of the verb's sentence or paragraph is a misparse
        a, b = _trim_punct(doc, a, b)
        if b - a < 3:
            continue
        subject = subjects[0]
        source = RawSpan("source", subject.left_edge.i, subject.right_edge.i + 1, sp.score)
        out.append((RawSpan("cue", sp.start, sp.end, sp.score), source, [RawSpan("content", a, b, sp.score)], sp.score))
    return out


def according_to_clauses(doc: Doc, linked: list, sent_of: list[int], mask: bytearray) -> list:
    """``Most voters say they prefer X, according to a new poll``: the clause that ``according to``
    credits is the poll's content even when it reports a statement of its own (PolNeAR nests the
    two; the tagger gives each token one role, so the content goes to the inner cue and the outer
    cue is left with none). Each ``according to`` that no attribution has as its cue gets its
    sentence (cut at the paragraph), less the phrase, as content and its object as source; its
    confidence is 0.5, having no tagger probability. PolNeAR train, out of fold (fold networks,
    whole pipeline): 94 added, 54 of them right, F1 0.6803 -> 0.6815."""
    cues = _cue_tokens(linked)
    out = []
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if tok.i in cues or tok.i + 1 in cues:
            continue
        if mask[tok.idx]:  # a quotation's own "according to" is the speaker's (train: 6 of 6 wrong)
            continue
        to = doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs or objs[0].lower_ in ("which", "whom", "whose"):  # "a treaty, according to which ..."
            continue
        s_start, s_end = _sentence_span(sent_of, tok.i)
        src_end = min(objs[0].right_edge.i + 1, s_end)
        while src_end > tok.i + 2 and doc[src_end - 1].is_punct:
            src_end -= 1
        if src_end <= tok.i + 2:
            continue
        if src_end < s_end and doc[src_end].tag_ in ("VBD", "VBZ", "VBP", "MD"):
            # "According to the BBC, a spokesman ... expressed": the parser made the clause's subject
            # an apposition of the object; the source ends at its last comma
            commas = [i for i in range(tok.i + 3, src_end) if doc[i].text == ","]
            if not commas:
                continue
            src_end = commas[-1]
        parts = []
        for a, b in ((s_start, tok.i), (src_end, s_end)):
            a, b = _trim_punct(doc, a, b)
            if b > a:
                parts.append(RawSpan("content", a, b, 0.5))
        if sum(p.end - p.start for p in parts) < 3:
            continue
        out.append((RawSpan("cue", tok.i, tok.i + 2, 0.5), RawSpan("source", tok.i + 2, src_end, 0.5), parts, 0.5))
    return out


def _cue_tokens(linked: list) -> set[int]:
    """The tokens of every cue of ``linked`` attributions."""
    out: set[int] = set()
    for cue, _, _, _ in linked:
        if cue is not None:
            out.update(range(cue.start, cue.end))
    return out


def _trim_punct(doc: Doc, a: int, b: int) -> tuple[int, int]:
    """Tokens [a, b) less the punctuation and spaces at both ends; quotation marks stay (as the
    tagger's direct contents keep them)."""
    while a < b and (doc[a].is_punct or doc[a].is_space) and not doc[a].is_quote:
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space) and not doc[b - 1].is_quote:
        b -= 1
    return a, b


def _sentence_span(sent_of: list[int], i: int) -> tuple[int, int]:
    """The token range [start, end) of token ``i``'s sentence, as ``_sentence_ids`` numbers them."""
    start, end = i, i + 1
    while start > 0 and sent_of[start - 1] == sent_of[i]:
        start -= 1
    while end < len(sent_of) and sent_of[end] == sent_of[i]:
        end += 1
    return start, end


def question_to_you(doc: Doc, item: tuple, sent_of: list[int]) -> bool:
    """``Do you support Donald Trump?``, an interviewer's ``((WN)) Do you plan on ...?``: a
    question whose source is "you" asks, it reports nothing anyone said (PolNeAR train, out of
    fold: 14 such attributions, 2 of them gold)."""
    source = item[1]
    if source is None or source.end - source.start != 1 or doc[source.start].lower_ != "you":
        return False
    return asks(doc, source.start, sent_of)


def asks(doc: Doc, i: int, sent_of: list[int]) -> bool:
    """Whether token ``i``'s sentence is a question: the parser's sentence, cut at the paragraph's
    end (the parser may run an interviewer's question on into the next turn's label), ends with
    "?" (closing quotation marks and brackets aside). The speaker resolver reads its sentences the
    same way (``speakers.index``: parser sentences, a paragraph break always starts one);
    ``sent_of`` is ``_sentence_ids``, which numbers sentences that way."""
    _, end = _sentence_span(sent_of, i)
    return quotes_mod.is_question(doc[i:end].text)


def _claimed(linked: list) -> set[int]:
    """The tokens of every cue, source and content of ``linked`` attributions."""
    out: set[int] = set()
    for cue, source, contents, _ in linked:
        for sp in [cue, source, *contents]:
            if sp is not None:
                out.update(range(sp.start, sp.end))
    return out


def quoted_content(doc: Doc, q: Any, sp: Any, score: float = 1.0) -> RawSpan:
    """The content span of quotation ``q`` (token span ``sp``, marks excluded) with its marks:
    the opening and closing marks' tokens when each is a token of its own, as the tagger's and
    the annotators' direct contents have them."""
    start, end = sp.start, sp.end
    if start > 0 and doc[start - 1].idx == q.outer_start and doc[start - 1].text == q.open_mark:
        start -= 1
    if q.close_mark and end < len(doc) and doc[end].idx == q.end and doc[end].text == q.close_mark:
        end += 1
    return RawSpan("content", start, end, score)


def quote_tokens(doc: Doc, qs: list) -> list[tuple[Any, Any]]:
    """Each quotation with its token span (widened to whole tokens); quotes covering no token
    are left out."""
    out = []
    for q in qs:
        sp = doc.char_span(q.start, q.end, alignment_mode="expand")
        if sp is not None and len(sp):
            out.append((q, sp))
    return out


def join_split_quotes(doc: Doc, linked: list, qtoks: list, para: list[int]) -> list:
    """``“X,” she said, “Y.”``: the quotation right after the cue and source continues the
    content of the one right before them (one attribution, two parts)."""
    if not qtoks or not linked:
        return linked
    starts = {sp.start: sp for _, sp in qtoks}
    owner: dict[tuple[int, int], int] = {}
    for k, (_, _, contents, _) in enumerate(linked):
        for c in contents:
            owner[(c.start, c.end)] = k
    for k, (cue, source, contents, conf) in enumerate(linked):
        if cue is None or not contents:
            continue
        last = max(contents, key=lambda c: c.end)
        ends = [cue.end] + ([source.end] if source is not None else [])
        if min([cue.start] + ([source.start] if source is not None else [])) < last.end:
            continue  # cue/source not after the content
        if max(ends) - last.end > 40:
            continue
        # the next token after cue/source, past commas, spaces and an opening mark
        i = max(ends)
        while i < len(doc) and (doc[i].text in (",", ":", ".") or doc[i].is_quote or doc[i].is_space and "\n" not in doc[i].text):
            if doc[i].is_quote and i + 1 in starts:
                i += 1
                break
            i += 1
        nxt = starts.get(i)
        if nxt is None:
            # ``“X,” she said after the hearing. “Y.”``: the quote opening the next sentence
            i = doc[max(ends) - 1].sent.end
            while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
                i += 1
            nxt = starts.get(i) or (starts.get(i + 1) if i < len(doc) and doc[i].is_quote else None)
            if nxt is not None and any(last.end <= a < nxt.start for a in starts):
                nxt = None
        if nxt is None or any("\n" in t.text for t in doc[last.end:nxt.start]):
            continue
        # the quote's tokens: take them from whichever content holds them now
        taken = False
        for key, j in list(owner.items()):
            if j == k or not (key[0] < nxt.end and nxt.start < key[1]):
                continue
            other = linked[j]
            oc = other[0]
            if oc is not None and para[oc.start] == para[nxt.start] and (
                    not nxt.start <= oc.start < nxt.end
                    and doc[oc.start].sent.start <= nxt.end - 1 and nxt.start < doc[oc.start].sent.end
                    or min(abs(oc.start - nxt.start), abs(nxt.end - oc.end)) < nxt.start - cue.end):
                taken = True  # an own cue in its sentence, or closer to it: leave it
                break
            other[2][:] = [c for c in other[2] if (c.start, c.end) != key]
            del owner[key]
        if taken:
            continue
        contents.append(RawSpan("content", nxt.start, nxt.end, conf))
        owner[(nxt.start, nxt.end)] = k
    return [item for item in linked if item[2]]


def _brackets(tok: Any) -> int:
    """Parentheses a token opens (+) or closes (-), counted in characters ('401(k' opens one)."""
    return tok.text.count("(") - tok.text.count(")")


def _brackets_around(doc: Doc, sp: RawSpan, para: list[int]) -> Optional[tuple[int, int]]:
    """The tokens with the '(' and ')' of its paragraph that enclose ``sp``, or None."""
    depth, i = 0, sp.start - 1
    while i >= 0 and para[i] == para[sp.start]:
        depth += _brackets(doc[i])
        if depth > 0:
            break
        i -= 1
    else:
        return None
    depth, j = 0, sp.end
    while j < len(doc) and para[j] == para[sp.start]:
        depth += _brackets(doc[j])
        if depth < 0:
            return i, j
        j += 1
    return None


def keep_to_cue_brackets(doc: Doc, linked: list, para: list[int]) -> list:
    """A cue inside parentheses that has content there too keeps none outside them: in 'The
    decision drew criticism (“This is a disgrace,” said one member)', the tagger's second content
    'The decision drew criticism' is no part of what the member said. (PolNeAR train: of 96
    attributions whose cue is in parentheses, none has content on both sides of them; 2 have it
    only outside: 'some (favored strongly by Republicans)'.)"""
    out = []
    for cue, source, contents, conf in linked:
        box = _brackets_around(doc, cue, para) if cue is not None and len(contents) > 1 else None
        if box is not None:
            inside = [c for c in contents if box[0] < c.start and c.end <= box[1]]
            if inside:
                contents = inside
        out.append((cue, source, contents, conf))
    return out


def continue_paragraph_quotes(doc: Doc, qtoks: list, linked: list) -> list:
    """A quotation over several paragraphs (each opens with a mark, only the last closes) is one
    speaker's: the paragraphs of it that no attribution covers join the content of the one
    attribution that holds another of its paragraphs (``"First point. ⏎ "Second point," the
    mayor said.``)."""
    taken = _claimed(linked)
    for q, _ in qtoks:
        if len(q.parts) < 2:
            continue
        pieces = [doc.char_span(a, b, alignment_mode="expand") for a, b in q.parts]
        pieces = [p for p in pieces if p is not None and len(p)]
        owners = {k for k, (_, _, contents, _) in enumerate(linked)
                  for c in contents for p in pieces if c.start < p.end and p.start < c.end}
        if len(owners) != 1:
            continue  # no one's, or split between several attributions: leave it
        k = owners.pop()
        contents = linked[k][2]
        for n, p in enumerate(pieces):
            a, b = _piece_with_marks(doc, q, p, last=n == len(pieces) - 1)
            if not any(i in taken for i in range(p.start, p.end)):
                contents.append(RawSpan("content", a, b, linked[k][3]))
                taken.update(range(a, b))
                continue
            # a content the tagger ended short of the piece's last words or marks
            # ('"We will not stop' for '"We will not stop.'): it runs to the piece's end
            for j, c in enumerate(contents):
                if a <= c.start < p.end and c.end < b and all(t.is_punct or t.is_space for t in doc[c.end:b]):
                    contents[j] = RawSpan("content", c.start, b, c.score, c.skip_start)
                    taken.update(range(c.end, b))
        contents.sort(key=lambda c: c.start)
    return linked


def _piece_with_marks(doc: Doc, q: Any, p: Any, last: bool) -> tuple[int, int]:
    """A multi-paragraph quotation's piece (token span ``p``, marks excluded) with the mark
    opening its paragraph and, for the last piece, the closing mark, as ``quoted_content`` gives
    one-piece quotes theirs."""
    start, end = p.start, p.end
    if start > 0 and doc[start - 1].is_quote and doc[start - 1].idx + len(doc[start - 1].text) == doc[p.start].idx:
        start -= 1
    if last and q.close_mark and end < len(doc) and doc[end].idx == q.end and doc[end].text == q.close_mark:
        end += 1
    return start, end


_LABEL_TITLES = frozenset({"MR", "MS", "MRS", "DR", "SEN", "REP", "GOV", "GEN", "SEC", "PRES", "AMB", "LT", "COL", "CAPT"})
# one-letter labels of a Q&A ("Q: ... A: ..."): they end a turn but name no one
_QA_LABELS = frozenset({"Q", "A"})
_SENTENCE_END = frozenset({".", "?", "!", "…", "...", ".)", "?)", "!)"})


def _label_at(texts: list[str], j: int, end: int) -> int:
    """The colon's index when a speaker label in capitals starts at token ``j`` (``WALLACE:``,
    ``MS. PSAKI:``, ``THE PRESIDENT:``, ``Q:``) and text follows it before ``end``; else -1.
    ``texts``: the doc's token texts."""
    k = j
    while k < end and k - j < 5 and (texts[k].isupper() and texts[k].isalpha() and len(texts[k]) >= 2
                                     or texts[k] == "." and k > j and texts[k - 1] in _LABEL_TITLES):
        k += 1
    if k == j and j < end and texts[j] in _QA_LABELS:
        k = j + 1
    if k > j and k < end - 1 and texts[k] == ":":
        return k
    return -1


def _paragraph_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(first token, end) of each paragraph: its tokens less the spaces around them."""
    paras = []
    ids = _paragraph_ids(doc)
    i, n = 0, len(doc)
    while i < n:
        end = i
        while end < n and ids[end] == ids[i]:
            end += 1
        first, last = i, end
        while first < last and doc[first].is_space:
            first += 1
        if last > first and doc[last - 1].is_space and "\n" in doc[last - 1].text:
            last -= 1
        if last > first:
            paras.append((first, last))
        i = end
    return paras


def _trim_marks(doc: Doc, a: int, b: int) -> tuple[int, int]:
    """A turn's tokens less the spaces and the quotation marks that enclose the transcript."""
    while a < b and (doc[a].is_space or doc[a].is_quote):
        a += 1
    while b > a and (doc[b - 1].is_space or doc[b - 1].is_quote):
        b -= 1
    return a, b


# capitalised words that open a line before a colon without naming a speaker
_NOT_SPEAKER_LABELS = frozenset("""name age city job pay note notes update updates photo photos source sources related read
watch listen see also correction clarification editor disclosure warning caption credit video audio tags topics
location date time where when what who why how pledged superdelegates total result results score""".split())


def _mixed_label_at(doc: Doc, texts: list[str], j: int, end: int) -> int:
    """The colon's index when a speaker label in ordinary case starts at ``j`` (``Wallace:``,
    ``Luciana Lopez:``): one to three capitalised nouns (the parser takes a label for a common
    noun as often as for a name), a colon, then a statement of two words or more; else -1."""
    k = j
    while k < end and k - j < 3 and texts[k][:1].isupper() and texts[k].isalpha() and doc[k].pos_ in ("PROPN", "NOUN"):
        k += 1
    if k == j or k >= end - 1 or texts[k] != ":" or texts[j].lower() in _NOT_SPEAKER_LABELS:
        return -1
    words = sum(1 for w in texts[k + 1:min(end, k + 12)] if w.isalpha())
    return k if words >= 2 else -1


def transcript_turns(doc: Doc) -> list:
    """Interview transcripts: a paragraph opening with a speaker label in capitals and a colon
    (``WALLACE: Let's start ...``, ``MS. PSAKI: ...``) is that speaker's turn, and so are the
    paragraphs after it up to the next label (one content part each; stage directions like
    ``(CROSSTALK.)`` left out). Where a transcript runs on in one paragraph (``"MS. PSAKI: ...
    REPORTER: ... MS. PSAKI: ..."``), a label after a sentence's end starts the next turn; a label
    right after an opening quotation mark starts a transcript inside the quotation. ``Q:`` and
    ``A:`` end a turn but make no attribution (they name no one). Labels in ordinary case
    (``Wallace: ...``, ``Trump: ...``) open turns only in a transcript, where two speakers or more
    each take two turns or more (a single "Name: ..." line is the tagger's), and each such turn
    keeps to its paragraph. The last turn keeps to its own paragraph: what follows the transcript
    is the article's."""
    paras = _paragraph_bounds(doc)
    texts = token_texts(doc)
    arr = doc.to_array(["IS_QUOTE", "SPACY"]) if len(doc) else None
    quote = arr[:, 0].astype(bool).tolist() if len(doc) else []
    spaced = arr[:, 1].astype(bool).tolist() if len(doc) else []
    labels = []  # (paragraph index, label start, colon index, opened inside a quotation, ordinary case)
    for p, (i, end) in enumerate(paras):
        found = False
        k = i
        while k < end:
            at_start = k == i
            after_mark = not at_start and quote[k] and (texts[k - 1].isspace() or spaced[k - 1])
            after_sentence = found and not at_start and (
                texts[k - 1] in _SENTENCE_END or texts[k - 1].isspace() and k > i + 1 and texts[k - 2] in _SENTENCE_END)
            if at_start or after_mark or after_sentence:
                j = k + 1 if quote[k] and k + 1 < end else k
                colon = _label_at(texts, j, end)
                mixed = colon < 0 and (at_start or after_mark)
                if mixed:
                    colon = _mixed_label_at(doc, texts, j, end)
                if colon >= 0:
                    labels.append((p, j, colon, after_mark and not found, mixed))
                    found = True
                    k = colon + 1
                    continue
            k += 1
    mixed = [lab for lab in labels if lab[4]]
    if mixed:
        # a transcript's speakers take turns: two names or more, each at least twice (by the
        # last word: "Luciana Lopez:" then "Lopez:"); names that open one paragraph each are
        # section headings ("Sanders: Win in a walk.", "Iowa: Tim Albrecht, ...")
        turns = Counter(texts[lab[2] - 1].lower() for lab in mixed)
        if sum(1 for c in turns.values() if c >= 2) < 2:
            labels = [lab for lab in labels if not lab[4]]
    # a label opening a quotation inside a paragraph ("... the exchange: "MS. PSAKI: ...") is
    # a transcript only when another label follows in that paragraph or opens the next one
    # ("He wrote: "NOTE: the office is closed."" is no transcript)
    labels = [lab for n_label, lab in enumerate(labels)
              if not lab[3] or n_label + 1 < len(labels) and labels[n_label + 1][0] in (lab[0], lab[0] + 1)]
    out = []
    for n_label, (p, j, k, _, mixed_label) in enumerate(labels):
        nxt = labels[n_label + 1] if n_label + 1 < len(labels) else None
        if texts[j] in _QA_LABELS:
            continue
        last = nxt[1] if nxt is not None and nxt[0] == p else paras[p][1]  # the next turn may start in this paragraph
        a, b = _trim_marks(doc, k + 1, last)
        contents = [RawSpan("content", a, b)] if b > a else []
        if nxt is not None and nxt[0] > p and not mixed_label:  # an ordinary-case turn keeps to its paragraph
            for q in range(p + 1, nxt[0]):
                a, b = _trim_marks(doc, *paras[q])
                if b > a and doc[a].text not in ("(", "["):
                    contents.append(RawSpan("content", a, b))
        if contents:
            out.append((RawSpan("cue", k, k + 1), RawSpan("source", j, k), contents, 0.8))
    return out


_CHANT_VERBS = frozenset({"chant", "sing", "cry", "shout", "scream", "yell", "holler"})


def _core(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Tokens ``start:end`` without the punctuation at their edges: the parser often hangs an
    opening quotation mark on the previous sentence's verb (``... as evasive. ''Candidate ...''``)."""
    lo, hi = start, end
    while lo < hi - 1 and doc[lo].is_punct:
        lo += 1
    while hi > lo + 1 and doc[hi - 1].is_punct:
        hi -= 1
    return lo, hi


def _external_head(doc: Doc, start: int, end: int) -> int:
    """The token outside ``start:end`` that governs it, judged on its core (``_core``): -1 if none."""
    lo, hi = _core(doc, start, end)
    for t in doc[lo:hi]:
        if not (start <= t.head.i < end):
            return t.head.i
    return -1


def colon_quotes(doc: Doc, qtoks: list, linked: list, spans: list[RawSpan], para: list[int]) -> list:
    """``In a statement, the company said:`` | ``“We regret the error.”``: a quotation that opens
    its paragraph, covered by no attribution, after a paragraph that ends with a cue and a colon,
    is that cue's content (PolNeAR train: 22 of 34 quotes after a paragraph-final colon have the
    cue before the colon). The cue is the tagger's span ending at the colon, else a speech verb
    there; if the cue already has a content that only precedes it in its sentence (``In a
    statement``, ``Asked about the talks``: not what was said), the quotation replaces it."""
    covered = {i for _, source, contents, _ in linked for sp in contents + ([source] if source else [])
               for i in range(sp.start, sp.end)}
    out = list(linked)
    for q, sp in qtoks:
        if any(t.i in covered for t in sp) or sum(t.is_alpha for t in sp) < 4:
            continue
        k = sp.start - 1
        while k >= 0 and (doc[k].is_space or doc[k].is_quote and k == sp.start - 1):
            k -= 1
        if k < 1 or doc[k].text != ":" or para[k] == para[sp.start] \
                or para[sp.start] != para[sp.end - 1] and len(q.parts) > 1:
            continue  # (one quote run on over hard line breaks is one paragraph's: ``quotes._runs_on``)
        colon = k
        while k > 0 and para[k - 1] == para[colon] and not doc[k - 1].is_space and k > sp.start - 60:
            k -= 1
        if any(doc[j].is_quote for j in range(k, colon)):
            continue  # the colon ends a quotation of its own paragraph
        content = quoted_content(doc, q, sp, 0.5)
        owner = next((n for n, (cue, _, _, _) in enumerate(out) if cue is not None and cue.end in (colon, colon + 1)
                      and cue.start < colon), None)
        if owner is not None:
            cue, source, contents, conf = out[owner]
            sent = doc[cue.start].sent
            if all(c.end <= cue.start and c.start >= sent.start for c in contents):
                contents = []  # a pre-posed phrase of the cue's sentence, not its content
            out[owner] = (cue, source, contents + [content], conf)
        else:
            tagged = next((c for c in spans if c.role == "cue" and c.end in (colon, colon + 1) and c.start < colon), None)
            verb = doc[colon - 1]
            if tagged is not None:
                cue = RawSpan("cue", tagged.start, tagged.end, tagged.score)
            elif verb.pos_ == "VERB" and verb.lemma_.lower() in SPEECH_VERBS:
                cue = RawSpan("cue", verb.i, verb.i + 1, 0.5)
            else:
                continue
            src = next((s for s in spans if s.role == "source" and s.end <= cue.start
                        and doc[s.start].sent.start == doc[cue.start].sent.start), None)
            out.append((cue, src or _subject(doc, cue, [content]), [content], 0.5 if q.balanced else 0.3))
        covered.update(range(sp.start, sp.end))
    return out


def uncovered_quotes(doc: Doc, qtoks: list, linked: list, spans: list[RawSpan]) -> list:
    """Direct quotations of a sentence or more that no attribution covers: linked to a cue the
    tagger found but left without content, else to a speech verb of the quote's sentence."""
    covered = _claimed(linked)
    used_cues = {(cue.start, cue.end) for cue, _, _, _ in linked if cue is not None}
    free_cues = [sp for sp in spans if sp.role == "cue" and (sp.start, sp.end) not in used_cues]
    sources = [sp for sp in spans if sp.role == "source"]
    out = []
    for q, sp in qtoks:
        if any(t.i in covered for t in sp):
            continue
        words = [t for t in sp if t.is_alpha]
        content = quoted_content(doc, q, sp, 0.5)
        if len(words) < 4:
            # a short quote counts only as what is chanted or shouted: chanted "What curfew?"
            # (after "said" or "considered", two or three quoted words are mostly scare quotes)
            g = _external_head(doc, sp.start, sp.end)
            if not words or g < 0 or g in covered or doc[g].pos_ != "VERB" or \
                    doc[g].lemma_.lower() not in _CHANT_VERBS:
                continue
            cue = RawSpan("cue", g, g + 1, 0.5)
            out.append((cue, _subject(doc, cue, [content]), [content], 0.5 if q.balanced else 0.3))
            covered.update(range(sp.start, sp.end))
            continue
        lo = doc[sp.start].sent.start
        hi = doc[sp.end - 1].sent.end
        near = [c for c in free_cues if lo - 3 <= c.start and c.end <= hi + 3]
        if near:
            cue = min(near, key=lambda c: min(abs(c.start - sp.end), abs(sp.start - c.end)))
        else:
            verbs = [t for t in doc[lo:hi] if not (sp.start <= t.i < sp.end) and t.i not in covered
                     and t.lemma_.lower() in SPEECH_VERBS and t.pos_ == "VERB"]
            if not verbs:
                credit = _credit_line(doc, sp) or _intro_sentence(doc, sp, covered)
                if credit is not None:
                    covered.update(range(sp.start, sp.end))
                    out.append((credit[0], credit[1], [content], 0.5 if q.balanced else 0.3))
                continue
            v = min(verbs, key=lambda t: min(abs(t.i - sp.end), abs(sp.start - t.i)))
            cue = RawSpan("cue", v.i, v.i + 1, 0.5)
        src = None
        cands = [s for s in sources if doc[s.start].sent.start == doc[cue.start].sent.start
                 and not (sp.start <= s.start < sp.end)]
        if cands:
            src = min(cands, key=lambda s: min(abs(s.start - cue.end), abs(cue.start - s.end)))
        else:
            src = _subject(doc, cue, [content])
        covered.update(range(sp.start, sp.end))
        out.append((cue, src, [content], 0.5 if q.balanced else 0.3))
    return out


def _intro_sentence(doc: Doc, sp: Any, covered: set[int]) -> Optional[tuple[RawSpan, Optional[RawSpan]]]:
    """A quotation that opens its sentence, introduced by the sentence before it: a speech verb
    there with a subject and no content of its own (``Trump responded on Twitter. ⏎ "The failing
    New York Times ..."``): (cue, source), or None."""
    i = sp.start - 1
    while i >= 0 and (doc[i].is_quote or doc[i].is_space):
        i -= 1
    if i < 0 or doc[i].text not in (".", ":"):
        return None  # the quote does not open a sentence right after the previous one
    prev = doc[i].sent
    verbs = [t for t in prev if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_VERBS and t.i not in covered]
    if len(verbs) != 1:
        return None
    v = verbs[0]
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in v.children):
        return None  # the verb has its own content: "He said the talks failed."
    cue = RawSpan("cue", v.i, v.i + 1, 0.5)
    src = _subject(doc, cue, [])
    return (cue, src) if src is not None else None


# nouns that credit a pull quote from the next paragraph: "That was the message from ..."
_CREDIT_NOUNS = frozenset("""message word verdict view warning reaction response plea promise answer reply advice
sentiment argument conclusion position opinion cry appeal statement comment remark assessment assurance
vow pledge""".split())


_CREDIT_VERBS = frozenset("""speak talk address testify respond answer comment write tweet post say tell
announce explain argue warn reply""".split())


def _credit_line(doc: Doc, sp: Any) -> Optional[tuple[RawSpan, Optional[RawSpan]]]:
    """A pull quote, alone in its paragraph, credited by the next one: ``“…”`` then ``That was the
    message from Chief Okoro ...``, ``Those were the words of ...``, ``So said the mayor ...`` or
    ``That was Governor Tom Jones, speaking to supporters ...``:
    (cue, source), or None."""
    i = sp.start - 1
    while i >= 0 and (doc[i].is_quote or doc[i].is_space and "\n" not in doc[i].text) and "\n" not in doc[i].whitespace_:
        i -= 1
    if i >= 0 and not doc[i].is_space and "\n" not in doc[i].whitespace_:
        return None  # text before the quote in its paragraph
    k = sp.end
    while k < len(doc) and (doc[k].is_punct and "\n" not in doc[k].whitespace_ or doc[k].is_space and "\n" not in doc[k].text):
        k += 1
    if k < len(doc) and not doc[k].is_space and (k == 0 or "\n" not in doc[k - 1].whitespace_ and "\n" not in doc[k - 1].text):
        return None  # text after the quote in its paragraph
    while k < len(doc) and doc[k].is_space:
        k += 1
    if k >= len(doc) or doc[k].lower_ not in ("that", "this", "those", "these", "so", "such"):
        return None
    sent = doc[k].sent
    if doc[k].lower_ == "so" and k + 1 < sent.end and doc[k + 1].lemma_.lower() in SPEECH_VERBS:
        verb = doc[k + 1]
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > verb.i), None)
        if subj is None:
            return None
        return RawSpan("cue", verb.i, verb.i + 1, 0.5), RawSpan("source", subj.left_edge.i, subj.i + 1, 0.5)
    if k + 1 < sent.end and doc[k + 1].lemma_ == "be":
        # "That was Governor Tom Jones, speaking to supporters in Albany": the speaker named
        # after "was", then what they were doing when they said it
        attr = next((c for c in doc[k + 1].children if c.dep_ == "attr" and c.pos_ == "PROPN"), None)
        verb = next((t for t in doc[k + 2:min(sent.end, k + 14)] if t.tag_ == "VBG"
                     and t.lemma_.lower() in _CREDIT_VERBS and attr is not None and t.i > attr.i), None)
        if attr is not None and verb is not None and attr.ent_type_ in ("PERSON", "ORG", ""):
            ent = next((e for e in doc.ents if e.start <= attr.i < e.end), None)
            start = min(attr.left_edge.i, ent.start) if ent is not None else attr.left_edge.i
            end = max(attr.i + 1, ent.end) if ent is not None else attr.i + 1
            return RawSpan("cue", verb.i, verb.i + 1, 0.5), RawSpan("source", start, end, 0.5)
        # "That was Senator Jane Miller." / "That was Jane Miller, the state's governor.": a person
        # named after "was" and nothing done in the rest of the sentence; the cue is "That was"
        ent = next((e for e in doc.ents if attr is not None and e.start <= attr.i < e.end), None)
        if ent is not None and ent.label_ == "PERSON" and attr.i == ent.end - 1 and doc[k].lower_ == "that" \
                and not any(t.pos_ in ("VERB", "AUX") for t in doc[ent.end:sent.end]):
            return RawSpan("cue", k, k + 2, 0.5), RawSpan("source", attr.left_edge.i, ent.end, 0.5)
    for t in doc[k + 1:min(sent.end, k + 8)]:
        if t.pos_ == "NOUN" and t.lemma_.lower() in _CREDIT_NOUNS:
            prep = next((c for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "by")), None)
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if obj is None:
                return None
            ent = next((e for e in doc.ents if e.start <= obj.i < e.end and e.label_ in ("PERSON", "ORG", "NORP")), None)
            start = min(obj.left_edge.i, ent.start) if ent is not None else obj.left_edge.i
            end = max(obj.i + 1, ent.end) if ent is not None else obj.i + 1
            return RawSpan("cue", t.i, t.i + 1, 0.5), RawSpan("source", start, end, 0.5)
    return None


_DASHES = ("―", "—", "–", "--", "-")


_OUTLET_INNER = frozenset({"of", "and", "&", "for", "the", "on", "de"})


def _line_label(doc: Doc, colon: int) -> Optional[RawSpan]:
    """The speaker of a quote after a colon that opens its line: ``Name: “…”``, and the
    round-up forms ``Name, Outlet: “…”`` and ``Name (Outlet): “…”`` (one paragraph per pundit),
    whose source is the name. None when the colon does not follow a name at a line start."""

    def starts_line(k: int) -> bool:
        return k < 0 or "\n" in doc[k].text or "\n" in doc[k].whitespace_ or doc[k].is_space

    def run(k: int, limit: int, inner: frozenset = frozenset()) -> tuple[list, int]:
        """Capitalised tokens ending at ``k`` (with ``inner`` lower-case words between them)."""
        toks: list = []
        while k >= 0 and len(toks) < limit and "\n" not in doc[k].text and not doc[k].is_space and (
                doc[k].text[:1].isupper() or doc[k].text in (".", "'s") or toks and doc[k].lower_ in inner):
            toks.insert(0, doc[k])
            k -= 1
        while toks and toks[0].lower_ in inner and not toks[0].text[:1].isupper():
            toks.pop(0)
            k += 1
        return toks, k

    def person(k: int) -> Optional[RawSpan]:
        name, k = run(k, 4)
        if name and starts_line(k) and all(t.pos_ == "PROPN" for t in name if t.is_alpha):
            return RawSpan("source", name[0].i, name[-1].i + 1)
        return None

    if doc[colon].text == "):":  # Name (Outlet):
        outlet, k = run(colon - 1, 6, _OUTLET_INNER)
        return person(k - 1) if outlet and k >= 1 and doc[k].text == "(" else None
    outlet, k = run(colon - 1, 6, _OUTLET_INNER)
    if outlet and k >= 1 and doc[k].text == ",":  # Name, Outlet:
        return person(k - 1)
    name, k = run(colon - 1, 5)
    return RawSpan("source", name[0].i, name[-1].i + 1) if name and starts_line(k) else None


def cueless_quotes(doc: Doc, qtoks: list, linked: list) -> list:
    """Quotes with no cue verb that news formats mark by position: ``“…” ― Name`` and
    ``Name: “…”``. Only quotes no other attribution already covers."""
    taken = set()
    for _, source, contents, _ in linked:
        for c in contents:
            taken.update(range(c.start, c.end))
        if source is not None:
            taken.update(range(source.start, source.end))
    out = transcript_turns(doc)
    for _, source, contents, _ in out:
        taken.update(range(source.start, contents[-1].end))
    for q, sp in qtoks:
        if any(t.i in taken for t in sp):
            continue
        conf = 0.7 if q.balanced else 0.35
        # “…” ― Name: a dash right after the closing mark, then a name (to the end of the line)
        after = doc[sp.end:sp.end + 3]
        dash = next((t for t in after if t.text in _DASHES or t.text[1:] in _DASHES and t.text[0] in "”\"'»"), None)
        glued = next((t for t in after if t.text[:1] in "-—–―" and t.text[1:2].isupper() and t.text[1:].isalpha()
                      and (t.i == 0 or "\n" in doc[t.i - 1].text or doc[t.i - 1].is_quote or doc[t.i - 1].whitespace_)), None)
        if dash is None and glued is not None:
            # "-Michelle Marks, Philadelphia.": the dash glued to the name is one token
            name = [glued]
            for t in doc[glued.i + 1:glued.i + 6]:
                if "\n" in t.text or t.is_punct or t.is_space or not t.text[:1].isupper():
                    break
                name.append(t)
            out.append((RawSpan("cue", glued.i, glued.i + 1, keep_end=1),
                        RawSpan("source", glued.i, name[-1].i + 1, skip_start=1),
                        [quoted_content(doc, q, sp)], conf))
            continue
        if dash is not None:
            name = []
            for t in doc[dash.i + 1:dash.i + 8]:
                if "\n" in t.text or t.is_punct and t.text not in (".", "'"):
                    break
                if t.is_space:
                    if name:
                        break
                    continue  # "― Name" with a no-break space after the dash
                name.append(t)
            nxt = doc[name[-1].i + 1:name[-1].i + 4] if name else doc[0:0]
            if len(nxt) >= 2 and nxt[0].text == "," and nxt[1].ent_type_ == "DATE":
                continue  # a reference: '"MP calls for probe ..." — Edmonton Sun, August 16, 2008'
            if name and name[0].text[:1].isupper():
                out.append((RawSpan("cue", dash.i, dash.i + 1), RawSpan("source", name[0].i, name[-1].i + 1),
                            [quoted_content(doc, q, sp)], conf))
                continue
        # Name: “…” (or a round-up's "Name, Outlet: “…”") at the start of a line
        before = [t for t in doc[max(0, sp.start - 8):sp.start] if not t.is_quote]
        colon = next((t for t in reversed(before) if t.text in (":", "):")), None)
        if colon is not None and colon.i >= sp.start - 2:
            source = _line_label(doc, colon.i)
            if source is not None:
                out.append((RawSpan("cue", colon.i, colon.i + 1), source, [quoted_content(doc, q, sp)], conf))
    return out


# newsroom labels that open a headline like a speaker would ("Breaking: ...", "The Latest: ...")
_HEADLINE_LABELS = frozenset("""breaking exclusive update updated watch live analysis opinion look boom busted
bombshell report video photos latest explainer review interview transcript correction clarification factbox
recap podcast nerdcast""".split()) | {"the latest", "fact check", "breaking news", "news guide", "delegate update",
                                      "paid notice", "poll watch", "q&a", "in pictures", "in depth", "watch live"}


def title_end(doc: Doc) -> int:
    """Token index where the article's title line ends, or 0 when the text has no title line:
    a first line of at most 40 tokens followed by a line break and more text."""
    for t in doc[:41]:
        if "\n" in t.text or "\n" in t.whitespace_:
            end = t.i if t.is_space else t.i + 1
            return end if 0 < end < len(doc) - 1 else 0
    return 0


def headline_attribution(doc: Doc, end: int) -> Optional[tuple]:
    """``Speaker: statement`` in the title line ("Pence: Gennifer Flowers Won't Be at Debate"),
    the headline form of "Pence said ...". The part before the colon must be a name (a person,
    organisation or group entity ending at the colon, or proper nouns only) or a single common
    noun ("Poll: ..."), not a newsroom label ("Breaking:", "The Latest:"); the statement must not
    be a question. ``end`` is ``title_end(doc)`` (0: no title line). On PolNeAR train titles:
    66 right, 9 wrong, 13 missed."""
    if not end:
        return None
    colon = next((t for t in doc[:min(end, 9)] if t.text == ":"), None)
    if colon is None or colon.i == 0:
        return None
    head, rest = doc[:colon.i], [t for t in doc[colon.i + 1:end] if not t.is_space]
    if len(rest) < 2 or any(t.text == "?" for t in rest) or rest[0].pos_ == "ADP":
        return None  # a question, or a topic ("Gabon: On President Bongo's death")
    if head.text.lower().strip() in _HEADLINE_LABELS or any(t.pos_ == "VERB" for t in head):
        return None
    if len(head) == 1 and head[0].text.isupper() and len(head[0].text) > 3:
        return None  # "BUSTED:", "HUFFPOLLSTER:"
    if head[0].lower_ == "the" and len(head) <= 2:
        return None
    ends = [e for e in doc.ents if e.end == colon.i]
    if any(e.label_ in ("GPE", "LOC", "FAC", "EVENT", "DATE") for e in ends):
        return None  # "Peru: Clashes Break Out ...", a place or topic label, not a speaker
    named = any(e.label_ in ("PERSON", "ORG", "NORP") for e in ends)
    proper = all(t.pos_ == "PROPN" or t.is_punct for t in head)
    single = len(head) == 1 and head[0].pos_ in ("NOUN", "PROPN")
    if not (named or proper or single):
        return None
    last = rest[-1].i + 1
    while last > rest[0].i + 1 and doc[last - 1].is_punct and not doc[last - 1].is_quote:
        last -= 1
    return (RawSpan("cue", colon.i, colon.i + 1), RawSpan("source", head.start, head.end),
            [RawSpan("content", rest[0].i, last)], 0.6)


def build(text: str, doc: Doc, offset: int, linked: list, mask: bytearray) -> list[Attribution]:
    """Attributions with character spans from linked token spans."""
    block = text[offset:offset + _doc_len(doc)]
    out = []
    for cue, source, contents, conf in linked:
        parts = sorted(_strip(block, doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])) for c in contents)
        parts = [p for p in parts if p[1] > p[0]]
        if not parts:
            continue
        a_type = attribution_type(block, parts, mask)
        content = Span.of(text, parts[0][0] + offset, parts[-1][1] + offset)
        out.append(Attribution(
            type=a_type, content=content,
            content_parts=[Span.of(text, s + offset, e + offset) for s, e in parts],
            cue=_char_span(text, doc, cue, offset), source=_char_span(text, doc, source, offset),
            confidence=conf))
    return out


def _char_span(text: str, doc: Doc, rs: Optional[RawSpan], offset: int) -> Optional[Span]:
    if rs is None:
        return None
    s = doc[rs.start].idx + rs.skip_start
    last = doc[rs.end - 1]
    e = last.idx + (len(last) if rs.keep_end is None else rs.keep_end)
    return Span.of(text, s + offset, e + offset)


# ---------------------------------------------------------------------------------------------
# linking tagged spans


def complete_sources(doc: Doc, spans: list[RawSpan]) -> list[RawSpan]:
    """A source that stops inside a noun phrase ("The" of "The opposition") is widened to the
    phrase: a source is a mention, never half of one; nor does it run past a ')' it did not open."""
    if not any(sp.role == "source" for sp in spans):
        return spans
    owner = {}
    for k, sp in enumerate(spans):
        for i in range(sp.start, sp.end):
            owner[i] = k
    chunk_end = {}
    try:
        for nc in doc.noun_chunks:
            for t in nc:
                chunk_end[t.i] = nc.end
    except ValueError:  # no parse
        return spans
    out = []
    for k, sp in enumerate(spans):
        if sp.role == "source":
            end = chunk_end.get(sp.end - 1, sp.end)
            if end > sp.end and all(owner.get(i, k) == k for i in range(sp.end, end)):
                sp = RawSpan("source", sp.start, end, sp.score)
            sp = _unclosed_bracket(doc, _inside_brackets(doc, sp, closing_only=True))
        out.append(sp)
    return out


def _unclosed_bracket(doc: Doc, sp: RawSpan) -> RawSpan:
    """A source that opens parentheses it does not close ends before them: 'said one union leader
    (who "will not wait another year," as he put it)' had the source 'one union leader (who "will
    not wait another year'. One whose ')' is the very next token only missed it ('Sen. Pat Toomey
    (R-Pa.' is how three of PolNeAR train's 18,404 gold sources end) and stays."""
    opened = []
    for t in doc[sp.start:sp.end]:
        for ch in t.text:
            if ch == "(":
                opened.append(t.i)
            elif ch == ")" and opened:
                opened.pop()
    if not opened or opened[0] <= sp.start or sp.end < len(doc) and doc[sp.end].text.startswith(")"):
        return sp
    end = opened[0]
    while end > sp.start and (doc[end - 1].is_space or doc[end - 1].is_punct):
        end -= 1
    return RawSpan(sp.role, sp.start, end, sp.score) if end > sp.start else sp


_DEPICTING = frozenset(("have", "show", "feature", "depict", "catch", "capture"))


def _speech_participle(tok: Any) -> bool:
    """'saying', 'telling': a speech verb's -ing form (the parser sometimes tags it a noun)."""
    low = tok.lower_
    if not low.endswith("ing") or len(low) < 6:
        return False
    return tok.lemma_.lower() in SPEECH_VERBS or low[:-3] in SPEECH_VERBS or low[:-3] + "e" in SPEECH_VERBS


def depicted_speakers(doc: Doc, spans: list[RawSpan]) -> list[RawSpan]:
    """'The new campaign video has Trump saying, "..."': a cue tagged over the whole
    'has Trump saying' names its speaker inside it. The cue becomes the participle, the name
    between the verb of depicting (have, show, feature, ...) and it becomes the source, and the
    depicting verb's subject ('The new campaign video') is no source of it. PolNeAR annotates
    such sentences either way (the video as source of 'shows', content 'Hess talking about ...';
    or Trump as source of 'talking about'), never with the name inside the cue."""
    cues = [sp for sp in spans if sp.role == "cue" and sp.end - sp.start >= 3
            and doc[sp.start].lemma_.lower() in _DEPICTING and _speech_participle(doc[sp.end - 1])]
    if not cues:
        return spans
    out = list(spans)
    for cue in cues:
        middle = doc[cue.start + 1:cue.end - 1]
        last = middle[-1]
        if any(t.pos_ not in ("PROPN", "NOUN", "DET", "ADJ") for t in middle) \
                or not (last.pos_ == "PROPN" or last.tag_ == "NNP" or last.lemma_.lower() in ROLE_NOUNS):
            continue  # a name or a role ('has the minister saying'), not 'has a long history of blaming'
        k = out.index(cue)
        out[k] = RawSpan("cue", cue.end - 1, cue.end, cue.score)
        out.append(RawSpan("source", cue.start + 1, cue.end - 1, cue.score))
        subj = {c.i for c in doc[cue.start].children if c.dep_ in ("nsubj", "nsubjpass")}
        out = [sp for sp in out if not (sp.role == "source" and sp.end <= cue.start
                                        and any(i in subj for i in range(sp.start, sp.end)))]
    return sorted(out, key=lambda sp: (sp.start, sp.end))


def split_contents(doc: Doc, spans: list[RawSpan], qs: list) -> list[RawSpan]:
    """Cut predicted contents at paragraph breaks, except inside one multi-paragraph quotation:
    the tagger sometimes runs a content on into the next paragraph's quote."""
    inner_breaks: set[int] = set()  # char offsets of paragraph breaks inside one quotation
    for q in qs:
        for (s0, e0), (s1, e1) in zip(q.parts, q.parts[1:]):
            inner_breaks.update(range(e0, s1))
    out: list[RawSpan] = []
    for sp in spans:
        if sp.role != "content" or sp.end - sp.start < 2:
            out.append(sp)
            continue
        sp = _inside_brackets(doc, sp)
        start = sp.start
        for t in doc[sp.start:sp.end - 1]:
            if ("\n" in t.whitespace_ or t.is_space and "\n" in t.text) and t.idx + len(t.text) not in inner_breaks \
                    and t.idx not in inner_breaks:
                end = t.i + (0 if t.is_space else 1)
                if end > start:
                    out.append(RawSpan("content", start, end, sp.score))
                start = t.i + 1
        if sp.end > start:
            out.append(RawSpan("content", start, sp.end, sp.score))
    return [sp for sp in out if not all(t.is_space or t.is_punct for t in doc[sp.start:sp.end])
            and not (sp.role == "content" and sp.end - sp.start == 1 and doc[sp.start].tag_ in _FUNCTION_TAGS)]


def _inside_brackets(doc: Doc, sp: RawSpan, closing_only: bool = False) -> RawSpan:
    """A content that opens inside parentheses ends where they close: 'Officials were cautious
    (one said, "We are not there yet") but hopeful' ran on past the ')'; so does a source
    (``closing_only``: 'said one member) and many left'). A content that runs into parentheses
    it does not close stops before them, or, when a quotation opens them, is that quotation: 'The
    decision drew criticism (“This is a disgrace,” said one member)' had the whole sentence as the
    member's words (no content part of PolNeAR's train holds an unclosed '(' but at its start).
    Brackets are counted in characters: '401(k)' and '(hashtag)StopGunViolence' are balanced."""
    opened: list[int] = []
    for t in doc[sp.start:sp.end]:
        for ch in t.text:
            if ch == "(":
                opened.append(t.i)
            elif ch == ")":
                if not opened:
                    return RawSpan(sp.role, sp.start, t.i, sp.score) if t.i > sp.start else sp
                opened.pop()
    if opened and opened[-1] > sp.start and not closing_only and doc[opened[-1]].text == "(":
        i = opened[-1]
        if i + 2 < sp.end and doc[i + 1].is_quote:
            return RawSpan(sp.role, i + 1, sp.end, sp.score)
        return RawSpan(sp.role, sp.start, i, sp.score)
    return sp


_FUNCTION_TAGS = frozenset({"DT", "IN", "WDT", "PRP$", "CC", "TO", "WP", "WRB", "POS", "MD", "EX", "RP"})


def _paragraph_ids(doc: Doc) -> list[int]:
    """Each token's paragraph number (a token holding a line break ends its paragraph; its
    trailing whitespace is one space at most), computed once per doc."""
    cached = doc.user_data.get("saidwhat.paragraphs")
    if cached is not None and len(cached) == len(doc):
        return cached
    pid, out = 0, []
    for w in token_texts(doc):
        out.append(pid)
        if "\n" in w:
            pid += 1
    doc.user_data["saidwhat.paragraphs"] = out
    return out


Linked = tuple[Optional[RawSpan], Optional[RawSpan], list[RawSpan], float]


def _dist(a: RawSpan, b: RawSpan) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def _sentence_ids(doc: Doc, para: list[int]) -> list[int]:
    """Sentence ids that also break at paragraphs: the parser sometimes runs a sentence on over a
    paragraph break ("... in it.'” | Limbaugh continued: “...”")."""
    sent_of = [0] * len(doc)
    si = 0
    for t in doc:
        if t.i and (t.is_sent_start or para[t.i] != para[t.i - 1]):
            si += 1
        sent_of[t.i] = si
    return sent_of


class _Linker:
    """The linking of one block's tagged spans, one method per decision (``link`` runs them in
    order): each content to a cue (``cue_for_content`` and the rules it consults), cues left
    without content (``give_orphan_cues_content``), contents kept to their cue's paragraph
    (``keep_to_cue_paragraph``), and each cue's source (``source_for_cue``)."""

    def __init__(self, doc: Doc, spans: list[RawSpan], para: list[int], title: int,
                 sent_of: Optional[list[int]] = None) -> None:
        self.doc, self.spans, self.para, self.title = doc, spans, para, title
        self.cues = [s for s in spans if s.role == "cue"]
        self.sources = [s for s in spans if s.role == "source"]
        self.contents = [s for s in spans if s.role == "content"]
        self.sent_of = sent_of if sent_of is not None else _sentence_ids(doc, para)
        self.cues_by_para: dict[int, list[int]] = {}
        for ci, q in enumerate(self.cues):
            self.cues_by_para.setdefault(para[q.start], []).append(ci)
        self.groups: dict[int, list[RawSpan]] = {}  # cue index -> its contents
        self.last_quote: dict[int, int] = {}  # paragraph -> cue of its latest quote

    # -- small predicates over the doc

    def quoted(self, c: RawSpan) -> bool:
        """``c`` opens with a quotation mark (or right after one)."""
        doc = self.doc
        return doc[c.start].is_quote or c.start > 0 and doc[c.start - 1].is_quote

    def closes(self, c: RawSpan) -> bool:
        """The span ``c`` takes its own closing quotation mark."""
        return c.end - 1 > c.start and self.doc[c.end - 1].is_quote

    def runs_on(self, c: RawSpan) -> bool:
        """The quote ``c`` ends its paragraph without a closing mark."""
        if self.closes(c):
            return False
        for t in self.doc[c.end:c.end + 4]:
            if t.is_quote:
                return False
            if t.is_space or "\n" in t.whitespace_:
                return True
        return c.end >= len(self.doc)

    def thread(self, c: RawSpan) -> bool:
        """``c`` quotes (opens or closes with a mark) and no other quote follows it in its
        paragraph: a whole quoted paragraph after it goes on with the same speaker."""
        if not (self.quoted(c) or self.closes(c)):
            return False
        doc, para = self.doc, self.para
        k = c.end
        while k < len(doc) and para[k] == para[c.end - 1]:
            if doc[k].is_quote:
                return False
            k += 1
        return True

    # -- contents to cues

    def link_contents(self) -> None:
        for c in sorted(self.contents, key=lambda c: c.start):
            best = self.cue_for_content(c)
            if best is not None:  # a content with no cue nearby is dropped (emitting it cost F1)
                self.groups.setdefault(best, []).append(c)
                if self.quoted(c):
                    self.last_quote[self.para[c.start]] = best

    def cue_for_content(self, c: RawSpan) -> Optional[int]:
        """The cue of content ``c``: the one the parse ties to it, else one of its paragraph and
        sentence, else the nearest (``rank_cues``), then the three rules that correct the parse."""
        para, sent_of = self.para, self.sent_of
        lo, hi = _core(self.doc, c.start, c.end)
        c_sents = set(range(sent_of[lo], sent_of[hi - 1] + 1))
        head = _external_head(self.doc, c.start, c.end)
        cand = []
        for p in range(para[c.start] - 1, para[c.end - 1] + 2):
            cand.extend(self.cues_by_para.get(p, ()))
        best, best_key = self.rank_cues(c, cand, head, c_sents)
        if best is not None and best_key[0] == -1:
            best = self.speech_verb_between(c, best, cand, c_sents)
        if self.quoted(c) and head >= 0 and (best is None or best_key[0] == 0):
            chant = self.chant_verb_cue(head, c_sents)
            if chant is not None:
                best, best_key = chant, (-1, False, False, 0)
        if best is not None and best_key[0] == 0 and best_key[2] and self.quoted(c):
            best = self.quote_thread(c, best)
        return best

    def rank_cues(self, c: RawSpan, cand: list[int], head: int, c_sents: set[int]) -> tuple[Optional[int], Any]:
        """The best of the candidate cues for ``c``, by (the parse ties them, same paragraph,
        same sentence, distance), with its key; a title's content only takes a cue of the title
        and a body's content one of the body."""
        para, title = self.para, self.title
        c_paras = {para[c.start], para[c.end - 1]}
        best, best_key = None, None
        for ci in cand:
            q = self.cues[ci]
            if title and (q.start < title) != (c.start < title):
                continue
            qp = para[q.start]
            # the parse ties a cue to a content in another paragraph only when the cue comes
            # first ("He said: | “...”"), not "“...” | Limbaugh continued:"
            syn = 1 if q.start <= head < q.end and (qp in c_paras or q.end <= c.start) else 0
            same_sent = self.sent_of[q.start] in c_sents
            key = (-syn, qp not in c_paras, not same_sent, _dist(c, q))
            if best_key is None or key < best_key:
                best, best_key = ci, key
        return best, best_key

    def speech_verb_between(self, c: RawSpan, best: int, cand: list[int], c_sents: set[int]) -> int:
        """"The spot concludes with footage of Trump saying, “...”": the parse hangs the quote on
        the main verb, but a cue of the same sentence stands between them and takes it."""
        cues, sent_of = self.cues, self.sent_of
        q0 = cues[best]
        between = [ci for ci in cand if sent_of[cues[ci].start] in c_sents and
                   q0.end <= cues[ci].start and cues[ci].end <= c.start]
        if between:
            near = min(between, key=lambda ci: _dist(c, cues[ci]))
            q1 = cues[near]
            lo2, hi2 = min(q1.end, c.end), max(q1.start, c.start)
            if any(t.pos_ == "VERB" for t in self.doc[q1.start:q1.end]) and \
                    not any(lo2 <= o.start and o.end <= hi2 for o in self.contents):
                return near
        return best

    def chant_verb_cue(self, head: int, c_sents: set[int]) -> Optional[int]:
        """"called the bigwigs to the stage, singing “It's Our Time.”": the quote's own verb of
        singing or chanting, which the tagger left untagged, becomes its cue (a new cue) rather
        than a cue the parse does not tie (any speech verb here: train with gold tags 0.9573 ->
        0.9570)."""
        h = self.doc[head]
        if h.pos_ == "VERB" and h.lemma_.lower() in _CHANT_VERBS and \
                self.sent_of[h.i] in c_sents and not any(o.start <= h.i < o.end for o in self.spans):
            self.cues.append(RawSpan("cue", h.i, h.i + 1, 0.5))
            ci = len(self.cues) - 1
            self.cues_by_para.setdefault(self.para[h.i], []).append(ci)
            return ci
        return None

    def quote_thread(self, c: RawSpan, best: int) -> int:
        """A quote with no cue in its sentence continues the paragraph's last quote, whose speaker
        goes on after a sentence of narration ("He didn't suggest retaliation.")."""
        prev = self.last_quote.get(self.para[c.start])
        if prev is not None and prev != best and self.cues[best].end <= c.start:
            return prev
        return best

    def give_orphan_cues_content(self) -> None:
        """A cue left without content takes the nearest content of a cue that got several, when
        it is nearer to that content (the tagger found two contents but merged their cues' work)."""
        groups, sent_of = self.groups, self.sent_of
        for ci, q in enumerate(self.cues):
            if ci in groups:
                continue
            best_move = None
            for cj, group in groups.items():
                if len(group) < 2:
                    continue
                other = self.cues[cj]
                for c in group:
                    if sent_of[c.start] != sent_of[q.start] and sent_of[c.end - 1] != sent_of[q.start]:
                        continue
                    if _dist(c, q) < _dist(c, other) and (best_move is None or _dist(c, q) < best_move[0]):
                        best_move = (_dist(c, q), cj, c)
            if best_move is not None:
                _, cj, c = best_move
                groups[cj].remove(c)
                groups[ci] = [c]

    def keep_to_cue_paragraph(self) -> None:
        """A cue with content in its own paragraph does not also take contents of the paragraphs
        around it (in PolNeAR train, 116 of 19,881 attributions span paragraphs), except a quote
        running over paragraphs (each paragraph opens with a new mark, only the last one
        closes), or a whole quoted paragraph after it that goes on with its speaker
        (“...,” he said. | “Right now ...”)."""
        para = self.para
        for ci, group in self.groups.items():
            qp = para[self.cues[ci].start]
            local = [c for c in group if para[c.start] == qp or para[c.end - 1] == qp]
            if local and len(local) < len(group):
                first = min(local, key=lambda c: c.start)
                last = max(local, key=lambda c: c.end)
                self.groups[ci] = [c for c in group if c in local or self.quoted(c) and (
                    c.end <= first.start and self.quoted(first) and self.runs_on(c) or
                    c.start >= last.end and (self.runs_on(last) or self.closes(c) and self.thread(last)))]

    def keep_to_cue_sentence(self) -> None:
        """A cue with content in its own sentence does not also take an unquoted fragment of an
        earlier sentence ("... seeming like superheroes, sandwich artists are ... . Conney said in
        order to be what the people need, ...": "superheroes" is not Conney's). A quotation runs
        over sentences; reported speech split around its cue does not cross a sentence end
        before it."""
        doc, sent_of = self.doc, self.sent_of
        for ci, group in self.groups.items():
            if len(group) < 2:
                continue
            qs = sent_of[self.cues[ci].start]
            if not any(sent_of[c.start] <= qs <= sent_of[c.end - 1] for c in group):
                continue
            self.groups[ci] = [c for c in group if sent_of[c.end - 1] >= qs or self.quoted(c)
                               or any(t.is_quote for t in doc[c.start:c.end]) or self.in_quotation(c)]

    def in_quotation(self, c: RawSpan) -> bool:
        """An odd number of quotation marks opens the paragraph before ``c``."""
        doc, para = self.doc, self.para
        k, n = c.start - 1, 0
        while k >= 0 and para[k] == para[c.start]:
            n += doc[k].is_quote and doc[k].text not in ("'", "’")
            k -= 1
        return n % 2 == 1

    # -- cues to sources

    def source_for_cue(self, q: RawSpan, group: list[RawSpan], used: set[int]) -> Optional[RawSpan]:
        """The source of cue ``q`` with contents ``group``: the tagged source the parse ties to
        it, else one of its sentence (never one inside its content), else its grammatical subject
        (``_subject``); none for the cues PolNeAR leaves sourceless (``_sourceless_cue``) and
        only a tied one for an agentless passive. An inverted source takes its relative clause."""
        doc, sent_of = self.doc, self.sent_of
        src, best_key = None, None
        for si in self.sources_by_para.get(self.para[q.start], ()):
            s = self.sources[si]
            if any(c.start <= s.start and s.end <= c.end for c in group):
                continue
            syn = 1 if self.tied(s, q) else 0
            key = (-syn, sent_of[s.start] != sent_of[q.start], si in used, _dist(s, q))
            if best_key is None or key < best_key:
                src, best_key = si, key
        if src is not None and best_key[0] == 0 and best_key[1]:
            src = None  # no syntactic link and not in the cue's sentence: not its source
        if src is not None and best_key[0] == 0 and _agentless_passive(doc, q):
            src = None  # "a ceasefire was signed": only its own subject, if any, can be a source
        if src is not None:
            used.add(src)
        source = self.sources[src] if src is not None else None
        if _sourceless_cue(doc, q):
            source = None
        elif source is None:
            source = _subject(doc, q, group)
        if source is not None and source.start >= q.end:
            source = _with_relative_clause(doc, source, self.cues + self.contents)
        return source

    def tied(self, s: RawSpan, q: RawSpan) -> bool:
        """The parse ties source ``s`` to cue ``q``: the head of ``s``'s first token governed from
        outside it is the cue or within three steps under it."""
        for t in self.doc[s.start:s.end]:
            if not (s.start <= t.head.i < s.end):
                anc = t.head
                for _ in range(3):
                    if q.start <= anc.i < q.end:
                        return True
                    if anc.head.i == anc.i:
                        break
                    anc = anc.head
                return False
        return False

    def link_sources(self) -> list[Linked]:
        self.sources_by_para: dict[int, list[int]] = {}
        for si, s in enumerate(self.sources):
            self.sources_by_para.setdefault(self.para[s.start], []).append(si)
        used: set[int] = set()
        out = []
        for ci in sorted(self.groups):
            q = self.cues[ci]
            group = sorted(self.groups[ci], key=lambda s: s.start)
            source = self.source_for_cue(q, group, used)
            out.append((q, source, group, min([q.score] + [c.score for c in group])))
        return out


def link(doc: Doc, spans: list[RawSpan], para: list[int], title: int = 0,
         sent_of: Optional[list[int]] = None) -> list[Linked]:
    """Group tagged spans into (cue, source, contents, confidence) attributions; ``para`` is
    ``_paragraph_ids(doc)``, ``title`` the end of the article's title line (``title_end``) or 0:
    a title's content only takes a cue of the title, a body's content only one of the body.
    ``sent_of``: ``_sentence_ids(doc, para)`` when the caller has it already."""
    linker = _Linker(doc, spans, para, title, sent_of)
    linker.link_contents()
    linker.give_orphan_cues_content()
    linker.keep_to_cue_paragraph()
    linker.keep_to_cue_sentence()
    return linker.link_sources()


def _with_relative_clause(doc: Doc, source: RawSpan, others: list[RawSpan]) -> RawSpan:
    """``said Joseph, who has four children.``: an inverted source takes its non-restrictive
    relative clause (PolNeAR's annotators include it more often than not: 119 vs 88 in train),
    unless the clause holds a cue or content of its own (``who emphasized that ...``)."""
    i = source.end
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i >= len(doc) or doc[i].lower_ not in ("who", "whose"):
        return source
    rel = doc[i]
    while rel.dep_ != "relcl" and rel.head.i != rel.i and source.end <= rel.head.i:
        rel = rel.head
    if rel.dep_ != "relcl" or not (source.start <= rel.head.i < source.end):
        return source
    end = max(t.i for t in rel.subtree) + 1
    while end > i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if any(c.start < end and source.end < c.end for c in others) or end - source.end > 40:
        return source
    return RawSpan("source", source.start, end, source.score)


_SOURCELESS = {"seem", "appear", "unclear"}


def _agentless_passive(doc: Doc, cue: RawSpan) -> bool:
    """A passive cue with no "by" agent ("was signed", "were allowed to stand"): in PolNeAR train
    57 of 83 have no source and the rest have their grammatical subject as source."""
    for t in doc[cue.start:cue.end]:
        if t.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in t.children):
            return not any(c.dep_ == "agent" for c in t.children)
    return False


def _sourceless_cue(doc: Doc, cue: RawSpan) -> bool:
    """Cues whose subject is what the content is about, not who asserts it (``X seems to``,
    ``X is expected to``, ``known as``): PolNeAR leaves their source empty (in train: 74 of 74
    bare "expected", 185 of 197 bare "seem"/"appear", 56 of 65 "known") unless the cue goes on
    with what the subject does ("seemed to blame", "is expected to announce": all 40 have the
    subject as source); nor the questioner of a participle or passive "asked" (39 of 45
    "Asked ...", 29 of 34 "when asked", 28 of 39 "was asked"; an active "X asked" has its source
    in 100 of 104; a sentence-opening "Asked" the parser tags VBD: 6 more right in train)."""
    toks = doc[cue.start:cue.end]
    # "seemed to blame", "is expected to announce": the subject does the blaming, announcing
    acts = any(x.pos_ == "VERB" and x.lemma_ not in _SOURCELESS and x.lemma_ not in ("be", "expect", "know")
               for x in toks)
    for t in toks:
        if t.lemma_ in _SOURCELESS:
            return not acts
        if t.lemma_ in ("expect", "know") and (t.tag_ == "VBN" and any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children) or t.lower_ == "known"):
            return not acts
        if t.lower_ in ("clear", "apparent", "obvious", "evident"):
            v = t.head if t.dep_ in ("acomp", "oprd", "ccomp", "xcomp") else t
            if v.lemma_ != "make" and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in v.children):
                return True  # "it became clear that ..." (train: 22 of 24 without source)
        if t.lemma_ == "ask" and t.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in t.children):
            return True  # "Asked whether ...", "when asked", "was asked": who asked is not said
        if t.text == "Asked" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return True  # the same participle opening a sentence, tagged as a past tense
    return False


def _subject(doc: Doc, cue: RawSpan, contents: list[RawSpan]) -> Optional[RawSpan]:
    """The cue verb's grammatical subject (or passive agent), when the tagger marked no source
    linked to it by the parse."""
    toks = list(doc[cue.start:cue.end])
    if not any(ch.dep_ in ("nsubj", "nsubjpass") for t in toks for ch in t.children):
        # "Trump tweeted, saying ...", "She spoke and added ...": the governing verb's subject
        # (also a finite adverbial clause with no subject of its own: a misparsed participle,
        # "Protesters marching through the streets chanted ...")
        for t in toks:
            if t.dep_ in ("advcl", "xcomp", "conj") and t.head.pos_ in ("VERB", "AUX") and (
                    t.dep_ != "advcl" or t.tag_ in ("VBG", "VBD")):
                toks = [t.head]
                break
    def phrase(tok: Any) -> Optional[RawSpan]:
        """``tok``'s phrase as a source, unless it is long or overlaps a content."""
        lo, hi = tok.left_edge.i, tok.right_edge.i + 1
        if hi - lo > 12 or any(c.start < hi and lo < c.end for c in contents):
            return None
        return RawSpan("source", lo, hi, 0.5)

    for t in toks:
        for ch in t.children:
            if ch.dep_ == "agent" and not (cue.start <= ch.i < cue.end):
                # "was written by Springsteen": the agent, not the passive subject
                obj = [x for x in ch.children if x.dep_ == "pobj"]
                agent = phrase(obj[0]) if obj else None
                if agent is not None:
                    return agent
        for ch in t.children:
            if ch.dep_ in ("nsubj", "nsubjpass") and not (cue.start <= ch.i < cue.end):
                if ch.dep_ == "nsubjpass" or ch.tag_ in ("WDT", "EX") or ch.lower_ in ("it", "there", "this", "that"):
                    return None
                return phrase(ch)
    return None


# ---------------------------------------------------------------------------------------------
# rule-based fallback (no trained model)


def rule_attributions(doc: Doc, qs: list) -> list[tuple[Optional[RawSpan], Optional[RawSpan], list[RawSpan], float]]:
    out = []
    used: set[int] = set()

    def tok_span(start_char: int, end_char: int) -> Optional[RawSpan]:
        sp = doc.char_span(start_char, end_char, alignment_mode="expand")
        return RawSpan("content", sp.start, sp.end) if sp is not None and len(sp) else None

    def subject(verb) -> Optional[RawSpan]:
        for ch in verb.children:
            if ch.dep_ in ("nsubj", "nsubjpass"):
                sub = list(ch.subtree)
                return RawSpan("source", sub[0].i, sub[-1].i + 1)
        return None

    for q in qs:
        c = tok_span(q.start, q.end)
        if c is None:
            continue
        sent = doc[c.start].sent
        cands = [t for t in doc[max(0, sent.start - 0):min(len(doc), doc[c.end - 1].sent.end + 1)]
                 if t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB" and not (c.start <= t.i < c.end)]
        if not cands:
            continue
        v = min(cands, key=lambda t: min(abs(t.i - c.start), abs(t.i - c.end)))
        used.add(v.i)
        out.append((RawSpan("cue", v.i, v.i + 1), subject(v), [c], 0.6 if q.balanced else 0.3))
    for t in doc:
        if t.i in used or t.lemma_ not in SPEECH_VERBS or t.pos_ != "VERB":
            continue
        comp = [ch for ch in t.children if ch.dep_ == "ccomp"]
        if not comp:
            continue
        sub = list(comp[0].subtree)
        out.append((RawSpan("cue", t.i, t.i + 1), subject(t),
                    [RawSpan("content", sub[0].i, sub[-1].i + 1)], 0.5))
    return out
