"""saidwhat's REST API and web server: ``create_app(db_path=None, token=None)``.

A thin shell over the library: every route parses its input, calls ``extract`` or the store, and
returns the data model's own ``to_dict()`` shapes (``Article``, ``Attribution``, ``Speaker``).

    POST /api/extract            text/plain, text/html, or JSON {"text", "format"?, "id"?, "stance"?, ...}
                                 -> Article.to_dict(); ?stance=true (or "stance": true) adds each
                                 attribution's targets and their stance (about 4x slower)
    GET  /api/attributions       search the collection: q, speaker, outlet, since, until, type,
                                 about, stance, min_confidence, limit, offset -> {"total", "limit", "offset",
                                 "results": [...]}
    GET  /api/speakers           speakers with counts and aliases (q, kind, gender, limit, offset)
    GET  /api/speakers/{id}      one speaker, with a weekly timeline, the names they mention, the
                                 targets they talk about and who talks about them, by stance
    GET  /api/speakers/{id}/targets  how they talk about: their most frequent targets by stance
    GET  /api/stance             stance summary: speaker, about, by (month|week|year|outlet|target|speaker),
                                 since, until, outlet, min_confidence
    GET  /api/sources            who gets quoted: shares by speaker kind and gender, per outlet or month
    GET  /api/articles/{id}      one stored article with its attributions (Article.to_dict())
    GET  /api/clusters/{id}      one quote cluster with its provenance
    GET  /openapi.json, /docs    the OpenAPI schema and a page listing it (no CDN assets)

The web pages (``saidwhat.web``) render the same dicts. Safety: every request body is limited to
``max_body_bytes`` (413), extraction to ``extract_timeout`` seconds (503), the store is opened
read-only, errors are ``{"status", "message"}`` JSON (an HTML page for a browser), never a stack
trace, and with a ``token`` every request needs ``Authorization: Bearer TOKEN`` (or the cookie the
login form sets) or gets a 401.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Optional, Union

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from .errors import InputError, StoreError
from .model import Article
from .read import decode, from_text

log = logging.getLogger("saidwhat.api")

MAX_BODY_BYTES = 2_000_000
EXTRACT_TIMEOUT_S = 30.0
MAX_MEMORY_MB = 2048.0   # RSS of one extraction worker (the loaded models take ~600 MB of it)
QUEUE = 8                # extraction requests waiting for a worker; more get 503 + Retry-After
BODY_TIMEOUT_S = 60.0    # to send a whole request body
MAX_CONNECTIONS = 256    # connections (and requests) served at once; more get 503
TOKEN_GUESSES, TOKEN_WINDOW_S = 10, 60.0  # wrong tokens an address may send per window (then 429)
TOKEN_ENV = "SAIDWHAT_TOKEN"
DB_ENV = "SAIDWHAT_DB"
TOKEN_COOKIE = "saidwhat_token"
OPEN_PATHS = ("/login",)  # reachable without the token (the form that asks for it)

SECURITY_HEADERS = {
    "content-security-policy": ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}

Extractor = Callable[[Article], Article]


# ---------------------------------------------------------------- errors

def wants_html(scope: dict) -> bool:
    """A browser asking for a page (not the API): errors become an HTML page for it."""
    path = scope.get("path", "")
    if path.startswith("/api/") or path in ("/api", "/openapi.json"):
        return False
    return "text/html" in Headers(scope=scope).get("accept", "")


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "message": message}


_SURROGATE = re.compile("[\ud800-\udfff]")


class SafeJSONResponse(JSONResponse):
    """JSON as UTF-8; text holding lone surrogates (``"\\ud800"`` in a posted JSON body) is
    written with ASCII escapes, which UTF-8 cannot hold otherwise."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        if _SURROGATE.search(text):
            text = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")


def error_response(scope: dict, status: int, message: str,
                   headers: Optional[dict[str, str]] = None) -> Response:
    """The one error shape: JSON ``{"status", "message"}``, or the error page for a browser."""
    app = scope.get("app")
    if app is not None and wants_html(scope) and getattr(app.state, "render_error", None):
        return app.state.render_error(scope, status, message, headers)
    return SafeJSONResponse(error_body(status, message), status_code=status, headers=headers)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit:,} bytes: send a shorter text "
                              f"(the server's limit is --max-body {limit})", headers={"Connection": "close"})


