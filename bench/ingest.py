"""Ingest throughput: articles/s of `extract_many` alone vs ingest into the store (1 and 2 worker
processes) vs the Dask engine (LocalCluster, then `load`), on the same articles.

    .venv/bin/python bench/ingest.py [--articles 60] [--repeat 2] [--skip-dask] [--keep DIR]

Prints each run's articles/s and the ratios: store overhead = ingest(1 worker) / extract_many,
scaling = ingest(2 workers) / ingest(1 worker), dask = dask / ingest(1 worker). Not a timed test:
the figures depend on the machine (and on what else runs on it); compare ratios from one run.
Process start-up and model loading count in the 2-worker and Dask runs (as they do for a user).
The corpus is the bundled samples, repeated with a distinct closing line so every article is new.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from saidwhat import extract_many  # noqa: E402
from saidwhat.ingest import ingest  # noqa: E402
from saidwhat.store import Store  # noqa: E402


def corpus(n: int, path: Path) -> list[dict]:
    samples = [json.loads(line) for line in open(ROOT / "src/saidwhat/samples/news.jsonl", encoding="utf-8")
               if line.strip()]
    out = []
    for i in range(n):
        s = samples[i % len(samples)]
        out.append({**s, "id": f"{s['id']}-{i}", "text": s["text"] + f"\n\nThis copy is number {i}."})
    with open(path, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the stores here")
    args = ap.parse_args()

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="saidwhat-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    feed = tmp / "feed.jsonl"
    records = corpus(args.articles, feed)
    words = sum(len(r["text"].split()) for r in records)
    print(f"{len(records)} articles, {words} words, {os.cpu_count()} cores, batch size {args.batch_size}, "
          f"load average {os.getloadavg()[0]:.1f} (other work on the machine skews the 2-worker figures)")
    list(extract_many(records[:8]))  # load the models and warm them up, outside the timings

    rates: dict[str, float] = {}

    def report(name: str, n: int, seconds: float) -> None:
        rates[name] = max(rates.get(name, 0.0), n / seconds)
        print(f"  {name:<28} {n:>5} articles  {seconds:7.2f} s  {n / seconds:7.2f} articles/s")

    # the baseline and the 1-worker ingest alternate, best of --repeat each: the machine's load drifts
    for _ in range(args.repeat):
        t = time.perf_counter()
        n = sum(1 for _ in extract_many(records, batch_size=args.batch_size))
        report("extract_many alone", n, time.perf_counter() - t)
        for p in tmp.glob("ingest-1.db*"):
            p.unlink()
        with Store(tmp / "ingest-1.db") as store:
            t = time.perf_counter()
            r = ingest([feed], store, workers=1, batch_size=args.batch_size)
            report("ingest --workers 1", r.added, time.perf_counter() - t)

    for p in tmp.glob("ingest-2.db*"):
        p.unlink()
    with Store(tmp / "ingest-2.db") as store:  # includes starting the processes and loading the models
        t = time.perf_counter()
        r = ingest([feed], store, workers=2, batch_size=args.batch_size)
        report("ingest --workers 2", r.added, time.perf_counter() - t)

    if not args.skip_dask:
        from saidwhat.scale import load, run_dask

        out = tmp / "dask.parquet"
        shutil.rmtree(out, ignore_errors=True)
        for p in tmp.glob("dask.db*"):
            p.unlink()
        with Store(tmp / "dask.db") as store:
            t = time.perf_counter()
            r = run_dask([feed], out, workers=2, batch_size=args.batch_size, store=store)
            t_extract = time.perf_counter() - t
            load(out, store)
            report("dask LocalCluster(2) + load", r.added, time.perf_counter() - t)
            print(f"    (extraction on the cluster {t_extract:.2f} s, load {time.perf_counter() - t - t_extract:.2f} s)")

    base = rates["extract_many alone"]
    one = rates["ingest --workers 1"]
    print(f"store overhead ratio  ingest(1) / extract_many = {one / base:.3f}  (target >= 0.8)")
    print(f"scaling ratio         ingest(2) / ingest(1)    = {rates['ingest --workers 2'] / one:.3f}")
    if "dask LocalCluster(2) + load" in rates:
        print(f"dask ratio            dask(2) / ingest(1)      = {rates['dask LocalCluster(2) + load'] / one:.3f}")
    print(f"load average now {os.getloadavg()[0]:.1f}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
