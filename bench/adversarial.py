"""Seconds and peak memory per MB of text: ordinary news against each pathological family.

    .venv/bin/python bench/adversarial.py                      # every family at --size 200000 chars
    .venv/bin/python bench/adversarial.py --size 1000000 --only dquote,ordinary
    .venv/bin/python bench/adversarial.py --big 10000000       # also one 10 MB ordinary text (RSS)

Each case runs in a fresh child process (``saidwhat.extract`` on one text, the model loaded and
warmed up first), which reports its wall and CPU seconds for the extraction and its peak RSS
(``VmHWM``): seconds per MB = seconds / (UTF-8 size in MB), RSS per MB = (peak - RSS before the
extraction) / MB. Ordinary text is news (PolNeAR dev when ../shared is present, else the bundled
samples) joined into one text of the size asked; ``ordinary-articles`` is the same news as
separate articles through ``extract_many`` (the batched throughput of a collection). The ratio
column is CPU seconds per MB against ``ordinary`` (CPU time: these machines are shared, and wall
time moves with the load). Not a test: the numbers depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
SAMPLES = ROOT / "src" / "saidwhat" / "samples" / "news.jsonl"


def news() -> list[str]:
    path = DEV if DEV.exists() else SAMPLES
    return [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]


def articles(n: int) -> list[str]:
    """News articles, repeated as needed, of about ``n`` characters in all."""
    texts, out, size, k = news(), [], 0, 0
    while size < n:
        t = texts[k % len(texts)]
        out.append(t)
        size += len(t) + 2
        k += 1
    return out


def ordinary(n: int) -> str:
    return "\n\n".join(articles(n))[:n]


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


QUOTED = '"We will not be rushed into a decision on the border," the minister said on Tuesday.'

def many_speakers(n: int) -> str:
    """A new named speaker every two paragraphs, referred to by role in the next."""
    names = "Anna Boris Carla David Elena Farid Greta Hugo Ines Jonas Karin Liam Mona Nils Olga Pavel".split()
    out, size, i = [], 0, 0
    while size < n:
        who = f"{names[i % 16]} {names[i // 16 % 16]}son{i}"
        out.append(f'"We will review plan number {i}," {who}, the regional minister, said on Tuesday.\n\n'
                   f'"It is a matter of days," the minister added.\n\n')
        size += len(out[-1])
        i += 1
    return "".join(out)[:n]


# name -> (what it is, text of about n characters)
FAMILIES = {
    "ordinary": ("news articles joined into one text", ordinary),
    "ordinary-articles": ("the same news as separate articles (extract_many)", lambda n: json.dumps(articles(n))),
    "ordinary-one-line": ("the same news with every line break removed", lambda n: ordinary(n).replace("\n", " ")),
    "dquote": ('straight double quotes, no spaces: """"...', lambda n: '"' * n),
    "apostrophes": ("apostrophes, no spaces: ''''...", lambda n: "'" * n),
    "brackets": ("[[[...]]]", lambda n: "[" * (n // 2) + "]" * (n - n // 2)),
    "curly-nested": ("nested curly quotes: “‘“‘...", lambda n: _repeat("“‘", n)),
    "dashes-emoji": ("em dashes and emoji, no spaces", lambda n: _repeat("—😀", n)),
    "spaced-marks": ('quote marks between spaces: " " " ...', lambda n: _repeat('" ', n)),
    "long-word": ("one word, no spaces: xxxx...", lambda n: "x" * n),
    "said-line": ("one line of 'said said said ...'", lambda n: _repeat("said ", n)),
    "unclosed": ("quotes opened and never closed", lambda n: _repeat("“We will not be rushed, ", n)),
    "quoted-paragraphs": ("a quote and its cue in every paragraph", lambda n: _repeat(QUOTED + "\n\n", n)),
    "many-speakers": ("a new named speaker every two paragraphs", many_speakers),
    "wrapped-lines": ("one paragraph of short lines ending sentences", lambda n: _repeat("He said it now, again.\n", n)),
    "quoted-html": ("an HTML page of quoted paragraphs (read + extract)",
                    lambda n: "<html><body><article>" + "".join(
                        f"<p>{QUOTED.replace('Tuesday', f'day {i}')}</p>\n" for i in range(n // (len(QUOTED) + 9)))
                    + "</article></body></html>"),
}


CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("SAIDWHAT_MODEL", "ensemble")
import torch
torch.set_num_threads(1)
import saidwhat
from saidwhat.read import from_text

def hwm():
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(status["VmHWM"].split()[0]) / 1024, int(status["VmRSS"].split()[0]) / 1024

family, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
saidwhat.extract('"We will not be rushed," the minister said.')  # load and warm up
before = hwm()[1]
w0, c0 = time.perf_counter(), time.process_time()
if family == "ordinary-articles":
    items, found = [{"id": str(i), "text": t} for i, t in enumerate(json.loads(text))], 0
    for a in saidwhat.extract_many(items):
        found += len(a.attributions)
elif family == "quoted-html":
    found = len(saidwhat.extract(from_text(text, "page", html=True).text).attributions)
else:
    found = len(saidwhat.extract(text).attributions)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
print(json.dumps({"wall": wall, "cpu": cpu, "peak": hwm()[0], "before": before, "found": found}))
"""


def _peak_mb(pid: int) -> float:
    try:
        status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
        return int(status["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return 0.0


def run_case(family: str, n: int, timeout: float) -> dict:
    import tempfile

    text = FAMILIES[family][1](n)
    size = "".join(json.loads(text)) if family == "ordinary-articles" else text
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(text)
    mb = len(size.encode("utf-8")) / 1e6
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, family, f.name], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        peak = _peak_mb(proc.pid)
        proc.kill()
        proc.communicate()
        return {"family": family, "mb": mb, "error": f"over {timeout:g} s"
                + (f" (peak RSS so far {peak:.0f} MB)" if peak else "")}
    finally:
        os.unlink(f.name)
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"family": family, "mb": mb, "error": (stderr.strip().splitlines() or ["?"])[-1]}
    r = json.loads(lines[-1])
    return {"family": family, "mb": mb, **r, "s_per_mb": r["wall"] / mb, "cpu_per_mb": r["cpu"] / mb,
            "rss_per_mb": (r["peak"] - r["before"]) / mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=200_000, help="characters per text (default 200000)")
    ap.add_argument("--only", default="", help="comma-separated families (default: all)")
    ap.add_argument("--big", type=int, default=0, help="also one ordinary text of this many characters")
    ap.add_argument("--timeout", type=float, default=10800.0, help="seconds per case (default 3 h)")
    args = ap.parse_args()
    names = [f for f in args.only.split(",") if f] or list(FAMILIES)
    if "ordinary" not in names:
        names.insert(0, "ordinary")
    cases = [(name, args.size) for name in names] + ([("ordinary", args.big)] if args.big else [])
    print(f"{'family':20s} {'MB':>6s} {'wall s/MB':>10s} {'CPU s/MB':>9s} {'x ordinary':>10s} "
          f"{'peak RSS MB':>11s} {'RSS MB/MB':>9s} {'found':>6s}", flush=True)
    base = None
    for name, n in cases:
        t0 = time.perf_counter()
        r = run_case(name, n, args.timeout)
        if "error" in r:
            print(f"{name:20s} {r['mb']:6.2f}  failed: {r['error']} ({time.perf_counter() - t0:.0f} s)", flush=True)
            continue
        if name == "ordinary" and base is None:
            base = r["cpu_per_mb"]
        ratio = r["cpu_per_mb"] / base if base else float("nan")
        print(f"{name:20s} {r['mb']:6.2f} {r['s_per_mb']:10.1f} {r['cpu_per_mb']:9.1f} {ratio:10.2f} "
              f"{r['peak']:11.0f} {r['rss_per_mb']:9.0f} {r['found']:6d}", flush=True)
    print("\nfamilies: " + "; ".join(f"{k}: {v[0]}" for k, v in FAMILIES.items()))


if __name__ == "__main__":
    main()