class BodyTooSlow(HTTPException):
    def __init__(self, limit: float) -> None:
        super().__init__(408, f"the request body did not arrive within {limit:g} s",
                         headers={"Connection": "close"})


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Errors as JSON (or the error page): HTTP errors, 422 for bad parameters, 400 for input
    that cannot be read, 503 for a store that cannot be read (a damaged one is also reported by
    ``/api/health``). Any other exception becomes a 500 in ``Guard``, which keeps the connection."""
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        return error_response(request.scope, exc.status_code, message, getattr(exc, "headers", None))

    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request.scope, 422, _validation_message(exc))

    async def input_error(request: Request, exc: InputError) -> Response:
        return error_response(request.scope, 400, str(exc))

    async def store_error(request: Request, exc: StoreError) -> Response:
        return error_response(request.scope, 503, f"the store cannot be read: {exc}")

    async def database_error(request: Request, exc: sqlite3.DatabaseError) -> Response:
        store = request.app.state.store
        if store is not None and not isinstance(exc, sqlite3.OperationalError):
            store.mark_damaged(str(exc))
        log.error("store error on %s: %s: %s", request.url.path, type(exc).__name__, exc)
        return error_response(request.scope, 503, f"the store cannot be read ({exc}); "
                                                  "see /api/health", {"Retry-After": "60"})

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(sqlite3.DatabaseError, database_error)


# ---------------------------------------------------------------- guard: token, body size, headers

def _token_ok(scope: dict, token: str) -> tuple[bool, bool]:
    """(the right token was sent, some token was sent)."""
    headers = Headers(scope=scope)
    auth = headers.get("authorization", "")
    given = ""
    if auth[:7].lower() == "bearer ":
        given = auth[7:].strip()
    else:
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == TOKEN_COOKIE:
                given = value.strip()
    return bool(given) and hmac.compare_digest(given.encode(), token.encode()), bool(given)


class Throttle:
    """Wrong tokens per client address: more than ``limit`` in ``window`` seconds and the
    address gets 429 until the window has passed (the right token too: a guesser cannot tell)."""

    def __init__(self, limit: int = TOKEN_GUESSES, window: float = TOKEN_WINDOW_S, max_hosts: int = 10_000) -> None:
        self.limit, self.window, self.max_hosts = limit, window, max_hosts
        self.failures: dict[str, list[float]] = {}

    def _recent(self, host: str, now: float) -> list[float]:
        times = [t for t in self.failures.get(host, ()) if now - t < self.window]
        if times:
            self.failures[host] = times
        else:
            self.failures.pop(host, None)
        return times

    def blocked(self, host: str) -> float:
        """Seconds until ``host`` may try again (0: now)."""
        now = time.monotonic()
        times = self._recent(host, now)
        return self.window - (now - times[0]) if len(times) >= self.limit else 0.0

    def failed(self, host: str) -> None:
        now = time.monotonic()
        if len(self.failures) >= self.max_hosts:
            for h in list(self.failures)[: self.max_hosts // 10]:
                self._recent(h, now)
            if len(self.failures) >= self.max_hosts:
                self.failures.pop(next(iter(self.failures)))
        self.failures.setdefault(host, []).append(now)


class Guard:
    """ASGI middleware run before any route: the bearer token (401, 429 after repeated wrong
    ones), the request body's size (413, by Content-Length or while streaming) and time (408),
    HEAD answered as GET without the body, security headers on every response, and any
    unexpected exception turned into a 500 JSON error (logged; the connection is kept)."""

    def __init__(self, app: Any, token: Optional[str], max_body: int, body_timeout: float = BODY_TIMEOUT_S) -> None:
        self.app, self.token, self.max_body, self.body_timeout = app, token, max_body, body_timeout
        self.throttle = Throttle()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope.get("method") == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        started = False

        async def send_secure(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if self.token and scope.get("path") not in OPEN_PATHS:
            host = (scope.get("client") or ("?",))[0]
            wait = self.throttle.blocked(host)
            if wait:
                await error_response(scope, 429, "too many wrong tokens: wait and try again",
                                     headers={"Retry-After": str(int(wait) + 1)})(scope, receive, send_secure)
                return
            ok, given = _token_ok(scope, self.token)
            if not ok:
                if given:
                    self.throttle.failed(host)
                response = error_response(scope, 401, "missing or wrong token: send the header "
                                          "'Authorization: Bearer TOKEN'",
                                          headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send_secure)
                return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if not length.strip().isdigit() or len(length.strip()) > 18:
                await error_response(scope, 400, "bad Content-Length header")(scope, receive, send_secure)
                return
            if int(length) > self.max_body:
                await error_response(scope, 413, BodyTooLarge(self.max_body).detail,
                                     {"Connection": "close"})(scope, receive, send_secure)
                return
        received = 0
        complete = False
        deadline = time.monotonic() + self.body_timeout

        async def receive_limited() -> dict:
            nonlocal received, complete
            if complete:  # the body is in: e.g. a response waiting for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.001, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise BodyTooSlow(self.body_timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
                complete = not message.get("more_body", False)
            return message

        try:
            await self.app(scope, receive_limited, send_secure)
        except ClientDisconnect:
            log.info("client %s left before sending its whole request (%s)",
                     (scope.get("client") or ("?",))[0], scope.get("path"))
        except Exception as exc:  # noqa: BLE001 - never a trace for the client, and keep-alive
            log.exception("unhandled error on %s", scope.get("path"))
            if not started:
                await error_response(scope, 500, f"internal error ({type(exc).__name__}); see the server log")(
                    scope, receive, send_secure)


# ---------------------------------------------------------------- extraction

Job = dict  # {"text", "html": bool | None, "name", "stance": bool, "meta": {title, url, outlet, published}}


def make_job(text: str, html: Optional[bool], name: str = "posted", stance: bool = False, **meta: Any) -> Job:
    """An extraction request: checked here (cheap), read (HTML) and extracted in a worker;
    ``stance``: with each attribution's targets and their stance."""
    if "\x00" in text:
        raise InputError("binary data, not text")
    if not text.strip():
        raise InputError("empty text: paste or post an article")
    return {"text": text, "html": html, "name": name, "stance": bool(stance),
            "meta": {k: v for k, v in meta.items() if v is not None}}


