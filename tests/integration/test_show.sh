#!/usr/bin/env bash
# `nstopo show`: a lab built by hand with `ip` becomes a topology file; the file validates,
# `apply --adopt` takes the objects over, and a plan after it has nothing to do.
source "$(dirname "$0")/lib.sh"

ip netns add left
ip netns add right
ip link add l0 netns left mtu 9000 type veth peer name r0 netns right mtu 9000
ip -n left addr add 10.70.0.1/24 dev l0
ip -n left addr add fd00:70::1/64 dev l0 nodad
ip -n right addr add 10.70.0.2/24 dev r0
ip -n left link set l0 up
ip -n right link set r0 up
ip -n right link add br0 type bridge
ip -n right link add p0 type veth peer name p1
ip -n right link set p0 master br0
ip -n right addr add 10.71.0.1/24 dev br0
ip -n right link set br0 up
ip -n right link set p0 up
ip -n left route add 10.71.0.0/24 via 10.70.0.2
ip -n left route add 10.72.0.0/16 dev l0 metric 30
ip link add hostend type veth peer name lefthost netns left
ip addr add 10.73.0.1/30 dev hostend
ip -n left addr add 10.73.0.2/30 dev lefthost
ip link set hostend up
ip -n left link set lefthost up
# A host bridge's port whose peer is in a shown namespace: not the lab's to declare.
ip link add hbr type bridge
ip link add hb0 type veth peer name righthb netns right
ip link set hb0 master hbr
# A kind nstopo does not make: left out, and said so (macvlan: the sandbox's kernel may lack dummy).
ip -n left link add link l0 name mv0 type macvlan

check "show --all" "$NSTOPO" show --all
cp "$WORK/out" "$WORK/shown.yaml"
sed 's/^/    /' "$WORK/shown.yaml"
check_output_contains "show: the veth pair is a link" "{endpoints: [left:l0, right:r0]}"
check_output_contains "show: the host end comes with its pair" "hostend: {addresses: [10.73.0.1/30]}"
check_output_contains "show: bridge" "br0: {kind: bridge, addresses: [10.71.0.1/24]}"
check_output_contains "show: bridge port" "p0: {master: br0}"
check_output_contains "show: a port that is down" "p1: {up: false}"
check_output_contains "show: MTU" "l0: {addresses: [10.70.0.1/24, fd00:70::1/64], mtu: 9000}"
check_output_contains "show: route via" "{to: 10.71.0.0/24, via: 10.70.0.2}"
check_output_contains "show: route dev with metric" "{to: 10.72.0.0/16, dev: l0, metric: 30}"
check_output_lacks "show: no kernel routes" "10.70.0.0/24"
check_output_lacks "show: no link-local addresses" "fe80"
check_output_contains "show: what is left out is said" "# Left out: left:mv0: a link of kind 'macvlan', which nstopo does not make"
check_output_contains "show: a host bridge's port is left out, and said so" \
  "# Left out: right:righthb: a veth whose host end hb0 is a port of host bridge hbr, which is not shown"
check_output_lacks "show: ... and the host bridge is not declared" "hbr:"
check "show: the file validates" "$NSTOPO" validate "$WORK/shown.yaml"

check "show -o json" "$NSTOPO" show -o json left right
/usr/bin/python3 - "$WORK/out" <<'PY' && pass "show -o json: schema_version, command, topology" || fail "show -o json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1 and d["command"] == "show", d
assert d["topology"]["namespaces"]["right"]["interfaces"]["br0"]["kind"] == "bridge", d
assert {"kind": "link", "namespace": "left", "name": "mv0"}.items() <= d["skipped"][0].items(), d
PY
check_exit 1 "show: an unknown namespace is an error" "$NSTOPO" show nowhere
check_output_contains "show: ... naming it" "no such namespace nowhere"
check_exit 64 "show: neither names nor --all is a usage error" "$NSTOPO" show

check_exit 3 "round trip: apply without --adopt is a conflict" "$NSTOPO" apply "$WORK/shown.yaml"
check "round trip: apply --adopt takes the hand-made lab over" "$NSTOPO" apply --adopt "$WORK/shown.yaml"
check_exit 0 "round trip: plan after it has no changes" "$NSTOPO" plan --detailed-exitcode "$WORK/shown.yaml"
check_output_contains "round trip: ... and says so" "No changes"
check "round trip: show again" "$NSTOPO" show --all
grep -v '^#' "$WORK/out" >"$WORK/again.yaml"
if diff <(grep -v '^#' "$WORK/shown.yaml") "$WORK/again.yaml" >"$WORK/diff"; then
  pass "round trip: show after adopt writes the same file"
else
  fail "round trip: show differs after adopt"; sed 's/^/    /' "$WORK/diff"
fi
check "round trip: destroy removes the adopted lab" "$NSTOPO" destroy "$WORK/shown.yaml"
[[ ! -e /run/netns/left && ! -e /run/netns/right ]] && pass "round trip: namespaces gone" || fail "namespaces left"
ip link show hbr >/dev/null 2>&1 && pass "round trip: the host's bridge is untouched" || fail "host bridge removed"
finish
