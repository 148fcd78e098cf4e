"""The one library call: text in, ``Article`` out, through every stage.

read (``read``) -> parse (``parse``) -> find quotes (``quotes``) -> find cues, sources and contents
(``tagger`` + ``attribute``) -> resolve speakers (``speakers``) -> with ``stance=True``, the
targets of each content and their stance (``stance``).
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import replace
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional, Union

import numpy as np
from spacy.tokens import Doc

from . import attribute, speakers, tagger
from .layout import blank_language_marks, soften_line_breaks
from .errors import InputError
from .model import Article
from .parse import blocks, parse_blocks

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
    line inside a paragraph (``layout.soften_line_breaks``) and language marks after a link
    (``layout.blank_language_marks``: "[Ar]")."""
    return blank_language_marks(soften_line_breaks(_UNSAFE.sub(" ", text)))


# The tagger's LSTM runs one time step after another: a long block alone costs ~5x per token what
# blocks batched together do. A block longer than TAG_SPLIT_TOKENS (none in PolNeAR: its longest
# article has ~4,500) is tagged in windows of at most TAG_WINDOW tokens, cut at paragraph or
# sentence starts and batched like separate blocks.
TAG_SPLIT_TOKENS = 6000
TAG_WINDOW = 1000
# Tokens parsed ahead of the tagger: their parse, then the tagger's inputs, are held at once.
TAG_TOKENS = 40_000
_NO_TENSOR = np.zeros((0,), dtype="float32")


def tag_windows(flags: np.ndarray, n: int, split: int = TAG_SPLIT_TOKENS,
                window: int = TAG_WINDOW) -> list[tuple[int, int]]:
    """[start, end) token windows covering a block of ``n`` tokens: the whole block when it has
    at most ``split`` tokens, else windows of at most ``window`` tokens that begin, where they
    can, at a paragraph start (``flags[:, 2]``), else a sentence start (``flags[:, 3]``)."""
    if n <= split:
        return [(0, n)]
    para = np.flatnonzero(flags[:, 2] > 0)
    sent = np.flatnonzero(flags[:, 3] > 0)
    out, start = [], 0
    while n - start > window:
        lo, hi = start + window // 2, start + window
        cut = hi
        for starts in (para, sent):
            k = int(np.searchsorted(starts, hi, side="right")) - 1
            if k >= 0 and starts[k] > lo:
                cut = int(starts[k])
                break
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


def _tag(model: Any, parsed: list[tuple[str, Doc, int]]) -> list[tuple]:
    """The tagger over parsed blocks ``(text, doc, offset)`` at once (padded batches of similar
    lengths, exactly as one at a time): per block, (quotes, mask, spans)."""
    prepared = [attribute.block_quotes(text, doc, offset) for text, doc, offset in parsed]
    feats: list[dict] = []
    owners: list[int] = []
    for j, ((_, doc, _), (_, mask)) in enumerate(zip(parsed, prepared)):
        if not len(doc):
            continue
        f = tagger.featurize(doc, mask, model.vocab)
        for a, b in tag_windows(f["flags"], len(doc)):
            feats.append(f if (a, b) == (0, len(doc)) else {k: v[a:b] for k, v in f.items()})
            owners.append(j)
    pieces: list[list[np.ndarray]] = [[] for _ in parsed]
    for j, lp in zip(owners, model.logprobs_features(feats) if feats else []):
        pieces[j].append(lp)
    out = []
    for (qs, mask), ps in zip(prepared, pieces):
        logp = ps[0] if len(ps) == 1 else (np.concatenate(ps) if ps else np.zeros((0, len(tagger.TAGS)), np.float32))
        out.append((qs, mask, model.decode(logp)))
    return out


# Speaker resolution compares mentions with every speaker found so far: for an article with
# thousands of speakers it grows with the square of the article's length, and it needs the
# article's Docs. An article longer than SPEAKER_CHARS (none in PolNeAR: its longest has 22,068
# characters) has its speakers resolved per window of parsed blocks of at most that many
# characters (``SpeakerWindows``), so that time stays linear and only a window of Docs is held.
SPEAKER_CHARS = 100_000


class SpeakerWindows:
    """One article's speakers (``speakers.resolve``), fed its parsed blocks in order with their
    attributions (``add``): over the whole article, or, for an article longer than ``limit``
    characters, over each window of consecutive blocks of at most ``limit`` characters, resolved
    as soon as the window is complete so that its Docs can go (the speakers of all windows are
    listed and numbered ``s1``, ``s2``, ... in order). With ``stance``, the targets and their
    stance (``stance.score.annotate``) are found over the same Docs, right after the speakers."""

    def __init__(self, article: Article, limit: int = SPEAKER_CHARS, stance: bool = False) -> None:
        self.article, self.limit, self.stance = article, limit, stance
        self.windowed = len(article.text or "") > limit
        self.window: list[tuple[int, Doc]] = []
        self.attributions: list = []
        self.found: list = []

    def add(self, offset: int, doc: Doc, attributions: list) -> None:
        if self.windowed and self.window and offset - self.window[0][0] + attribute._doc_len(doc) > self.limit:
            self._resolve()
        self.window.append((offset, doc))
        self.attributions.extend(attributions)

    def _annotate(self, article: Article, docs: list[tuple[int, Doc]]) -> None:
        if self.stance:
            from .stance.score import annotate

            annotate(article, docs)

    def _resolve(self) -> None:
        part = replace(self.article, speakers=[], attributions=self.attributions)
        part.speakers = speakers.resolve(part, self.window)
        for sp in part.speakers:
            self.found.append(sp)
            sp.id = f"s{len(self.found)}"
        self._annotate(part, self.window)
        self.window, self.attributions = [], []

    def finish(self) -> list:
        """The article's speakers (``article.attributions`` must hold every attribution)."""
        if not self.windowed:
            found = speakers.resolve(self.article, self.window)
            self.article.speakers = found
            self._annotate(self.article, self.window)
            return found
        if self.window:
            self._resolve()
        return self.found


