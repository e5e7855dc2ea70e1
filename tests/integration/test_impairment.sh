#!/usr/bin/env bash
# Link impairment (a rate: tbf, which this kernel has): made, measured with real traffic
# between two namespaces, re-applied without any kernel change (ip monitor, tc monitor),
# changed in place (the link keeps its ifindex and addresses, and is not flapped), repaired
# after drift, a foreign root qdisc refused (--adopt replaces it), removed when no longer
# declared; a netem key on a kernel without netem fails naming sch_netem and changes nothing;
# the host's qdiscs are as before after destroy.
source "$(dirname "$0")/lib.sh"
MEASURE="/usr/bin/python3 $NSTOPO_SOURCE_DIR/tests/integration/measure_rate.py"

lab() {  # lab RATE_KEYS: the lab with RATE_KEYS (a YAML flow-map body) on imp_a:eth0
  cat >"$WORK/lab.yaml" <<YAML
version: 1
name: impair
namespaces:
  imp_a:
    interfaces:
      eth0: {addresses: [10.88.0.1/30]${1:+, $1}}
  imp_b:
    interfaces:
      eth0: {addresses: [10.88.0.2/30]}
links:
  - endpoints: [imp_a:eth0, imp_b:eth0]
YAML
}

# within PERCENT MEASURED DECLARED: |measured - declared| <= PERCENT% of declared
within() { awk -v m="$2" -v d="$3" -v p="$1" 'BEGIN { r = (m - d) / d; if (r < 0) r = -r; exit !(r * 100 <= p) }'; }

measure() {  # measure WHAT DECLARED_BITS BYTES: a transfer imp_a -> imp_b within 15%
  local bits
  if bits=$($MEASURE imp_b 10.88.0.2 imp_a "$3" 2>"$WORK/measure.err"); then
    echo "measured: $1: $bits bit/s for $3 bytes (declared $2)"
    if within 15 "$bits" "$2"; then pass "$1: measured $bits bit/s, within 15% of $2"
    else fail "$1: measured $bits bit/s, not within 15% of $2"; fi
  else
    fail "$1: the transfer failed: $(cat "$WORK/measure.err")"
  fi
}

ifindex() { ip -n imp_a -o link show eth0 | cut -d: -f1; }
root_qdisc() { tc -n imp_a qdisc show dev eth0 root; }

# start_monitors / stop_monitors: every rtnetlink event of the lab's namespaces and the host
# (ip monitor: links, addresses, routes, ...; tc monitor: qdiscs) while a command runs.
start_monitors() {
  monitor_pids=()
  for ns in "" imp_a imp_b; do
    local n=${ns:+-n $ns}
    ip $n monitor all >"$WORK/ip_monitor.${ns:-host}" 2>&1 & monitor_pids+=($!)
    tc $n monitor >"$WORK/tc_monitor.${ns:-host}" 2>&1 & monitor_pids+=($!)
  done
  sleep 0.3
}
stop_monitors() {
  sleep 0.3
  for pid in "${monitor_pids[@]}"; do kill "$pid"; done
  wait "${monitor_pids[@]}" 2>/dev/null
  cat "$WORK"/ip_monitor.* "$WORK"/tc_monitor.* >"$WORK/events"
}

before=$(snapshot_full)

lab "rate: 20mbit"
check "apply a lab with rate: 20mbit" "$NSTOPO" apply "$WORK/lab.yaml"
check_output_contains "the plan makes the impairment" "impairment imp_a:eth0 tbf rate 20mbit"
root_qdisc >"$WORK/out"
check_output_contains "the root qdisc is nstopo's tbf" "qdisc tbf 4e53: root"
check_output_contains "at the declared rate" "rate 20Mbit"
tc -n imp_b qdisc show dev eth0 root >"$WORK/out"
check_output_lacks "the other end is not shaped" "tbf"
measure "rate 20mbit" 20000000 4000000
check_exit 0 "converged: plan --detailed-exitcode exits 0" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"

start_monitors
"$NSTOPO" apply "$WORK/lab.yaml" >"$WORK/reapply" 2>&1
stop_monitors
cp "$WORK/reapply" "$WORK/out"
check_output_contains "re-apply: no changes" "No changes"
if [[ ! -s "$WORK/events" ]]; then pass "re-apply: no kernel change at all (ip monitor, tc monitor)"
else fail "re-apply changed the kernel:"; sed 's/^/    /' "$WORK/events"; fi

# Change in place: 20mbit -> 10mbit. Same link, same addresses, no flap.
index_before=$(ifindex)
addresses_before=$(ip -n imp_a -o addr show dev eth0 | awk '{print $3, $4}')
lab "rate: 10mbit"
check_exit 2 "rate changed in the file: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"
check_output_contains "plan changes it in place" \
  "~ impairment imp_a:eth0 tbf rate 10mbit limit 78884b  (tbf rate 20mbit limit 150000b != tbf rate 10mbit limit 78884b)"
