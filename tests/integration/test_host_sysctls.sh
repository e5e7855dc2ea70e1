#!/usr/bin/env bash
# Host sysctls a lab sets are recorded before the first change and given back on destroy and
# when the file stops declaring them, unless something else changed them since (then left,
# with a message). A lab that sets net.ipv4.ip_forward and per-interface forwarding converges.
# Inside the sandbox the "host" is the sandbox's own network namespace: its net.* is ours.
source "$(dirname "$0")/lib.sh"

keys=(net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding
      net.ipv4.conf.lo.forwarding net.ipv4.conf.all.rp_filter net.ipv4.conf.all.accept_redirects
      net.ipv4.conf.sy_dummy.forwarding)
host_sysctls() { for k in "${keys[@]}"; do echo "$k = $(sysctl -n "$k")"; done; }
same_as_before() {
  local now; now=$(host_sysctls)
  if [[ "$now" == "$before" ]]; then pass "$1"
  else fail "$1:"; diff <(echo "$before") <(echo "$now") | sed 's/^/    /'; fi
}
value_is() {  # value_is KEY WANT DESCRIPTION
  local got; got=$(sysctl -n "$1")
  if [[ "$got" == "$2" ]]; then pass "$3"; else fail "$3 ($1 = $got, wanted $2)"; fi
}

write_lab() {  # write_lab FILE NAME WITH_IP_FORWARD(yes/no)
  {
    printf 'version: 1\nname: %s\nhost:\n  sysctls:\n' "$2"
    [[ $3 == yes ]] && printf '    net.ipv4.ip_forward: 1\n    net.ipv4.conf.all.rp_filter: 2\n'
    printf '    net.ipv4.conf.lo.forwarding: 0\n'
    printf 'namespaces:\n  ns_sy_%s:\n    sysctls:\n' "$2"
    printf '      net.ipv4.ip_forward: 1\n      net.ipv4.conf.lo.forwarding: 0\n'
  } >"$1"
}
full="$WORK/full.yaml" pruned="$WORK/pruned.yaml"
write_lab "$full" sy yes
write_lab "$pruned" sy no

sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=0
# A host interface that forwards while ip_forward is off: giving ip_forward back alone would
# turn it off; nstopo records it before writing ip_forward and gives it back after.
ip link add sy_dummy type veth peer name sy_dummy_peer
sysctl -qw net.ipv4.conf.sy_dummy.forwarding=1
before=$(host_sysctls)

# ip_forward with a per-interface forwarding beside it: converges (it did not: exit 1 after 3 s).
check "ip_forward and conf.lo.forwarding together: apply converges" "$NSTOPO" apply "$full"
check_exit 0 "converged afterwards" "$NSTOPO" plan --detailed-exitcode "$full"
value_is net.ipv4.ip_forward 1 "host ip_forward set"
value_is net.ipv4.conf.lo.forwarding 0 "host conf.lo.forwarding set after ip_forward"
value_is net.ipv4.conf.all.rp_filter 2 "host rp_filter set"
check "the record holds the host's original values" grep -q '"original": "0"' /run/nstopo/sy/state.json
lo_forwarding=$(ip netns exec ns_sy_sy sysctl -n net.ipv4.conf.lo.forwarding)
[[ $lo_forwarding == 0 ]] && pass "namespace conf.lo.forwarding set after ip_forward" \
  || fail "namespace conf.lo.forwarding is $lo_forwarding"

# Removed from the file: restored.
check_exit 2 "pruned: plan shows the restore" "$NSTOPO" plan --detailed-exitcode "$pruned"
check_output_contains "the restore, with its reason" \
  "~ sysctl host net.ipv4.ip_forward = 0 (restore)  (not declared: the host's value before the lab set 1)"
check "pruned: apply" "$NSTOPO" apply "$pruned"
value_is net.ipv4.ip_forward 0 "pruned: ip_forward restored"
value_is net.ipv4.conf.all.rp_filter 0 "pruned: rp_filter restored"
check_exit 0 "pruned: converged" "$NSTOPO" plan --detailed-exitcode "$pruned"

# Re-added, then destroyed: restored.
check "re-added: apply" "$NSTOPO" apply "$full"
value_is net.ipv4.ip_forward 1 "re-added: ip_forward set again"
check "destroy" "$NSTOPO" destroy --name sy
same_as_before "destroy: the host's sysctls are as before the lab"
check_exit 1 "destroy: no record left" test -e /run/nstopo/sy

# Changed by hand after apply: destroy leaves it and says so.
check "apply again" "$NSTOPO" apply "$full"
sysctl -qw net.ipv4.conf.all.rp_filter=1
check "destroy after a change by hand" "$NSTOPO" destroy --name sy
check_output_contains "destroy says what it left and why" \
  "sysctl host net.ipv4.conf.all.rp_filter: left at 1  (changed outside nstopo since the lab set 2)"
value_is net.ipv4.conf.all.rp_filter 1 "the value changed by hand is left"
value_is net.ipv4.ip_forward 0 "the other values are restored"
sysctl -qw net.ipv4.conf.all.rp_filter=0
same_as_before "and nothing else differs"

# Two labs, one host key: the second is refused, naming the first; each destroy restores.
write_lab "$WORK/second.yaml" sy2 yes
check "first lab" "$NSTOPO" apply "$full"
check_exit 3 "second lab setting the same host keys: a conflict" "$NSTOPO" apply "$WORK/second.yaml"
check_output_contains "the conflict names the lab that holds the key" \
  "host sysctl net.ipv4.ip_forward is already set by lab sy"
check "first lab destroyed" "$NSTOPO" destroy --name sy
same_as_before "after the first lab: as before"
check "now the second lab applies" "$NSTOPO" apply "$WORK/second.yaml"
check "second lab destroyed" "$NSTOPO" destroy --name sy2
same_as_before "after the second lab: as before"

# Killed between recording a host value and writing it (fault builds only): the next run
# handles the record.
trace="$WORK/trace"
NSTOPO_FAULT_TRACE="$trace" "$NSTOPO" apply "$full" >/dev/null 2>&1
"$NSTOPO" destroy --name sy >/dev/null 2>&1
point=$(grep -m1 'host sysctl recorded, not written' "$trace" 2>/dev/null | cut -d' ' -f1)
if [[ -n $point ]]; then
  NSTOPO_FAULT_AT=$point "$NSTOPO" apply "$full" >/dev/null 2>&1
  value_is net.ipv4.ip_forward 0 "killed after the record: nothing written yet"
  check "killed after the record: the record is there" grep -q host_sysctls /run/nstopo/sy/state.json
  check "killed after the record: destroy" "$NSTOPO" destroy --name sy
  check_output_contains "the recorded but unwritten value is seen for what it is" \
    "already back at the host's value before the lab"
  same_as_before "killed after the record, destroyed: as before"
  check "killed after the record: apply converges" "$NSTOPO" apply "$full"
  # Killed between giving a value back and dropping its record.
  : >"$trace"
  NSTOPO_FAULT_TRACE="$trace" "$NSTOPO" destroy --name sy >/dev/null 2>&1
  "$NSTOPO" apply "$full" >/dev/null 2>&1
  point=$(grep -m1 'host sysctl restored, record kept' "$trace" | cut -d' ' -f1)
  NSTOPO_FAULT_AT=$point "$NSTOPO" destroy --name sy >/dev/null 2>&1
  check "killed after a restore: destroy again" "$NSTOPO" destroy --name sy
  same_as_before "killed after a restore, destroyed again: as before"
else
  echo "skipped: no fault points in this build"
fi
ip link del sy_dummy
finish
