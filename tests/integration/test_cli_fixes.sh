#!/usr/bin/env bash
# The smaller breakages of issue 9 (finding 11), through the real binary: destroy's options
# and unknown labs, status with conflicts and --detailed-exitcode, a bridge MTU with ports,
# a link whose kind changed, exec's signals and namespace names, exec and logs as non-root.
source "$(dirname "$0")/lib.sh"

cat > "$WORK/small.yaml" <<'YAML'
version: 1
name: small
host:
  interfaces:
    veth_s0: {addresses: [10.34.0.1/24]}
namespaces:
  ns_s:
    interfaces:
      veth_s1: {addresses: [10.34.0.2/24]}
links:
  - endpoints: [host:veth_s0, ns_s:veth_s1]
YAML
before=$(snapshot)
same_as_before() {
  local after; after=$(snapshot)
  if [[ "$after" == "$before" ]]; then pass "$1"
  else fail "$1:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
}

# --- destroy takes its options, and needs FILE or --name.
check "apply the small lab" "$NSTOPO" apply "$WORK/small.yaml"
check_exit 0 "destroy --dry-run FILE" "$NSTOPO" destroy --dry-run "$WORK/small.yaml"
check_output_contains "destroy --dry-run prints what would go" "- namespace ns_s"
check_exit 0 "destroy --dry-run -o json --name" "$NSTOPO" destroy --dry-run -o json --name small
check_output_contains "destroy -o json prints JSON" '"command": "destroy"'
check_exit 0 "destroy --no-wait -o json FILE" "$NSTOPO" destroy --no-wait -o json "$WORK/small.yaml"
check_output_contains "destroy -o json reports the run" '"changed": true'
same_as_before "destroy with options removed the lab"
check_exit 64 "destroy with neither FILE nor --name: usage" "$NSTOPO" destroy --dry-run
check_output_contains "it says what is needed" "a topology FILE or --name LAB"
check_exit 64 "destroy with both FILE and --name: usage" "$NSTOPO" destroy "$WORK/small.yaml" --name small

# --- destroy --name of a lab nstopo does not know.
check_exit 1 "destroy --name of an unknown lab, none recorded: exit 1" "$NSTOPO" destroy --name typo
check_output_contains "it says no labs are recorded" "no such lab typo; no labs are recorded"
check "apply the small lab again" "$NSTOPO" apply "$WORK/small.yaml"
check_exit 1 "destroy --name typo: exit 1" "$NSTOPO" destroy --name typo
check_output_contains "it names the known labs" "no such lab typo; known labs: small"
check_exit 1 "destroy --dry-run --name typo: exit 1 too" "$NSTOPO" destroy --dry-run --name typo
if [[ ! -e /run/nstopo/typo ]]; then pass "no directory is left for the typo"; else fail "a directory was left for typo"; fi
check_exit 0 "destroy --name small" "$NSTOPO" destroy --name small
same_as_before "destroy --name removed the lab"

# --- status: --detailed-exitcode, and each object's real state beside a conflict.
check_exit 0 "status of a missing lab, without the flag: 0" "$NSTOPO" status "$WORK/small.yaml"
check_exit 2 "status --detailed-exitcode, lab missing: 2" "$NSTOPO" status --detailed-exitcode "$WORK/small.yaml"
check "apply" "$NSTOPO" apply "$WORK/small.yaml"
check_exit 0 "status --detailed-exitcode, all present: 0" "$NSTOPO" status --detailed-exitcode "$WORK/small.yaml"
ip -n ns_s link set veth_s1 down
check_exit 2 "status --detailed-exitcode, drifted: 2" "$NSTOPO" status --detailed-exitcode "$WORK/small.yaml"
check_output_contains "the drift is shown" "drifted (down, declared up)"
check "destroy" "$NSTOPO" destroy "$WORK/small.yaml"
# Someone else's link where the file wants host:veth_s0: a conflict, the rest is missing.
ip link add veth_s0 type veth peer name foreign_s
check_exit 3 "status --detailed-exitcode with a conflict: 3" "$NSTOPO" status --detailed-exitcode "$WORK/small.yaml"
check_output_contains "the foreign link is the conflict" "host:veth_s0"
check_output_contains "the namespace is missing, not present" "ns_s                                             missing"
check_output_contains "the peer end is missing, not present" "ns_s:veth_s1                                     missing"
check_output_lacks "nothing missing is called present" "10.34.0.2/24 on ns_s:veth_s1             present"
check_exit 0 "status with a conflict, without the flag: 0" "$NSTOPO" status "$WORK/small.yaml"
ip link del veth_s0
rm -rf /run/nstopo/small

