#!/usr/bin/env bash
# End-to-end tests: the release app in its own WebKitGTK webview under Xvfb, driven through
# tauri-driver + WebKitWebDriver. Expects target/release/bemanna-app (scripts/build-app.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x "$HOME/.cargo/bin/tauri-driver" ] || cargo install tauri-driver --version '^2' --locked
(cd tests/e2e && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; })
xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/run.mjs
