#!/usr/bin/env bash
# One command runs every test (installs what it needs first): the UI's type check, lint and
# unit tests; every Rust test (which also regenerates the UI's TypeScript bindings, checked
# against the committed ones); then the desktop app end to end in its real webview.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
(cd ui && npm ci --no-audit --no-fund && npm run check && npm run lint && npm test)
bash scripts/build-app.sh
cargo test --release --workspace
if [ -n "$(git status --porcelain -- ui/src/bindings 2>/dev/null)" ]; then
  echo "test: ui/src/bindings differ from the Rust types; commit the regenerated files:" >&2
  git status --porcelain -- ui/src/bindings >&2
  exit 1
fi
bash scripts/e2e.sh
