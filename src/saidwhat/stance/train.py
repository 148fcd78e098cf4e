"""Training the stance network (``saidwhat train-stance``): all-MiniLM-L6-v2 fine-tuned on
NewsMTSC's train split with the target marked, the epoch chosen on sentences held out of train.
"""
from __future__ import annotations

import math
import random
import time
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

from .data import Example, read_newsmtsc, scores, split_by_sentence
from .net import StanceNet, base_encoder


def evaluate(net: Any, examples: list[Example], batch_size: int = 64) -> dict:
    """Figures of a ``StanceNet`` or ``StanceEnsemble`` on ``examples``."""
    was_training = isinstance(net, StanceNet) and net.module.training
    if was_training:
        net.eval()
    probs = net.predict([(e.text, e.spans) for e in examples], batch_size=batch_size)
    if was_training:
        net.train()
    return scores([e.label for e in examples], [int(i) for i in probs.argmax(1)])


def train(train_path: Path, out: Path, *, epochs: int = 4, lr: float = 5e-5, batch_size: int = 16,
          held_fraction: float = 0.1, seed: int = 13, threads: int = 2, max_len: int = 128,
          further_mentions: bool = True, warmup: float = 0.06, weight_decay: float = 0.01,
          label_smoothing: float = 0.0, int8: bool = True, limit: Optional[int] = None,
          split: int = 0, markers: bool = True, dev: Optional[list[Example]] = None,
          log: Callable[[str], None] = print) -> dict:
    """Fine-tune, keep the epoch with the best macro-F1 on the held-out sentences of train (all
    of train when ``held_fraction`` is 0: then the last epoch), write ``out``; returns a report."""
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    torch.set_num_threads(max(1, int(threads)))
    examples = read_newsmtsc(train_path, further_mentions=further_mentions)
    if limit:
        examples = examples[:limit]
    sentence_targets: dict[int, int] = {}
    for e in examples:
        sentence_targets[e.sentence] = sentence_targets.get(e.sentence, 0) + 1
    fit, held = split_by_sentence(examples, held_fraction, seed) if held_fraction > 0 else (examples, [])
    config, vocab, state = base_encoder()
    net = StanceNet(config, vocab, state, max_len=max_len, head=False, split=split, markers=markers)
    items = [net.encode(e.text, e.spans) for e in fit]
    labels = [e.label for e in fit]
    # the lower layers are frozen: run them once per distinct text and keep their states
    for p in net.module.parameters():
        p.requires_grad_(False)
    trainable = [net.target_vec, *net.head.parameters()]
    for layer in net.encoder.encoder.layer[net.split:]:
        trainable.extend(layer.parameters())
    for p in trainable:
        p.requires_grad_(True)
    t0 = time.time()
    net.eval()
    text_of: dict[tuple[int, ...], int] = {}
    for ids, _ in items:
        text_of.setdefault(tuple(ids), len(text_of))
    keys = list(text_of)
    cache: list = [None] * len(keys)
    with torch.inference_mode():
        order = sorted(range(len(keys)), key=lambda i: len(keys[i]))
        for k in range(0, len(order), 64):
            idx = order[k:k + 64]
            ids, att, _ = net.batch([(keys[i], (0,) * len(keys[i])) for i in idx])
            h = net.bottom(ids, att)
            for r, i in enumerate(idx):
                cache[i] = h[r, :len(keys[i])].to(torch.bfloat16).clone()
    where = [text_of[tuple(ids)] for ids, _ in items]
    log(f"train-stance: lower {net.split} layers cached for {len(keys)} texts in {time.time() - t0:.0f} s")
    steps_per_epoch = math.ceil(len(fit) / batch_size)
    total = steps_per_epoch * epochs
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias", "target_vec")
    named = [(n, p) for n, p in net.module.named_parameters() if p.requires_grad]
    opt = torch.optim.AdamW([
        {"params": [p for n, p in named if not any(x in n for x in no_decay)], "weight_decay": weight_decay},
        {"params": [p for n, p in named if any(x in n for x in no_decay)], "weight_decay": 0.0}], lr=lr)
    n_warm = max(1, int(total * warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / n_warm, max(0.0, (total - s) / max(1, total - n_warm))))
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    log(f"train-stance: {len(fit)} targets to fit, {len(held)} held out; {epochs} epochs of "
        f"{steps_per_epoch} steps, upper {len(net.encoder.encoder.layer) - net.split} layers trained, "
        f"{threads} threads")
    best: tuple[float, int, Optional[dict]] = (-1.0, 0, None)
    history = []
    rng = random.Random(seed)
    for epoch in range(1, epochs + 1):
        net.train()
        # batches of similar lengths, in random order
        order = list(range(len(fit)))
        rng.shuffle(order)
        chunks = [sorted(order[i:i + batch_size * 50], key=lambda j: len(items[j][0]))
                  for i in range(0, len(order), batch_size * 50)]
        batches = [c[i:i + batch_size] for c in chunks for i in range(0, len(c), batch_size)]
        rng.shuffle(batches)
        running = 0.0
        te = time.time()
        for b, idx in enumerate(batches, 1):
            _, att, tgt = net.batch([items[j] for j in idx])
            h = torch.zeros((len(idx), att.shape[1], net.encoder.config.hidden_size))
            for r, j in enumerate(idx):
                c = cache[where[j]]
                h[r, :c.shape[0]] = c.float()
            y = torch.tensor([labels[j] for j in idx])
            loss = loss_fn(net.top(h, att, tgt), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            opt.step()
            sched.step()
            running += float(loss.detach())
            if b % 100 == 0:
                log(f"  epoch {epoch} step {b}/{len(batches)} loss {running / b:.4f} "
                    f"({time.time() - te:.0f} s)")
        row = {"epoch": epoch, "loss": round(running / len(batches), 4), "seconds": round(time.time() - te)}
        if held:
            row["held"] = evaluate(net, held)
            f1 = row["held"]["f1_macro"]
            multi = [e for e in held if sentence_targets[e.sentence] > 1]
            if multi:  # shaped like dev_mt (sentences with two or more targets): logged, not used
                row["held_multi"] = evaluate(net, multi)
                log(f"  held-out sentences with 2+ targets ({len(multi)} targets): macro-F1 "
                    f"{row['held_multi']['f1_macro']}")
            log(f"epoch {epoch}: loss {row['loss']}, held-out macro-F1 {f1}, accuracy "
                f"{row['held']['accuracy']} ({row['seconds']} s)")
            if dev:
                row["dev"] = evaluate(net, dev)
                log(f"  (watch only, not used for any choice) dev macro-F1 {row['dev']['f1_macro']}")
        else:
            f1 = float(epoch)
            log(f"epoch {epoch}: loss {row['loss']} ({row['seconds']} s)")
        history.append(row)
        if f1 > best[0]:
            best = (f1, epoch, {k: v.detach().clone() for k, v in net.module.state_dict().items()})
    assert best[2] is not None
    net.module.load_state_dict(best[2])
    net.eval()
    report = {"train": str(train_path), "epochs": epochs, "kept_epoch": best[1], "lr": lr,
              "batch_size": batch_size, "held_fraction": held_fraction, "seed": seed,
              "max_len": max_len, "further_mentions": further_mentions, "markers": net.markers,
              "label_smoothing": label_smoothing, "split": net.split, "history": history,
              "seconds": round(time.time() - t0)}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    net.save(out, meta=report, int8=int8)
    log(f"kept epoch {best[1]}; wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {report['seconds']} s")
    return report
