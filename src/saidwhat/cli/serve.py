"""``saidwhat serve``: the REST API and web page over a collection (and over pasted text)."""
from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import app

err = Console(stderr=True)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@app.command()
def serve(
    db: Optional[Path] = typer.Option(None, "--db", dir_okay=False,
                                      help="The store to serve (built by 'saidwhat ingest'); opened read-only. "
                                           "Without it only the paste page and /api/extract work."),
    host: str = typer.Option("127.0.0.1", help="Address to bind; only this machine can connect by default."),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="SAIDWHAT_TOKEN", show_envvar=True,
                                        help="Require 'Authorization: Bearer TOKEN' on every request."),
    max_body: int = typer.Option(2_000_000, "--max-body", min=1, help="Largest request body, in bytes (413 above)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, help="Longest extraction, in seconds (503 above)."),
) -> None:
    """Serve the REST API (/api, schema at /openapi.json, docs at /docs) and the web page."""
    import uvicorn

    from ..api import create_app
    from ..errors import SaidwhatError

    try:
        web_app = create_app(db, token, max_body_bytes=max_body, extract_timeout=timeout)
    except SaidwhatError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(1)
    if not _is_loopback(host) and not token:
        err.print(f"[yellow]warning[/yellow] serving on {host} without --token: anyone who can reach "
                  "this address can use the server")
    err.print(f"saidwhat on [bold]http://{host if ':' not in host else f'[{host}]'}:{port}/[/bold]"
              + (f"  (collection: {db})" if db else "  (no collection: paste page and /api/extract only)"))
    uvicorn.run(web_app, host=host, port=port, log_level="info", server_header=False)
