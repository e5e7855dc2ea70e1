#!/usr/bin/env bash
# Objects nstopo did not create are never changed: a foreign namespace or link with a declared
# name stops apply before any change; --adopt takes them over explicitly.
source "$(dirname "$0")/lib.sh"
seed="$TOPOLOGIES/seed.yaml"

ip netns add ns_rifky
before=$(snapshot)
check_exit 3 "foreign namespace: apply refuses (exit 3)" "$NSTOPO" apply "$seed"
check_output_contains "foreign namespace: the message names it" \
  "namespace ns_rifky exists but was not created by lab seed"
check_output_contains "foreign namespace: and says nothing changed" "nothing was changed"
[[ "$(snapshot)" == "$before" ]] && pass "foreign namespace: no change at all" || fail "foreign namespace: something changed"
check_exit 3 "foreign namespace: plan reports the conflict too" "$NSTOPO" plan "$seed"
check "destroy --name with nothing of ours" "$NSTOPO" destroy --name seed
[[ -e /run/netns/ns_rifky ]] && pass "foreign namespace survives destroy" || fail "destroy removed a foreign namespace"
ip netns del ns_rifky

ip link add veth_rifky type veth peer name other0
before=$(snapshot)
check_exit 3 "foreign link: apply refuses (exit 3)" "$NSTOPO" apply "$seed"
check_output_contains "foreign link: the message names it" "host:veth_rifky exists but was not created by lab seed"
[[ "$(snapshot)" == "$before" ]] && pass "foreign link: no change at all" || fail "foreign link: something changed"
ip link del veth_rifky

# --adopt: a namespace made by hand becomes the lab's, and destroy then removes it.
ip netns add ns_rifky
check "adopt: apply --adopt takes the namespace over" "$NSTOPO" apply --adopt "$seed"
check "adopt: lab matches the file" $CHECK_LAB "$seed" present
check_exit 0 "adopt: converged" "$NSTOPO" plan --detailed-exitcode "$seed"
check "adopt: destroy" "$NSTOPO" destroy "$seed"
[[ ! -e /run/netns/ns_rifky ]] && pass "adopt: destroy removed the adopted namespace" || fail "adopted namespace left"

# Objects the file does not mention are never touched, even next to the lab's.
ip link add bystander0 type veth peer name bystander1
check "apply beside a foreign link" "$NSTOPO" apply "$seed"
check "destroy beside a foreign link" "$NSTOPO" destroy "$seed"
ip link show bystander0 >/dev/null 2>&1 && pass "foreign link untouched" || fail "foreign link was removed"
ip link del bystander0
finish
