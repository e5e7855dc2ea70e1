#!/usr/bin/env bash
# The race test: `apply`, `apply` and `destroy` of one lab (labs/faults.yaml) started together,
# round after round. Two nstopo on one lab must never interleave, so every round must be
# explained by some serial order of the three: an apply of a lab that is there changes
# nothing, of a lab that is not there makes it all; a destroy removes all or finds nothing.
# After each round the lab is in the state the last of that order leaves: fully applied
# (plan --detailed-exitcode 0, its record parses and names its namespaces) or fully gone
# (the host snapshot as before the first round: no namespace, link, process or record), never
# in between. A failed round is cleaned up (faults/common.sh, reset_host_to) before the next.
# At the end, destroy leaves the host as it was.
#
#   NSTOPO_RACE_ROUNDS=N   rounds (default 30, CI); for a long run, e.g. 300:
#   NSTOPO=build/nstopo NSTOPO_SOURCE_DIR=$PWD NSTOPO_RACE_ROUNDS=300 \
#     tests/integration/sandbox.sh tests/integration/test_faults_race.sh
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"
rounds=${NSTOPO_RACE_ROUNDS:-30}
started=$(date +%s)
before=$(snapshot_full)
state=gone        # what the previous round left
rounds_with_wait=0

# explain A1 A2 D: the serial orders of the three runs that their outputs allow, from $state.
# Prints the final state of the first order that fits, or nothing.
explain() {
  /usr/bin/python3 - "$state" "$@" <<'PY'
import itertools, sys
start, outputs = sys.argv[1], sys.argv[2:]
names = ["apply1", "apply2", "destroy"]
def kind(name, text):
    if name.startswith("apply"):
        if "No changes" in text: return "unchanged"
        if "Apply complete" in text: return "made"
    else:
        if "Nothing to destroy" in text: return "nothing"
        if "Destroy complete" in text: return "removed"
    return "?"
kinds = {n: kind(n, open(o).read()) for n, o in zip(names, outputs)}
for order in itertools.permutations(names):
    state, fits = start, True
    for n in order:
        want = {("apply", "gone"): "made", ("apply", "applied"): "unchanged",
                ("destroy", "applied"): "removed", ("destroy", "gone"): "nothing"}[(n.rstrip("12"), state)]
        if kinds[n] != want: fits = False; break
        state = "applied" if n.startswith("apply") else "gone"
    if fits:
        print(state, " then ".join(order)); break
else:
    print("none", ", ".join(f"{n}: {k}" for n, k in kinds.items()))
PY
}

for ((round = 1; round <= rounds; round++)); do
  dir="$WORK/round$round"; mkdir -p "$dir"
  a="apply,$FAULT_LAB"; d="destroy,$FAULT_LAB"
  # Start them in a different order each round; the last one at once or up to 90 ms later
  # (while the first is at work: a lock file removed by a destroy meanwhile would let it in).
  late=$(( (round * 37) % 100 )); ((late < 10)) && late=0
  case $((round % 3)) in
    0) specs=("apply1=$NSTOPO,$a" "apply2=$NSTOPO,$a" "destroy@$late=$NSTOPO,$d") ;;
    1) specs=("destroy=$NSTOPO,$d" "apply1=$NSTOPO,$a" "apply2@$late=$NSTOPO,$a") ;;
    2) specs=("apply1=$NSTOPO,$a" "destroy=$NSTOPO,$d" "apply2@$late=$NSTOPO,$a") ;;
  esac
  /usr/bin/python3 "$FAULTS_DIR/run_together.py" "$NSTOPO_FAULT_COMMAND_TIMEOUT" "$dir" "${specs[@]}" \
    >"$dir/status"
  problems=()
  while read -r name how; do
    [[ $how == "exit 0" ]] || problems+=("$name: $how")
  done <"$dir/status"
  grep -qs "waiting for lab" "$dir"/*.out && rounds_with_wait=$((rounds_with_wait + 1))
  read -r final order <<<"$(explain "$dir/apply1.out" "$dir/apply2.out" "$dir/destroy.out")"
  [[ $final == none ]] && problems+=("no serial order explains the outputs ($order): they interleaved")
  # What the round left, seen from outside: fully applied, fully gone, or in between.
  if "$NSTOPO" plan --detailed-exitcode "$FAULT_LAB" >"$dir/plan.out" 2>&1; then
    seen=applied
    /usr/bin/python3 -c '
import json, sys
s = json.load(open("/run/nstopo/faults/state.json"))
assert s["lab"] == "faults", s["lab"]
assert set(s["namespaces"]) == {"fa", "fb", "fc", "fe"}, s["namespaces"]
' >"$dir/record.out" 2>&1 || problems+=("applied, but its record does not parse or is wrong")
    # One copy of each service: two applies at once would each start one.
    foreign_processes >"$dir/processes"
    # (Each runs under its supervisor, "nstopo __supervise ... -- COMMAND": one of those too.)
    for service in "sleep 3600" "http.server 8077"; do
      copies=$(grep -v -- " __supervise " "$dir/processes" | grep -c -- "$service" || true)
      ((copies == 1)) || problems+=("applied, with $copies copies of '$service' running (see processes)")
      supervisors=$(grep -- " __supervise " "$dir/processes" | grep -c -- "$service" || true)
      ((supervisors == 1)) || problems+=("applied, with $supervisors supervisors of '$service' (see processes)")
    done
  else
    now=$(snapshot_full)
    if [[ $now == "$before" ]]; then seen=gone
    else
      seen="in between"
      snapshot_diff "$before" "$now" >"$dir/leftovers"
      problems+=("neither applied (plan --detailed-exitcode: see plan.out) nor gone (see leftovers)")
    fi
  fi
  [[ $final == none || $seen == "in between" || $seen == "$final" ]] ||
    problems+=("the order says $final, the system is $seen")
  state=$seen
  if ((${#problems[@]} == 0)); then
    pass "round $round: ${order} -> $seen"
  else
    joined=$(printf "%s; " "${problems[@]}"); fail "round $round: ${order:-?} -> $seen: ${joined%; }"
    for f in "$dir"/status "$dir"/*.out "$dir"/leftovers "$dir"/processes; do
      [[ -s $f ]] && { echo "    -- $(basename "$f")"; sed 's/^/    | /' "$f"; }
    done
    # Start the next round from a known state: whatever this one left, removed.
    "$NSTOPO" destroy "$FAULT_LAB" >/dev/null 2>&1
    reset_host_to "$before"
    now=$(snapshot_full)
    [[ $now == "$before" ]] || { echo "    could not reset the host:"; snapshot_diff "$before" "$now" | sed 's/^/    /'; }
    state=gone
  fi
done
((rounds_with_wait > 0)) && pass "the commands met on the lock in $rounds_with_wait of $rounds rounds" \
  || fail "in no round did a command wait for the lock: the rounds did not race"
check "final destroy" "$NSTOPO" destroy "$FAULT_LAB"
now=$(snapshot_full)
[[ $now == "$before" ]] && pass "after the final destroy the host is as before" \
  || { fail "after the final destroy:"; snapshot_diff "$before" "$now" | sed 's/^/    /'; }
echo "race: $rounds rounds in $(( $(date +%s) - started )) s"
finish
