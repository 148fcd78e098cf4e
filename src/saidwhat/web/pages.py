"""The page routes: each one calls the code behind an API route and renders its dict."""
from __future__ import annotations

import hmac
import json
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from .. import api
from ..errors import InputError
from ..store import check_confidence
from . import render, templates

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def samples() -> dict[str, dict[str, Any]]:
    """The bundled sample articles (``saidwhat/samples/news.jsonl``), by id."""
    text = (resources.files("saidwhat") / "samples" / "news.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {r["id"]: r for r in records}


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("has_store", request.app.state.store is not None)
    context.setdefault("nav", name.split(".")[0])
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def article_page(request: Request, article: dict, origin: str, **extra: Any) -> Response:
    return page(request, "article.html", origin=origin, samples=samples(),
                **render.article_view(article), **extra)


# ---------------------------------------------------------------- the article view

@router.get("/")
def home(request: Request) -> Response:
    return page(request, "article.html", article=None, samples=samples(), text="", origin="paste")


@router.post("/")
async def paste(request: Request) -> Response:
    form = await request.form(max_part_size=request.app.state.max_body_bytes)
    text = form.get("text")
    text = text if isinstance(text, str) else ""
    stance = form.get("stance") == "1"
    try:
        result = await api.run_extraction(request, api.make_job(text, None, "pasted", stance=stance))
    except InputError as e:
        return page(request, "article.html", status_code=400, article=None, samples=samples(),
                    text=text, error=str(e), origin="paste", stance=stance)
    return article_page(request, result.to_dict(), "paste", text=text, stance=stance)


@router.get("/samples/{sample_id}")
async def sample(request: Request, sample_id: str, stance: Optional[str] = Query(None, max_length=5)) -> Response:
    record = samples().get(sample_id)
    if record is None:
        raise HTTPException(404, f"no sample article {sample_id[:80]!r}")
    flag = api.stance_flag(stance)
    job = api.make_job(record["text"], False, record["id"], stance=flag,
                       **{k: record.get(k) for k in ("title", "url", "outlet", "published")})
    result = await api.run_extraction(request, job)
    return article_page(request, result.to_dict(), "sample", text="", credit=record.get("attribution"),
                        sample_id=sample_id, stance=flag)


@router.get("/articles/{article_id}")
def stored_article(request: Request, article_id: str) -> Response:
    return article_page(request, api.article_endpoint(request, article_id), "store", text="")


# ---------------------------------------------------------------- the collection

@router.get("/search")
def search(request: Request,
           q: Optional[str] = Query(None, max_length=500), speaker: Optional[str] = Query(None, max_length=200),
           outlet: Optional[str] = Query(None, max_length=200),
           since: Optional[str] = Query(None, max_length=10), until: Optional[str] = Query(None, max_length=10),
           type: Optional[str] = Query(None, max_length=10),
           about: Optional[str] = Query(None, max_length=200), stance: Optional[str] = Query(None, max_length=10),
           min_confidence: Optional[str] = Query(None, max_length=20),
           limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000)) -> Response:
    form = {"q": q or "", "speaker": speaker or "", "outlet": outlet or "", "since": since or "",
            "until": until or "", "type": type or "", "about": about or "", "stance": stance or "",
            "min_confidence": (min_confidence or "").strip()}
    result = None
    error = None
    confidence = None
    if form["min_confidence"]:
        try:
            confidence = check_confidence(form["min_confidence"])
            form["min_confidence"] = f"{confidence:g}"  # "0.80" is the "0.8" option
        except ValueError:
            error = "confidence: a number from 0 to 1"
    if request.app.state.store is None:
        error = "This server has no collection: start it with 'saidwhat serve --db FILE'."
    else:
        for key in ("since", "until"):
            if form[key] and not _is_date(form[key]):
                error = f"{key}: give a date as YYYY-MM-DD"
        if form["type"] and form["type"] not in ("direct", "indirect", "mixed"):
            error = "type: direct, indirect or mixed"
        if form["stance"] and form["stance"] not in STANCES:
            error = "stance: negative, neutral or positive"
        if error is None:
            result = api.attributions_endpoint(request, q=q or None, speaker=speaker or None,
                                               outlet=outlet or None, since=since or None,
                                               until=until or None, type=type or None,
                                               limit=limit, offset=offset, about=about or None,
                                               stance=stance or None, min_confidence=confidence)
    return page(request, "search.html", status_code=400 if error and request.app.state.store else 200,
                form=form, result=result, error=error, limit=limit, offset=offset,
                query=_query_string(form), confidence_levels=CONFIDENCE_LEVELS)


# the search form's confidence choices: on PolNeAR dev, attributions >= 0.8 are right 68% to 93%
# of the time, those >= 0.95 93% (README, "Confidence")
CONFIDENCE_LEVELS = (("0.8", "likely (≥ 0.8)"), ("0.95", "confident (≥ 0.95)"))


def _is_date(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
        return len(value) == 10
    except ValueError:
        return False


def _query_string(form: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in form.items() if v})


