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
    max_body: int = typer.Option(2_000_000, "--max-body", min=1, max=1_000_000_000,
                                 help="Largest request body, in bytes (413 above)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, max=86_400,
                                  help="Longest extraction, in seconds: past it the worker is killed and "
                                       "replaced, and the request gets 503."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=64,
                                help="Extraction worker processes (each ~0.3-1 GB)."),
    max_memory: float = typer.Option(2048, "--max-memory", min=100, max=1_000_000,
                                     help="Memory (RSS, MB) an extraction worker may use: past it the worker is "
                                          "killed and replaced (503)."),
    queue: int = typer.Option(8, "--queue", min=0, max=10_000,
                              help="Extraction requests that may wait for a worker; more get 503 with Retry-After."),
    request_timeout: float = typer.Option(60.0, "--request-timeout", min=1, max=3600,
                                          help="Seconds a client has to send a whole request (then 408 or disconnect)."),
    max_connections: int = typer.Option(256, "--max-connections", min=1, max=100_000,
                                        help="Connections served at once; more get 503."),
) -> None:
    """Serve the REST API (/api, schema at /openapi.json, docs at /docs) and the web page."""
    from ..api import create_app, serve as run_server
    from ..errors import SaidwhatError

    try:
        web_app = create_app(db, token, max_body_bytes=max_body, extract_timeout=timeout, workers=workers,
                             max_memory_mb=max_memory, queue=queue, body_timeout=request_timeout)
    except SaidwhatError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(1)
    if not _is_loopback(host) and not token:
        err.print(f"[yellow]warning[/yellow] serving on {host} without --token: anyone who can reach "
                  "this address can use the server")
    err.print(f"saidwhat on [bold]http://{host if ':' not in host else f'[{host}]'}:{port}/[/bold]"
              + (f"  (collection: {db})" if db else "  (no collection: paste page and /api/extract only)")
              + f"; {workers} extraction worker(s), --timeout {timeout:g} s, --max-memory {max_memory:g} MB")
    try:
        run_server(web_app, host, port, request_timeout=request_timeout, max_connections=max_connections)
    except OSError as e:  # the port is taken, the address is not ours
        err.print(f"[red]error[/red] cannot serve on {host}:{port}: {e.strerror or e}")
        raise typer.Exit(1)
