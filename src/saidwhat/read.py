"""Stage 1: read articles from plain text, HTML (trafilatura), JSON Lines, folders and WARC crawls.

Every reader yields ``Article`` objects (text plus whatever metadata the input gives) or
``InputError`` instances for what cannot be read, so that one bad file or line never stops a batch.

- ``read_path(path)`` / ``read_paths(paths)``: articles (or errors) from files, ``-`` (stdin),
  folders (searched recursively, in name order, for ``.txt``, ``.html``/``.htm``/``.xhtml``,
  ``.jsonl``/``.ndjson`` (also ``.gz``) and ``.warc``/``.warc.gz`` files) and WARC crawl files.
- ``read_located(paths)``: the same as ``(location, item)`` pairs, where ``location`` says where
  the item came from (``file``, ``file:line`` or ``file@offset`` for a WARC record), for ingest's
  failure reports.
- ``iter_warc(path)``: the HTML response records of a WARC file (fastwarc), through the same HTML
  path as ``.html`` files; other records (requests, metadata, images, PDFs, redirects) are
  skipped; a truncated record or an undecodable page is an ``InputError``.
"""
from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Union
from urllib.parse import urlsplit

from .errors import InputError
from .model import Article

MAX_BYTES = 50_000_000  # a single input larger than this is refused, not loaded
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
FOLDER_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES
HTML_TYPES = ("text/html", "application/xhtml+xml")

Read = Union[Article, InputError]
Located = tuple[str, Read]


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else UTF-16 with BOM, else cp1252; binary
    data (NUL bytes in UTF-8 text) is refused."""
    if not data.strip():
        raise InputError(f"{name}: empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: starts with a UTF-16 byte order mark but is not UTF-16 ({e.reason})") from None
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(data: bytes, name: str, charset: Optional[str] = None) -> str:
    """An HTML page's bytes to text: the HTTP header's charset, else the page's ``<meta
    charset>``, else ``decode`` (UTF-8, UTF-16 with BOM, cp1252)."""
    declared = [charset] if charset else []
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared.append(m.group(1).decode("ascii", "replace"))
    for cs in declared:
        try:
            codecs.lookup(cs)
        except LookupError:
            continue
        try:
            return data.decode(cs)
        except UnicodeDecodeError:
            continue
    return decode(data, name)


def from_html(html: str, name: str, url: Optional[str] = None) -> Article:
    """The main text and metadata of an HTML page (trafilatura); ``url`` when known (a crawl)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_recall=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    text = text.replace("\n", "\n\n") if "\n\n" not in text else text
    url = getattr(doc, "url", None) or url
    outlet = getattr(doc, "sitename", None) or (urlsplit(url).hostname if url else None)
    return Article(id=name, text=text, title=getattr(doc, "title", None), url=url,
                   outlet=outlet, published=getattr(doc, "date", None))


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


def _warc_location(path: str, offset: int) -> str:
    return f"{path}@{offset}"


