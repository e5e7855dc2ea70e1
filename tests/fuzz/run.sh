#!/usr/bin/env bash
# Builds the parser's fuzz target (tests/fuzz/parse_fuzzer.cpp: libFuzzer + AddressSanitizer
# + UndefinedBehaviorSanitizer, in build-fuzz/) and runs it for a bounded time. Fails on any
# crash, hang, leak or sanitizer report, printing the input that caused it; prints the
# number of inputs executed.
#
#   tests/fuzz/run.sh [SECONDS]      default 60 (what CI runs); e.g. 3600 for a long run
#
# Seeds: tests/fuzz/corpus/ (regressions: every input that once crashed, and extra seeds),
# tests/corpus/*.yaml (the invalid-file corpus), topologies/*.yaml and the fault lab. New
# inputs found go to a scratch directory (build-fuzz/corpus.new), not into the tree; to keep
# an interesting one, copy it into tests/fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-${NSTOPO_FUZZ_SECONDS:-60}}
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}

echo "== building the parser fuzzer ($build_dir)"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNSTOPO_WERROR=ON -DNSTOPO_SANITIZE=ON -DNSTOPO_FUZZ=ON \
  ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target nstopo_parse_fuzzer
fuzzer="$build_dir/tests/nstopo_parse_fuzzer"

scratch="$build_dir/corpus.new"
artifacts="$build_dir/fuzz-artifacts"
rm -rf "$scratch" "$artifacts"
mkdir -p "$scratch" "$artifacts"
seeds="$build_dir/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
cp tests/corpus/*.yaml topologies/*.yaml tests/integration/labs/*.yaml "$seeds/"

echo "== fuzzing the parser for ${seconds} s"
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
set +e
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$scratch" tests/fuzz/corpus "$seeds" >"$build_dir/fuzz.log" 2>&1
status=$?
set -e
executions=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$build_dir/fuzz.log")
grep -E '^INFO: (Seed|Loaded|[0-9]+ Extra)|^#[0-9]+ +(INITED|DONE)' "$build_dir/fuzz.log" || true
echo "parser fuzzer: ${executions:-?} inputs executed in ${seconds} s, corpus $(ls "$scratch" | wc -l) new inputs"
if [[ $status -ne 0 ]] || compgen -G "$artifacts/*" >/dev/null; then
  echo "FAIL: the parser fuzzer stopped with exit $status:"
  grep -vE '^#[0-9]+ +(NEW|REDUCE|pulse)' "$build_dir/fuzz.log" | tail -60
  for artifact in "$artifacts"/*; do
    [[ -e $artifact ]] || continue
    echo "-- input $artifact (reproduce: $fuzzer $artifact):"
    head -c 2000 "$artifact" | od -c | head -40
  done
  exit 1
fi
echo "ok: no crash, hang, leak or sanitizer report"
