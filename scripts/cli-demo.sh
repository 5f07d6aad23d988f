#!/usr/bin/env bash
# The headless demo of the CLI: the embedded SQLite database in the user's data directory
# (created and seeded with the demo home on first run), a roster planned and saved there,
# and a wave study of the severe scenario saved beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -p bemanna-cli
BIN=./target/release/bemanna
DATA="${XDG_DATA_HOME:-$HOME/.local/share}/bemanna"
DB="${BEMANNA_DB:-$DATA/bemanna.sqlite}"
mkdir -p "$(dirname "$DB")"
[ -f "$DB" ] || "$BIN" db init "$DB"
"$BIN" roster --db "$DB" --project 1 --out target/demo-roster.csv "$@" || [ $? -eq 1 ]
echo
"$BIN" simulate --db "$DB" --project 1 fixtures/scenarios/wave-severe-2020.json \
  --roster fixtures/demo-roster-8w.csv --runs 2000
