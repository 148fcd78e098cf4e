"""The article as the resolver reads it: spaCy tokens by character offset, sentences, paragraphs
and what lies inside quotation marks; and small helpers over token lists."""
from __future__ import annotations

import bisect
import re

from .lexicon import DETERMINERS

_QUOTE_OPEN = "“„«"
_QUOTE_CLOSE = "”»"
_WS = re.compile(r"\s+")


class ArticleIndex:
    """Article-level view over the parsed ``(offset, Doc)`` blocks."""

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
        # the text the parse read: a line break that only wraps a line is a space there
        # (``layout.soften_line_breaks``), and no paragraph break
        read = text
        if self.blocks and "\n" in text:
            chars = list(text)
            for off, doc in self.blocks:
                t = doc.text
                if len(t) <= len(chars) - off:
                    chars[off:off + len(t)] = t
            read = "".join(chars)
        # a paragraph break always starts a sentence
        self.para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*", read)]
        self.sent_starts = sorted(set(self.sent_starts) | set(self.para_starts))
        self.quote = self._quote_mask(read)

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

    def sent_start(self, i: int) -> int:
        if i < 0:
            return 0
        return self.sent_starts[i] if i < len(self.sent_starts) else len(self.text)

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def block_of(self, pos: int):
        i = bisect.bisect_right(self.block_starts, pos) - 1
        if i < 0:
            return None
        off, doc = self.blocks[i]
        if pos > off + self.block_lens[i]:
            return None
        return off, doc

    def offset_of(self, pos: int) -> int:
        b = self.block_of(pos)
        return b[0] if b else 0

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
# token-list helpers


def is_poss_marker(t) -> bool:
    return t.tag_ == "POS" or t.text in ("'s", "’s", "'", "’")


def strip_tokens(toks: list) -> list:
    """Drop punctuation, determiners and possessive markers at the edges."""
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].lower_ in DETERMINERS):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space or is_poss_marker(toks[-1])):
        toks = toks[:-1]
    return toks


_BRACKETS = re.compile(r"[\[\]]")


def phrase(text: str, off: int, toks: list) -> tuple[int, int, str]:
    """Character span and whitespace-normalised text of contiguous tokens."""
    s = toks[0].idx + off
    e = toks[-1].idx + len(toks[-1].text) + off
    if toks[0].text[:1] in "-—–―" and toks[0].text[1:2].isupper():
        s += 1  # "-Michelle Marks": a credit's dash glued to the name is one token
    # an editor's brackets inside a name are no part of it: "Indian [Railways]", "the [Iranian] Chess Federation"
    return s, e, _WS.sub(" ", _BRACKETS.sub("", text[s:e])).strip()


def head_of(toks: list):
    """The syntactic head of a token list: the first token whose head lies outside it."""
    if not toks:
        return None
    ids = {t.i for t in toks}
    tops = [t for t in toks if (t.head.i not in ids or t.head.i == t.i) and not t.is_punct]
    # a determiner or preposition the parser hangs outside the phrase is not its head
    # ("The guidelines state ...", with "The" on "state")
    content = [t for t in tops if t.pos_ not in ("DET", "ADP", "CCONJ", "PART", "PUNCT")]
    if len(content) > 1:
        # a phrase the parser broke in two ("A Sept. 15, 2011 email shows ...", with "Sept."
        # on the verb): a date is not its head
        content = [t for t in content if t.ent_type_ not in ("DATE", "TIME")] or content
    if content:
        return content[0]
    if tops:
        return tops[0]
    rest = [t for t in toks if not t.is_punct]
    return rest[-1] if rest else None


def normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


def fold_word(w: str) -> str:
    """A name word compared across mentions: lower case, one apostrophe ("O’Neill" = "O'Neill")."""
    return w.lower().replace("’", "'").replace("‘", "'")
