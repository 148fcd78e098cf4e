"""The one library call: text in, ``Article`` out, through every stage.

read (``read``) -> parse (``parse``) -> find quotes (``quotes``) -> find cues, sources and contents
(``tagger`` + ``attribute``) -> resolve speakers (``speakers``) -> with ``stance=True``, the
targets of each content and their stance (``stance``).
"""
from __future__ import annotations

import logging
import os
import re
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from . import attribute, speakers, tagger
from .layout import soften_line_breaks
from .model import Article
from .parse import parse_many

log = logging.getLogger("saidwhat")

ArticleLike = Union[str, Article, dict]
ErrorHandler = Callable[[str, BaseException], None]


def _as_article(item: ArticleLike, n: int) -> Article:
    if isinstance(item, Article):
        return Article(id=item.id, text=item.text, title=item.title, url=item.url,
                       outlet=item.outlet, published=item.published)
    if isinstance(item, str):
        return Article(id=str(n), text=item)
    if isinstance(item, dict):
        text = item.get("text")
        if not isinstance(text, str):
            raise TypeError(f"article {item.get('id', n)!r}: 'text' must be a string")
        return Article(id=str(item.get("id", n)), text=text, title=item.get("title"), url=item.get("url"),
                       outlet=item.get("outlet"), published=item.get("published"))
    raise TypeError(f"cannot extract from {type(item).__name__}: give a str, dict or Article")


_UNSAFE = re.compile("[\ud800-\udfff\x00]")


def _clean(text: str) -> str:
    """The text every stage reads, with the same length as ``text`` (offsets stay valid): lone
    surrogates and NULs become spaces (safe for spaCy), and so do line breaks that only wrap a
    line inside a paragraph (``layout.soften_line_breaks``)."""
    return soften_line_breaks(_UNSAFE.sub(" ", text))


def _tag(articles: list[Article], parsed: list[list]) -> Optional[list[list[tuple]]]:
    """Run the tagger over every block of a batch of parsed articles at once (padded batches of
    similar lengths, exactly as one at a time): per article, per block, (quotes, mask, spans).
    None without a trained model."""
    model = tagger.get_model()
    if model is None:
        return None
    prepared = [[attribute.block_quotes(a.text, doc, offset) for offset, doc in blocks]
                for a, blocks in zip(articles, parsed)]
    docs = [doc for blocks in parsed for _, doc in blocks]
    masks = [mask for blocks in prepared for _, mask in blocks]
    logps = iter(model.logprobs_many(docs, masks))
    return [[(qs, mask, model.decode(next(logps))) for qs, mask in blocks] for blocks in prepared]


def _finish(article: Article, blocks: list, tagged: Optional[list[tuple]] = None,
            stance: bool = False) -> Article:
    text = article.text
    attributions = []
    for k, (offset, doc) in enumerate(blocks):
        attributions.extend(attribute.find_attributions(text, doc, offset, tagged[k] if tagged else None))
    article.attributions = attributions
    article.speakers = speakers.resolve(article, blocks)
    if stance:
        from .stance.score import annotate

        annotate(article, blocks)
    return article


def extract(text: str, id: str = "0", *, stance: bool = False, **meta: Any) -> Article:
    """Find every attribution in one article's ``text`` and resolve its speakers; with
    ``stance=True`` also each attribution's ``targets`` (the entities its content is about) and
    their stance (negative / neutral / positive), an opt-in that costs extra time (README).

    >>> a = extract('"We will not be rushed," the prime minister said.')
    >>> a.attributions[0].cue.text
    'said'
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() takes a str, not {type(text).__name__}")
    article = Article(id=id, text=text, **meta)
    (blocks,) = list(parse_many([_clean(text)]))
    tagged = _tag([article], [blocks])
    return _finish(article, blocks, tagged[0] if tagged is not None else None, stance=stance)


def extract_many(items: Iterable[ArticleLike], *, batch_size: int = 32, n_process: int = 1,
                 on_error: Optional[ErrorHandler] = None, stance: bool = False) -> Iterator[Article]:
    """Stream ``Article`` results for many inputs (str, ``{"id", "text", ...}`` dicts or ``Article``),
    in input order, parsing in batches with spaCy's ``nlp.pipe``.

    An item that fails is reported to ``on_error(id, exception)`` (default: a logged warning) and
    skipped; the others go on. ``n_process`` > 1 parses in that many processes. ``stance``: as
    for ``extract``.
    """
    def report(item_id: str, exc: BaseException) -> None:
        if on_error is not None:
            on_error(item_id, exc)
        else:
            log.warning("article %s failed: %s: %s", item_id, type(exc).__name__, exc)

    n_process = max(1, min(int(n_process), os.cpu_count() or 1))
    it = iter(items)
    n = 0
    chunk_size = max(batch_size * (4 if n_process > 1 else 1), 1)
    while True:
        raw = list(islice(it, chunk_size))
        if not raw:
            return
        articles: list[Article] = []
        for item in raw:
            try:
                articles.append(_as_article(item, n))
            except Exception as exc:  # a bad record never stops the batch
                report(str(item.get("id", n)) if isinstance(item, dict) else str(n), exc)
            n += 1
        try:
            parsed = list(parse_many([_clean(a.text) for a in articles], batch_size=batch_size,
                                     n_process=n_process))
        except Exception:  # one text broke the batch: fall back to one at a time
            parsed = None
        tagged = None
        if parsed is not None:
            try:
                tagged = _tag(articles, parsed)
            except Exception:  # tag one at a time below, so that only the bad article fails
                tagged = None
        for i, article in enumerate(articles):
            try:
                blocks = parsed[i] if parsed is not None else next(parse_many([_clean(article.text)]))
                yield _finish(article, blocks, tagged[i] if tagged is not None else None, stance=stance)
            except Exception as exc:
                report(article.id, exc)
