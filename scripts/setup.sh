#!/usr/bin/env bash
# Installs what Bemanna needs to build on a fresh Debian 12 machine. Idempotent.
set -euo pipefail

need_apt=()
# HiGHS (cmake, C++, libclang for bindgen); the desktop app (WebKitGTK, GTK); its end-to-end
# tests (Xvfb, WebKitWebDriver) and screenshots (ImageMagick).
for pkg in cmake g++ build-essential pkg-config clang libclang-dev \
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev libxdo-dev \
  xvfb xauth webkit2gtk-driver imagemagick; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# Node.js with npm builds the UI; the machine's own Node (≥ 20) is used when there is one.
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found. Install the Rust toolchain (rustup, stable ≥ 1.80) and run again." >&2
  exit 2
fi
rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt >/dev/null 2>&1 || true
