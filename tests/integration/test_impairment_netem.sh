#!/usr/bin/env bash
# Link impairment with netem (delay, loss, and a rate with them): skipped (exit 77) on a
# kernel without netem (module sch_netem), where test_impairment.sh checks the failure.
source "$(dirname "$0")/lib.sh"
MEASURE="/usr/bin/python3 $NSTOPO_SOURCE_DIR/tests/integration/measure_rate.py"

ip netns add imp_probe && ip -n imp_probe link add probe0 type veth peer name probe1
if ! tc -n imp_probe qdisc add dev probe0 root netem delay 1ms 2>"$WORK/probe"; then
  echo "SKIP: this kernel has no netem qdisc (module sch_netem): $(cat "$WORK/probe")"
  ip netns del imp_probe
  exit 77
fi
ip netns del imp_probe

lab() {
  cat >"$WORK/lab.yaml" <<YAML
version: 1
name: impnetem
namespaces:
  imp_a:
    interfaces:
      eth0: {addresses: [10.89.0.1/30], $1}
  imp_b:
    interfaces:
      eth0: {addresses: [10.89.0.2/30]}
links:
  - endpoints: [imp_a:eth0, imp_b:eth0]
YAML
}
rtt_ms() { ip netns exec imp_a ping -c 5 -i 0.2 -q 10.89.0.2 | awk -F/ '/^rtt/ {print int($5)}'; }

before=$(snapshot_full)
lab "delay: 30ms"
check "apply delay: 30ms" "$NSTOPO" apply "$WORK/lab.yaml"
tc -n imp_a qdisc show dev eth0 root >"$WORK/out"
check_output_contains "nstopo's netem at the root" "qdisc netem 4e53: root"
rtt=$(rtt_ms)
[[ $rtt -ge 30 && $rtt -lt 60 ]] && pass "ping rtt ${rtt}ms: the 30ms delay is there" || fail "ping rtt ${rtt}ms with delay 30ms"
check_exit 0 "converged" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"

lab "delay: 60ms, rate: 10mbit"
check "change in place to delay 60ms, rate 10mbit" "$NSTOPO" apply "$WORK/lab.yaml"
check_exit 0 "converged" "$NSTOPO" plan --detailed-exitcode "$WORK/lab.yaml"
rtt=$(rtt_ms)
[[ $rtt -ge 60 && $rtt -lt 100 ]] && pass "ping rtt ${rtt}ms with delay 60ms" || fail "ping rtt ${rtt}ms with delay 60ms"

lab "loss: 100%"
check "apply loss: 100%" "$NSTOPO" apply "$WORK/lab.yaml"
check_exit 1 "nothing gets through" ip netns exec imp_a ping -c 2 -W 1 -q 10.89.0.2

check "destroy" "$NSTOPO" destroy "$WORK/lab.yaml"
[[ "$(snapshot_full)" == "$before" ]] && pass "the host is as before" || fail "the host differs"
finish
