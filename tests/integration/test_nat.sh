#!/usr/bin/env bash
# NAT (issue 12, section 2), with real traffic in the sandbox: a namespace "outside" plays the
# world beyond the host (the host's default route points to it; it has no route back to the
# lab). The lab's traffic reaches it from the host's address; its connections to the host's
# port 8080 reach the lab's web server, and so do the host's own (its address and localhost).
# Re-apply changes nothing (nft monitor stays silent); a hand edit of the table is drift and
# is repaired; a foreign table of the lab's name is never touched; destroy leaves the ruleset
# and the host's forwarding as they were.
source "$(dirname "$0")/lib.sh"

if ! command -v nft >/dev/null; then echo "SKIP: no nft to inspect the ruleset with"; exit 77; fi
if ! nft -f - 2>/dev/null <<'NFT'
table inet nstopo-probe {
  chain p {
    type nat hook postrouting priority srcnat;
    masquerade
  }
}
NFT
then echo "SKIP: this kernel has no nf_tables NAT (nft_nat, nft_masq)"; exit 77; fi
nft delete table inet nstopo-probe

lab="$TOPOLOGIES/seed-nat.yaml"
ip netns add outside
ip link add up0 type veth peer name up1 netns outside
ip addr add 192.0.2.1/24 dev up0 && ip link set up0 up
ip -n outside addr add 192.0.2.2/24 dev up1 && ip -n outside link set up1 up && ip -n outside link set lo up
ip route add default via 192.0.2.2
ruleset_before=$(nft list ruleset)
forwarding_before=$(sysctl -n net.ipv4.ip_forward)

check "apply the NAT lab" "$NSTOPO" apply "$lab"
check_output_contains "the plan names the table and what it does" \
  "+ nftables table inet nstopo-seed-nat: masquerade 10.0.8.11; forward 8080/tcp -> 10.0.8.11:4000"
check_output_contains "... and turns the host's forwarding on, recorded" "~ sysctl host net.ipv4.ip_forward = 1"
check "the table is there, marked as the lab's" nft list table inet nstopo-seed-nat
check_output_contains "... with its mark" 'comment "nstopo lab seed-nat"'

# Out: what the outside sees as the source of a connection from the lab.
ip netns exec outside python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", 9000)); s.listen(); s.settimeout(10)
c, peer = s.accept(); print(peer[0]); c.close()' >"$WORK/seen" 2>&1 &
listener=$!
sleep 0.3
check "the lab connects to the outside" ip netns exec ns_nat python3 -c \
  'import socket; socket.create_connection(("192.0.2.2", 9000), 3).close()'
wait "$listener"
if [[ $(cat "$WORK/seen") == 192.0.2.1 ]]; then pass "the outside sees the host's address, not the lab's"
else fail "the outside saw '$(cat "$WORK/seen")', wanted 192.0.2.1"; fi

# In: the host's port, from the outside, from the host's address and from its loopback.
check "from the outside, the host's port 8080 reaches the web server" \
  ip netns exec outside curl -sf -m 5 -o /dev/null http://192.0.2.1:8080/
check "from the host, its own address:8080 too" curl -sf -m 5 -o /dev/null http://192.0.2.1:8080/
check "from the host, localhost:8080 too" curl -sf -m 5 -o /dev/null http://127.0.0.1:8080/
check "the file's checks hold" "$NSTOPO" check "$lab"
mkdir -p "$WORK/docs"
"$NSTOPO" status -o json "$lab" >"$WORK/docs/status.json"
check "status -o json names the table {kind: nat, namespace: host} and matches the output schema" \
  /usr/bin/python3 - "$WORK/docs/status.json" "$NSTOPO_SOURCE_DIR" <<'PY'
import json, subprocess, sys
doc = json.load(open(sys.argv[1]))
nat = [o for o in doc["objects"] if o["kind"] == "nat"]
assert [(o["namespace"], o["name"], o["state"]) for o in nat] == [("host", "nstopo-seed-nat", "present")], nat
subprocess.run([sys.executable, f"{sys.argv[2]}/tests/schema/check_output.py",
                f"{sys.argv[2]}/schemas/output.schema.json", sys.argv[1]], check=True)
PY

# Converged: nothing planned, and a re-apply writes nothing to nftables.
check_exit 0 "converged: plan --detailed-exitcode exits 0" "$NSTOPO" plan --detailed-exitcode "$lab"
nft monitor >"$WORK/monitor" 2>&1 &
monitor=$!
sleep 0.3
check "re-apply" "$NSTOPO" apply "$lab"
check_output_contains "re-apply changes nothing" "No changes"
sleep 0.3
kill "$monitor"; wait "$monitor" 2>/dev/null
if [[ ! -s $WORK/monitor ]]; then pass "nft monitor saw no change during the re-apply"
else fail "nft monitor saw:"; sed 's/^/    /' "$WORK/monitor"; fi

