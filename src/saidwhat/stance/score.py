"""Stance of each attribution's targets: the stance network over the attribution's own words.

The network reads the attribution's stretch of text: its content parts, with the cue and source
when they sit in the same stretch ("Kallas warned that Russia ..."; NewsMTSC's training sentences
are news sentences of that shape and the cue often carries the stance: "blamed", "praised"),
every mention of the target marked. Nothing else of the article is read, so the cost grows with
the contents' length and the number of targets, not with the article's.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from ..model import Article, Attribution
from .net import LABELS, get_net

MAX_GAP = 200  # characters between a content and its cue/source for them to be read together


def stance_text(text: str, a: Attribution) -> tuple[str, int]:
    """(the words the network reads for ``a``, their offset in ``text``)."""
    lo, hi = a.content.start, a.content.end
    for x in (a.cue, a.source):
        if x is None:
            continue
        if x.end <= lo and lo - x.end <= MAX_GAP:
            lo = x.start
        elif x.start >= hi and x.start - hi <= MAX_GAP:
            hi = x.end
    return text[lo:hi], lo


def score(articles: Iterable[Article], net: Optional[Any] = None, batch_size: int = 32) -> None:
    """Set ``stance`` and ``probability`` on every target of every attribution (targets must
    have been found: ``targets.find_targets``), in one batched pass over all of them."""
    articles = list(articles)
    jobs = []
    for art in articles:
        for a in art.attributions:
            if not a.targets:
                continue
            words, off = stance_text(art.text, a)
            for t in a.targets:
                spans = [(m.start - off, m.end - off) for m in t.mentions
                         if off <= m.start and m.end <= off + len(words)]
                jobs.append((t, words, spans))
    if not jobs:
        return
    net = net if net is not None else get_net()
    probs = net.predict([(w, s) for _, w, s in jobs], batch_size=batch_size)
    for (t, _, _), p in zip(jobs, probs):
        k = int(p.argmax())
        t.stance = LABELS[k]
        t.probability = round(float(p[k]), 4)


def annotate(article: Article, blocks: list, stance: bool = True, net: Optional[Any] = None) -> Article:
    """Find the targets of every attribution of ``article`` (parsed ``blocks``) and, with
    ``stance``, their stance."""
    from .targets import find_targets

    find_targets(article, blocks)
    if stance:
        score([article], net=net)
    return article
