#!/usr/bin/env bash
# One command runs every test (installs what it needs first).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
cargo test --release --workspace
