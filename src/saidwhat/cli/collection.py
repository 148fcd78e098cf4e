"""``saidwhat ingest``, ``search``, ``speakers``, ``sources``, ``stance``, ``quote``, ``export`` and ``load``:
shells over ``ingest``, ``scale``, ``store`` and ``export`` (parse the options, call the library, render)."""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import app

err = Console(stderr=True)
DB_HELP = "The store (an SQLite file)."
CONFIDENCE_HELP = ("Only attributions at least this confident (0 to 1: the mean probability of the tagger's tags; "
                   "on PolNeAR dev >= 0.95 is right 93% of the time, 0.8-0.9 68%, < 0.6 about 37%).")


def _confidence_option() -> Any:
    return typer.Option(None, "--min-confidence", min=0.0, max=1.0, help=CONFIDENCE_HELP)
MAX_ROWS = 1_000_000
MAX_OFFSET = 2**62


def _check_date(option: str, value: Optional[str]) -> None:
    """A YYYY-MM-DD date, or a one-line error (exit 2) as the API's 422."""
    import datetime as dt

    if value is None:
        return
    try:
        dt.date.fromisoformat(value)
        if len(value) == 10:
            return
    except ValueError:
        pass
    err.print(f"[red]error[/red] {option}: not a date, give YYYY-MM-DD (got {value[:40]!r})")
    raise typer.Exit(2)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class Output(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class Kind(str, Enum):
    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"


class By(str, Enum):
    outlet = "outlet"
    month = "month"


class Stance(str, Enum):
    negative = "negative"
    neutral = "neutral"
    positive = "positive"


class StanceBy(str, Enum):
    month = "month"
    week = "week"
    year = "year"
    outlet = "outlet"
    target = "target"
    speaker = "speaker"


STANCE_STYLE = {"negative": "red", "neutral": "default", "positive": "green"}


class _Rate(ProgressColumn):
    def render(self, task) -> Text:  # type: ignore[override]
        elapsed = task.finished_time if task.finished else task.elapsed
        rate = task.completed / elapsed if elapsed else 0.0
        return Text(f"{rate:.1f} articles/s", style="cyan")


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"),
                    TextColumn("{task.completed:.0f} articles"), _Rate(),
                    TextColumn("[green]{task.fields[found]}[/green] attributions"),
                    TextColumn("[yellow]{task.fields[failed]}[/yellow] failed"), TimeElapsedColumn(),
                    console=err, transient=False, disable=not err.is_terminal)


def _open(db: Path, readonly: bool = False):
    from ..errors import StoreError
    from ..store import Store

    try:
        return Store(db, readonly=readonly)
    except StoreError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(2)


def _summary(report, db: Path, what: str) -> None:
    err.print(f"[bold]{what}[/bold]: {report.added} new articles, {report.known} already stored, "
              f"{report.attributions} attributions, {report.failed} failed, "
              f"{report.seconds:.1f} s ({report.rate:.1f} articles/s) -> {db}")
    for location, stage, reason, _ in report.failures[:20]:
        err.print(f"  [yellow]{stage} failed[/yellow] {location}: {reason}")
    if len(report.failures) > 20:
        err.print(f"  ... {len(report.failures) - 20} more: SELECT * FROM failures")


def _run(what: str, fn) -> Any:
    with _progress() as progress:
        task = progress.add_task(what, total=None, found=0, failed=0)

        def update(report) -> None:
            progress.update(task, completed=report.added, found=report.attributions, failed=report.failed)

        return fn(update)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders, .jsonl and .warc/.warc.gz crawl files."),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=1024,
                                help="Extraction processes (or Dask LocalCluster workers)."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local, or dask (writes Parquet, then loads it)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); "
                                            "without it a LocalCluster is started."),
    parquet: Optional[str] = typer.Option(None, "--parquet", help="Dask: where the Parquet parts go "
                                          "(default: DB.parquet/; on a cluster, storage every worker reaches)."),
    batch_size: int = typer.Option(32, min=1, max=10_000, help="Articles per batch (and per transaction)."),
    stance: bool = typer.Option(False, "--stance", help="Also store whom each statement is about and its stance "
                                "(about 4x slower; articles already stored are skipped as always)."),
) -> None:
    """Read, extract and store a collection; rerun it to resume after a crash (nothing twice).

    An input that cannot be read or extracted goes to the store's failures table and is listed at
    the end; the others go on. Exit status: 0 all stored, 1 some inputs failed, 2 nothing done."""
    from ..errors import InputError

    store = _open(db)
    try:
        if engine is Engine.dask:
            from ..scale import load, run_dask

            out = parquet or f"{db}.parquet"
            report = _run("extracting (dask)", lambda up: run_dask(
                paths, out, scheduler=scheduler, workers=workers, batch_size=batch_size, store=store,
                progress=up, stance=stance))
            _summary(report, Path(out), "extracted")
            if report.added or report.known:
                report = _run("loading", lambda up: load(out, store, progress=up))
        else:
            from ..ingest import ingest as run_ingest

            report = _run("ingesting", lambda up: run_ingest(paths, store, workers=workers,
                                                             batch_size=batch_size, progress=up, stance=stance))
        _summary(report, db, "ingested")
        if stance:
            t = store.count_targets()
            err.print(f"targets in the store: {t['total']} ({t['negative']} negative, {t['neutral']} neutral, "
                      f"{t['positive']} positive)")
    except InputError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(2)
    finally:
        store.close()
    if report.failed:  # named above and in the failures table; the rest is stored
        raise typer.Exit(1)