def article_of(job: Job) -> Article:
    """The job's article: its text read (HTML through trafilatura) and its metadata set."""
    article = from_text(job["text"], job["name"], html=job["html"])
    for key, value in job["meta"].items():
        setattr(article, key, str(value))
    return article


def extract_job(job: Optional[Job]) -> Optional[dict[str, Any]]:
    """What an extraction worker runs: ``Article.to_dict()`` of the job's article (``None``
    warms the pipeline up)."""
    if job is None:
        default_extractor(Article(id="warm-up", text='"We will not be rushed," the minister said.'))
        return None
    return default_extractor(article_of(job), stance=bool(job.get("stance"))).to_dict()


def _busy(message: str, retry_after: float) -> HTTPException:
    return HTTPException(503, message, headers={"Retry-After": str(max(1, int(retry_after + 0.999)))})


async def run_extraction(request: Request, job: Job) -> Article:
    """The job's article, extracted in the server's worker pool (or, with a custom extractor,
    in the server's extraction thread), within the time limit: 503 with Retry-After past it or
    when every worker is busy and the queue is full; 400 for input that cannot be read."""
    from .pool import ExtractTimeout, JobError, PoolBusy, WorkerLost

    state = request.app.state
    loop = asyncio.get_running_loop()
    if state.pool is None:  # a custom extractor: in this process, the time limit is only awaited
        def work() -> Article:
            if job.get("stance"):
                return state.extractor(article_of(job), stance=True)
            return state.extractor(article_of(job))

        future = loop.run_in_executor(state.executor, work)
        try:
            return await asyncio.wait_for(future, timeout=state.extract_timeout)
        except asyncio.TimeoutError:
            raise _busy(f"extraction took longer than {state.extract_timeout:g} s: send a shorter text",
                        state.extract_timeout) from None
    try:
        result = await loop.run_in_executor(state.executor, state.pool.run, job)
    except PoolBusy as e:
        raise _busy(f"the server is busy ({e}): try again later", state.extract_timeout) from None
    except ExtractTimeout:
        raise _busy(f"extraction took longer than {state.extract_timeout:g} s: send a shorter text",
                    1) from None
    except WorkerLost as e:
        raise _busy(f"{e}: send a shorter text", 1) from None
    except JobError as e:
        if e.kind == "InputError":
            raise InputError(str(e)) from None
        if e.kind in ("MemoryError", "RecursionError"):
            raise _busy(f"extraction ran out of memory ({e.kind}): send a shorter text", 1) from None
        log.error("extraction failed: %s: %s", e.kind, e)
        raise HTTPException(500, f"internal error ({e.kind}); see the server log") from None
    return Article.from_dict(result)


