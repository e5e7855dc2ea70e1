#!/usr/bin/env bash
# Stopping services: a service no longer declared (prune, destroy) is stopped with the
# stop_timeout it was started with, stubborn services are stopped side by side, and a failed
# apply that had stopped a service for a restart starts the old one again.
source "$(dirname "$0")/lib.sh"

# Milliseconds that COMMAND... takes, in $elapsed; its output goes to $WORK/out.
timed() {
  local start
  start=$(date +%s%N)
  "$@" >"$WORK/out" 2>&1
  local status=$?
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  return $status
}
# A service that ignores SIGTERM: only SIGKILL ends it.
cat > "$WORK/stubborn.yaml" <<'YAML'
version: 1
name: stops
namespaces:
  ns_stop:
    services:
      one:
        command: [sh, -c, "trap '' TERM; while :; do sleep 0.1; done"]
        stop_timeout: 1500ms
      two:
        command: [sh, -c, "trap '' TERM; while :; do sleep 0.1; done"]
        stop_timeout: 1500ms
YAML

check "apply two services that ignore SIGTERM" "$NSTOPO" apply "$WORK/stubborn.yaml"
if timed "$NSTOPO" destroy "$WORK/stubborn.yaml"; then pass "destroy them"; else fail "destroy them"; sed 's/^/    /' "$WORK/out"; fi
# One after the other, or with the 5 s default grace, this takes 3 s or more.
if (( elapsed >= 1400 && elapsed < 2800 )); then
  pass "destroy honoured their 1.5 s stop_timeout, side by side (${elapsed} ms)"
else
  fail "destroy took ${elapsed} ms: wanted one 1.5 s grace period (not 5 s, not two of them)"
fi
pgrep -f "trap '' TERM" >/dev/null && fail "a stubborn service survived destroy" || pass "no stubborn service left"

# Prune: removing a service from the file stops it with its recorded stop_timeout.
check "apply again" "$NSTOPO" apply "$WORK/stubborn.yaml"
sed '/^      two:/,$d' "$WORK/stubborn.yaml" >"$WORK/one.yaml"
if timed "$NSTOPO" apply "$WORK/one.yaml"; then pass "prune service two"; else fail "prune service two"; sed 's/^/    /' "$WORK/out"; fi
if (( elapsed < 2800 )); then pass "prune honoured the recorded stop_timeout (${elapsed} ms)"; else fail "prune took ${elapsed} ms"; fi
check "destroy" "$NSTOPO" destroy "$WORK/stubborn.yaml"

# A restart whose new start fails: the old service is started again by the undo.
cat > "$WORK/restart.yaml" <<'YAML'
version: 1
name: restart
namespaces:
  ns_re:
    services:
      app:
        command: [sleep, "3600"]
YAML
check "apply the old service" "$NSTOPO" apply "$WORK/restart.yaml"
sed 's/command: \[sleep, "3600"\]/command: [sh, -c, "echo bad config; exit 4"]/' "$WORK/restart.yaml" >"$WORK/broken.yaml"
check_exit 1 "a restart into a failing command fails" "$NSTOPO" apply "$WORK/broken.yaml"
check_output_contains "it says how the new one exited" "exited with status 4"
check_output_contains "the undo starts the old one again" "undo: + service ns_re/app"
check "the old spec runs again: the old file is converged" "$NSTOPO" plan --detailed-exitcode "$WORK/restart.yaml"
pgrep -x sleep >/dev/null && pass "the old service's sleep runs" || fail "the old service was not started again"
check "destroy" "$NSTOPO" destroy "$WORK/restart.yaml"
finish
