#!/usr/bin/env bash
# The kill sweep: nstopo apply and destroy of the fault lab (labs/faults.yaml) stopped at
# every fault point K=1..N in turn (NSTOPO_FAULT_AT=K, test builds: -DNSTOPO_FAULT_POINTS=ON),
# each case in a fresh sandbox of its own (faults/kill_case.sh). After each stop: the next
# apply converges without --adopt, plan --detailed-exitcode exits 0, destroy exits 0 and
# leaves no namespace, link, address, route, mount, state file or process, and the host
# (links, addresses, routes, rules, sysctls, netns list, processes) is as before the first
# apply. For a destroy stopped at K: destroy again is clean, and apply after it converges.
# With TERM or INT (a first signal): the run must stop at the next boundary, undo, say so.
#
#   test_faults_kill.sh [KILL] [TERM] [INT] [INT2] [TERM2]   the signals to sweep (default: all)
#     INT2, TERM2: the signal at point K and a second one as soon as K is reached (Ctrl-C
#     twice): the run must end within 5 s, and the next apply repair what it left.
# Environment:
#   NSTOPO_FAULT_SWEEP=ci (default)  KILL: every point of apply and destroy; TERM and INT:
#                                    a sample (about 10 points spread out, and up to 10
#                                    of those inside an action) of each
#   NSTOPO_FAULT_SWEEP=full          every point for every signal
#   NSTOPO_FAULT_ONLY="apply:17 destroy:3"   just these cases (to reproduce one)
#   NSTOPO_FAULT_JOBS=N              cases side by side (default 1; each has its own sandbox)
# The full sweep, by hand (as root, from the source tree, after scripts/test.sh built build/):
#   NSTOPO=build/nstopo NSTOPO_SOURCE_DIR=$PWD NSTOPO_FAULT_SWEEP=full NSTOPO_FAULT_JOBS=2 \
#     tests/integration/sandbox.sh tests/integration/test_faults_kill.sh
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"
started=$(date +%s)
signals=("$@")
((${#signals[@]})) || signals=(KILL TERM INT INT2 TERM2)
sweep=${NSTOPO_FAULT_SWEEP:-ci}
jobs=${NSTOPO_FAULT_JOBS:-1}
skipped=0

# The points of a whole run of each command, from its trace.
for what in apply destroy; do
  nested_sandbox "$FAULTS_DIR/kill_case.sh" count "$what" >"$WORK/points.$what"
  rc=$?
  [[ $rc -eq 77 ]] && { echo "SKIP: no nested sandbox here"; exit 77; }
  if [[ $rc -ne 0 ]]; then fail "counting the points of $what"; sed 's/^/    /' "$WORK/points.$what"; finish; fi
  n=$(wc -l <"$WORK/points.$what")
  if ((n == 0)); then
    fail "$what reached no fault point: is nstopo built with -DNSTOPO_FAULT_POINTS=ON?"
    finish
  fi
  echo "$what: $n fault points"
done

# sample POINTS-FILE: about 10 points spread over 1..N, the first and the last among them,
# and up to 10 of the points inside an action (not "before"/"after"/"undo" boundaries: the
# crash windows, where a signal must let the step finish before the run stops).
sample() {
  local n stride k
  n=$(wc -l <"$1")
  stride=$(( (n + 9) / 10 ))
  {
    for ((k = 1; k <= n; k += stride)); do echo "$k"; done
    echo "$n"
    awk '$2 != "before" && $2 != "after" && $2 != "undo" { print $1 }' "$1" |
      awk '{ k[NR] = $1 } END { step = NR > 10 ? NR / 10 : 1; for (i = 1; i <= NR; i += step) print k[int(i)] }'
  } | sort -n | uniq
}

cases="$WORK/cases"
: >"$cases"
for signal in "${signals[@]}"; do
  for what in apply destroy; do
    n=$(wc -l <"$WORK/points.$what")
    last_boundary=$(awk '$2 == "before" { k = $1 } END { print k + 0 }' "$WORK/points.$what")
    if [[ -n ${NSTOPO_FAULT_ONLY:-} ]]; then
      points=$(tr ' ' '\n' <<<"$NSTOPO_FAULT_ONLY" | awk -F: -v w="$what" '$1 == w { print $2 }')
    elif [[ $signal == KILL || $sweep == full ]]; then
      points=$(seq 1 "$n")
    else
      points=$(sample "$WORK/points.$what")
    fi
    for k in $points; do echo "$what $k $signal $n $last_boundary" >>"$cases"; done
  done
done

# Each case in its own nested sandbox; results in the order of the list, whatever the jobs.
mkdir -p "$WORK/results"
export WORK
run_case() {  # run_case INDEX WHAT K SIGNAL N LAST_BOUNDARY
  NSTOPO_FAULT_POINTS_TOTAL=$5 NSTOPO_FAULT_LAST_BOUNDARY=$6 \
    nested_sandbox "$FAULTS_DIR/kill_case.sh" "$2" "$3" "$4" >"$WORK/results/$1" 2>&1
  echo "exit $?" >>"$WORK/results/$1"
}
export -f run_case nested_sandbox
export FAULTS_DIR
nl -ba -nrz -w5 "$cases" | xargs -P "$jobs" -L 1 bash -c 'run_case "$@"' _

for result in "$WORK"/results/*; do
  sed '$d' "$result" >"$WORK/one"   # the last line is kill_case.sh's exit status
  case $(head -c 5 "$WORK/one") in
    "ok: "*) passed=$((passed + 1)); cat "$WORK/one" ;;
    skip:) skipped=$((skipped + 1)); cat "$WORK/one" ;;
    FAIL:) failed=$((failed + 1)); cat "$WORK/one" ;;
    *) fail "a case ended without a result ($(tail -1 "$result")):"; sed 's/^/    /' "$WORK/one" ;;
  esac
done
echo "kill sweep ($sweep; ${signals[*]}): $(wc -l <"$cases") cases, $skipped not reached, in $(( $(date +%s) - started )) s"
finish
