#!/usr/bin/env bash
# One-time set-up on Debian + Node 20: Jupyter, scikit-learn (the benchmark's peer), Chromium and Redis
# from Debian packages, the npm dependencies (npm ci also builds dist/ through "prepare"), and the tslab
# Jupyter kernel (scripts/tslab-kernel.js, see there).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
PKGS="jupyter-client jupyter-nbconvert python3-nbclient python3-ipykernel python3-ipython jupyter-notebook python3-sklearn chromium redis-server"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing" >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $missing >/dev/null
fi
npm ci --no-audit --no-fund
# npm ci runs the "prepare" script, which builds dist/
# The kernel runs scripts/tslab-kernel.js: tslab itself, with widget probes (comm_*) answered quietly.
npx tslab install --python /usr/bin/python3 --binary "$PWD/scripts/tslab-kernel.js" >/dev/null
echo "setup: done (node $(node --version), tslab kernel registered)" >&2