def _dechunk(data: bytes, where: str) -> bytes:
    out, i = bytearray(), 0
    while True:
        eol = data.find(b"\r\n", i)
        if eol < 0:
            raise InputError(f"{where}: truncated chunked body")
        size = int(data[i:eol].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return bytes(out)
        out += data[eol + 2:eol + 2 + size]
        if eol + 2 + size > len(data):
            raise InputError(f"{where}: truncated chunked body")
        i = eol + 2 + size + 2


def _http_decode(data: bytes, headers, where: str) -> bytes:
    """The payload as the server meant it: chunked transfer and gzip/deflate/br content
    encodings undone (crawlers store both kinds)."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        try:
            data = _dechunk(data, where)
        except ValueError:
            pass  # many crawlers store the body already de-chunked, keeping the header
    for enc in reversed([e.strip().lower() for e in (headers.get("Content-Encoding") or "").split(",") if e.strip()]):
        try:
            if enc in ("gzip", "x-gzip"):
                data = gzip.decompress(data)
            elif enc == "deflate":
                import zlib
                try:
                    data = zlib.decompress(data)
                except zlib.error:
                    data = zlib.decompress(data, -zlib.MAX_WBITS)
            elif enc == "br":
                import brotli  # type: ignore[import-not-found]
                data = brotli.decompress(data)
            elif enc not in ("identity", "none"):
                raise InputError(f"{where}: unsupported Content-Encoding {enc!r}")
        except InputError:
            raise
        except Exception as e:
            if data[:2] == b"\x1f\x8b" or enc != "gzip":  # stored still encoded, yet unreadable
                raise InputError(f"{where}: cannot undo Content-Encoding {enc} ({e})") from e
    return data


def iter_warc(path: Union[str, Path]) -> Iterator[Located]:
    """``(location, Article | InputError)`` for each HTML response record of a WARC / WARC.gz
    file; non-HTML records and non-2xx responses are skipped without a report."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    name = str(path)
    offset = 0
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
                offset = record.stream_pos
                where = _warc_location(name, offset)
                try:
                    status = record.http_headers.status_code if record.http_headers is not None else None
                    ctype = (record.http_content_type or "").lower()
                    if status is None or not 200 <= int(status) < 300 or not ctype.startswith(HTML_TYPES):
                        continue
                    uri = record.headers.get("WARC-Target-URI") or where
                    expected = record.content_length
                    data = record.reader.read()
                    if len(data) < expected:
                        raise InputError(f"{where}: truncated WARC record ({len(data)} of {expected} bytes)")
                    data = _http_decode(data, record.http_headers, where)
                    if len(data) > MAX_BYTES:
                        raise InputError(f"{where}: larger than {MAX_BYTES // 1_000_000} MB")
                    html = decode_html(data, where, record.http_charset)
                    yield where, from_html(html, uri, url=uri)
                except InputError as e:
                    yield where, e
                except Exception as e:  # a broken page never stops the crawl
                    yield where, InputError(f"{where}: {type(e).__name__}: {e}")
    except OSError as e:  # unreadable file or a corrupt stream: what came before is kept
        yield (_warc_location(name, offset) if offset else name), InputError(
            f"{name}: cannot read the WARC stream after offset {offset} ({e})")


def _iter_jsonl_file(path: Path, name: str) -> Iterator[Located]:
    """A JSON Lines file (optionally gzipped), streamed line by line: no size limit."""
    opener = gzip.open if name.endswith(".gz") else open
    seen = 0
    with opener(path, "rb") as f:  # type: ignore[operator]
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            seen += 1
            where = f"{name}:{n}"
            try:
                yield where, from_record(json.loads(decode(raw, where)), where)
            except json.JSONDecodeError as e:
                yield where, InputError(f"{where}: not JSON ({e.msg})")
            except InputError as e:
                yield where, e
    if not seen:
        yield name, InputError(f"{name}: empty input")


def _iter_folder(folder: Path) -> Iterator[Located]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                   and p.name.lower().endswith(FOLDER_SUFFIXES))
    if not files:
        yield str(folder), InputError(f"{folder}: no .txt, .html, .jsonl or .warc files in this folder")
    for p in files:
        yield from _located(p)


def _located(path: Union[str, Path]) -> Iterator[Located]:
    name = str(path)
    try:
        if name != "-":
            p = Path(path)
            if p.is_dir():
                yield from _iter_folder(p)
                return
            lower = name.lower()
            if p.is_file() and lower.endswith(WARC_SUFFIXES):
                yield from iter_warc(p)
                return
            if p.is_file() and lower.endswith(JSONL_SUFFIXES):
                yield from _iter_jsonl_file(p, name)
                return
            if not p.is_file():
                raise InputError(f"{name}: no such file")
            if p.stat().st_size > MAX_BYTES:
                raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB")
            data = p.read_bytes()
        else:
            data = sys.stdin.buffer.read()
        if name.lower().endswith(HTML_SUFFIXES):
            yield name, from_text(decode_html(data, name), _stem(name), html=True)
            return
        text = decode(data, name)
        if name == "-" and text.lstrip().startswith("{"):
            for n, item in enumerate(iter_jsonl(text.splitlines(), name), 1):
                yield f"{name}:{n}", item
            return
        yield name, from_text(text, _stem(name), html=None)
    except InputError as e:
        yield name, e
    except Exception as e:  # malformed HTML, unreadable files and other surprises are reported, not raised
        yield name, InputError(f"{name}: {type(e).__name__}: {e}")


def _stem(name: str) -> str:
    return os.path.splitext(os.path.basename(name))[0] if name != "-" else "stdin"


def read_located(paths: Iterable[Union[str, Path]]) -> Iterator[Located]:
    """``(location, Article | InputError)`` for every article in ``paths`` (files, folders, WARC
    files, ``-``), in order."""
    for p in paths:
        yield from _located(p)


def read_path(path: Union[str, Path]) -> Iterator[Read]:
    """Articles from one file (``-`` is standard input): ``.jsonl`` one per line, HTML, or text;
    a folder (recursively) or a WARC file (its HTML responses)."""
    for _, item in _located(path):
        yield item


def read_paths(paths: Iterable[Union[str, Path]]) -> Iterator[Read]:
    for p in paths:
        yield from read_path(p)