# --- a bridge with an MTU and a port: right the first time.
cat > "$WORK/brmtu.yaml" <<'YAML'
version: 1
name: brmtu
host:
  interfaces:
    br_m: {kind: bridge, mtu: 1400, addresses: [10.33.0.1/24]}
    veth_m0: {master: br_m}
namespaces:
  ns_m:
    interfaces:
      veth_m1: {addresses: [10.33.0.2/24]}
links:
  - endpoints: [host:veth_m0, ns_m:veth_m1]
YAML
check "a bridge with mtu 1400 and a port: the first apply succeeds" "$NSTOPO" apply "$WORK/brmtu.yaml"
if ip -o link show br_m | grep -q "mtu 1400 "; then pass "the bridge has mtu 1400"; else fail "bridge mtu: $(ip -o link show br_m)"; fi
check "re-apply" "$NSTOPO" apply "$WORK/brmtu.yaml"
check_output_contains "re-apply says No changes" "No changes"
check "destroy the bridge lab" "$NSTOPO" destroy "$WORK/brmtu.yaml"
same_as_before "the bridge lab is gone"

# --- a link whose kind changed: the lab's own link is replaced.
cat > "$WORK/kind_veth.yaml" <<'YAML'
version: 1
name: kind
host:
  interfaces:
    kc0: {addresses: [10.35.0.1/24]}
namespaces:
  ns_k:
    interfaces:
      kc1: {addresses: [10.35.0.2/24]}
links:
  - endpoints: [host:kc0, ns_k:kc1]
YAML
cat > "$WORK/kind_bridge.yaml" <<'YAML'
version: 1
name: kind
host:
  interfaces:
    kc0: {kind: bridge, addresses: [10.35.0.1/24]}
    kc_port: {master: kc0}
namespaces:
  ns_k:
    interfaces:
      kc1: {addresses: [10.35.0.2/24]}
links:
  - endpoints: [host:kc_port, ns_k:kc1]
YAML
check "apply with host:kc0 a veth" "$NSTOPO" apply "$WORK/kind_veth.yaml"
check "apply with host:kc0 a bridge: the veth is replaced" "$NSTOPO" apply "$WORK/kind_bridge.yaml"
check_output_contains "the reason names both kinds" "replaced: a veth where the file declares a bridge"
if ip -d -o link show kc0 | grep -q " bridge "; then pass "host:kc0 is a bridge"; else fail "kc0: $(ip -d -o link show kc0)"; fi
check "re-apply" "$NSTOPO" apply "$WORK/kind_bridge.yaml"
check_output_contains "re-apply says No changes" "No changes"
check "and back to a veth" "$NSTOPO" apply "$WORK/kind_veth.yaml"
check_output_contains "the reason names both kinds" "replaced: a bridge where the file declares a veth"
check "destroy the kind lab" "$NSTOPO" destroy "$WORK/kind_veth.yaml"
same_as_before "the kind lab is gone"
# Someone else's link of another kind stays a conflict, naming both kinds.
ip link add kc0 type bridge
check_exit 3 "a foreign bridge where a veth is declared: conflict" "$NSTOPO" apply "$WORK/kind_veth.yaml"
check_output_contains "the conflict names both kinds" "host:kc0 exists as a bridge link, but the file declares a veth"
ip link del kc0
rm -rf /run/nstopo/kind

