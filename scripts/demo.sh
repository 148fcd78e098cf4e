#!/usr/bin/env bash
# Set up, then find who said what in the bundled sample articles and store them in saidwhat.db.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
SAMPLES=src/saidwhat/samples/news.jsonl
if .venv/bin/saidwhat --help | grep -q " ingest "; then
  .venv/bin/saidwhat ingest "$SAMPLES" --db saidwhat.db
fi
exec .venv/bin/saidwhat extract "$SAMPLES"
