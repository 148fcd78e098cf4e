"""Stage 1: read articles from plain text, HTML (trafilatura) and JSON Lines.

Every reader yields ``Article`` objects (text plus whatever metadata the input gives) or
``InputError`` instances for what cannot be read, so that one bad file or line never stops a batch.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator, Union

from .errors import InputError
from .model import Article

MAX_BYTES = 50_000_000  # a single input larger than this is refused, not loaded
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

Read = Union[Article, InputError]


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else UTF-16 with BOM, else cp1252; binary
    data (NUL bytes in UTF-8 text) is refused."""
    if not data.strip():
        raise InputError(f"{name}: empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def from_html(html: str, name: str) -> Article:
    """The main text and metadata of an HTML page (trafilatura)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_recall=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    text = text.replace("\n", "\n\n") if "\n\n" not in text else text
    return Article(id=name, text=text, title=getattr(doc, "title", None), url=getattr(doc, "url", None),
                   outlet=getattr(doc, "sitename", None), published=getattr(doc, "date", None))


def from_text(text: str, name: str, html: bool | None = None) -> Article:
    if html or (html is None and looks_like_html(text)):
        return from_html(text, name)
    if not text.strip():
        raise InputError(f"{name}: empty input")
    return Article(id=name, text=text)


def from_record(record: object, where: str) -> Article:
    """One JSON Lines record ``{"id", "text", "title"?, "url"?, "outlet"?, "published"?}``."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: a record must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no 'text' string")
    meta = {k: (str(record[k]) if record.get(k) is not None else None)
            for k in ("title", "url", "outlet", "published")}
    return Article(id=str(record.get("id") or where), text=text, **meta)


def iter_jsonl(lines: Iterable[str], name: str) -> Iterator[Read]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield from_record(json.loads(line), f"{name}:{n}")
        except json.JSONDecodeError as e:
            yield InputError(f"{name}:{n}: not JSON ({e.msg})")
        except InputError as e:
            yield e


def read_path(path: Union[str, Path]) -> Iterator[Read]:
    """Articles from one file (``-`` is standard input): ``.jsonl`` one per line, HTML, or text."""
    name = str(path)
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            p = Path(path)
            if not p.is_file():
                raise InputError(f"{name}: no such file")
            if p.stat().st_size > MAX_BYTES:
                raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB")
            data = p.read_bytes()
        text = decode(data, name)
        if name.endswith((".jsonl", ".ndjson")) or (name == "-" and text.lstrip().startswith("{")):
            yield from iter_jsonl(text.splitlines(), name)
            return
        stem = os.path.splitext(os.path.basename(name))[0] if name != "-" else "stdin"
        yield from_text(text, stem, html=True if name.endswith(HTML_SUFFIXES) else None)
    except InputError as e:
        yield e
    except Exception as e:  # malformed HTML and other surprises are reported, not raised
        yield InputError(f"{name}: {type(e).__name__}: {e}")


def read_paths(paths: Iterable[Union[str, Path]]) -> Iterator[Read]:
    for p in paths:
        yield from read_path(p)