@app.command()
def load(
    parquet: str = typer.Argument(..., help="A folder (or URI) of Parquet parts from --engine dask."),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
) -> None:
    """Bring Parquet parts written by `ingest --engine dask` into the store."""
    from ..errors import InputError
    from ..scale import load as run_load

    store = _open(db)
    try:
        report = _run("loading", lambda up: run_load(parquet, store, progress=up))
        _summary(report, db, "loaded")
    except InputError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(2)
    finally:
        store.close()


def _emit(rows: list[dict[str, Any]], format: Output, table: Table, row_fn) -> None:
    if format is Output.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif format is Output.csv:
        flat = [row_fn(r) for r in rows]
        writer = csv.DictWriter(sys.stdout, fieldnames=list(flat[0]) if flat else ["id"])
        writer.writeheader()
        writer.writerows(flat)
    else:
        Console().print(table)


@app.command()
def search(
    text: Optional[str] = typer.Argument(None, help="Words of the quote or its source (all must occur)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Speaker name, alias or id."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name or URL part."),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before (YYYY-MM-DD)."),
    type: Optional[Kind] = typer.Option(None, "--type", help="direct, indirect or mixed."),
    about: Optional[str] = typer.Option(None, "--about", help="Statements about this target (name, alias or "
                                        "speaker id; stored with ingest --stance)."),
    stance: Optional[Stance] = typer.Option(None, "--stance", help="negative, neutral or positive: towards the "
                                            "--about target, else towards any target."),
    min_confidence: Optional[float] = _confidence_option(),
    format: Output = typer.Option(Output.table, "--format", "-f", help="table, json or csv."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=MAX_ROWS),
    offset: int = typer.Option(0, "--offset", min=0, max=MAX_OFFSET),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
) -> None:
    """Find attributions by words, speaker, outlet, date, type, target, stance and confidence."""
    from ..export import flat

    for name, value in (("--since", since), ("--until", until)):
        _check_date(name, value)
    with _open(db, readonly=True) as store:
        filters = dict(text=text, speaker=speaker, outlet=outlet, since=since, until=until,
                       type=type.value if type else None, about=about, stance=stance.value if stance else None,
                       min_confidence=min_confidence)
        rows = store.search(**filters, limit=limit, offset=offset)
        total = store.count_search(**filters)
    table = Table(title=f"{len(rows)} of {total} attributions", show_lines=True, expand=True, title_justify="left")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("speaker", style="bold cyan", ratio=3)
    table.add_column("type", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("what", ratio=8)
    table.add_column("article", style="dim", ratio=3)
    for r in rows:
        art = r["article"]
        what = Text(r["content_text"])
        if r.get("targets"):
            what.append("\nabout: ", style="dim")
            for k, t in enumerate(r["targets"]):
                what.append((", " if k else "") + (t.get("speaker_name") or t["name"]),
                            style=STANCE_STYLE.get(t.get("stance") or "", "default"))
                if t.get("stance"):
                    what.append(f" ({t['stance']})", style="dim")
        table.add_row(str(r["id"]), r["speaker_name"] or r.get("source_text") or "—", r["type"],
                      _confidence_cell(r.get("confidence")), what, _article_cell(art))
    _emit(rows, format, table, flat)


@app.command()
def speakers(
    name: Optional[str] = typer.Argument(None, help="Only speakers whose name or alias contains this."),
    kind: Optional[str] = typer.Option(None, "--kind", help="person, organisation, group or other."),
    gender: Optional[str] = typer.Option(None, "--gender", help="female, male or unknown (as the articles refer to them)."),
    format: Output = typer.Option(Output.table, "--format", "-f", help="table, json or csv."),
    limit: int = typer.Option(30, "--limit", "-n", min=1, max=MAX_ROWS),
    offset: int = typer.Option(0, "--offset", min=0, max=MAX_OFFSET),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
) -> None:
    """Top speakers of the collection: attributions, articles, first and last seen, aliases."""
    with _open(db, readonly=True) as store:
        rows = store.speakers(limit=limit, offset=offset, kind=kind, name=name, gender=gender)
        total = store.count_speakers()
    table = Table(title=f"{len(rows)} of {total} speakers", expand=True, title_justify="left")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("name", style="bold cyan", ratio=3)
    table.add_column("kind", min_width=8, ratio=2)
    table.add_column("said", justify="right", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("seen", min_width=10)
    table.add_column("aliases · roles", ratio=4)
    for s in rows:
        extra = ", ".join(a["alias"] for a in s["aliases"][:4] if a["alias"] != s["name"])
        if s["roles"]:
            extra += (" · " if extra else "") + ", ".join(s["roles"][:3])
        if s["members"]:
            extra += (" · " if extra else "") + "members: " + ", ".join(m["name"] for m in s["members"])
        kind = s["kind"] + (f"\n{s['gender']}" if s["kind"] == "person" and s["gender"] not in (None, "", "unknown") else "")
        first, last = (s["first_seen"] or "—")[:10], (s["last_seen"] or "—")[:10]
        table.add_row(str(s["id"]), s["name"], kind, str(s["n_attributions"]), str(s["n_articles"]),
                      first if first == last else f"{first}\nto {last}", extra)

    def row_fn(s: dict) -> dict:
        return {**{k: s[k] for k in ("id", "name", "kind", "gender", "organisation", "country", "n_attributions",
                                     "n_articles", "first_seen", "last_seen")},
                "aliases": "|".join(a["alias"] for a in s["aliases"]), "roles": "|".join(s["roles"]),
                "members": "|".join(m["name"] for m in s["members"])}

    _emit(rows, format, table, row_fn)


def _confidence_cell(value: Optional[float]) -> Text:
    """An attribution's confidence (two decimals, rounded down as --min-confidence compares),
    dim below 0.6 (right about 37% of the time)."""
    from ..store import confidence_text

    if value is None:
        return Text("—")
    return Text(confidence_text(value), style="dim" if value < 0.6 else "")


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


@app.command()
def sources(
    by: By = typer.Option(By.outlet, "--by", help="outlet or month."),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before (YYYY-MM-DD)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name or URL part."),
    min_confidence: Optional[float] = _confidence_option(),
    format: Output = typer.Option(Output.table, "--format", "-f", help="table, json or csv."),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
) -> None:
    """Who gets quoted, per outlet or month: the share of attributions by speaker kind, and among
    people by the gender the articles refer to them by (pronouns, titles; never a first name)."""
    from ..store import Store

    with _open(db, readonly=True) as store:
        report = store.sources_report(by=by.value, since=since, until=until, outlet=outlet,
                                      min_confidence=min_confidence)
    rows = report["rows"] + [report["total"]]
    table = Table(title=f"who is quoted, by {by.value}: {report['total']['n']} attributions", expand=True,
                  title_justify="left")
    table.add_column(by.value, style="bold")
    table.add_column("attributions", justify="right")
    for k in Store.SOURCE_KINDS:
        table.add_column(k, justify="right")
    for g in Store.SOURCE_GENDERS:
        table.add_column(f"people: {g}", justify="right", style="cyan")
    for r in rows:
        table.add_row(r["key"], str(r["n"]), *(_pct(r["kind_shares"][k]) for k in Store.SOURCE_KINDS),
                      *(_pct(r["gender_shares"][g]) if r["people"] else "—" for g in Store.SOURCE_GENDERS),
                      end_section=r is report["rows"][-1] if report["rows"] else False)

    def row_fn(r: dict) -> dict:
        return {by.value: r["key"], "attributions": r["n"], **{k: r["kinds"][k] for k in Store.SOURCE_KINDS},
                "people": r["people"], **{f"people_{g}": r["genders"][g] for g in Store.SOURCE_GENDERS}}

    if format is Output.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    _emit(rows, format, table, row_fn)


@app.command("stance")
def stance_command(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Whose statements: name, alias or id."),
    about: Optional[str] = typer.Option(None, "--about", help="About whom: a target's name, alias or speaker id."),
    by: Optional[StanceBy] = typer.Option(None, "--by", help="month, week, year, outlet, target or speaker "
                                          "(default: month with --about, else target: how they talk about)."),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before (YYYY-MM-DD)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name or URL part."),
    min_confidence: Optional[float] = _confidence_option(),
    format: Output = typer.Option(Output.table, "--format", "-f", help="table, json or csv."),
    limit: int = typer.Option(30, "--limit", "-n", min=1, max=MAX_ROWS, help="Rows by target, speaker or outlet."),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
) -> None:
    """How statements treat their targets: counts by stance (negative / neutral / positive) of
    SPEAKER's statements about ABOUT, per month (or week, year, outlet), or per target ("how
    they talk about") or per speaker ("who talks about them, and how"). Needs a store ingested
    with --stance."""
    for name, value in (("--since", since), ("--until", until)):
        _check_date(name, value)
    group = (by.value if by else ("month" if about else "target"))
    with _open(db, readonly=True) as store:
        report = store.stance_summary(speaker=speaker, about=about, by=group, since=since, until=until,
                                      outlet=outlet, limit=limit, min_confidence=min_confidence)
        stored = store.count_targets()["total"]
    if format is Output.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    if not stored:
        err.print("[yellow]no targets in this store[/yellow]: ingest with --stance to find them")
    who = ", ".join(s["name"] for s in report["speakers"][:3]) or speaker or "everyone"
    whom = ", ".join(t["name"] for t in report["targets"][:3]) or about
    what = (f"{who} on {whom}, by {group}" if whom else f"how {who} talks about others, by {group}" if speaker
            else f"whom the statements are about, and how, by {group}")
    table = Table(title=f"{what}: {report['total']['n']} statement-target pairs", expand=True, title_justify="left")
    table.add_column(group, style="bold")
    for col, style in (("pairs", None), ("negative", "red"), ("neutral", None), ("positive", "green"), ("tone", "cyan")):
        table.add_column(col, justify="right", style=style)
    rows = report["rows"] + [report["total"]]
    for r in rows:
        st = r["stances"]
        table.add_row(str(r["name"]), str(r["n"]), f"{st['negative']} ({_pct(r['shares']['negative'])})",
                      f"{st['neutral']} ({_pct(r['shares']['neutral'])})",
                      f"{st['positive']} ({_pct(r['shares']['positive'])})", f"{r['tone']:+.2f}",
                      end_section=r is report["rows"][-1] if report["rows"] else False)

    def row_fn(r: dict) -> dict:
        return {group: r["name"], "key": r["key"], "speaker_id": r["speaker_id"], "pairs": r["n"],
                **r["stances"], "tone": r["tone"]}

    _emit(rows, format, table, row_fn)


def _article_cell(art: dict, width: int = 40) -> str:
    """Date and outlet on one line, the title (cut to ``width`` characters) on the next."""
    title = art.get("title") or art.get("ext_id") or ""
    if len(title) > width:
        title = title[: width - 1].rstrip() + "…"
    head = " · ".join(x for x in (art.get("published"), art.get("outlet")) if x)
    return "\n".join(x for x in (head, title) if x)


@app.command()
def quote(
    id: int = typer.Argument(..., min=1, max=2**63 - 1, help="A quote cluster id (the cluster_id of a search result)."),
    format: Output = typer.Option(Output.table, "--format", "-f", help="table, json or csv."),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
) -> None:
    """A quote's provenance: first seen where and when, every variant and who carried it."""
    from ..export import flat

    with _open(db, readonly=True) as store:
        cluster = store.cluster(id)
    if cluster is None:
        err.print(f"[red]error[/red] no quote cluster {id}")
        raise typer.Exit(1)
    if format is Output.json:
        print(json.dumps(cluster, ensure_ascii=False, indent=1))
        return
    first = cluster["first_seen"] or {}
    table = Table(title=f"quote {id}: {cluster['n_articles']} articles, {cluster['n_outlets']} outlets, "
                  f"{len(cluster['variants'])} variants; first seen {first.get('published') or '?'} "
                  f"in {first.get('outlet') or '?'}", show_lines=True, expand=True, title_justify="left")
    for col, ratio in (("published", 1), ("outlet", 1), ("speaker", 2), ("conf", None), ("wording", 7)):
        table.add_column(col, ratio=ratio, justify="right" if col == "conf" else "left", no_wrap=col == "conf")
    for a in cluster["attributions"]:
        marker = "" if a["content_text"] == cluster["text"] else "[yellow]≠[/yellow] "
        table.add_row(a["article"]["published"] or "—", a["article"]["outlet"] or "—",
                      a["speaker_name"] or a.get("source_text") or "—", _confidence_cell(a.get("confidence")),
                      marker + a["content_text"])
    _emit(cluster["attributions"], format, table, flat)


@app.command()
def export(
    format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f", help="jsonl, csv or parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (needed for parquet)."),
    db: Path = typer.Option(Path("saidwhat.db"), "--db", help=DB_HELP),
) -> None:
    """Export every attribution with its article and speaker."""
    from ..export import export as run_export

    with _open(db, readonly=True) as store:
        try:
            n = run_export(store, format.value, output if output else sys.stdout)
        except ValueError as e:
            err.print(f"[red]error[/red] {e}")
            raise typer.Exit(2)
    err.print(f"{n} attributions exported" + (f" to {output}" if output else ""))
