"""Layout that is not structure: hard line breaks inside paragraphs, language marks after links.

Text extracted from PDFs, e-mails and wire copy breaks its lines at a fixed width, so a single
newline there is not a paragraph break. saidwhat treats every newline as a paragraph break
(quotations end at their paragraph unless the next one re-opens them; contents, cues and speakers
are linked within paragraphs), so a quotation wrapped over two lines would lose its second half.

``soften_line_breaks`` finds those line breaks and turns them into spaces, character for character,
so that every offset into the text stays valid: the parse, the quotation finder and the linking see
one paragraph, while the article keeps its own text. A newline is a soft break when

- the line goes on mid-sentence: the line before it ends in a letter, digit, comma or hyphen and
  the next one starts with a lower-case letter (``about\\nthat``), or
- it sits inside a hard-wrapped paragraph: three or more lines with no blank line between them,
  none longer than 100 characters and most of them at least 60% of the longest, as a fixed-width
  wrap makes them (not after the article's first line, a title, nor between two headline-like
  lines); where the line ends a sentence and the next opens with a capital or a quotation mark,
  only inside an open quotation, in a paragraph wrapped at a nearly fixed width (85% of its lines
  at least 75% of the longest: not a list of headlines or of quotes);

and never before a speaker label (``MS. PSAKI:``, ``Q:``), a list bullet or a numbered item, which
start a line on purpose. Articles whose paragraphs are single lines (most web and wire text, and
all of PolNeAR) are left as they are.
"""
from __future__ import annotations

import re

_LABEL = re.compile(r"(?:[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,3}|Q|A):\s")
_BULLET = re.compile(r"(?:[-*•·‣▪–—]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)")
_MAX_WRAP = 100
_FINAL = frozenset('.!?:;"”’\'»)')
_OPENING = frozenset('"“‘\'«')


def _wrapped(lengths: list[int], share: float = 0.75, ratio: float = 0.6) -> bool:
    """Lines of a hard-wrapped paragraph: three or more, none over 100 characters, and (the last
    line aside) at least ``share`` of them as long as ``ratio`` of the longest."""
    if len(lengths) < 3:
        return False
    longest = max(lengths)
    if longest > _MAX_WRAP or longest < 20:
        return False
    body = lengths[:-1]
    return sum(1 for n in body if n >= ratio * longest) >= share * len(body)


def _title_case(line: str) -> bool:
    """A headline-like line: most of its words of four letters or more capitalised."""
    words = [w for w in line.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def soft_breaks(text: str) -> list[int]:
    """Offsets of the newlines in ``text`` that wrap a line inside a paragraph (module docstring)."""
    if "\n" not in text:
        return []
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    out: list[int] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j + 1 < n and lines[j + 1].strip():
            j += 1
        lengths = [len(lines[k].strip()) for k in range(i, j + 1)]
        wrapped, strict = _wrapped(lengths), _wrapped(lengths, 0.85, 0.75)
        # quotation marks in lines i..k, counted as k goes (a quotation opened and not closed)
        opened = closed = straight = 0
        for k in range(i, j):
            opened, closed = opened + lines[k].count("“"), closed + lines[k].count("”")
            straight += lines[k].count('"')
            prev, nxt = lines[k].rstrip(), lines[k + 1].lstrip()
            if _LABEL.match(nxt) or _BULLET.match(nxt):
                continue
            mid_sentence = (prev[-1].isalnum() or prev[-1] in ",-") and nxt[:1].islower()
            # a sentence that ends its line before a capital or a quotation mark: a wrap only in
            # a paragraph wrapped at a nearly fixed width (not a list of headlines or quotes)
            ends = prev[-1] in _FINAL and (nxt[:1].isupper() or nxt[:1] in _OPENING)
            if mid_sentence:
                out.append(starts[k + 1] - 1)
            elif k > 0 and wrapped and not (_title_case(prev) and _title_case(nxt)):
                if not ends or strict and (opened > closed or straight % 2 == 1):
                    out.append(starts[k + 1] - 1)
        i = j + 1
    return out


def soften_line_breaks(text: str) -> str:
    """``text`` with its soft line breaks (``soft_breaks``) as spaces: the same length, so that
    offsets into it are offsets into ``text``."""
    breaks = soft_breaks(text)
    if not breaks:
        return text
    chars = list(text)
    for b in breaks:
        chars[b] = " "
    return "".join(chars)


# Language marks after a link ("blogging on Elmafjoue [Ar], he says"), as Global Voices and other
# multilingual outlets write them: ISO 639-1 codes that are not also English words (so never the
# editorial "[he]", "[it]", "[to]" inside a quotation).
_LANGUAGES = ("ar es fr pt ru zh de fa tr sw mg ja ko bn ur pl nl sv el ca cs hu ro sr hr mk bg uk "
              "ka hy az kk ky uz tg ne si ta te th vi km lo ps ku ml mr gu pa da fi nb nn et lv lt "
              "sk sl sq bs yo ha ig zu xh af tl ht rw so ti om mn bo dv ug")
_LANGUAGE_MARK = re.compile(r"(?<=\S) ?\[(?:%s)\](?=[\s,.;:)\]]|$)" % "|".join(_LANGUAGES.split()), re.IGNORECASE)


def blank_language_marks(text: str) -> str:
    """``text`` with language marks (``[Ar]``, ``[es]``) after a word as spaces, character for
    character: they are not words of the sentence, and the parser would take ``Ar]`` for a
    name. Offsets stay valid."""
    if "[" not in text:
        return text
    return _LANGUAGE_MARK.sub(lambda m: " " * len(m.group()), text)
