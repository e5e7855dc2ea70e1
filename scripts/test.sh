#!/usr/bin/env bash
# Installs what is needed, builds with warnings as errors, and runs every test:
# unit and integration tests (integration ones inside a sandbox), the benchmark driver as a
# smoke test, and the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (warnings are errors)"
BUILD_DIR=build scripts/build.sh -DNSTOPO_WERROR=ON -DNSTOPO_FAULT_POINTS=ON
echo "== unit and integration tests"
ctest --test-dir build --output-on-failure -j "$(nproc)"

echo "== benchmark smoke test (N=20, one repetition; every lab checked)"
set +e
bench/run.sh --smoke --nstopo build/nstopo
status=$?
set -e
if [[ $status -eq 77 ]]; then
  echo "benchmark smoke test skipped: this machine refuses the sandbox"
elif [[ $status -ne 0 ]]; then
  exit "$status"
fi

echo "== unit tests under ASan + UBSan"
BUILD_DIR=build-asan scripts/build.sh -DNSTOPO_WERROR=ON -DNSTOPO_SANITIZE=ON
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -L unit
