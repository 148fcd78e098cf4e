#!/usr/bin/env bash
# Set up, then find who said what in the bundled sample articles (12 real news articles, credited
# in the README), store them in the embedded store saidwhat.db, with whom each statement is about
# and its stance (--stance: about 20 s more), and show what was stored. Rerunning it skips the
# articles already stored.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
SAMPLES=src/saidwhat/samples/news.jsonl
.venv/bin/saidwhat ingest "$SAMPLES" --db saidwhat.db --stance
.venv/bin/saidwhat search --db saidwhat.db --limit 12       # who said what (saidwhat search --help)
.venv/bin/saidwhat speakers --db saidwhat.db --limit 10     # the speaker directory
.venv/bin/saidwhat stance --db saidwhat.db --limit 10       # whom the statements are about, and how
echo "Next: .venv/bin/saidwhat serve --db saidwhat.db  (web page and REST API on http://127.0.0.1:8000)"
