#!/usr/bin/env bash
# Configures and builds into build/ (or $BUILD_DIR). Extra arguments go to cmake.
# BUILD_TARGET=nstopo builds only the binary (not the test suite).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
target=()
[[ -n ${BUILD_TARGET:-} ]] && target=(--target "$BUILD_TARGET")
cmake --build "$build_dir" -j "$(nproc)" "${target[@]}"
