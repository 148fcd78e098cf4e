"""The tagger at extraction time: which model file runs (``model_choice``, ``SAIDWHAT_MODEL``),
loading, the shipped distilled network."""
from pathlib import Path

import pytest

from saidwhat import tagger



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


def test_saidwhat_model_fast_is_the_shipped_distilled_network(monkeypatch):
    fast = tagger.MODEL_PATH.parent / "tagger-fast.pt"
    if not fast.exists():
        pytest.skip("no distilled tagger installed")
    monkeypatch.setattr(tagger, "_loaded", False)
    monkeypatch.setattr(tagger, "_model", None)
    monkeypatch.setenv("SAIDWHAT_MODEL", "fast")
    model = tagger.get_model()
    assert len(model.members) == 1 and model.meta["distilled_from"].startswith("tagger.pt")
    assert model.meta["o_bias"] == 0.3 and not getattr(model.net, "lm", 0)  # extracts without the encoder
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