@router.get("/speakers")
def speakers(request: Request, q: Optional[str] = Query(None, max_length=200),
             kind: Optional[str] = Query(None, pattern="^(person|organisation|group|document|other|)$"),
             gender: Optional[str] = Query(None, pattern="^(female|male|unknown|)$"),
             limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000)) -> Response:
    result = api.speakers_endpoint(request, q=q or None, kind=kind or None, gender=gender or None,
                                   limit=limit, offset=offset)
    return page(request, "speakers.html", result=result, q=q or "", kind=kind or "", gender=gender or "",
                limit=limit, offset=offset)


@router.get("/speakers/{speaker_id}")
def speaker(request: Request, speaker_id: str) -> Response:
    found = api.speaker_endpoint(request, speaker_id)
    plot = render.timeline_plot(render.weekly_counts(found.get("timeline", [])))
    return page(request, "speaker.html", speaker=found, plot=plot,
                targets_plot=render.stance_bars(found.get("targets", [])),
                about_plot=render.stance_bars(found.get("talked_about", [])))


STANCES = ("negative", "neutral", "positive")
STANCE_BY = ("month", "week", "year", "outlet", "target", "speaker")


@router.get("/stance")
def stance(request: Request, speaker: Optional[str] = Query(None, max_length=200),
           about: Optional[str] = Query(None, max_length=200), by: str = Query("month", max_length=10),
           since: Optional[str] = Query(None, max_length=10), until: Optional[str] = Query(None, max_length=10),
           ) -> Response:
    """How a speaker's statements treat a target over time (or per target, speaker, outlet),
    with the statements themselves."""
    form = {"speaker": speaker or "", "about": about or "", "by": by if by in STANCE_BY else "month",
            "since": since or "", "until": until or ""}
    error, report, plot, examples = None, None, None, None
    if request.app.state.store is None:
        error = "This server has no collection: start it with 'saidwhat serve --db FILE'."
    elif by not in STANCE_BY:
        error = "per: " + ", ".join(STANCE_BY)
    else:
        for key in ("since", "until"):
            if form[key] and not _is_date(form[key]):
                error = f"{key}: give a date as YYYY-MM-DD"
        if error is None:
            report = api.stance_endpoint(request, speaker=speaker or None, about=about or None, by=by,
                                         since=since or None, until=until or None, outlet=None, limit=50,
                                         min_confidence=None)
            plot = (render.stance_timeline(report["rows"], by) if by in ("month", "week", "year")
                    else render.stance_bars(report["rows"]))
            examples = api.attributions_endpoint(request, q=None, speaker=speaker or None, outlet=None,
                                                 since=since or None, until=until or None, type=None,
                                                 limit=20, offset=0, about=about or None,
                                                 stance=None, min_confidence=None) if (speaker or about) else None
    return page(request, "stance.html", status_code=400 if error and request.app.state.store else 200,
                form=form, report=report, plot=plot, examples=examples, error=error,
                query=_query_string({k: v for k, v in form.items() if k in ("speaker", "about", "since", "until")}))


@router.get("/sources")
def sources(request: Request, by: str = Query("outlet", max_length=10),
            since: Optional[str] = Query(None, max_length=10), until: Optional[str] = Query(None, max_length=10),
            ) -> Response:
    error, report = None, None
    if request.app.state.store is None:
        error = "This server has no collection: start it with 'saidwhat serve --db FILE'."
    elif by not in ("outlet", "month"):
        error = "per: outlet or month"
    else:
        for key, value in (("since", since), ("until", until)):
            if value and not _is_date(value):
                error = f"{key}: give a date as YYYY-MM-DD"
        if error is None:
            report = api.sources_endpoint(request, by=by, since=since or None, until=until or None, outlet=None,
                                          min_confidence=None)
    plot = render.shares_plot(report) if report else None
    return page(request, "sources.html", status_code=400 if error and request.app.state.store else 200,
                report=report, plot=plot, error=error, by=by if by in ("outlet", "month") else "outlet",
                since=since or "", until=until or "")


@router.get("/clusters/{cluster_id}")
def cluster(request: Request, cluster_id: str) -> Response:
    return page(request, "cluster.html", cluster=api.cluster_endpoint(request, cluster_id))


# ---------------------------------------------------------------- API docs, login

@router.get("/docs")
def docs(request: Request) -> Response:
    schema = request.app.openapi()
    routes = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description", ""),
                       "type": (p.get("schema") or {}).get("type")
                       or "/".join(s.get("type", "") for s in (p.get("schema") or {}).get("anyOf", [])
                                   if s.get("type") != "null")}
                      for p in op.get("parameters", [])]
            body = list((op.get("requestBody") or {}).get("content", {}))
            routes.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                           "description": op.get("description", ""), "params": params, "body": body})
    return page(request, "docs.html", routes=routes, title=schema.get("info", {}).get("title"))


@router.get("/login")
def login_form(request: Request) -> Response:
    return page(request, "login.html", error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    token = request.app.state.token
    form = await request.form()
    given = form.get("token")
    given = given if isinstance(given, str) else ""
    if not token:
        return RedirectResponse("/", status_code=303)
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        return page(request, "login.html", status_code=401, error="Wrong token.")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(api.TOKEN_COOKIE, given, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response
