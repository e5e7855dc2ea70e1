#!/usr/bin/env bash
# IPv6 through a router namespace works as soon as apply returns: the lab's interfaces run no
# duplicate address detection, so no link-local address is still tentative when the first
# packet needs neighbour discovery. Only lab addresses are pinged, from inside the lab.
source "$(dirname "$0")/lib.sh"

cat > "$WORK/r6.yaml" <<'YAML'
version: 1
name: r6
host:
  interfaces:
    r6_h: {addresses: ["fd00:63::1/64"]}
namespaces:
  r6_left:
    interfaces:
      eth0: {addresses: ["fd00:61::2/64"]}
    routes:
      - {to: "fd00:62::/64", via: "fd00:61::1"}
  r6_router:
    interfaces:
      to_left: {addresses: ["fd00:61::1/64"]}
      to_right: {addresses: ["fd00:62::1/64"]}
      to_host: {addresses: ["fd00:63::2/64"]}
    sysctls:
      net.ipv6.conf.all.forwarding: 1
  r6_right:
    interfaces:
      eth0: {addresses: ["fd00:62::2/64"]}
    routes:
      - {to: "fd00:61::/64", via: "fd00:62::1"}
links:
  - endpoints: [r6_left:eth0, r6_router:to_left]
  - endpoints: [r6_router:to_right, r6_right:eth0]
  - endpoints: [host:r6_h, r6_router:to_host]
YAML

host_default=$(cat /proc/sys/net/ipv6/conf/default/accept_dad)
for round in 1 2 3; do
  check "round $round: apply" "$NSTOPO" apply "$WORK/r6.yaml"
  # The cause, checked first: no address of the lab (link-local included) is tentative.
  if ip -6 -o addr show dev r6_h | grep -q tentative ||
     for ns in r6_left r6_router r6_right; do ip -n "$ns" -6 -o addr show; done | grep -q tentative; then
    fail "round $round: an address is still tentative right after apply"
  else
    pass "round $round: no address is tentative right after apply"
  fi
  # At once: one echo, a 1 s deadline (DAD alone takes longer than that).
  check "round $round: left -> right through the router at once" \
    ip netns exec r6_left ping -6 -c 1 -W 1 -w 1 fd00:62::2
  check "round $round: right -> left at once" ip netns exec r6_right ping -6 -c 1 -W 1 -w 1 fd00:61::2
  check "round $round: the host end reaches the router at once" \
    ip netns exec r6_router ping -6 -c 1 -W 1 -w 1 fd00:63::1
  check "round $round: destroy" "$NSTOPO" destroy "$WORK/r6.yaml"
done
# DAD is off per interface, never per namespace: a namespace's `default` keeps the kernel's
# value (writing it in every new namespace made big labs superlinear, docs/ARCHITECTURE.md).
check "apply once more" "$NSTOPO" apply "$WORK/r6.yaml"
if [[ $(ip netns exec r6_left cat /proc/sys/net/ipv6/conf/eth0/accept_dad) == 0 &&
      $(cat /proc/sys/net/ipv6/conf/r6_h/accept_dad) == 0 ]]; then
  pass "each lab interface with IPv6 runs no DAD"
else
  fail "a lab interface with IPv6 still runs DAD"
fi
if [[ $(ip netns exec r6_left cat /proc/sys/net/ipv6/conf/default/accept_dad) == \
      $(unshare --net cat /proc/sys/net/ipv6/conf/default/accept_dad) ]]; then
  pass "a lab namespace's default accept_dad is the kernel's"
else
  fail "a lab namespace's default accept_dad was changed"
fi
check "destroy" "$NSTOPO" destroy "$WORK/r6.yaml"

# IPv6 added to a lab made without it: its links get link-local addresses (at their next up)
# with DAD off all the same.
late() {  # ADDRESS_OF_A ADDRESS_OF_B: a two-namespace lab
  cat >"$WORK/late.yaml" <<YAML
version: 1
name: late6
namespaces:
  l6_a: {interfaces: {eth0: {addresses: [$1]}}}
  l6_b: {interfaces: {eth0: {addresses: [$2]}}}
links:
  - endpoints: [l6_a:eth0, l6_b:eth0]
YAML
}
late 10.66.0.1/24 10.66.0.2/24
check "a lab without IPv6" "$NSTOPO" apply "$WORK/late.yaml"
late '10.66.0.1/24, "fd00:66::1/64"' '10.66.0.2/24, "fd00:66::2/64"'
check "IPv6 added to it" "$NSTOPO" apply "$WORK/late.yaml"
if [[ $(ip netns exec l6_a cat /proc/sys/net/ipv6/conf/eth0/accept_dad) == 0 ]]; then
  pass "the link given IPv6 runs no DAD"
else
  fail "the link given IPv6 still runs DAD"
fi
ip -n l6_a link set eth0 down && ip -n l6_a link set eth0 up  # its next up: a link-local address
# Even without DAD the kernel clears the tentative flag from a work queue, a moment after the
# up, so allow 0.5 s: DAD itself keeps an address tentative for at least a second
# (RetransTimer, 1000 ms).
link_local=none
for _ in $(seq 10); do
  addresses=$(ip -n l6_a -6 -o addr show dev eth0)
  if [[ $addresses == *fe80::* && $addresses != *tentative* ]]; then link_local=ready; break; fi
  [[ $addresses == *fe80::* ]] && link_local=tentative
  sleep 0.05
done
case $link_local in
  ready) pass "its link-local address is not tentative" ;;
  tentative) fail "its link-local address is still tentative 0.5 s after the up" ;;
  *) fail "it has no link-local address after its next up" ;;
esac
check "destroy the late lab" "$NSTOPO" destroy "$WORK/late.yaml"

if [[ $(cat /proc/sys/net/ipv6/conf/default/accept_dad) == "$host_default" ]]; then
  pass "the host's default accept_dad is untouched"
else
  fail "the host's default accept_dad changed"
fi
finish
