"""Training the tagger (``saidwhat train``), small: a few PolNeAR articles, one epoch, tiny
networks; members trained in parallel processes. Skipped without ../shared."""
import json
from pathlib import Path

import numpy as np
import pytest

from saidwhat import quotes, tagger
from saidwhat.parse import load

from conftest import POLNEAR_DEV

POLNEAR_TRAIN = POLNEAR_DEV.parent / "train.jsonl"


@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/data/polnear/train.jsonl is not present")
def test_train_a_two_member_ensemble_in_parallel(tmp_path):
    dev = tmp_path / "dev.jsonl"
    with POLNEAR_DEV.open(encoding="utf-8") as f:
        dev.write_text("".join(next(f) for _ in range(2)), encoding="utf-8")
    out, cache = tmp_path / "tagger.pt", tmp_path / "features.pkl"
    logs = []
    meta = tagger.train(POLNEAR_TRAIN, dev, out, members=2, jobs=2, epochs=1, hidden=16, layers=1,
                        limit=6, cache=cache, log=logs.append)
    assert cache.exists() and out.exists()
    assert any("parsing 6 training articles" in line for line in logs)
    assert [m["seed"] for m in meta["members"]] == [13, 14]
    assert meta["o_bias"] == 0.3 and "dev" in meta

    model = tagger.Tagger.load(out)
    assert len(model.members) == 2 and model.meta["o_bias"] == 0.3
    text = '"We will not be rushed," the prime minister said on Tuesday.'
    doc = load()(text)
    lp = model.logprobs(doc, quotes.quote_mask(text))
    assert lp.shape == (len(doc), len(tagger.TAGS))
    assert np.allclose(np.exp(lp).sum(1), 1.0, atol=1e-2)
    for span in model.decode(lp):
        assert 0 <= span.start < span.end <= len(doc)

    # a second run reuses the cached features instead of parsing again
    logs.clear()
    tagger.train(POLNEAR_TRAIN, None, tmp_path / "again.pt", members=1, epochs=1, hidden=16, layers=1,
                 limit=6, cache=cache, log=logs.append)
    assert any("from " + str(cache) in line for line in logs)
    assert not any("parsing" in line for line in logs)

    # `saidwhat ensemble`: separately trained taggers put together
    combined = tagger.combine([out, tmp_path / "again.pt"], tmp_path / "combined.pt", o_bias=0.2)
    again = tagger.Tagger.load(tmp_path / "combined.pt")
    assert len(combined.members) == len(again.members) == 3 and again.meta["o_bias"] == 0.2
    assert [m["seed"] for m in again.meta["members"]] == [13, 14, 13]
    assert again.logprobs(doc, quotes.quote_mask(text)).shape == lp.shape


def test_saidwhat_model_names_another_model_file(monkeypatch, tmp_path):
    from saidwhat.errors import ModelError

    shipped = tagger.MODEL_PATH
    if not shipped.exists():
        pytest.skip("no trained tagger installed")
    monkeypatch.setattr(tagger, "_loaded", False)
    monkeypatch.setattr(tagger, "_model", None)
    monkeypatch.setenv("SAIDWHAT_MODEL", str(tmp_path / "missing.pt"))
    with pytest.raises(ModelError, match="missing.pt"):
        tagger.get_model()

    monkeypatch.setattr(tagger, "_loaded", False)
    monkeypatch.setenv("SAIDWHAT_MODEL", str(shipped))
    model = tagger.get_model()
    assert model is not None and len(model.members) >= 1


