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
from zlib import error as zlib_error
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
        flat = _FlatText.of(html)
        if flat.depth <= MAX_HTML_DEPTH:
            raise InputError(f"{name}: no article text found in the HTML")
        # lxml (under trafilatura) drops what lies deeper than 255 elements: read it flat instead
        text = flat.text()
        if not text.strip():
            raise InputError(f"{name}: no text in the HTML (nested {flat.depth} elements deep)")
        outlet = urlsplit(url).hostname if url else None
        return Article(id=name, text=text, title=flat.title or None, url=url, outlet=outlet)
    text = text.replace("\n", "\n\n") if "\n\n" not in text else text
    url = getattr(doc, "url", None) or url
    outlet = getattr(doc, "sitename", None) or (urlsplit(url).hostname if url else None)
    return Article(id=name, text=text, title=getattr(doc, "title", None), url=url,
                   outlet=outlet, published=getattr(doc, "date", None))


MAX_HTML_DEPTH = 250  # lxml, under trafilatura, loses text nested deeper than ~255 elements


class _FlatText:
    """An HTML page's text without its structure (the stdlib parser has no depth limit):
    paragraphs at block elements, scripts and styles left out, and its nesting depth."""

    BLOCKS = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 article section blockquote tr table "
                       "header footer main aside pre hr dd dt figcaption".split())
    SKIP = frozenset("script style noscript template head svg".split())
    VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self) -> None:
        from html.parser import HTMLParser

        flat = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list) -> None:
                flat.start(tag)

            def handle_startendtag(self, tag: str, attrs: list) -> None:
                flat.start(tag, void=True)

            def handle_endtag(self, tag: str) -> None:
                flat.end(tag)

            def handle_data(self, data: str) -> None:
                flat.data(data)

        self.parser = Parser(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.depth = self.level = self.skipping = 0
        self.in_title = False

    @classmethod
    def of(cls, html: str) -> "_FlatText":
        flat = cls()
        flat.parser.feed(html)
        flat.parser.close()
        return flat

    def start(self, tag: str, void: bool = False) -> None:
        if tag in self.SKIP:
            self.skipping += 0 if void else 1
        if tag == "title":
            self.in_title = not void
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if not void and tag not in self.VOID:
            self.level += 1
            self.depth = max(self.depth, self.level)

    def end(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag not in self.VOID:
            self.level = max(0, self.level - 1)

    def data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        paras = (" ".join(p.split()) for p in "".join(self.parts).split("\n\n"))
        return "\n\n".join(p for p in paras if p)


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


def record_of(line: Union[str, bytes], where: str) -> Article:
    """One JSON Lines line as an article; anything wrong with it is an ``InputError``."""
    try:
        return from_record(json.loads(line), where)
    except InputError:
        raise
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not JSON ({e.msg})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    except (ValueError, TypeError, MemoryError) as e:
        raise InputError(f"{where}: cannot read this record ({type(e).__name__}: {str(e)[:200]})") from None


def iter_jsonl(lines: Iterable[str], name: str) -> Iterator[Read]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield record_of(line, f"{name}:{n}")
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


def _lines(f: IO[bytes], limit: int) -> Iterator[tuple[Optional[bytes], int]]:
    """(line, its length) for each line of ``f``, the line ``None`` where it is longer than
    ``limit`` bytes (it is skipped, not held in memory)."""
    while True:
        raw = f.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):
                raw = f.readline(1 << 20)
                size += len(raw)
            yield None, size
        else:
            yield raw, len(raw)


def _iter_jsonl_stream(stream: IO[bytes], name: str) -> Iterator[Located]:
    """JSON Lines from a stream (standard input), a line at a time."""
    for n, (raw, size) in enumerate(_lines(stream, MAX_BYTES), 1):
        where = f"{name}:{n}"
        if raw is None:
            yield where, InputError(f"{where}: a line of {size:,} bytes, larger than {MAX_BYTES // 1_000_000} MB")
        elif raw.strip():
            try:
                yield where, record_of(decode(raw, where), where)
            except InputError as e:
                yield where, e


def _iter_jsonl_file(path: Path, name: str) -> Iterator[Located]:
    """A JSON Lines file (optionally gzipped), streamed line by line: no size limit on the file,
    ``MAX_BYTES`` on a line. A bad line is reported and skipped; a damaged file (a truncated
    gzip stream) is reported where it breaks, after what came before."""
    opener = gzip.open if name.endswith(".gz") else open
    seen = n = 0
    with opener(path, "rb") as f:  # type: ignore[operator]
        try:
            for n, (raw, size) in enumerate(_lines(f, MAX_BYTES), 1):
                where = f"{name}:{n}"
                if raw is None:
                    seen += 1
                    yield where, InputError(f"{where}: a line of {size:,} bytes, larger than "
                                            f"{MAX_BYTES // 1_000_000} MB")
                    continue
                if not raw.strip():
                    continue
                seen += 1
                try:
                    yield where, record_of(decode(raw, where), where)
                except InputError as e:
                    yield where, e
        except (OSError, EOFError, zlib_error) as e:  # gzip: truncated or corrupt after line n
            yield f"{name}:{n + 1}", InputError(f"{name}: cannot read past line {n} ({type(e).__name__}: {e})")
            return
    if not seen:
        yield name, InputError(f"{name}: empty input")


def _iter_folder(folder: Path) -> Iterator[Located]:
    """Every input file under ``folder`` (recursively, in name order, hidden ones left out); a
    sub-folder that cannot be listed is reported and the others go on."""
    unreadable: list[OSError] = []
    files = []
    for root, dirs, names in os.walk(folder, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(root) / n for n in names
                     if not n.startswith(".") and n.lower().endswith(FOLDER_SUFFIXES))
    for e in unreadable:
        where = getattr(e, "filename", None) or str(folder)
        yield str(where), InputError(f"{where}: cannot list this folder ({e.strerror or e})")
    if not files and not unreadable:
        yield str(folder), InputError(f"{folder}: no .txt, .html, .jsonl or .warc files in this folder")
    for p in sorted(files):
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
            stdin = sys.stdin.buffer
            peek = getattr(stdin, "peek", None)
            if peek is not None and peek(65536)[:65536].lstrip()[:1] == b"{":  # JSON Lines: streamed
                yield from _iter_jsonl_stream(stdin, name)
                return
            data = stdin.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB")
        if name.lower().endswith(HTML_SUFFIXES):
            yield name, from_text(decode_html(data, name), _stem(name), html=True)
            return
        yield name, from_text(decode(data, name), _stem(name), html=None)
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