def default_extractor(article: Article, stance: bool = False) -> Article:
    from .pipeline import extract

    meta = {k: getattr(article, k) for k in ("title", "url", "outlet", "published")}
    return extract(article.text, id=article.id, stance=stance, **meta)


def stance_flag(value: Any, name: str = "stance") -> bool:
    """``stance`` as a query parameter ("true", "1", "yes", "on"; "false", "0", "no", "off", "")
    or a JSON boolean; anything else is a 422."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise HTTPException(422, f"{name}: true or false")


META_KEYS = ("id", "title", "url", "outlet", "published")


def job_from_json(data: Any) -> Job:
    """``{"text", "format"?: "auto"|"text"|"html", "id"?, "title"?, "url"?, "outlet"?, "published"?}``."""
    if not isinstance(data, dict):
        raise HTTPException(422, "the JSON body must be an object with a 'text' string")
    text = data.get("text")
    if not isinstance(text, str):
        raise HTTPException(422, "text: a string is required")
    fmt = data.get("format", "auto")
    if fmt not in ("auto", "text", "html"):
        raise HTTPException(422, "format: one of 'auto', 'text', 'html'")
    for key in META_KEYS:
        if data.get(key) is not None and (not isinstance(data[key], (str, int)) or isinstance(data[key], bool)):
            raise HTTPException(422, f"{key}: a string is expected")
    if "stance" in data and not isinstance(data["stance"], bool):
        raise HTTPException(422, "stance: true or false")
    meta = {k: str(data[k])[:2000] for k in ("title", "url", "outlet", "published") if data.get(k) is not None}
    return make_job(text, {"auto": None, "text": False, "html": True}[fmt],
                    str(data.get("id") or "posted")[:2000], stance=bool(data.get("stance")), **meta)


async def job_from_request(request: Request) -> Job:
    """The posted article: a JSON object, or a raw text/plain or text/html body."""
    body = await request.body()
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or (not ctype and body.lstrip()[:1] == b"{"):
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise HTTPException(400, f"malformed JSON: {getattr(e, 'msg', None) or e}") from None
        except RecursionError:
            raise HTTPException(400, "malformed JSON: nested too deeply") from None
        return job_from_json(data)
    if ctype and not ctype.startswith("text/"):
        raise HTTPException(415, f"unsupported Content-Type {ctype[:60]!r}: send text/plain, "
                                 "text/html or application/json")
    text = decode(body, "request body")
    html = {"text/html": True, "text/plain": False}.get(ctype)
    return make_job(text, html)


# ---------------------------------------------------------------- routes

EXTRACT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["text"],
                "properties": {"text": {"type": "string"},
                               "format": {"type": "string", "enum": ["auto", "text", "html"]},
                               "stance": {"type": "boolean", "description": "also targets and their stance"},
                               **{k: {"type": "string"} for k in META_KEYS}}}},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}

router = APIRouter(prefix="/api", tags=["api"])


@router.post("/extract", openapi_extra=EXTRACT_BODY,
             summary="Find who said what in a posted text or HTML page")
async def extract_endpoint(request: Request,
                           stance: Optional[str] = Query(None, max_length=5, description=(
                               "true: also each attribution's targets and their stance (about 4x"
                               " slower); also a JSON field"))) -> dict[str, Any]:
    """The article's attributions and speakers: ``Article.to_dict()``; with ``stance``, each
    attribution's ``targets`` with their stance."""
    flag = stance_flag(stance)
    job = await job_from_request(request)
    job["stance"] = flag or bool(job.get("stance"))
    return (await run_extraction(request, job)).to_dict()


def get_store(request: Request) -> Any:
    store = request.app.state.store
    if store is None:
        raise HTTPException(503, "this server has no collection: start it with "
                                 "'saidwhat serve --db FILE'")
    return store