@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/data/polnear/train.jsonl is not present")
def test_distil_the_shipped_ensemble_into_one_network(tmp_path):
    if not tagger.MODEL_PATH.exists():
        pytest.skip("no trained tagger installed")
    teacher = tagger.Tagger.load(tagger.MODEL_PATH)
    out, logs = tmp_path / "student.pt", []
    meta = tagger.train(POLNEAR_TRAIN, None, out, epochs=1, hidden=16, layers=1, limit=4,
                        cache=tmp_path / "features.pkl", teacher=tagger.MODEL_PATH, alpha=0.3, log=logs.append)
    assert any(line.startswith("teacher tagger.pt") for line in logs)
    assert meta["distilled_from"] == "tagger.pt" and meta["alpha"] == 0.3
    assert meta["o_bias"] == teacher.meta["o_bias"]

    student = tagger.Tagger.load(out)
    assert len(student.members) == 1
    assert student.vocab.to_json() == teacher.vocab.to_json()  # the teacher's features, one network
    text = '"We will not be rushed," the prime minister said on Tuesday.'
    doc = load()(text)
    lp = student.logprobs(doc, quotes.quote_mask(text))
    assert lp.shape == (len(doc), len(tagger.TAGS)) and np.isfinite(lp).all()

    # the teacher's chunks: one distribution over the tags per token
    chunks = [{k: v[:50] for k, v in tagger.featurize(doc, quotes.quote_mask(text), teacher.vocab).items()}]
    chunks[0]["labels"] = np.zeros(len(doc), np.int64)
    soft = tagger._teacher_logprobs(teacher, chunks)[0].astype(np.float32)
    assert soft.shape == (len(doc), len(tagger.TAGS))
    assert np.allclose(np.exp(soft).sum(1), 1.0, atol=2e-2)
    avg = teacher.logprobs(doc, quotes.quote_mask(text))
    assert (soft.argmax(1) == avg.argmax(1)).all()  # the same ranking as the ensemble's averaged scores


def test_saidwhat_model_fast_is_the_shipped_distilled_network(monkeypatch):
    fast = tagger.MODEL_PATH.parent / "tagger-fast.pt"
    if not fast.exists():
        pytest.skip("no distilled tagger installed")
    monkeypatch.setattr(tagger, "_loaded", False)
    monkeypatch.setattr(tagger, "_model", None)
    monkeypatch.setenv("SAIDWHAT_MODEL", "fast")
    model = tagger.get_model()
    assert len(model.members) == 1 and model.meta["distilled_from"] == "tagger.pt"
    assert model.meta["o_bias"] == 0.3
    from saidwhat import extract

    art = extract('"We will not be rushed," the prime minister said on Tuesday.')
    a = art.attributions[0]
    assert a.cue.text.startswith("said") and a.source.text == "the prime minister" and "rushed" in a.content.text


def test_model_choice_follows_the_cpu_unless_told(monkeypatch):
    """Unset, SAIDWHAT_MODEL picks the ensemble where bfloat16 is native and the distilled network
    elsewhere (speed); ``ensemble`` or ``fast`` force one; a path is taken as given."""
    fast = tagger.MODEL_PATH.parent / "tagger-fast.pt"
    if not (fast.exists() and tagger.MODEL_PATH.exists()):
        pytest.skip("no trained taggers installed")
    monkeypatch.delenv("SAIDWHAT_MODEL", raising=False)
    monkeypatch.setattr(tagger, "_bf16", True)
    assert tagger.model_choice()[0] == tagger.MODEL_PATH
    monkeypatch.setattr(tagger, "_bf16", False)
    path, why = tagger.model_choice()
    assert path == fast and "bfloat16" in why
    monkeypatch.setenv("SAIDWHAT_MODEL", "ensemble")
    assert tagger.model_choice()[0] == tagger.MODEL_PATH
    monkeypatch.setenv("SAIDWHAT_MODEL", "fast")
    monkeypatch.setattr(tagger, "_bf16", True)
    assert tagger.model_choice()[0] == fast
    monkeypatch.setenv("SAIDWHAT_MODEL", "/no/such/tagger.pt")
    assert tagger.model_choice()[0] == Path("/no/such/tagger.pt")

    monkeypatch.delenv("SAIDWHAT_MODEL")
    monkeypatch.setattr(tagger, "_bf16", False)
    monkeypatch.setattr(tagger, "_loaded", False)
    monkeypatch.setattr(tagger, "_model", None)
    assert len(tagger.get_model().members) == 1
