#!/usr/bin/env bash
# SIGINT and SIGTERM during apply (finding 6): the first one stops at the next action
# boundary, undoes this run's changes and says so (exit 130 / 143); a wait (a service's
# readiness) notices it too; a second one stops at once, and the next apply converges.
# Signals at exact points come from the fault points (NSTOPO_FAULT_AT, test builds only).
source "$(dirname "$0")/lib.sh"

cat > "$WORK/lab.yaml" <<'YAML'
version: 1
name: intr
host:
  interfaces:
    br_i: {kind: bridge, addresses: [10.31.0.1/24]}
    veth_i0: {master: br_i}
namespaces:
  ns_i:
    interfaces:
      veth_i1: {addresses: [10.31.0.2/24, "fd00:31::2/64"]}
    routes:
      - {to: default, via: 10.31.0.1}
links:
  - endpoints: [host:veth_i0, ns_i:veth_i1]
YAML
before=$(snapshot)

# How many fault points a whole apply passes (0: this build has none).
"$NSTOPO" apply "$WORK/lab.yaml" >/dev/null 2>&1 &&
  NSTOPO_FAULT_TRACE="$WORK/trace" "$NSTOPO" destroy "$WORK/lab.yaml" >/dev/null 2>&1
rm -f "$WORK/trace"
NSTOPO_FAULT_TRACE="$WORK/trace" "$NSTOPO" apply "$WORK/lab.yaml" >/dev/null 2>&1
points=$(wc -l < "$WORK/trace" 2>/dev/null || echo 0)
"$NSTOPO" destroy "$WORK/lab.yaml" >/dev/null 2>&1

same_as_before() {
  local after; after=$(snapshot)
  if [[ "$after" == "$before" ]]; then pass "$1"
  else fail "$1:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
}

if [[ $points -eq 0 ]]; then
  echo "note: no fault points in this build (-DNSTOPO_FAULT_POINTS=ON): the boundary sweep is skipped"
else
  # A SIGINT at every point of the run: undone to nothing, each time.
  for ((k = 1; k <= points; k++)); do
    check_exit 130 "SIGINT at point $k/$points: exit 130" \
      env NSTOPO_FAULT_AT=$k NSTOPO_FAULT_SIGNAL=INT "$NSTOPO" apply "$WORK/lab.yaml"
    check_output_contains "SIGINT at point $k: says so" "interrupted by SIGINT: "
    same_as_before "SIGINT at point $k: the system is as before the run"
  done
  check_exit 2 "after the interruptions the lab is still to be made" \
    "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"

  mid=$(((points + 1) / 2))
  check_exit 143 "SIGTERM mid-run: exit 143" \
    env NSTOPO_FAULT_AT=$mid NSTOPO_FAULT_SIGNAL=TERM "$NSTOPO" apply "$WORK/lab.yaml"
  check_output_contains "SIGTERM: says how many changes were undone" "interrupted by SIGTERM: undid "
  same_as_before "SIGTERM mid-run: the system is as before the run"
fi

# An interrupted destroy stops at a boundary and says so; the next destroy does the rest.
if [[ $points -gt 0 ]]; then
  check "apply the lab whole" "$NSTOPO" apply "$WORK/lab.yaml"
  check_exit 130 "SIGINT during destroy: exit 130" \
    env NSTOPO_FAULT_AT=3 NSTOPO_FAULT_SIGNAL=INT "$NSTOPO" destroy "$WORK/lab.yaml"
  check_output_contains "it says where it stopped" "interrupted by SIGINT: stopped after "
  check_output_lacks "it does not try to undo deletions" "cannot be undone"
  check "the next destroy does the rest" "$NSTOPO" destroy "$WORK/lab.yaml"
  same_as_before "after the second destroy the system is as before"
fi

# A signal during a wait: the service never becomes ready (nothing listens on 4931).
cat > "$WORK/waits.yaml" <<'YAML'
version: 1
name: waits
namespaces:
  ns_w:
    interfaces:
      veth_w1: {addresses: [10.32.0.2/24]}
    services:
      stubborn:
        command: [sh, -c, 'trap "" TERM; sleep 1000 & wait; wait']
        ready: {tcp: 4931, timeout: 60s}
        stop_timeout: 20s
host:
  interfaces:
    veth_w0: {addresses: [10.32.0.1/24]}
links:
  - endpoints: [host:veth_w0, ns_w:veth_w1]
YAML
# Background jobs of a script ignore SIGINT unless told otherwise.
start_apply() {
  env --default-signal=INT "$NSTOPO" apply "$WORK/waits.yaml" >"$WORK/bg.out" 2>&1 &
  apply_pid=$!
  wait_for_service
}
# Until the service runs: apply is then waiting for it to be ready.
stubborn_left() { ps -eo args= | grep -c '^sleep 1000$'; }
wait_for_service() {
  for _ in $(seq 200); do
    [[ $(stubborn_left) -gt 0 ]] && break
    sleep 0.05
  done
  sleep 0.2
}
wait_exit() {  # wait_exit SECONDS: sets $got to the apply's exit code, or "timeout"
  got=timeout
  for _ in $(seq $(($1 * 20))); do
    if ! kill -0 "$apply_pid" 2>/dev/null; then wait "$apply_pid"; got=$?; return; fi
    sleep 0.05
  done
}