def _not_found(what: str, key: str) -> HTTPException:
    shown = key if len(key) <= 80 else key[:77] + "..."
    return HTTPException(404, f"no {what} {shown!r}")


DATE = r"^\d{4}-\d{2}-\d{2}$"
STANCE = "^(negative|neutral|positive)$"
STANCE_BY = "^(month|week|year|outlet|target|speaker)$"
MIN_CONFIDENCE = ("0 to 1: only attributions at least this confident (the mean probability of the tagger's "
                  "tags; on PolNeAR dev >= 0.95 is right 93% of the time, 0.8-0.9 68%, < 0.6 about 37%)")


@router.get("/attributions", summary="Search the collection's attributions")
def attributions_endpoint(request: Request,
                          q: Optional[str] = Query(None, max_length=500, description="words in the quote"),
                          speaker: Optional[str] = Query(None, max_length=200),
                          outlet: Optional[str] = Query(None, max_length=200),
                          since: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                          until: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                          type: Optional[str] = Query(None, description="direct, indirect or mixed",
                                                      pattern="^(direct|indirect|mixed)$"),
                          limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000),
                          about: Optional[str] = Query(None, max_length=200, description=(
                              "a target: name, word of a name, alias, or speaker id")),
                          stance: Optional[str] = Query(None, pattern=STANCE, description=(
                              "negative, neutral or positive (towards the 'about' target, else any)")),
                          min_confidence: Optional[float] = Query(None, ge=0, le=1, description=MIN_CONFIDENCE),
                          ) -> dict[str, Any]:
    """Attributions matching every filter given, newest first: ``{"total", "limit", "offset",
    "results"}``; each result is ``Attribution.to_dict()`` plus ``article`` (id, title, outlet,
    published, url) and ``cluster`` (its quote cluster's id, if any); its ``targets`` (when
    stored with stance) carry their collection ``key`` and ``speaker_id``."""
    for name, value in (("since", since), ("until", until)):
        check_date(name, value)
    return get_store(request).search(q=q, speaker=speaker, outlet=outlet, since=since, until=until,
                                     type=type, limit=limit, offset=offset, about=about, stance=stance,
                                     min_confidence=min_confidence)


def check_date(name: str, value: Optional[str]) -> None:
    import datetime as dt

    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise HTTPException(422, f"{name}: not a date, give YYYY-MM-DD") from None


@router.get("/speakers", summary="Speakers with counts and aliases")
def speakers_endpoint(request: Request, q: Optional[str] = Query(None, max_length=200, description=(
                          "a part of the name, or an alias given whole")),
                      kind: Optional[str] = Query(None, pattern="^(person|organisation|group|document|other)$"),
                      gender: Optional[str] = Query(None, pattern="^(female|male|unknown)$", description=(
                          "as the articles refer to them (pronouns, titles; never a first name)")),
                      limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000),
                      ) -> dict[str, Any]:
    """Speakers with at least one attribution, most first; ``total`` only without filters."""
    return get_store(request).speakers(q=q, limit=limit, offset=offset, kind=kind, gender=gender)


@router.get("/speakers/{speaker_id}", summary="One speaker: aliases, roles, timeline, mentions")
def speaker_endpoint(request: Request, speaker_id: str) -> dict[str, Any]:
    found = get_store(request).speaker(speaker_id)
    if found is None:
        raise _not_found("speaker", speaker_id)
    return found


@router.get("/speakers/{speaker_id}/targets", summary="How a speaker talks about: their targets by stance")
def speaker_targets_endpoint(request: Request, speaker_id: str,
                             limit: int = Query(20, ge=1, le=500)) -> dict[str, Any]:
    """The targets of a speaker's statements (their groups' too), most frequent first, with
    counts by stance: ``Store.stance_summary(speaker=id, by="target")``."""
    found = get_store(request).speaker_targets(speaker_id, limit=limit)
    if found is None:
        raise _not_found("speaker", speaker_id)
    return found


