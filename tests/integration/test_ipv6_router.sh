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
if [[ $(cat /proc/sys/net/ipv6/conf/default/accept_dad) == "$host_default" ]]; then
  pass "the host's default accept_dad is untouched"
else
  fail "the host's default accept_dad changed"
fi
finish
