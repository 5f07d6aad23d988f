#!/usr/bin/env bash
# Builds the UI (ui/dist) and the release desktop binary that embeds it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd ui && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build)
cargo build --release -p bemanna-app
