"""saidwhat's scorer agrees with shared/eval/score.py, and `saidwhat evaluate` prints its figures."""
import json
import random
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from saidwhat.cli import app
from saidwhat.evaluate import format_table, score

from conftest import POLNEAR_DEV, SCORER

needs_shared = pytest.mark.skipif(not (POLNEAR_DEV.exists() and SCORER.exists()),
                                  reason="../shared (PolNeAR dev and the scorer) is not present")


def _perturbed(gold, seed=7):
    """Predictions that are partly right: spans shifted, dropped, sources removed."""
    rnd = random.Random(seed)
    preds = []
    for g in gold:
        attrs = []
        for a in g["attributions"]:
            if rnd.random() < 0.2:
                continue
            a = dict(a)
            s, e = a["content"]
            if rnd.random() < 0.3:
                a["content"] = [s, max(s + 1, e - rnd.randint(0, (e - s) // 1 + 1))]
                a["content_parts"] = [a["content"]]
            if rnd.random() < 0.15:
                a["source"] = None
            attrs.append(a)
        preds.append({"id": g["id"], "attributions": attrs})
    return preds


@needs_shared
def test_evaluate_score_agrees_with_shared_scorer(tmp_path):
    gold = [json.loads(line) for line in POLNEAR_DEV.read_text(encoding="utf-8").splitlines()[:20]]
    gold_path = tmp_path / "gold.jsonl"
    pred_path = tmp_path / "pred.jsonl"
    gold_path.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    preds = _perturbed(gold)
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    ours = score(gold, preds)
    out = subprocess.run([sys.executable, str(SCORER), str(gold_path), str(pred_path), "--json"],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    assert ours == theirs
    table = subprocess.run([sys.executable, str(SCORER), str(gold_path), str(pred_path)],
                           capture_output=True, text=True, check=True).stdout
    assert format_table(ours).strip() == table.strip()


@needs_shared
def test_cli_evaluate_prints_the_shared_scorers_figures(tmp_path):
    gold_lines = POLNEAR_DEV.read_text(encoding="utf-8").splitlines()[:3]
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    pred_path = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(app, ["evaluate", str(gold_path), "--predictions", str(pred_path)])
    assert result.exit_code == 0, result.output
    expected = subprocess.run([sys.executable, str(SCORER), str(gold_path), str(pred_path)],
                              capture_output=True, text=True, check=True).stdout
    assert expected.strip() in result.stdout