# A second signal while the undo waits 20 s for the service that ignores SIGTERM: at once.
start_apply
kill -INT "$apply_pid"
sleep 1
kill -INT "$apply_pid"
wait_exit 5
if [[ $got == 130 ]]; then pass "a second SIGINT stops at once, exit 130"
else fail "a second SIGINT: exit $got, wanted 130 at once"; sed 's/^/    /' "$WORK/bg.out"; fi
cp "$WORK/bg.out" "$WORK/out"
check_output_contains "the first SIGINT is acknowledged" "nstopo: SIGINT: stopping after the current step"
check_output_contains "the second SIGINT says what is left" "second SIGINT: stopped at once"

# The next run repairs what was left: a file whose service is ready at once converges.
sed -e 's|ready: {tcp: 4931, timeout: 60s}|ready: {exec: [/bin/true]}|' \
    -e "s/command: .*/command: [sleep, \"999\"]/" -e 's/stop_timeout: 20s/stop_timeout: 1s/' \
    "$WORK/waits.yaml" > "$WORK/waits_fixed.yaml"
check "after a second SIGINT, the next apply converges" "$NSTOPO" apply "$WORK/waits_fixed.yaml"
check_exit 0 "and the plan is then empty" "$NSTOPO" plan --detailed-exitcode "$WORK/waits_fixed.yaml"
check "destroy" "$NSTOPO" destroy "$WORK/waits_fixed.yaml"
if [[ $(stubborn_left) -eq 0 ]]; then pass "the stubborn service is gone"; else fail "the stubborn service survived"; fi
same_as_before "after the repair and destroy, the system is as before"

# A first SIGINT while waiting for readiness: noticed at once, the service stopped (SIGKILL
# after its 2 s stop_timeout) and the run undone.
sed -e 's/stop_timeout: 20s/stop_timeout: 2s/' "$WORK/waits.yaml" > "$WORK/waits_2s.yaml"
env --default-signal=INT "$NSTOPO" apply "$WORK/waits_2s.yaml" >"$WORK/bg.out" 2>&1 &
apply_pid=$!
wait_for_service
kill -INT "$apply_pid"
wait_exit 10
cp "$WORK/bg.out" "$WORK/out"
if [[ $got == 130 ]]; then pass "SIGINT during the readiness wait: exit 130 well before the 60 s timeout"
else fail "SIGINT during the readiness wait: exit $got, wanted 130"; sed 's/^/    /' "$WORK/out"; fi
check_output_contains "it says it was interrupted and undid the run" "interrupted by SIGINT: undid "
if [[ $(stubborn_left) -eq 0 ]]; then pass "the service that was waited for is stopped"; else fail "the service survived the undo"; fi
same_as_before "SIGINT during the readiness wait: the system is as before"
# The same during one exec probe attempt, which may last the whole 60 s timeout.
sed -e 's|ready: {tcp: 4931, timeout: 60s}|ready: {exec: [sleep, "100"], timeout: 60s}|' \
    "$WORK/waits_2s.yaml" > "$WORK/waits_exec.yaml"
env --default-signal=INT "$NSTOPO" apply "$WORK/waits_exec.yaml" >"$WORK/bg.out" 2>&1 &
apply_pid=$!
wait_for_service
kill -INT "$apply_pid"
wait_exit 10
cp "$WORK/bg.out" "$WORK/out"
if [[ $got == 130 ]]; then pass "SIGINT during a long exec probe: exit 130 well before its timeout"
else fail "SIGINT during a long exec probe: exit $got, wanted 130"; sed 's/^/    /' "$WORK/out"; fi
if ps -eo args= | grep -q '^sleep 100$'; then fail "the exec probe survived"; else pass "the exec probe is gone"; fi
same_as_before "SIGINT during a long exec probe: the system is as before"
# A SIGINT while waiting for the lab's lock ends the wait at once; the holder goes on.
env --default-signal=INT "$NSTOPO" apply "$WORK/waits_2s.yaml" >"$WORK/holder.out" 2>&1 &
holder_pid=$!
wait_for_service
env --default-signal=INT "$NSTOPO" apply "$WORK/waits_2s.yaml" >"$WORK/bg.out" 2>&1 &
apply_pid=$!
for _ in $(seq 100); do grep -qs "waiting for lab waits" "$WORK/bg.out" && break; sleep 0.05; done
kill -INT "$apply_pid"
wait_exit 3
cp "$WORK/bg.out" "$WORK/out"
if [[ $got == 130 ]]; then pass "SIGINT while waiting for the lock: exit 130 at once"
else fail "SIGINT while waiting for the lock: exit $got, wanted 130"; sed 's/^/    /' "$WORK/out"; fi
check_output_contains "it says what it was waiting for" "interrupted by SIGINT while waiting for the lock of lab waits: nothing was changed"
if kill -0 "$holder_pid" 2>/dev/null; then pass "the lock's holder goes on"; else fail "the lock's holder ended"; fi
apply_pid=$holder_pid
kill -INT "$apply_pid"
wait_exit 10
if [[ $got == 130 ]]; then pass "the holder, interrupted in turn, exits 130"; else fail "holder: exit $got"; sed 's/^/    /' "$WORK/holder.out"; fi
same_as_before "after both, the system is as before"
finish
