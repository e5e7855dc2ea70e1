#!/usr/bin/env bash
# One case of the kill sweep (tests/integration/test_faults_kill.sh), in a fresh sandbox:
#   kill_case.sh count apply|destroy          print "K NAME" for every fault point of a run
#   kill_case.sh apply|destroy K SIGNAL       stop that command at point K with SIGNAL (KILL,
#                                             TERM, INT; TERM2/INT2: that signal twice), then
#                                             check that the lab recovers and leaves nothing
# Prints one result line, "ok: ..." or "FAIL: ..." (then the evidence, indented), or
# "skip: ..." when the run never reached point K. Environment: NSTOPO_FAULT_POINTS_TOTAL (N,
# for the text), NSTOPO_FAULT_LAST_BOUNDARY (index of the last "before ..." point: a first
# TERM/INT at an earlier point must stop the run there and undo it).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.sh"
trap 'rm -rf "$WORK"' EXIT

command=$1
problems=()      # short reasons, joined into the result line
evidence="$WORK/evidence"
: >"$evidence"

problem() {  # problem REASON [FILE-OR-TEXT...]: a reason and its evidence
  problems+=("$1")
  echo "$1:" >>"$evidence"
  shift
  for item in "$@"; do
    if [[ -f $item ]]; then sed 's/^/  | /' "$item"; else printf '%s\n' "$item" | sed 's/^/  /'; fi
  done >>"$evidence"
}

# expect_ok WHAT ARGS...: nstopo ARGS must exit 0.
expect_ok() {
  local what=$1; shift
  run_nstopo "$WORK/$what.out" "$@"
  [[ $status == "exit 0" ]] || problem "$what: $status" "$WORK/$what.out"
}

# After the lab's destroy: nothing of it, and the host as it was before the first apply.
expect_clean() {
  local when=$1 now
  now=$(snapshot_full)
  [[ $now == "$before" ]] || problem "$when: not clean" "$(snapshot_diff "$before" "$now")"
}

if [[ $command == count ]]; then
  what=$2
  if [[ $what == destroy ]]; then
    run_nstopo "$WORK/apply.out" apply "$FAULT_LAB"
    [[ $status == "exit 0" ]] || { echo "FAIL: counting: apply $status"; sed 's/^/  | /' "$WORK/apply.out"; exit 1; }
  fi
  NSTOPO_FAULT_TRACE="$WORK/trace" run_nstopo "$WORK/run.out" "$what" "$FAULT_LAB"
  [[ $status == "exit 0" ]] || { echo "FAIL: counting: $what $status"; sed 's/^/  | /' "$WORK/run.out"; exit 1; }
  cat "$WORK/trace" 2>/dev/null
  exit 0
fi

k=$2 signal=$3
total=${NSTOPO_FAULT_POINTS_TOTAL:-?}
last_boundary=${NSTOPO_FAULT_LAST_BOUNDARY:-0}
before=$(snapshot_full)

