import json
import os
from pathlib import Path

import pytest

# The tests assert what the shipped ensemble finds, on every machine: without this, a CPU with no
# native bfloat16 units would run the distilled network (``tagger.model_choice``).
os.environ.setdefault("SAIDWHAT_MODEL", "ensemble")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev.jsonl"
SCORER = SHARED / "eval" / "score.py"
SAMPLES = ROOT / "src" / "saidwhat" / "samples" / "news.jsonl"


@pytest.fixture(scope="session")
def samples():
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
