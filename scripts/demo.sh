#!/usr/bin/env bash
# Set up, then find who said what in the bundled sample articles and store them in saidwhat.db,
# with whom each statement is about and its stance (--stance: about 20 s more for the 12 samples).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
SAMPLES=src/saidwhat/samples/news.jsonl
if .venv/bin/saidwhat --help | grep -q " ingest "; then
  .venv/bin/saidwhat ingest "$SAMPLES" --db saidwhat.db --stance
  .venv/bin/saidwhat stance --db saidwhat.db --limit 10   # whom the statements are about, and how
fi
exec .venv/bin/saidwhat extract "$SAMPLES"
