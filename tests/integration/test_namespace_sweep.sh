#!/usr/bin/env bash
# Processes in a lab namespace that are none of its services (a shell from `ip netns exec`,
# a command from `nstopo exec`): destroy stops them, naming each, deletes the host end of the
# namespace's veth on its own too, and leaves nothing; a process outside the lab is untouched.
source "$(dirname "$0")/lib.sh"

cat > "$WORK/lab.yaml" <<'YAML'
version: 1
name: sweep
host:
  interfaces:
    veth_sw: {addresses: [10.0.7.1/24]}
namespaces:
  ns_sw:
    interfaces:
      veth_ns_sw: {addresses: [10.0.7.2/24]}
links:
  - endpoints: [host:veth_sw, ns_sw:veth_ns_sw]
YAML

before=$(snapshot_full)
check "apply" "$NSTOPO" apply "$WORK/lab.yaml"

# Started the way users do, detached, so that only destroy can end them.
setsid ip netns exec ns_sw sleep 1001 </dev/null >/dev/null 2>&1 &
setsid "$NSTOPO" exec ns_sw -- sh -c 'trap "" TERM; sleep 1002' </dev/null >/dev/null 2>&1 &
sleep 1001.5 </dev/null >/dev/null 2>&1 &  # in the sandbox's host: not the lab's
host_sleep=$!
for _ in $(seq 100); do
  pgrep -fx "sleep 1001" >/dev/null && pgrep -fx "sleep 1002" >/dev/null && break
  sleep 0.05
done
inside=$(ip netns pids ns_sw | sort -n | tr '\n' ' ')
[[ -n $inside ]] && pass "processes run inside ns_sw: $inside" || fail "nothing runs inside ns_sw"

check "destroy --dry-run names them" "$NSTOPO" destroy --dry-run "$WORK/lab.yaml"
check_output_contains "the plan says why" "still in use by"
check_output_contains "the plan names sleep 1001" "(sleep 1001)"
check_output_contains "the plan deletes the host end itself" "veth host:veth_sw <-> ns_sw:veth_ns_sw"

start=$(date +%s%N)
check "destroy" "$NSTOPO" destroy "$WORK/lab.yaml"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check_output_contains "destroy names what it stopped" "processes in namespace ns_sw:"
# The one deaf to SIGTERM is killed after the 3 s grace period.
(( elapsed < 8000 )) && pass "destroy took ${elapsed} ms" || fail "destroy took ${elapsed} ms"
for pid in $inside; do
  [[ -d /proc/$pid ]] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null \
    && fail "pid $pid ($(tr '\0' ' ' </proc/$pid/cmdline)) survived destroy" || pass "pid $pid ended"
done
kill -0 "$host_sleep" 2>/dev/null && pass "the sleep outside the lab still runs" \
  || fail "destroy ended a process outside the lab"
kill "$host_sleep"; wait "$host_sleep" 2>/dev/null
ip link show veth_sw >/dev/null 2>&1 && fail "the host end veth_sw leaked" || pass "no host veth left"
after=$(snapshot_full)
[[ $after == "$before" ]] && pass "the host is as before the apply" \
  || { fail "the host differs from before the apply"; diff <(echo "$before") <(echo "$after"); }

finish
