"""Stage 5: resolve each attribution's source to a canonical speaker of the article.

Rule-based, over the spaCy parse and entities the pipeline already made (no second pass, no
coreference model). One module per step:

- ``names``: named mentions, canonical names ("Kaja Kallas", "University of California, San
  Diego", "World Health Organization" for "WHO"), person or organisation by evidence;
- ``namesakes``: which of two people a bare surname is ("Biden": Joe or Hunter);
- ``roles``: role phrases ("Estonia's prime minister") and how a role-noun source matches them;
- ``pronouns``: he/she/they/it by gender, number, salience and the quote thread;
- ``groups``: coordinated sources ("Biden and Harris") and documents ("the report");
- ``resolver``: the per-article pass that puts them together and builds ``Speaker`` objects;
- ``merge``: the same people across articles (used by ``saidwhat.crossdoc`` on a store).

``resolve(article, blocks)`` is the entry point the pipeline calls; ``resolution(article,
blocks)`` does the same and returns the ``Resolution``, whose ``resolve_span(start, end)`` maps
any span of the article (a name, a pronoun, a role noun) to its canonical entity. Speakers are
returned in order of first mention (``s1``, ``s2``, ...) and only when an attribution refers to
them (a group's members too). Without evidence a source stays unresolved rather than guessed.
``resolve`` never raises: on an internal error it falls back to one speaker per source text.
"""
from __future__ import annotations

import logging
from typing import Optional

from ..model import Article, Speaker
from .resolver import Resolver

log = logging.getLogger("saidwhat")


class Resolution:
    """The speakers of one article and a way to map any of its spans to an entity."""

    def __init__(self, article: Article, speakers: list[Speaker], resolver: Optional[Resolver]) -> None:
        self.article = article
        self.speakers = speakers
        self._resolver = resolver

    def resolve_span(self, start: int, end: int) -> Optional[Speaker]:
        """The canonical entity that ``article.text[start:end]`` refers to: one of
        ``article.speakers`` when it speaks, else a ``Speaker`` with an ``e``-id (a person or
        organisation the article names that is not quoted); None when nothing is known."""
        if self._resolver is None:
            return None
        try:
            return self._resolver.resolve_span(int(start), int(end))
        except Exception as exc:  # never raise
            log.warning("span resolution failed in article %s: %s: %s",
                        getattr(self.article, "id", "?"), type(exc).__name__, exc)
            return None


def _fallback(article: Article) -> list[Speaker]:
    out: dict[str, Speaker] = {}
    for a in article.attributions:
        try:
            a.speaker = None
            if a.source is None or not a.source.text.strip():
                continue
            name = a.source.text.strip()
            sp = out.get(name)
            if sp is None:
                sp = out[name] = Speaker(id=f"s{len(out) + 1}", name=name, kind="other")
            sp.mentions.append(a.source)
            a.speaker = sp
        except Exception:
            continue
    return list(out.values())


def resolution(article: Article, blocks: list) -> Resolution:
    """Resolve ``article``'s speakers (setting ``a.speaker`` on each attribution and
    ``article.speakers``) and return the ``Resolution``. ``blocks`` are the ``(char offset, spaCy
    Doc)`` pairs covering ``article.text``."""
    try:
        r = Resolver(article, blocks)
        speakers = r.run()
        article.speakers = speakers
        return Resolution(article, speakers, r)
    except Exception as exc:  # never raise: degrade to one speaker per source text
        log.warning("speaker resolution failed for article %s: %s: %s",
                    getattr(article, "id", "?"), type(exc).__name__, exc)
        try:
            speakers = _fallback(article)
        except Exception:
            speakers = []
        article.speakers = speakers
        return Resolution(article, speakers, None)


def resolve(article: Article, blocks: list) -> list[Speaker]:
    """Set ``a.speaker`` on each attribution of ``article`` and return its speakers."""
    return resolution(article, blocks).speakers


__all__ = ["Resolution", "resolution", "resolve"]
