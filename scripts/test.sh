#!/usr/bin/env bash
# Installs what is needed, builds with warnings as errors, and runs every test:
# unit and integration tests (integration ones inside a sandbox) and the fault harness
# (label faults: kill sweep, race, tampering), the benchmark driver as a smoke test, the unit
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer, the kernel tests under
# ThreadSanitizer, and the parser's fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (warnings are errors)"
BUILD_DIR=build scripts/build.sh -DNSTOPO_WERROR=ON -DNSTOPO_FAULT_POINTS=ON
echo "== unit, integration and fault tests"
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
# A sanitizer report must fail the run for sure: by default ASan and UBSan exit 1, which is
# also what `nstopo validate` answers to an invalid file (the corpus test expects it).
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:exitcode=86
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -L unit
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "== kernel tests under ThreadSanitizer (the namespace groups run on threads)"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNSTOPO_WERROR=ON -DNSTOPO_TSAN=ON >/dev/null
cmake --build build-tsan -j "$(nproc)" --target nstopo_kernel_tests
TSAN_OPTIONS=halt_on_error=1:exitcode=88 tests/integration/sandbox.sh build-tsan/tests/nstopo_kernel_tests

echo "== the parser under libFuzzer (60 s; tests/fuzz/run.sh SECONDS for longer)"
tests/fuzz/run.sh 60
