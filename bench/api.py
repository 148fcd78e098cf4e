"""Requests/s of ``POST /api/extract`` against calling ``saidwhat.extract`` directly on the same
texts: the server's overhead as a ratio.

    .venv/bin/python bench/api.py                 # 2 rounds over the 12 bundled sample articles
    .venv/bin/python bench/api.py --rounds 5 --mode uvicorn

Rounds alternate (direct, TestClient, uvicorn on 127.0.0.1 over HTTP) so that a busy machine
slows every path alike. One request at a time: the server extracts one article at a time too.
"""
from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "saidwhat" / "samples" / "news.jsonl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=2, help="passes over the texts (default 2)")
    ap.add_argument("--mode", choices=["testclient", "uvicorn", "both"], default="both")
    args = ap.parse_args()

    import httpx
    import uvicorn
    from fastapi.testclient import TestClient

    from saidwhat import extract
    from saidwhat.api import create_app

    texts = [json.loads(line)["text"] for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    words = sum(len(t.split()) for t in texts)
    app = create_app()
    extract(texts[0])  # load the pipeline once, outside the timings
    modes = ["testclient", "uvicorn"] if args.mode == "both" else [args.mode]

    server = None
    clients = {}
    if "testclient" in modes:
        clients["testclient"] = TestClient(app)
    if "uvicorn" in modes:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        clients["uvicorn"] = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    for c in clients.values():  # warm up each path
        c.post("/api/extract", content=texts[0].encode(), headers={"content-type": "text/plain"}).raise_for_status()

    seconds = {"direct": 0.0, **{m: 0.0 for m in modes}}
    found = {k: 0 for k in seconds}
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for t in texts:
            found["direct"] += len(extract(t).attributions)
        seconds["direct"] += time.perf_counter() - t0
        for mode, c in clients.items():
            t0 = time.perf_counter()
            for t in texts:
                r = c.post("/api/extract", content=t.encode(), headers={"content-type": "text/plain"})
                r.raise_for_status()
                found[mode] += len(r.json()["attributions"])
            seconds[mode] += time.perf_counter() - t0
    if server is not None:
        server.should_exit = True

    n = len(texts) * args.rounds
    direct_rate = n / seconds["direct"]
    print(f"{len(texts)} sample articles ({words:,} words) x {args.rounds} rounds = {n} calls per path")
    print(f"{'path':<34}{'calls/s':>9}{'words/s':>10}{'ratio':>8}{'attributions':>14}")
    print(f"{'extract() directly':<34}{direct_rate:>9.2f}{words * args.rounds / seconds['direct']:>10,.0f}"
          f"{1.0:>8.2f}{found['direct']:>14}")
    labels = {"testclient": "POST /api/extract (TestClient)", "uvicorn": "POST /api/extract (uvicorn, HTTP)"}
    for mode in modes:
        rate = n / seconds[mode]
        print(f"{labels[mode]:<34}{rate:>9.2f}{words * args.rounds / seconds[mode]:>10,.0f}"
              f"{rate / direct_rate:>8.2f}{found[mode]:>14}")
    print("ratio = requests/s through the server / extract() calls/s (1.00 = no overhead)")


if __name__ == "__main__":
    main()
