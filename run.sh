#!/usr/bin/env bash
# One command runs the app: installs what it needs (Debian packages, npm packages, Rust
# crates), builds the UI and the desktop binary, and starts Bemanna on the embedded SQLite
# database in the user's data directory (created and seeded with the demo home on first
# start; BEMANNA_DB=FILE picks another file).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/build-app.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display; starting Bemanna under Xvfb (screenshot: import -display \$DISPLAY -window root shot.png)" >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" ./target/release/bemanna-app "$@"
fi
exec ./target/release/bemanna-app "$@"