Outcome = tuple[Article, Optional[BaseException]]


def _process(articles: list[Article], batch_size: int = 32, n_process: int = 1,
             isolated: bool = False, stance: bool = False) -> Iterator[Outcome]:
    """``(article, None)`` with its attributions and speakers, or ``(article, exception)``, for
    each article in order, streamed: blocks are parsed, tagged and linked in groups of about
    ``TAG_TOKENS`` tokens, and each article is finished (speakers) as soon as its last block
    is linked, so memory holds one group of parses plus each unfinished article's Docs (their
    tensors dropped once tagged; a long article's only until their speakers are resolved, see
    ``SpeakerWindows``). When the parser fails, the articles not yet finished are
    redone one at a time, so that only the one that breaks it fails."""
    model = tagger.get_model()
    failed: dict[int, BaseException] = {}
    texts: list[str] = []
    cuts: list[list[tuple[int, int]]] = []
    for i, a in enumerate(articles):
        text, cut = "", []
        try:
            if not isinstance(a.text, str):
                raise InputError(f"article {a.id!r}: its text is {type(a.text).__name__}, not a string")
            text = _clean(a.text)
            cut = blocks(text)
        except Exception as exc:  # noqa: BLE001 - reported for this article only
            failed[i] = exc
            text, cut = "", []
        texts.append(text)
        cuts.append(cut)
    speakers_of = [SpeakerWindows(a, stance=stance) for a in articles]
    found: list[list] = [[] for _ in articles]
    pending: list[tuple[int, int, Doc]] = []
    pending_tokens = 0
    done = 0  # articles yielded

    def items() -> Iterator[tuple[tuple[int, int, int], str]]:
        for i, t in enumerate(texts):
            for k, (s, e) in enumerate(cuts[i]):
                yield (i, k, s), t[s:e]

    def link(i: int, s: int, doc: Doc, tagged: Optional[tuple]) -> None:
        if i in failed:
            return
        doc.tensor = _NO_TENSOR  # only the tagger reads it
        try:
            block = attribute.find_attributions(articles[i].text, doc, s, tagged)
            found[i].extend(block)
            speakers_of[i].add(s, doc, block)
        except Exception as exc:  # noqa: BLE001 - reported for this article only
            failed[i] = exc

    def flush() -> None:
        group = [(i, s, doc) for i, s, doc in pending if i not in failed]
        pending.clear()
        tagged: Optional[list] = None
        if model is not None and group:
            try:
                tagged = _tag(model, [(articles[i].text, doc, s) for i, s, doc in group])
            except Exception:  # noqa: BLE001 - tag block by block below: only a bad one fails
                tagged = None
        for k, (i, s, doc) in enumerate(group):
            one = tagged[k] if tagged is not None else None
            if one is None and model is not None:
                try:
                    one = _tag(model, [(articles[i].text, doc, s)])[0]
                except Exception as exc:  # noqa: BLE001
                    failed[i] = exc
                    continue
            link(i, s, doc, one)

    def finish(upto: int) -> Iterator[Outcome]:
        nonlocal done
        while done < upto:
            i, article = done, articles[done]
            done += 1
            if i not in failed:
                try:
                    article.attributions = found[i]
                    article.speakers = speakers_of[i].finish()
                except Exception as exc:  # noqa: BLE001
                    failed[i] = exc
            speakers_of[i], found[i] = None, []  # type: ignore[call-overload]
            yield article, failed.get(i)

    try:
        for (i, k, s), sub, last, doc in parse_blocks(items(), batch_size, n_process):
            pending.append((i, s + sub, doc))
            pending_tokens += len(doc)
            if pending_tokens >= TAG_TOKENS:
                flush()
                pending_tokens = 0
                yield from finish(i + 1 if last and k == len(cuts[i]) - 1 else i)
        flush()
    except Exception as exc:  # noqa: BLE001 - the parser broke on some text
        if isolated:
            for j in range(done, len(articles)):
                failed.setdefault(j, exc)
            yield from finish(len(articles))
            return
        for j in range(done, len(articles)):
            yield from _process([articles[j]], batch_size, 1, isolated=True, stance=stance)
        return
    yield from finish(len(articles))


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
    ((article, exc),) = list(_process([Article(id=id, text=text, **meta)], isolated=True, stance=stance))
    if exc is not None:
        raise exc
    return article


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
        for article, exc in _process(articles, batch_size, n_process, stance=stance):
            if exc is not None:
                report(article.id, exc)
            else:
                yield article
