"""Stage 3: find direct quotations by their quotation marks.

Works on characters, before and independently of the parse, for every convention news uses:
curly “…”, straight "…", guillemets «…» and »…«, German „…“, single ‘…’ / '…', and the New York
Times' two apostrophes ''…''. A quotation running over several paragraphs, whose opening mark is
repeated at the start of each paragraph and closed only at the end of the last, is one quote.
Unbalanced or stray marks never raise: an unclosed quote ends at its paragraph's end and is flagged
``balanced=False`` so that later stages lower their confidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Mark families: opening marks, closing marks. Straight marks open and close.
_DOUBLE_OPEN = "“„«‹"
_DOUBLE_CLOSE = "”“»›"
_SINGLE_OPEN = "‘‚"
_SINGLE_CLOSE = "’‘"
QUOTE_CHARS = set("\"“”„«»‹›‘’‚'")

# A candidate mark: two apostrophes or two backticks (NYT, PTB), or one quotation character.
_MARK = re.compile(r"''|``|[\"“”„«»‹›‘’‚']")


@dataclass
class Quote:
    """A direct quotation: ``start``/``end`` bound its text, marks excluded.

    ``parts`` lists the paragraphs' pieces of a multi-paragraph quote (one piece otherwise).
    """

    start: int
    end: int
    open_mark: str
    close_mark: str | None
    balanced: bool = True
    parts: list[tuple[int, int]] = field(default_factory=list)

    @property
    def outer_start(self) -> int:
        return self.start - len(self.open_mark)

    @property
    def outer_end(self) -> int:
        return self.end + (len(self.close_mark) if self.close_mark else 0)


def _kind(mark: str) -> str:
    if mark in ("''", "``", '"') or mark in _DOUBLE_OPEN or mark in "”»›":
        return "double"
    return "single"


def _is_word(c: str) -> bool:
    return c.isalnum()


def _opens(text: str, i: int, mark: str) -> bool:
    """Whether the mark at ``i`` can open a quotation (judged by its neighbours)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(mark)] if i + len(mark) < len(text) else " "
    if after.isspace():
        return False
    if mark in ("“", "„", "«", "‹", "‘", "‚", "``"):
        return True
    # straight marks, '' and closing-looking marks used as openers (»…« in German print)
    return before.isspace() or before in "([{—–-/:;,>" or i == 0 or (mark == '"' and not _is_word(before))


def _closes(text: str, i: int, mark: str) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(mark)] if i + len(mark) < len(text) else " "
    if mark in ("'", "’"):
        # an apostrophe inside a word (don't, Obama's) or a plural possessive (ministers') is no mark
        if _is_word(after):
            return False
        if before.isspace():
            return False
    return not before.isspace() or after.isspace() or not _is_word(after)


def _paragraph_ends(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\n", text)] + [len(text)]


def find_quotes(text: str) -> list[Quote]:
    """Every direct quotation in ``text``, in order, outermost only (nested quotes are inside)."""
    quotes: list[Quote] = []
    marks = [(m.start(), m.group()) for m in _MARK.finditer(text)]
    if not marks:
        return quotes
    n = len(marks)
    k = 0
    while k < n:
        i, mark = marks[k]
        if not _opens(text, i, mark) or mark in "”»›" and mark != "»":
            k += 1
            continue
        if mark in ("'", "’") and i > 0 and _is_word(text[i - 1]):
            k += 1
            continue
        family = _kind(mark)
        start = i + len(mark)
        parts_start = start
        parts: list[tuple[int, int]] = []
        found = None
        j = k + 1
        while j < n:
            ci, cmark = marks[j]
            if _kind(cmark) != family:
                j += 1
                continue
            # a paragraph break between: continue only if the next paragraph reopens the quote
            nl = text.find("\n", parts_start, ci)
            if nl != -1:
                para_end = nl
                # the next non-blank paragraph start
                m = re.compile(r"\n\s*").match(text, nl)
                nxt = m.end() if m else nl + 1
                if ci == nxt and _opens(text, ci, cmark) and family == _kind(cmark):
                    parts.append((parts_start, _rstrip(text, parts_start, para_end)))
                    parts_start = ci + len(cmark)
                    j += 1
                    continue
                break
            if _closes(text, ci, cmark) and ci > start:
                found = (ci, cmark)
                break
            j += 1
        if found is not None:
            ci, cmark = found
            parts.append((parts_start, ci))
            quotes.append(Quote(start, ci, mark, cmark, True, parts))
            k = j + 1
        else:
            # unbalanced: the quote runs to the end of its (last) paragraph
            nl = text.find("\n", parts_start)
            end = len(text) if nl == -1 else nl
            end = _rstrip(text, parts_start, end)
            if end - start >= 1 and family == "double":
                parts.append((parts_start, end))
                quotes.append(Quote(start, end, mark, None, False, parts))
            # skip the marks inside the unbalanced region
            while k < n and marks[k][0] < end:
                k += 1
            if k < n and marks[k][0] <= i:
                k += 1
            continue
    return [q for q in quotes if q.end > q.start and text[q.start:q.end].strip()]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def quote_mask(text: str, quotes: list[Quote] | None = None) -> bytearray:
    """One byte per character: 1 inside a quotation (marks included), else 0."""
    mask = bytearray(len(text))
    for q in quotes if quotes is not None else find_quotes(text):
        for s, e in q.parts or [(q.start, q.end)]:
            lo = max(0, s - len(q.open_mark))
            hi = min(len(text), e + (len(q.close_mark) if q.close_mark else 0))
            mask[lo:hi] = b"\x01" * (hi - lo)
    return mask
