"""The ``saidwhat`` command: thin shells over the library (each command parses, calls, reports)."""
from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
                  help="Who said what: find, resolve, store and search attributions in news.")

# Each module registers its commands on ``app``.
from . import extract as _extract  # noqa: E402,F401

for _name in ("collection", "serve", "stance"):
    try:
        __import__(f"{__name__}.{_name}")
    except ModuleNotFoundError as _e:  # a layer not built yet
        if _e.name != f"{__name__}.{_name}":
            raise


def main() -> None:
    app()
