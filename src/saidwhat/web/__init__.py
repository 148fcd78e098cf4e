"""saidwhat's web pages: server-rendered Jinja2 templates over the same dicts the REST API returns.

Every asset (CSS, JS, icon) is served by saidwhat from ``web/static``; nothing loads from a CDN.
The templates are autoescaped and the pages never mark article text as safe.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from ..store import confidence_text

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True  # every template, whatever its name

_OPENING_MARKS = '"\'“‘„‚«‹»›「『'


def quoted(text: Optional[str]) -> str:
    """A direct quote for display: in curly quotation marks, unless its text already opens with
    its own (the content of a direct attribution keeps the article's marks)."""
    text = (text or "").strip()
    return text if text[:1] in _OPENING_MARKS else f"“{text}”"


def content_shown(att: dict) -> str:
    """What an attribution says, for display: its content's parts joined by " … ", leaving out
    the cue and source standing between them (``Thunberg then led, according to Time, the
    largest ...`` shows ``Thunberg then led … the largest ...``; a split quote shows both halves)."""
    text = att.get("content_text") or ""
    content, parts = att.get("content"), att.get("content_parts") or []
    if not content or len(parts) < 2:
        return text
    try:
        start = int(content[0])
        pieces = [text[int(a) - start:int(b) - start].strip() for a, b in parts]
    except (TypeError, ValueError, IndexError):
        return text
    pieces = [p for p in pieces if p]
    return " … ".join(pieces) if pieces else text


_FTS_OPERATORS = frozenset(("AND", "OR", "NOT", "NEAR"))


def _fold(text: str) -> str:
    """``text`` lower-cased and without diacritics, one character for one (so that offsets in it
    are offsets in ``text``), as the FTS5 ``unicode61`` tokenizer compares words: "Erdoğan" and
    "erdogan" match, "İstanbul" and "istanbul"; a letter that is no base letter plus marks
    ("Ł", "ø", "ß") stays itself, as it does there."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch.lower())
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        base = base if len(base) == 1 else ch
        out.append(base.lower() if len(base.lower()) == 1 else base)
    return "".join(out)


def highlight(text: Optional[str], query: Optional[str]) -> Markup:
    """``text``, escaped, with the words of a search ``query`` marked (``<mark>``), as the store's
    full-text index matches them: whole words whatever their case and diacritics (``_fold``),
    ``word*`` any word it begins (operators and quotation marks of the query aside). The text is
    escaped piece by piece, so a query can never mark inside an escaped character."""
    text = text or ""
    words = [w for w in re.findall(r"\w+\*?", query or "", re.UNICODE) if w not in _FTS_OPERATORS]
    if not words:
        return escape(text)
    words = [_fold(w) for w in words]
    alts = sorted({re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.UNICODE)
    out, last = [], 0
    for m in pattern.finditer(_fold(text)):
        out.append(escape(text[last:m.start()]))
        out.append(Markup("<mark>") + escape(text[m.start():m.end()]) + Markup("</mark>"))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def cue_shown(text: Optional[str]) -> str:
    """A cue for display beside its speaker: "" for one made of punctuation alone (the colon of
    a transcript label or of ``Name: "..."``, a credit line's dash), which read as " · : · "."""
    text = (text or "").strip()
    return text if any(c.isalnum() for c in text) else ""


templates.env.filters["quoted"] = quoted
templates.env.filters["cue_shown"] = cue_shown
templates.env.filters["highlight"] = highlight
templates.env.filters["content_shown"] = content_shown
templates.env.filters["confidence"] = confidence_text


def render_error(scope: dict, status: int, message: str,
                 headers: Optional[dict[str, str]] = None) -> Response:
    request = Request(scope)
    return templates.TemplateResponse(request, "error.html",
                                      {"status": status, "message": message}, status_code=status,
                                      headers=headers)


def install_pages(app: FastAPI) -> None:
    from .pages import router

    app.state.render_error = render_error
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