# --- exec: signals reach the command, its status comes back; names are checked.
check "apply the small lab for exec" "$NSTOPO" apply "$WORK/small.yaml"
wait_for_file() { for _ in $(seq 100); do [[ -s $1 ]] && return; sleep 0.05; done; }
wait_exit() {  # wait_exit PID SECONDS: sets $got to its exit code, or "timeout"
  got=timeout
  for _ in $(seq $(($2 * 20))); do
    if ! kill -0 "$1" 2>/dev/null; then wait "$1"; got=$?; return; fi
    sleep 0.05
  done
  kill -KILL "$1" 2>/dev/null
}
for sig in INT TERM HUP QUIT; do
  rm -f "$WORK/ready"
  "$NSTOPO" exec ns_s -- sh -c "trap 'kill \$!; exit 7' $sig; sleep 100 & echo up > $WORK/ready; wait" \
    >"$WORK/out" 2>&1 &
  exec_pid=$!
  wait_for_file "$WORK/ready"
  kill -$sig $exec_pid
  wait_exit $exec_pid 5
  if [[ $got == 7 ]]; then pass "exec forwards SIG$sig to the command; its exit code 7 comes back"
  else fail "exec and SIG$sig: exit $got, wanted 7 (the command's trap)"; sed 's/^/    /' "$WORK/out"; fi
done
rm -f "$WORK/ready"
"$NSTOPO" exec ns_s -- sh -c "echo \$\$ > $WORK/ready; exec sleep 100" >"$WORK/out" 2>&1 &
exec_pid=$!
wait_for_file "$WORK/ready"
kill -TERM $exec_pid
wait_exit $exec_pid 5
if [[ $got == 143 ]]; then pass "a command killed by SIGTERM: exit 143"; else fail "killed command: exit $got, wanted 143"; fi
if ! kill -0 "$(cat "$WORK/ready")" 2>/dev/null; then pass "the command itself got the SIGTERM"
else fail "the command survived nstopo's SIGTERM"; kill -KILL "$(cat "$WORK/ready")"; fi
check_exit 64 "exec refuses ../ as a namespace" "$NSTOPO" exec ../../etc -- true
check_output_contains "and says why" "'../../etc' is not a namespace nstopo can enter"
check_exit 64 "exec refuses a name with a slash" "$NSTOPO" exec ns_s/x -- true
check_exit 3 "exec passes the exit code through" "$NSTOPO" exec ns_s -- sh -c 'exit 3'

# --- exec and logs without privileges: exit 4 and a plain sentence.
public=$(mktemp -d /run/nstopo-public.XXXXXX)
chmod 755 "$public"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
NOBODY_NSTOPO=$NSTOPO
if ! as_nobody test -x "$NSTOPO"; then install -m 755 "$NSTOPO" "$public/nstopo"; NOBODY_NSTOPO="$public/nstopo"; fi
check_exit 4 "exec as nobody: exit 4" as_nobody "$NOBODY_NSTOPO" exec ns_s -- true
check_output_contains "exec as nobody: says root is needed" "nstopo exec needs root (CAP_SYS_ADMIN) to enter namespace ns_s"
check_exit 0 "exec host as nobody: nothing to enter, no root needed" as_nobody "$NOBODY_NSTOPO" exec host -- true
cat > "$WORK/svc.yaml" <<'YAML'
version: 1
name: svc
namespaces:
  ns_v:
    services:
      idle:
        command: [sleep, "1000"]
YAML
check "apply a lab with a service" "$NSTOPO" apply "$WORK/svc.yaml"
check "logs as root" "$NSTOPO" logs svc ns_v/idle
check_exit 4 "logs as nobody: exit 4" as_nobody "$NOBODY_NSTOPO" logs svc ns_v/idle
check_output_contains "logs as nobody: names the path" "cannot read the log of service ns_v/idle of lab svc (/run/nstopo/svc/"
check_output_lacks "logs as nobody: no internal error" "internal error"
check "destroy the service lab" "$NSTOPO" destroy "$WORK/svc.yaml"
check "destroy the small lab" "$NSTOPO" destroy "$WORK/small.yaml"
rm -rf "$public"
same_as_before "everything is gone"

finish
