#!/usr/bin/env bash
# Installs what is needed, builds nstopo and applies the tutorial lab (topologies/seed.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_TARGET=nstopo scripts/build.sh   # only what the demo runs, not the tests
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" build/nstopo apply topologies/seed.yaml
