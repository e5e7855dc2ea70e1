#!/usr/bin/env bash
# nstopo capture NS:IF -w FILE: tcpdump inside the namespace writes a pcap while a ping
# crosses the link; the pcap read back holds the ICMP. Skips without tcpdump (a runtime
# dependency: scripts/install-deps.sh installs it).
source "$(dirname "$0")/lib.sh"
if ! command -v tcpdump >/dev/null; then
  echo "SKIP: tcpdump is not installed (apt-get install tcpdump)"
  rm -rf "$WORK"
  exit 77
fi
seed="$TOPOLOGIES/seed.yaml"
check "apply the seed lab" "$NSTOPO" apply "$seed"

pcap="$WORK/web.pcap"
"$NSTOPO" capture ns_rifky:veth_ns_rifky -w "$pcap" -- -c 4 icmp >"$WORK/capture.out" 2>&1 &
capture=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/capture.out" && break; sleep 0.05; done
check_output_contains_file() { grep -qF -- "$2" "$WORK/capture.out" && pass "$1" || { fail "$1"; sed 's/^/    /' "$WORK/capture.out"; }; }
check_output_contains_file "tcpdump listens on the namespace's interface" "listening on veth_ns_rifky"
check "a ping crosses the link" ping -c 2 -i 0.2 -W 2 10.0.0.11
for _ in $(seq 100); do kill -0 $capture 2>/dev/null || break; sleep 0.05; done
kill -0 $capture 2>/dev/null && { kill $capture; fail "capture did not end after 4 packets"; }
wait $capture
code=$?
[[ $code -eq 0 ]] && pass "capture ended with tcpdump's exit code 0" || fail "capture exit $code"
check "the pcap reads back" tcpdump -nr "$pcap"
check_output_contains "it holds the echo request" "IP 10.0.0.10 > 10.0.0.11: ICMP echo request"
check_output_contains "it holds the echo reply" "IP 10.0.0.11 > 10.0.0.10: ICMP echo reply"

# Without -w, tcpdump prints on the terminal; extra args go through (-n, -c, a filter).
"$NSTOPO" capture host:veth_rifky -- -n -c 1 icmp >"$WORK/capture.out" 2>&1 &
capture=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/capture.out" && break; sleep 0.05; done
check "a ping crosses the link again" ping -c 1 -W 2 10.0.0.11
for _ in $(seq 100); do kill -0 $capture 2>/dev/null || break; sleep 0.05; done
kill -0 $capture 2>/dev/null && { kill $capture; fail "capture on the host did not end"; }
wait $capture
check_output_contains_file "capture on the host prints the packet" "IP 10.0.0.10 > 10.0.0.11: ICMP echo request"

check_exit 1 "a missing interface" "$NSTOPO" capture ns_rifky:eth7
check_output_contains "names it and the ones there are" "namespace ns_rifky has no interface eth7 (it has: lo, veth_ns_rifky)"
check_exit 1 "a missing namespace" "$NSTOPO" capture ns_nowhere:eth0
check_output_contains "names it" "namespace ns_nowhere does not exist"
check_exit 64 "no interface given" "$NSTOPO" capture ns_rifky
check_output_contains "says the form" "is not NAMESPACE:INTERFACE"
check_exit 1 "tcpdump missing from PATH" env PATH=/nonexistent "$NSTOPO" capture ns_rifky:lo
check_output_contains "says to install it" "apt-get install tcpdump"

check "destroy" "$NSTOPO" destroy "$seed"
finish