# The run under test: stopped at point K. Its trace names the point.
# SIGNAL "INT2" or "TERM2": the first at point K, a second one from outside as soon as the
# trace shows K (faults/run_status.py): the run must end at once, and the next repair it.
faulted_run() {
  rm -f "$WORK/trace"
  local first=${signal%2} second=""
  [[ $signal == *2 ]] && second=$first
  NSTOPO_FAULT_AT=$k NSTOPO_FAULT_SIGNAL=$first NSTOPO_FAULT_TRACE="$WORK/trace" \
    RUN_STATUS_SECOND_SIGNAL=$second RUN_STATUS_TRACE="$WORK/trace" RUN_STATUS_AT=$k \
    run_nstopo "$WORK/faulted.out" "$command" "$FAULT_LAB"
  second_signal=$(grep '^second signal' <<<"$status")
  status=$(tail -1 <<<"$status")
  point=$(awk -v k="$k" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$WORK/trace" 2>/dev/null)
}

# What the faulted run must have done. KILL: died. TERM/INT (the first signal): finished the
# step it was in, undid this run's changes and said so, exit non-zero; when no "before"
# boundary was left after K, completing the run is fine too.
judge_faulted_run() {
  if [[ $signal == *2 ]]; then
    # Whether the first signal ended the run or the second did: it ends, and at once.
    [[ $status == timeout ]] && problem "$command hung after two SIG${signal%2}" "$WORK/faulted.out"
    local after
    after=$(sed -n 's/.*ended \([0-9.]*\) s after it/\1/p' <<<"$second_signal")
    [[ -n $after ]] && awk -v a="$after" 'BEGIN { exit !(a > 5) }' &&
      problem "$command went on for $after s after a second SIG${signal%2}" "$WORK/faulted.out"
    return
  fi
  if [[ $signal == KILL ]]; then
    [[ $status == "signal SIGKILL" ]] || problem "$command at $k was not killed: $status" "$WORK/faulted.out"
    return
  fi
  case $status in
    "signal "*) problem "$command died by $signal: no handler, no undo, no message" "$WORK/faulted.out"; return ;;
    timeout) problem "$command hung after $signal" "$WORK/faulted.out"; return ;;
    "exit 0")
      (( k >= last_boundary )) ||
        problem "$command exited 0 after $signal at $k: the signal was ignored (boundary $last_boundary left)" "$WORK/faulted.out"
      return ;;
  esac
  grep -qiE 'interrupt|sigint|sigterm|signal' "$WORK/faulted.out" ||
    problem "$command after $signal: no message saying it was interrupted" "$WORK/faulted.out"
  if [[ $command == apply ]]; then
    local now
    now=$(snapshot_full)
    # The state file may stay (an empty record of a lab being made); the rest must be undone.
    now=$(grep -v '^/run/nstopo/' <<<"$now")
    [[ $now == "$(grep -v '^/run/nstopo/' <<<"$before")" ]] ||
      problem "apply after $signal: its changes were not undone" "$(snapshot_diff "$before" "$now")"
  fi
}

if [[ $command == apply ]]; then
  faulted_run
  [[ -n $point ]] || [[ $status != "exit 0" ]] || { echo "skip: apply $signal at $k/$total: point not reached"; exit 0; }
  judge_faulted_run
  expect_ok "next apply (no --adopt)" apply "$FAULT_LAB"
  run_nstopo "$WORK/plan.out" plan --detailed-exitcode "$FAULT_LAB"
  [[ $status == "exit 0" ]] || problem "plan --detailed-exitcode after it: $status" "$WORK/plan.out"
  expect_ok "destroy" destroy "$FAULT_LAB"
  expect_clean "after destroy"
else
  # A: a destroy killed at K, then destroy again: clean.
  expect_ok "first apply" apply "$FAULT_LAB"
  faulted_run
  [[ -n $point ]] || [[ $status != "exit 0" ]] || { echo "skip: destroy $signal at $k/$total: point not reached"; exit 0; }
  judge_faulted_run
  expect_ok "destroy after it" destroy "$FAULT_LAB"
  expect_clean "after the second destroy"
  # B: a destroy killed at K, then apply: it converges, and destroy is clean.
  expect_ok "apply again" apply "$FAULT_LAB"
  faulted_run
  judge_faulted_run
  expect_ok "apply after the killed destroy (no --adopt)" apply "$FAULT_LAB"
  run_nstopo "$WORK/plan.out" plan --detailed-exitcode "$FAULT_LAB"
  [[ $status == "exit 0" ]] || problem "plan --detailed-exitcode after it: $status" "$WORK/plan.out"
  expect_ok "final destroy" destroy "$FAULT_LAB"
  expect_clean "after the final destroy"
fi

case $signal in
  KILL) verb=killed ;;
  *2) verb="sent SIG${signal%2} twice" ;;
  *) verb="sent SIG$signal" ;;
esac
head="$command $verb at $k/$total (${point:-?})"
if ((${#problems[@]} == 0)); then
  echo "ok: $head: converged, clean"
else
  joined=$(printf '%s; ' "${problems[@]}")
  echo "FAIL: $head: ${joined%; }"
  sed 's/^/    /' "$evidence"
  exit 1
fi
