#!/usr/bin/env bash
# A converged re-apply sends not one mutating netlink request (watched with `ip monitor` in
# the host and in the lab's namespace).
source "$(dirname "$0")/lib.sh"
file="$TOPOLOGIES/bridge-lan.yaml"

check "apply" "$NSTOPO" apply "$file"
sleep 0.2
ip monitor link address route neigh >"$WORK/host.mon" 2>&1 & m1=$!
namespaces=$(ls /run/netns)
pids=()
for ns in $namespaces; do ip -n "$ns" monitor link address route >"$WORK/$ns.mon" 2>&1 & pids+=($!); done
sleep 0.3
check "re-apply" "$NSTOPO" apply "$file"
check_output_contains "re-apply says nothing changed" "No changes"
sleep 0.3
kill $m1 "${pids[@]}" 2>/dev/null; wait 2>/dev/null
events=$(cat "$WORK"/*.mon | grep -v '^$' | grep -v -i 'neigh\|lladdr\|REACHABLE\|STALE\|DELAY\|PROBE' || true)
[[ -z $events ]] && pass "no netlink change during the converged re-apply" || { fail "changes seen:"; echo "$events" | sed 's/^/    /'; }
check "destroy" "$NSTOPO" destroy "$file"
finish
