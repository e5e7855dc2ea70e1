#!/usr/bin/env bash
# What reading a lab asks of the kernel (issue 15: re-apply at the floor). A converged
# re-apply dumps each lab namespace's links, addresses and routes once, and its qdiscs only
# when a link's root qdisc is not the kernel's default (the link dump says which: IFLA_QDISC).
# A removed impairment is still found and deleted. Requests are counted with strace, which
# decodes netlink.
source "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || { echo "skip: strace is not installed"; exit 77; }

lab() {  # lab [IMPAIRMENT]: three namespaces on a host bridge; IMPAIRMENT on od_1:eth0
  cat >"$WORK/lab.yaml" <<YAML
version: 1
name: dumps
host:
  interfaces:
    od_br: {kind: bridge, addresses: [10.77.0.1/24]}
    od_1h: {master: od_br}
    od_2h: {master: od_br}
    od_3h: {master: od_br}
namespaces:
  od_1: {interfaces: {eth0: {addresses: [10.77.0.11/24]${1:+, $1}}}}
  od_2: {interfaces: {eth0: {addresses: [10.77.0.12/24]}}}
  od_3: {interfaces: {eth0: {addresses: [10.77.0.13/24]}}}
links:
  - endpoints: [od_1:eth0, host:od_1h]
  - endpoints: [od_2:eth0, host:od_2h]
  - endpoints: [od_3:eth0, host:od_3h]
YAML
}

# strace names a request's type only on a socket it saw opened in its own namespace; inside
# a lab namespace it prints the number.
declare -A TYPE_NUMBER=([RTM_GETLINK]=0x12 [RTM_GETADDR]=0x16 [RTM_GETROUTE]=0x1a [RTM_GETQDISC]=0x26)
count() {  # count TYPE: how many requests of TYPE the last traced re-apply sent
  grep -cE "nlmsg_type=($1|${TYPE_NUMBER[$1]})[ ,]" "$WORK/trace" || true
}
traced_apply() {  # a re-apply under strace; its plan must be empty
  strace -f -qq -s 200 -e trace=sendto,sendmsg -e signal=none -o "$WORK/trace" \
    "$NSTOPO" apply "$WORK/lab.yaml" >"$WORK/out" 2>&1
}

lab
check "apply a lab of three namespaces" "$NSTOPO" apply "$WORK/lab.yaml"
if traced_apply && grep -q "No changes" "$WORK/out"; then pass "a converged re-apply, traced"
else fail "a converged re-apply, traced"; sed 's/^/    /' "$WORK/out"; fi
# Four namespaces read (the host and three), each once.
for type in RTM_GETLINK RTM_GETADDR RTM_GETROUTE; do
  n=$(count "$type")
  if [[ $n == 4 ]]; then pass "$type: one dump a namespace ($n)"; else fail "$type: $n dumps, wanted 4"; fi
done
# The sandbox's host holds only virtual links too (lo, the bridge, the host ends).
n=$(count RTM_GETQDISC)
if [[ $n == 0 ]]; then pass "no qdisc dump: every link has the default root"
else fail "RTM_GETQDISC: $n dumps, wanted 0"; fi

if tc qdisc add dev od_1h root tbf rate 1mbit burst 32kbit latency 400ms 2>/dev/null; then
  tc qdisc del dev od_1h root
  lab "rate: 20mbit"
  check "an impairment on od_1:eth0" "$NSTOPO" apply "$WORK/lab.yaml"
  traced_apply
  n=$(count RTM_GETQDISC)
  if [[ $n == 1 ]]; then pass "then od_1's qdiscs are dumped, and only od_1's"; else fail "RTM_GETQDISC: $n dumps, wanted 1"; fi
  lab
  check "the impairment removed from the file" "$NSTOPO" apply "$WORK/lab.yaml"
  check_output_contains "is found and deleted" "impairment od_1:eth0"
  if [[ -z $(tc -n od_1 qdisc show dev eth0 root | grep tbf) ]]; then pass "od_1:eth0 has no tbf left"
  else fail "od_1:eth0 still has its tbf"; fi
else
  echo "note: no tbf in this kernel; the impairment half is not run"
fi
check "destroy" "$NSTOPO" destroy "$WORK/lab.yaml"
finish
