#!/usr/bin/env bash
# nstopo graph --live: the picture takes each object's state from the same diff as status.
# The lab is applied, broken by hand (an address deleted, a link set down, a namespace
# deleted), and each time the graph marks that object; --no-live draws the file alone.
source "$(dirname "$0")/lib.sh"
seed="$TOPOLOGIES/seed.yaml"
lan="$TOPOLOGIES/bridge-lan.yaml"

check "no records: graph draws the file alone" "$NSTOPO" graph -f json "$seed"
check_output_contains "no records: not live" '"live": false'

check "apply the seed lab" "$NSTOPO" apply "$seed"
check "records: graph is live by default" "$NSTOPO" graph -f json "$seed"
check_output_contains "records: live" '"live": true'
check_output_lacks "converged: nothing missing" '"state": "missing"'
check_output_lacks "converged: nothing drifted" '"state": "drifted"'

ip -n ns_rifky addr del 10.0.0.11/24 dev veth_ns_rifky
check "deleted address: graph" "$NSTOPO" graph -f dot "$seed"
check_output_contains "deleted address: marked missing in red" \
  '<font color="#c62828">10.0.0.11/24 (missing)</font>'
check "deleted address: graph json" "$NSTOPO" graph -f json "$seed"
check_output_contains "deleted address: the edge is missing" '"state": "missing"'
check "deleted address: --no-live draws it plain" "$NSTOPO" graph --no-live -f dot "$seed"
check_output_lacks "--no-live: no state" "(missing)"
check "repair" "$NSTOPO" apply "$seed"

ip link set veth_rifky down
check "link down: graph" "$NSTOPO" graph -f mermaid "$seed"
check_output_contains "link down: drifted, with why" "veth_rifky (drifted: down, declared up)"
check_output_contains "link down: the edge is orange" "linkStyle 0 stroke:#ef6c00"
if command -v dot >/dev/null; then
  check "link down: html" "$NSTOPO" graph -f html "$seed"
  check_output_contains "link down: the page lists it" \
    "<td>interface host:veth_rifky</td><td>drifted</td><td>down, declared up</td>"
fi
check "repair" "$NSTOPO" apply "$seed"

ip netns del ns_rifky
check "deleted namespace: graph" "$NSTOPO" graph -f dot "$seed"
check_output_contains "deleted namespace: its node is dashed red" \
  '<b><font color="#c62828">ns_rifky</font></b></td></tr><tr><td><font color="#c62828">missing</font>'
check_output_lacks "deleted namespace: said once" 'missing (missing)'
check "destroy" "$NSTOPO" destroy "$seed"
check "destroyed: no records, plain again" "$NSTOPO" graph -f json "$seed"
check_output_contains "destroyed: not live" '"live": false'
check_exit 0 "--live without records: every object missing" "$NSTOPO" graph --live -f json "$seed"
check_output_contains "--live without records: missing" '"state": "missing"'

# A bridge lab: a port taken off its bridge is the port's drift, shown at the bridge.
check "apply the bridge lab" "$NSTOPO" apply "$lan"
ip link set lan_b nomaster
check "port off its bridge: graph" "$NSTOPO" graph -f json "$lan"
check_output_contains "port off its bridge: drifted" '"state": "drifted"'
check "destroy the bridge lab" "$NSTOPO" destroy "$lan"
finish
