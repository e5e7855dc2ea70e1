#!/usr/bin/env bash
# Drift made by hand with `ip`: each time, plan shows exactly the repair and apply converges.
source "$(dirname "$0")/lib.sh"
seed="$TOPOLOGIES/seed.yaml"

converges() {
  check "$1: apply repairs it" "$NSTOPO" apply "$seed"
  check_exit 0 "$1: converged afterwards" "$NSTOPO" plan --detailed-exitcode "$seed"
  check "$1: lab matches the file" $CHECK_LAB "$seed" present
}

check "apply the seed lab" "$NSTOPO" apply "$seed"

ip -n ns_rifky addr del 10.0.0.11/24 dev veth_ns_rifky
check_exit 2 "deleted address: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$seed"
check_output_contains "deleted address: plan shows the repair" \
  "+ address 10.0.0.11/24 on ns_rifky:veth_ns_rifky  (missing)"
check_output_contains "deleted address: and only it" "Plan: 1 to create, 0 to change, 0 to delete."
check "deleted address: status" "$NSTOPO" status "$seed"
check_output_contains "deleted address: status says it is missing" "1 missing, 0 drifted"
converges "deleted address"

ip link set veth_rifky down
check_exit 2 "link down: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$seed"
check_output_contains "link down: plan shows the repair" "~ link host:veth_rifky up  (down, declared up)"
check "link down: status" "$NSTOPO" status -o json "$seed"
check_output_contains "link down: status says how it drifted" '"detail": "down, declared up"'
converges "link down"

ip -n ns_rifky addr add 10.0.0.99/24 dev veth_ns_rifky
check_exit 0 "an address added by hand is not ours: left alone" "$NSTOPO" plan --detailed-exitcode "$seed"

ip link del veth_rifky
check_exit 2 "deleted veth: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$seed"
check_output_contains "deleted veth: plan recreates the pair" \
  "+ veth host:veth_rifky <-> ns_rifky:veth_ns_rifky, up  (missing)"
converges "deleted veth"

ip netns del ns_rifky
check_exit 2 "deleted namespace: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$seed"
check_output_contains "deleted namespace: plan recreates it" "+ namespace ns_rifky  (missing)"
converges "deleted namespace"

ip link set veth_rifky mtu 1400
check_exit 0 "an undeclared MTU is not managed" "$NSTOPO" plan --detailed-exitcode "$seed"

# The file was edited since, and is broken further down: destroy needs only the lab's name.
broken=$(mktemp)
{ cat "$seed"; printf 'namespaces: [this is {not valid\n'; } >"$broken"
check_exit 1 "the edited file no longer validates" "$NSTOPO" validate "$broken"
check "destroy with the edited file" "$NSTOPO" destroy "$broken"
rm -f "$broken"
check "nothing left" $CHECK_LAB "$seed" absent
finish
