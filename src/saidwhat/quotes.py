"""Stage 3: find direct quotations by their quotation marks.

Works on characters, before and independently of the parse, for every convention news uses:
curly “…”, straight "…", guillemets «…» and »…«, German „…“, single ‘…’ / '…', and the New York
Times' two apostrophes ''…''. A quotation running over several paragraphs, whose opening mark is
repeated at the start of each paragraph and closed only at the end of the last, is one quote.
Unbalanced or stray marks never raise: an unclosed quote ends at its paragraph's end and is flagged
``balanced=False`` so that later stages lower their confidence.

How it works: every candidate mark gets the roles its neighbours allow (a mark followed by a word
and preceded by a space or punctuation can open, one preceded by a word and followed by a space or
punctuation can close, a single mark between two letters is an apostrophe: don't, Obama's), then
marks are paired with a stack, so that quotes nest (“He said ‘no’ to me” is one outer quote) and a
closing mark pairs with the nearest compatible opening one. Marks inside markup tags
(``<tweet tweet-id="…">``) are ignored. Elisions ('90s, rock 'n' roll, 'em) do not open quotes, and
a plural possessive (ministers') closes a single quote only when no better closing mark follows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

QUOTE_CHARS = set("\"“”„«»‹›‘’‚'")

# A candidate mark: three apostrophes (a single and the NYT double together), two apostrophes or
# two backticks (NYT, PTB), or one quotation character.
_MARK = re.compile(r"'''|''|``|[\"“”„«»‹›‘’‚'`]")
# An HTML/XML-like tag, attribute values may hold quotes and newlines: <tweet tweet-id="…">.
_TAG = re.compile(
    r"</?[A-Za-z][\w:.-]{0,40}"
    r"(?:\s+[\w:.-]{1,60}(?:\s*=\s*(?:\"[^\"]{0,4000}\"|'[^'\n]{0,4000}'|[^\s\"'<>]{1,2000}))?){0,60}"
    r"\s*/?>")
# After an apostrophe that follows a space: elisions, not quotations ('90s, 'n', 'em, in 't Veld).
_ELISION = re.compile(
    r"(?:\d\d(?!\d)|(?:n|t|em|tis|twas|til|cause|cos|bout|round|kay|nuff|ol|cept|gainst|neath|cuz)\b)",
    re.IGNORECASE)
_WORDCHAR = re.compile(r"[^\W_]")
_NEXT_PARA = re.compile(r"\n\s*")

_DOUBLE = frozenset(['"', "''", "``", "“", "”", "„", "«", "»"])
_OPEN_DIR = frozenset(["“", "„", "«", "‘", "‚", "``", "`", "‹"])   # marks that look like openers
_CLOSE_DIR = frozenset(["”", "»", "’", "›"])                      # marks that look like closers
# For each closing mark, the opening marks it closes (first choice).
_COMPAT = {
    '"': frozenset(['"']),
    "''": frozenset(["''", "``"]),
    "'": frozenset(["'", "‘", "`", "‚"]),
    "”": frozenset(["“", "„", "”"]),
    "“": frozenset(["„", "“"]),
    "»": frozenset(["«", "»"]),
    "«": frozenset(["»", "«"]),
    "’": frozenset(["‘", "‚", "’", "'", "`"]),
    "‘": frozenset(["‚", "‘"]),
    "›": frozenset(["‹", "›"]),
    "‹": frozenset(["›", "‹"]),
}
_SLOPPY_CLOSE = _CLOSE_DIR | {'"', "''"}
_SENT_END = ".,!?;…"
_MAX_DEPTH = 8          # deeper nesting is noise; the bound keeps the scan linear
_LOOKAHEAD = 32         # marks looked at after a possessive-looking closer
_OPENING_CONTEXT = "([{—–-/:>\"“„«‘‚"
# Unclosed quotes are reported for these opening marks only: an unclosed straight or right single
# mark is much more often an apostrophe than a quote.
_REPORT_UNCLOSED = _DOUBLE | {"‘", "‚", "‹"}


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


def is_question(sentence: str) -> bool:
    """Whether a sentence's text ends with "?", closing quotation marks and brackets aside
    (``Was he?”``); both the extraction and the speaker resolver ask it of the parser's sentence
    cut at its paragraph."""
    return sentence.rstrip().rstrip("".join(QUOTE_CHARS) + ")]").endswith("?")


def _family(mark: str) -> str:
    return "d" if mark in _DOUBLE else "s"


def _tokens(text: str) -> list[tuple[int, str, bool, bool]]:
    """Candidate marks outside markup as ``(position, mark, can_open, can_close)``."""
    n = len(text)
    tags: list[tuple[int, int]] = []
    if "<" in text:
        tags = [m.span() for m in _TAG.finditer(text)]
    out: list[tuple[int, str, bool, bool]] = []
    t = 0
    for m in _MARK.finditer(text):
        i = m.start()
        if tags:
            while t < len(tags) and tags[t][1] <= i:
                t += 1
            if t < len(tags) and tags[t][0] <= i:
                continue
        mark = m.group()
        if mark == "'''":
            before = text[i - 1] if i > 0 else " "
            if before.isspace() or not before.isalnum() and before not in _SENT_END:
                pieces = [(i, "''"), (i + 2, "'")]      # ''' opening: double then single
            else:
                pieces = [(i, "'"), (i + 1, "''")]      # ''' closing: single then double
        else:
            pieces = [(i, mark)]
        for p, mk in pieces:
            j = p + len(mk)
            before = text[p - 1] if p > 0 else "\n"
            after = text[j] if j < n else "\n"
            b_space, a_space = before.isspace(), after.isspace()
            b_word, a_word = before.isalnum(), after.isalnum()
            if b_word and a_word and mk not in _DOUBLE:
                continue                                # an apostrophe: don't, Obama's, rock'n'roll
            if mk in _OPEN_DIR:
                can_open = not b_word and after not in "\n\r" and (not a_space or b_space)
                can_close = not b_space and not a_word and before not in "([{"
            elif mk in _CLOSE_DIR:
                # opens only when clearly left-flanking (»…« in German, ”…” in Swedish)
                can_open = (b_space or before in _OPENING_CONTEXT) and not a_space
                # closes after anything but a space, and after a space unless a word follows:
                # “…!”Next (a missing space), « … » (French spacing)
                can_close = not b_space or (not a_word and p > 0)
            else:                                       # straight ", ', ''
                can_open = not b_word and not a_space
                can_close = not b_space and not a_word or b_space and a_space and p > 0
                if a_word and before in _SENT_END:
                    can_close = True                    # ."Next (a missing space)
            if can_open and mk not in _DOUBLE and _ELISION.match(text, j):
                can_open = False                        # '90s, rock 'n' roll, 'em
            if can_open or can_close:
                out.append((p, mk, can_open, can_close))
    return out


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _possessive(text: str, p: int, mk: str) -> bool:
    """Whether the single closing mark at ``p`` looks like a plural possessive (ministers' pay)."""
    if mk not in ("'", "’") or p == 0 or text[p - 1] not in "sSzZ":
        return False
    j = p + len(mk)
    return j + 1 < len(text) and text[j] == " " and text[j + 1].isalnum()


def _runs_on(text: str, toks: list, k: int, para_end: int, q: int, open_mark: str) -> bool:
    """Whether a quote left open at the line break ``para_end`` goes on in the next line: a hard
    line break (one newline, no blank line: text from PDFs, e-mail, wire copy), and the next mark
    of the quote's family in that line can only close it ("We will rebuild this¶city," she said)."""
    if text.count("\n", para_end, q) != 1:
        return False
    line_end = text.find("\n", q)
    line_end = len(text) if line_end == -1 else line_end
    fam = _family(open_mark)
    for p, mk, can_open, can_close in toks[k:]:
        if p >= line_end:
            return False
        if _family(mk) == fam:
            return can_close and not can_open and mk in _COMPAT and open_mark in _COMPAT[mk]
    return False


def find_quotes(text: str) -> list[Quote]:
    """Every direct quotation in ``text``, in order, outermost only (nested quotes are inside)."""
    if not isinstance(text, str) or not text:
        return []
    toks = _tokens(text)
    if not toks:
        return []
    n = len(text)
    quotes: list[Quote] = []
    # the open marks, outermost first: [mark, content start]
    stack: list[tuple[str, int]] = []
    parts: list[tuple[int, int, str]] = []  # finished paragraph pieces of the outermost quote, with the mark opening each
    piece_start = 0                      # where the outermost quote's current piece starts
    piece_mark = ""                      # and the mark that opens it
    para_end = text.find("\n")
    para_end = n if para_end == -1 else para_end
    k, nt = 0, len(toks)

    def emit(end: int, close_mark: str | None) -> None:
        pieces = parts + [(piece_start, end, piece_mark)]
        # drop empty paragraph pieces, but keep the last so that ``end`` stays at the closing mark;
        # the quote's open mark is the one before its first piece left ('“ ¶ “Text”': the second)
        pieces = [(s, e, m) for s, e, m in pieces[:-1] if e > s] + pieces[-1:]
        if pieces and any(_WORDCHAR.search(text, s, e) for s, e, _ in pieces):
            quotes.append(Quote(pieces[0][0], pieces[-1][1], pieces[0][2], close_mark, close_mark is not None,
                                [(s, e) for s, e, _ in pieces]))

    while k < nt:
        p, mk, can_open, can_close = toks[k]
        if p > para_end:
            # the paragraph ended: continue a quote whose next paragraph re-opens it, else close it
            if stack:
                nxt = _NEXT_PARA.match(text, para_end)
                q = nxt.end() if nxt else para_end + 1
                if (p == q and can_open and _family(mk) == _family(stack[0][0])
                        and (mk != "'" or not _possessive(text, p, mk))):
                    parts.append((piece_start, _rstrip(text, piece_start, para_end), piece_mark))
                    piece_start, piece_mark = p + len(mk), mk
                    stack[1:] = []
                    k += 1
                    para_end = text.find("\n", p)
                    para_end = n if para_end == -1 else para_end
                    continue
                if _runs_on(text, toks, k, para_end, q, stack[0][0]):
                    para_end = text.find("\n", q)
                    para_end = n if para_end == -1 else para_end
                    continue
                if stack[0][0] in _REPORT_UNCLOSED:
                    emit(_rstrip(text, piece_start, para_end), None)
                stack.clear()
                parts = []
            para_end = text.find("\n", p)
            para_end = n if para_end == -1 else para_end
            continue
        k += 1
        if can_close and stack:
            compat = _COMPAT.get(mk, ())
            idx = -1
            for s in range(len(stack) - 1, -1, -1):
                if stack[s][0] in compat:
                    idx = s
                    break
            if idx == -1 and not can_open and mk in _SLOPPY_CLOSE:
                # sloppy pairs (“…" or "…”): close the nearest open mark of the same family
                fam = _family(mk)
                for s in range(len(stack) - 1, -1, -1):
                    if _family(stack[s][0]) == fam:
                        idx = s
                        break
            if idx != -1 and _possessive(text, p, mk):
                # ministers' pay: an apostrophe if a better single closing mark follows
                depth = 0
                for p2, mk2, o2, c2 in toks[k:k + _LOOKAHEAD]:
                    if p2 > para_end:
                        break
                    if _family(mk2) != "s":
                        continue
                    if o2 and not c2:
                        depth += 1                  # a later quote opens: its closer is its own
                    elif c2 and not _possessive(text, p2, mk2):
                        if depth == 0:
                            idx = -1
                            break
                        depth -= 1
            if idx != -1:
                if idx == 0:
                    emit(p, mk)
                    stack.clear()
                    parts = []
                else:
                    del stack[idx:]
                continue
        if can_open and len(stack) < _MAX_DEPTH:
            if not stack:
                piece_start, piece_mark = p + len(mk), mk
                parts = []
            stack.append((mk, p + len(mk)))
    if stack and stack[0][0] in _REPORT_UNCLOSED:
        emit(_rstrip(text, piece_start, para_end), None)
    return quotes


def quote_mask(text: str, quotes: list[Quote] | None = None) -> bytearray:
    """One byte per character: 1 inside a quotation (marks included), else 0."""
    mask = bytearray(len(text))
    for q in quotes if quotes is not None else find_quotes(text):
        pieces = q.parts or [(q.start, q.end)]
        for idx, (s, e) in enumerate(pieces):
            # every piece opens with the open mark (re-opened paragraphs); the last one closes
            lo = max(0, s - len(q.open_mark))
            hi = min(len(text), e + (len(q.close_mark) if q.close_mark and idx == len(pieces) - 1 else 0))
            mask[lo:hi] = b"\x01" * (hi - lo)
    return mask
