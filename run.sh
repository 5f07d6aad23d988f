#!/usr/bin/env bash
# One command runs the app: plans the demo home and prints its roster.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
cargo build --release -p bemanna-cli
exec ./target/release/bemanna roster fixtures/demo-home.json --out target/demo-roster.csv "$@"
