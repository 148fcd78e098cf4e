#!/usr/bin/env bash
# Set up and run the test suite (the README's second command; .ci/run runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