@router.get("/stance", summary="Stance summary: how a speaker's statements treat a target, over time")
def stance_endpoint(request: Request,
                    speaker: Optional[str] = Query(None, max_length=200, description="speaker name, alias or id"),
                    about: Optional[str] = Query(None, max_length=200, description="target name, alias or speaker id"),
                    by: str = Query("month", pattern=STANCE_BY,
                                    description="month, week, year, outlet, target or speaker"),
                    since: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                    until: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                    outlet: Optional[str] = Query(None, max_length=200),
                    limit: int = Query(50, ge=1, le=500),
                    min_confidence: Optional[float] = Query(None, ge=0, le=1, description=MIN_CONFIDENCE),
                    ) -> dict[str, Any]:
    """``{"by", "speaker", "about", "rows": [{"key", "name", "kind", "speaker_id", "n",
    "stances": {"negative", "neutral", "positive"}, "shares", "tone"}], "total", "speakers",
    "targets"}``: (attribution, target) pairs by stance, per period (oldest first) or per target
    or speaker (most first); ``tone`` = (positive - negative) / n."""
    for name, value in (("since", since), ("until", until)):
        check_date(name, value)
    return get_store(request).stance_summary(speaker=speaker or None, about=about or None, by=by,
                                             since=since, until=until, outlet=outlet or None, limit=limit,
                                             min_confidence=min_confidence)


@router.get("/sources", summary="Who gets quoted: shares by speaker kind and gender, per outlet or month")
def sources_endpoint(request: Request,
                     by: str = Query("outlet", pattern="^(outlet|month)$", description="outlet or month"),
                     since: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                     until: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                     outlet: Optional[str] = Query(None, max_length=200),
                     min_confidence: Optional[float] = Query(None, ge=0, le=1, description=MIN_CONFIDENCE),
                     ) -> dict[str, Any]:
    """``{"by", "rows": [{"key", "n", "kinds", "kind_shares", "people", "genders",
    "gender_shares"}], "total"}``: attributions by speaker kind (person, organisation, group,
    document, other, unresolved) and, among people, by the gender the articles refer to them by."""
    for name, value in (("since", since), ("until", until)):
        check_date(name, value)
    return get_store(request).sources_report(by=by, since=since, until=until, outlet=outlet,
                                             min_confidence=min_confidence)


@router.get("/articles/{article_id}", summary="One stored article with its attributions")
def article_endpoint(request: Request, article_id: str) -> dict[str, Any]:
    found = get_store(request).article(article_id)
    if found is None:
        raise _not_found("article", article_id)
    return found


@router.get("/clusters/{cluster_id}", summary="One quote cluster with its provenance")
def cluster_endpoint(request: Request, cluster_id: str) -> dict[str, Any]:
    found = get_store(request).cluster(cluster_id)
    if found is None:
        raise _not_found("quote cluster", cluster_id)
    return found


@router.get("/health", summary="Is the server up: its collection, its store, its extraction workers")
def health(request: Request) -> Response:
    """``{"status": "ok" | "degraded", "version", "collection", "store", "extraction"}``: 200 when
    all is well, 503 when the store is damaged (``store`` says how) or extraction workers fail to
    start (``extraction.failing``). Answered at once, whatever the extraction workers are doing."""
    from . import __version__

    state = request.app.state
    store = state.store
    store_state = None
    if store is not None:
        store_state = store.health()
    pool = state.pool.status() if state.pool is not None else None
    ok = (store_state is None or not store_state.startswith("damaged")) and not (pool and pool["failing"])
    body = {"status": "ok" if ok else "degraded", "version": __version__, "collection": store is not None,
            "store": store_state, "extraction": pool}
    return SafeJSONResponse(body, status_code=200 if ok else 503)


# ---------------------------------------------------------------- the factory