# Drift: a rule deleted by hand, then the whole table.
handle=$(nft -a list chain inet nstopo-seed-nat prerouting | sed -n 's/.*dnat.* # handle \([0-9]*\)$/\1/p')
nft delete rule inet nstopo-seed-nat prerouting handle "$handle"
check_exit 2 "a rule deleted by hand: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$lab"
check_output_contains "... and says which" "(rules changed: lacks prerouting: meta nfproto ipv4 fib daddr type local tcp dport 8080"
check "status" "$NSTOPO" status "$lab"
check_output_contains "status: the table drifted" "1 drifted"
check "apply repairs it" "$NSTOPO" apply "$lab"
check "... the forward works again" ip netns exec outside curl -sf -m 5 -o /dev/null http://192.0.2.1:8080/
nft delete table inet nstopo-seed-nat
check_exit 2 "the table deleted by hand: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$lab"
check_output_contains "... it is made again" "+ nftables table inet nstopo-seed-nat"
check "apply repairs it" "$NSTOPO" apply "$lab"

# A change in place: another host port, one transaction, the lab otherwise untouched.
sed 's/"8080:10.0.8.11:4000\/tcp"/"8081:10.0.8.11:4000\/tcp"/; s/127.0.0.1:8080/127.0.0.1:8081/' "$lab" >"$WORK/changed.yaml"
ifindex=$(ip -n ns_nat -o link show veth_ns_nat | cut -d: -f1)
check "apply a changed port" "$NSTOPO" apply "$WORK/changed.yaml"
check_output_contains "... replaces the table" "~ nftables table inet nstopo-seed-nat"
check_output_contains "... and only it" "Apply complete: lab seed-nat: 0 created, 1 changed, 0 deleted"
check "the new port answers" ip netns exec outside curl -sf -m 5 -o /dev/null http://192.0.2.1:8081/
check_exit 7 "the old one no longer does" ip netns exec outside curl -s -m 5 -o /dev/null http://192.0.2.1:8080/
if [[ $(ip -n ns_nat -o link show veth_ns_nat | cut -d: -f1) == "$ifindex" ]]; then
  pass "the lab's link was not touched"; else fail "the lab's link was made again"; fi

# NAT no longer declared: the table goes, forwarding is given back.
sed '/^    nat:/,/^      ports:/d; /web-through-the-host-port/,/retries: 3/d' "$lab" >"$WORK/no-nat.yaml"
check "apply without NAT" "$NSTOPO" apply "$WORK/no-nat.yaml"
check_output_contains "... deletes the table" "- nftables table inet nstopo-seed-nat"
check_exit 1 "the table is gone" nft list table inet nstopo-seed-nat
check "apply with NAT again" "$NSTOPO" apply "$lab"
check "destroy" "$NSTOPO" destroy "$lab"
if [[ $(nft list ruleset) == "$ruleset_before" ]]; then pass "destroy: the ruleset is as before"
else fail "destroy: the ruleset differs:"; diff <(echo "$ruleset_before") <(nft list ruleset) | sed 's/^/    /'; fi
if [[ $(sysctl -n net.ipv4.ip_forward) == "$forwarding_before" ]]; then pass "destroy: the host's forwarding is as before"
else fail "destroy: ip_forward is $(sysctl -n net.ipv4.ip_forward), was $forwarding_before"; fi

# Never touched: a table of the lab's name that nstopo did not make.
nft add table inet nstopo-seed-nat
nft add chain inet nstopo-seed-nat mine
foreign=$(nft list table inet nstopo-seed-nat)
check_exit 3 "a foreign table of the lab's name: apply refuses (conflict)" "$NSTOPO" apply "$lab"
check_output_contains "... and says why" "that lab seed-nat did not make"
if [[ $(nft list table inet nstopo-seed-nat) == "$foreign" ]]; then pass "the foreign table is untouched"
else fail "the foreign table changed"; fi
check "destroy with a foreign table there" "$NSTOPO" destroy "$lab"
if [[ $(nft list table inet nstopo-seed-nat) == "$foreign" ]]; then pass "... which destroy leaves alone"
else fail "destroy touched the foreign table"; fi
nft delete table inet nstopo-seed-nat
finish
