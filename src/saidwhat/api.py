"""saidwhat's REST API and web server: ``create_app(db_path=None, token=None)``.

A thin shell over the library: every route parses its input, calls ``extract`` or the store, and
returns the data model's own ``to_dict()`` shapes (``Article``, ``Attribution``, ``Speaker``).

    POST /api/extract            text/plain, text/html, or JSON {"text", "format"?, "id"?, "stance"?, ...}
                                 -> Article.to_dict(); ?stance=true (or "stance": true) adds each
                                 attribution's targets and their stance (about 4x slower)
    GET  /api/attributions       search the collection: q, speaker, outlet, since, until, type,
                                 about, stance, limit, offset -> {"total", "limit", "offset", "results": [...]}
    GET  /api/speakers           speakers with counts and aliases (q, limit, offset)
    GET  /api/speakers/{id}      one speaker, with a weekly timeline, the names they mention, the
                                 targets they talk about and who talks about them, by stance
    GET  /api/speakers/{id}/targets  how they talk about: their most frequent targets by stance
    GET  /api/stance             stance summary: speaker, about, by (month|week|year|outlet|target|speaker)
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Optional, Union

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException

from .errors import InputError, StoreError
from .model import Article
from .read import decode, from_text

log = logging.getLogger("saidwhat.api")

MAX_BODY_BYTES = 2_000_000
EXTRACT_TIMEOUT_S = 30.0
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


def error_response(scope: dict, status: int, message: str,
                   headers: Optional[dict[str, str]] = None) -> Response:
    """The one error shape: JSON ``{"status", "message"}``, or the error page for a browser."""
    app = scope.get("app")
    if app is not None and wants_html(scope) and getattr(app.state, "render_error", None):
        return app.state.render_error(scope, status, message, headers)
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit:,} bytes: send a shorter text "
                              f"(the server's limit is --max-body {limit})")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        return error_response(request.scope, exc.status_code, message, getattr(exc, "headers", None))

    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request.scope, 422, _validation_message(exc))

    async def input_error(request: Request, exc: InputError) -> Response:
        return error_response(request.scope, 400, str(exc))

    async def store_error(request: Request, exc: StoreError) -> Response:
        return error_response(request.scope, 503, f"the store cannot be read: {exc}")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request.scope, 500, f"internal error ({type(exc).__name__}); "
                                                  "see the server log")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(Exception, server_error)


# ---------------------------------------------------------------- guard: token, body size, headers

def _token_ok(scope: dict, token: str) -> bool:
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
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


class Guard:
    """ASGI middleware run before any route: the bearer token (401), the request body size (413,
    by Content-Length or while streaming), and security headers on every response."""

    def __init__(self, app: Any, token: Optional[str], max_body: int) -> None:
        self.app, self.token, self.max_body = app, token, max_body

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
            await send(message)

        if self.token and scope.get("path") not in OPEN_PATHS and not _token_ok(scope, self.token):
            response = error_response(scope, 401, "missing or wrong token: send the header "
                                      "'Authorization: Bearer TOKEN'",
                                      headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send_secure)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                await error_response(scope, 400, "bad Content-Length header")(scope, receive, send_secure)
                return
            if int(length) > self.max_body:
                await error_response(scope, 413, BodyTooLarge(self.max_body).detail)(
                    scope, receive, send_secure)
                return
        received = 0

        async def receive_limited() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        await self.app(scope, receive_limited, send_secure)


# ---------------------------------------------------------------- extraction

async def run_extraction(request: Request, article: Article, stance: bool = False) -> Article:
    """``extract`` in the server's extraction thread, with the time limit (503 past it);
    ``stance``: with targets and their stance."""
    state = request.app.state
    loop = asyncio.get_running_loop()
    if stance:
        from functools import partial

        future = loop.run_in_executor(state.executor, partial(state.extractor, article, stance=True))
    else:
        future = loop.run_in_executor(state.executor, state.extractor, article)
    try:
        return await asyncio.wait_for(future, timeout=state.extract_timeout)
    except asyncio.TimeoutError:
        raise HTTPException(503, f"extraction took longer than {state.extract_timeout:g} s: "
                                 "send a shorter text") from None


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


def article_from_json(data: Any) -> Article:
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
        if data.get(key) is not None and not isinstance(data[key], (str, int)):
            raise HTTPException(422, f"{key}: a string is expected")
    article = article_from_text(text, {"auto": None, "text": False, "html": True}[fmt],
                                str(data.get("id") or "posted"))
    for key in ("title", "url", "outlet", "published"):
        if data.get(key) is not None:
            setattr(article, key, str(data[key]))
    return article


def article_from_text(text: str, html: Optional[bool], name: str = "posted") -> Article:
    if "\x00" in text:
        raise InputError("binary data, not text")
    if not text.strip():
        raise InputError("empty text: paste or post an article")
    return from_text(text, name, html=html)


async def article_from_request(request: Request) -> Article:
    """The posted article: a JSON object, or a raw text/plain or text/html body."""
    body = await request.body()
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or (not ctype and body.lstrip()[:1] == b"{"):
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise HTTPException(400, f"malformed JSON: {getattr(e, 'msg', None) or e}") from None
        if isinstance(data, dict) and "stance" in data:
            if not isinstance(data["stance"], bool):
                raise HTTPException(422, "stance: true or false")
            request.state.stance = data["stance"]
        return article_from_json(data)
    if ctype and not ctype.startswith("text/"):
        raise HTTPException(415, f"unsupported Content-Type {ctype[:60]!r}: send text/plain, "
                                 "text/html or application/json")
    text = decode(body, "request body")
    html = {"text/html": True, "text/plain": False}.get(ctype)
    return article_from_text(text, html)


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
    article = await article_from_request(request)
    flag = flag or bool(getattr(request.state, "stance", False))
    return (await run_extraction(request, article, stance=flag)).to_dict()


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
                          ) -> dict[str, Any]:
    """Attributions matching every filter given, newest first: ``{"total", "limit", "offset",
    "results"}``; each result is ``Attribution.to_dict()`` plus ``article`` (id, title, outlet,
    published, url) and ``cluster`` (its quote cluster's id, if any); its ``targets`` (when
    stored with stance) carry their collection ``key`` and ``speaker_id``."""
    for name, value in (("since", since), ("until", until)):
        check_date(name, value)
    return get_store(request).search(q=q, speaker=speaker, outlet=outlet, since=since, until=until,
                                     type=type, limit=limit, offset=offset, about=about, stance=stance)


def check_date(name: str, value: Optional[str]) -> None:
    import datetime as dt

    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise HTTPException(422, f"{name}: not a date, give YYYY-MM-DD") from None


@router.get("/speakers", summary="Speakers with counts and aliases")
def speakers_endpoint(request: Request, q: Optional[str] = Query(None, max_length=200),
                      limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000),
                      ) -> dict[str, Any]:
    return get_store(request).speakers(q=q, limit=limit, offset=offset)


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
                    limit: int = Query(50, ge=1, le=500)) -> dict[str, Any]:
    """``{"by", "speaker", "about", "rows": [{"key", "name", "kind", "speaker_id", "n",
    "stances": {"negative", "neutral", "positive"}, "shares", "tone"}], "total", "speakers",
    "targets"}``: (attribution, target) pairs by stance, per period (oldest first) or per target
    or speaker (most first); ``tone`` = (positive - negative) / n."""
    for name, value in (("since", since), ("until", until)):
        check_date(name, value)
    return get_store(request).stance_summary(speaker=speaker or None, about=about or None, by=by,
                                             since=since, until=until, outlet=outlet or None, limit=limit)


@router.get("/sources", summary="Who gets quoted: shares by speaker kind and gender, per outlet or month")
def sources_endpoint(request: Request,
                     by: str = Query("outlet", pattern="^(outlet|month)$", description="outlet or month"),
                     since: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                     until: Optional[str] = Query(None, description="YYYY-MM-DD, inclusive", pattern=DATE),
                     outlet: Optional[str] = Query(None, max_length=200)) -> dict[str, Any]:
    """``{"by", "rows": [{"key", "n", "kinds", "kind_shares", "people", "genders",
    "gender_shares"}], "total"}``: attributions by speaker kind (person, organisation, group,
    document, other, unresolved) and, among people, by the gender the articles refer to them by."""
    for name, value in (("since", since), ("until", until)):
        check_date(name, value)
    return get_store(request).sources_report(by=by, since=since, until=until, outlet=outlet)


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


@router.get("/health", summary="Is the server up, and does it have a collection")
def health(request: Request) -> dict[str, Any]:
    from . import __version__

    return {"status": "ok", "version": __version__, "collection": request.app.state.store is not None}


# ---------------------------------------------------------------- the factory

def create_app(db_path: Union[str, Path, None] = None, token: Optional[str] = None, *,
               max_body_bytes: int = MAX_BODY_BYTES, extract_timeout: float = EXTRACT_TIMEOUT_S,
               extractor: Optional[Extractor] = None) -> FastAPI:
    """The saidwhat web app: REST API under ``/api``, pages at ``/``.

    ``db_path``: a store built by ``saidwhat ingest`` (opened read-only); without it only the
    extract endpoint and the paste page work. ``token``: when set, every request needs it.
    ``extractor``: ``Article -> Article`` (default: ``saidwhat.extract``), for tests and benches.
    """
    from .web import install_pages

    app = FastAPI(title="saidwhat", summary="Who said what in the news: attributions, speakers, quotes.",
                  docs_url=None, redoc_url=None)  # Swagger/ReDoc pull CDN assets; /docs is ours
    app.state.store = open_store(db_path) if db_path is not None else None
    app.state.db_path = str(db_path) if db_path is not None else None
    app.state.extractor = extractor or default_extractor
    app.state.extract_timeout = float(extract_timeout)
    app.state.max_body_bytes = int(max_body_bytes)
    app.state.token = token or None
    # one extraction at a time: spaCy is not made for concurrent calls, and a backlog then
    # meets the time limit instead of exhausting the machine
    app.state.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saidwhat-extract")
    install_error_handlers(app)
    app.include_router(router)
    install_pages(app)
    app.add_middleware(Guard, token=token or None, max_body=int(max_body_bytes))
    return app


def open_store(db_path: Union[str, Path]) -> Any:
    """The collection, read-only, behind the query methods the routes call."""
    from .web.collection import Collection

    path = Path(db_path)
    if not path.is_file():
        raise StoreError(f"{path}: no such store (build one with 'saidwhat ingest ... --db {path}')")
    return Collection(path)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory saidwhat.api:app_from_env``: $SAIDWHAT_DB and $SAIDWHAT_TOKEN."""
    return create_app(os.environ.get(DB_ENV) or None, os.environ.get(TOKEN_ENV) or None)