check_output_contains "and nothing else" "Plan: 0 to create, 1 to change, 0 to delete."
start_monitors
check "apply the change" "$NSTOPO" apply "$WORK/lab.yaml"
stop_monitors
if grep -q "eth0" "$WORK/ip_monitor.imp_a" "$WORK/ip_monitor.imp_b"; then
  fail "the change flapped or touched the link:"; sed 's/^/    /' "$WORK"/ip_monitor.imp_*
else pass "the change made no link, address or route event"; fi
grep -q "qdisc tbf 4e53: dev eth0 root" "$WORK/tc_monitor.imp_a" && pass "the change was one qdisc event" \
  || { fail "no qdisc event for the change:"; sed 's/^/    /' "$WORK/tc_monitor.imp_a"; }
[[ $(ifindex) == "$index_before" ]] && pass "the link kept its ifindex ($index_before)" \
  || fail "the link's ifindex changed: $index_before -> $(ifindex)"
[[ $(ip -n imp_a -o addr show dev eth0 | awk '{print $3, $4}') == "$addresses_before" ]] \
  && pass "the link kept its addresses" || fail "the link's addresses changed"
root_qdisc >"$WORK/out"
check_output_contains "the qdisc has the new rate" "rate 10Mbit"
measure "rate 10mbit after the change" 10000000 2500000

# Drift: the rate changed by hand, then the qdisc deleted by hand.
tc -n imp_a qdisc change dev eth0 root handle 4e53: tbf rate 5mbit burst 32k latency 50ms
check_exit 2 "rate drifted: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"
check_output_contains "plan repairs the rate" "~ impairment imp_a:eth0 tbf rate 10mbit"
check "apply repairs it" "$NSTOPO" apply "$WORK/lab.yaml"
check_exit 0 "converged after the repair" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"
tc -n imp_a qdisc del dev eth0 root
check_exit 2 "qdisc deleted by hand: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"
check_output_contains "plan makes it again" "~ impairment imp_a:eth0 tbf rate 10mbit limit 78884b  (missing)"
check "apply makes it again" "$NSTOPO" apply "$WORK/lab.yaml"

# A root qdisc nstopo did not make (another handle) on the lab's link: refused, or replaced
# with --adopt; a foreign qdisc on an interface without impairment is left alone.
tc -n imp_a qdisc replace dev eth0 root handle 1: tbf rate 1mbit burst 32k latency 50ms
check_exit 3 "foreign root qdisc on a lab link: a conflict" "$NSTOPO" apply "$WORK/lab.yaml"
check_output_contains "the conflict names it" "imp_a:eth0 has a root qdisc tbf 1: that nstopo did not make"
root_qdisc >"$WORK/out"
check_output_contains "and it was not touched" "qdisc tbf 1: root"
check "apply --adopt replaces it" "$NSTOPO" apply --adopt "$WORK/lab.yaml"
root_qdisc >"$WORK/out"
check_output_contains "nstopo's qdisc is in its place" "qdisc tbf 4e53: root"
tc -n imp_b qdisc replace dev eth0 root handle 1: tbf rate 50mbit burst 32k latency 50ms
check_exit 0 "a foreign qdisc where nothing is declared is left alone" \
  "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"
tc -n imp_b qdisc del dev eth0 root

# No longer declared: removed; the kernel's default comes back.
lab ""
check_exit 2 "impairment removed from the file: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"
check_output_contains "plan removes it" "- impairment imp_a:eth0 tbf rate 10mbit limit 78884b  (not declared)"
check "apply removes it" "$NSTOPO" apply "$WORK/lab.yaml"
root_qdisc >"$WORK/out"
check_output_lacks "the root qdisc is the default again" "4e53:"
[[ $(ifindex) == "$index_before" ]] && pass "still the same link" || fail "the link was made again"

# netem keys: on a kernel without netem, a clear failure naming the module, nothing changed.
if ip netns add imp_probe && ip -n imp_probe link add probe0 type veth peer name probe1 &&
   tc -n imp_probe qdisc add dev probe0 root netem delay 1ms 2>/dev/null; then
  echo "this kernel has netem: its traffic is tested by test_impairment_netem.sh"
else
  lab "rate: 10mbit, delay: 20ms, loss: 1%"
  check_exit 1 "delay on a kernel without netem: apply fails" "$NSTOPO" apply "$WORK/lab.yaml"
  check_output_contains "naming the link, the module and the keys" \
    "failed to set impairment netem rate 10mbit delay 20ms loss 1% limit 1000 on imp_a:eth0: the kernel has no netem qdisc (module sch_netem): delay, jitter, loss, duplicate, corrupt and reorder need it"
  root_qdisc >"$WORK/out"
  check_output_lacks "nothing was left on the link" "4e53:"
fi
ip netns del imp_probe 2>/dev/null

lab "rate: 20mbit"
check "apply again" "$NSTOPO" apply "$WORK/lab.yaml"
check "destroy" "$NSTOPO" destroy "$WORK/lab.yaml"
after=$(snapshot_full)
if [[ "$after" == "$before" ]]; then pass "the host (qdiscs included) is exactly as before"
else fail "the host differs from before:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
finish