def create_app(db_path: Union[str, Path, None] = None, token: Optional[str] = None, *,
               max_body_bytes: int = MAX_BODY_BYTES, extract_timeout: float = EXTRACT_TIMEOUT_S,
               extractor: Optional[Extractor] = None, workers: int = 1,
               max_memory_mb: Optional[float] = MAX_MEMORY_MB, queue: int = QUEUE,
               body_timeout: float = BODY_TIMEOUT_S) -> FastAPI:
    """The saidwhat web app: REST API under ``/api``, pages at ``/``.

    ``db_path``: a store built by ``saidwhat ingest`` (opened read-only); without it only the
    extract endpoint and the paste page work. ``token``: when set, every request needs it.
    Extraction runs in ``workers`` processes (``pool.ExtractPool``): one past ``extract_timeout``
    seconds or ``max_memory_mb`` MB is killed and replaced (503), and at most ``queue`` requests
    wait for a worker (more get 503 with Retry-After). The workers start with the server (or at
    the first extraction) and stop with it. ``extractor``: ``Article -> Article`` run in this
    process instead (for tests and benches; its time limit is only awaited, not enforced).
    ``body_timeout``: seconds a client has to send its whole request body (408 past it).
    """
    from contextlib import asynccontextmanager

    from .web import install_pages

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.pool is not None:
            app.state.pool_started = True
            app.state.pool.start()
        try:
            yield
        finally:
            if app.state.pool is not None:
                app.state.pool.close()

    app = FastAPI(title="saidwhat", summary="Who said what in the news: attributions, speakers, quotes.",
                  docs_url=None, redoc_url=None,  # Swagger/ReDoc pull CDN assets; /docs is ours
                  default_response_class=SafeJSONResponse, lifespan=lifespan)
    app.state.store = open_store(db_path) if db_path is not None else None
    app.state.db_path = str(db_path) if db_path is not None else None
    app.state.extractor = extractor or default_extractor
    app.state.extract_timeout = float(extract_timeout)
    app.state.max_body_bytes = int(max_body_bytes)
    app.state.token = token or None
    app.state.pool_started = False
    if extractor is None:
        from .pool import ExtractPool

        app.state.pool = ExtractPool(extract_job, workers=workers, timeout=extract_timeout,
                                     max_memory_mb=max_memory_mb, queue=queue)
        # a thread per admitted request waits on its worker (the pool admits workers + queue)
        app.state.executor = ThreadPoolExecutor(max_workers=app.state.pool.capacity + 2,
                                                thread_name_prefix="saidwhat-extract")
    else:
        app.state.pool = None
        # one extraction at a time: spaCy is not made for concurrent calls, and a backlog then
        # meets the time limit instead of exhausting the machine
        app.state.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saidwhat-extract")
    install_error_handlers(app)
    app.include_router(router)
    install_pages(app)
    app.add_middleware(Guard, token=token or None, max_body=int(max_body_bytes), body_timeout=float(body_timeout))
    return app


def open_store(db_path: Union[str, Path]) -> Any:
    """The collection, read-only, behind the query methods the routes call."""
    from .web.collection import Collection

    path = Path(db_path)
    if not path.is_file():
        raise StoreError(f"{path}: no such store (build one with 'saidwhat ingest ... --db {path}')")
    return Collection(path)


def timed_protocol(seconds: float) -> type:
    """uvicorn's HTTP/1.1 protocol with a deadline per request: a client that has not sent its
    whole request (headers and body) ``seconds`` after connecting, or after starting it on a
    kept-alive connection, is disconnected (slow clients cannot hold connections open)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11Protocol(H11Protocol):
        _request_timer: Any = None

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            if self._request_timer is None:
                self._request_timer = self.loop.call_later(seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._request_timer is not None:
                self._request_timer.cancel()
                self._request_timer = None

        def data_received(self, data: bytes) -> None:
            if self.conn.their_state is h11.IDLE:
                self._arm()
            super().data_received(data)
            if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR):
                self._disarm()

        def connection_lost(self, exc: Optional[Exception]) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _too_slow(self) -> None:
            self._request_timer = None
            if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
                return
            if self.cycle is not None and self.cycle.response_started:
                return
            log.info("closed a connection from %s: no whole request within %g s",
                     (self.client or ("?",))[0], seconds)
            self.transport.close()

    return TimedH11Protocol


def serve(app: FastAPI, host: str = "127.0.0.1", port: int = 8000, *, request_timeout: float = BODY_TIMEOUT_S,
          max_connections: int = MAX_CONNECTIONS, log_level: str = "info") -> None:
    """Run ``app`` with uvicorn: at most ``max_connections`` connections at once (503 beyond),
    ``request_timeout`` seconds for a client to send each request (``timed_protocol``), idle
    kept-alive connections closed after 5 s."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                http=timed_protocol(request_timeout), limit_concurrency=max_connections,
                timeout_keep_alive=5)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory saidwhat.api:app_from_env``: $SAIDWHAT_DB and $SAIDWHAT_TOKEN."""
    return create_app(os.environ.get(DB_ENV) or None, os.environ.get(TOKEN_ENV) or None)
