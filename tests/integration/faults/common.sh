# Shared by the fault harness's scripts (tests/integration/test_faults_*.sh and the per-case
# scripts here). Sourced after tests/integration/lib.sh, inside a sandbox.
FAULTS_DIR="$NSTOPO_SOURCE_DIR/tests/integration/faults"
# NSTOPO_FAULT_LAB: another file for the kill sweep and the race test (its lab must be named
# "faults"), e.g. the lab without one kind of object, to tell one finding from another.
FAULT_LAB=${NSTOPO_FAULT_LAB:-$NSTOPO_SOURCE_DIR/tests/integration/labs/faults.yaml}
# The host sysctls the lab sets, and the forwarding switches next to them (a wrong restore
# of one could show in another).
export SNAPSHOT_SYSCTLS="net.ipv6.conf.default.forwarding net.ipv6.conf.all.forwarding
  net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding"
# Every nstopo command the harness runs is bounded: a hang (a lock never released, a wait
# that never ends) is a finding, not a stuck CI job.
: "${NSTOPO_FAULT_COMMAND_TIMEOUT:=30}"

# run_nstopo OUTPUT ARGS...: runs nstopo, sets $status to "exit N", "signal NAME" or "timeout".
run_nstopo() {
  local output=$1; shift
  status=$(/usr/bin/python3 "$FAULTS_DIR/run_status.py" "$NSTOPO_FAULT_COMMAND_TIMEOUT" "$output" \
             "$NSTOPO" "$@")
}

# The lines two snapshots differ in: "left: LINE" is only in the second (left behind),
# "gone: LINE" only in the first.
snapshot_diff() {
  diff --unchanged-line-format= --old-line-format='gone: %L' --new-line-format='left: %L' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# Runs a script in a sandbox of its own, nested in this one: a fresh host per case, so a
# leak of one case can neither hide nor cause a failure of the next.
nested_sandbox() {
  env -u NSTOPO_IN_SANDBOX "$NSTOPO_SOURCE_DIR/tests/integration/sandbox.sh" "$@"
}

# After a failed round: put the sandbox's host back as it was at $1 (a snapshot_full taken
# then), so that one round's leak does not fail every later one. It only removes what was
# made since inside this sandbox (namespaces, links, processes, the lab's records) and sets
# the snapshot's sysctls back; every object it touches was made by the commands under test.
reset_host_to() {
  local before=$1 ns link pid key value
  for ns in $(ls /run/netns 2>/dev/null); do
    grep -qxF "$ns" <<<"$before" || ip netns del "$ns" 2>/dev/null
  done
  for link in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
    grep -q "^$link[@:]" <<<"$before" || ip link del "$link" 2>/dev/null
  done
  while read -r pid _; do
    [[ -n $pid ]] && ! grep -q "^$pid " <<<"$before" && kill -KILL "$pid" 2>/dev/null
  done <<<"$(foreign_processes)"
  # The lab's NAT table, when the snapshot had none.
  if ! grep -q 'table inet nstopo-faults' <<<"$before"; then
    nft delete table inet nstopo-faults 2>/dev/null
  fi
  for key in $SNAPSHOT_SYSCTLS; do
    value=$(grep -m1 "^$key = " <<<"$before" | sed 's/.* = //')
    [[ -n $value ]] && sysctl -qw "$key=$value"
  done
  find /run/nstopo -mindepth 1 -maxdepth 1 -exec rm -rf {} + 2>/dev/null
  sleep 0.2  # the kernel's clean-up of deleted namespaces
}
