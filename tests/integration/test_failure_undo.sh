#!/usr/bin/env bash
# A kernel refusal mid-apply: the error names the action and carries the kernel's own words,
# and every change made before it is undone, leaving the system exactly as before the run.
source "$(dirname "$0")/lib.sh"

# IPv6 disabled on new host interfaces: the kernel refuses the IPv6 address, late in the plan.
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
cat > "$WORK/refused.yaml" <<'YAML'
version: 1
name: refused
host:
  interfaces:
    veth_r0:
      addresses: [10.9.0.1/24, "fd00:9::1/64"]
namespaces:
  ns_r:
    interfaces:
      veth_r1:
        addresses: [10.9.0.2/24]
links:
  - endpoints: [host:veth_r0, ns_r:veth_r1]
YAML
before=$(snapshot)
check_exit 1 "refused address: apply fails" "$NSTOPO" apply "$WORK/refused.yaml"
check_output_contains "the message names the failed action" "failed to add address fd00:9::1/64 to host:veth_r0"
check_output_contains "the message carries the kernel's words" "IPv6 is disabled on this device"
check_output_contains "the message names the errno" "(EACCES)"
check_output_contains "the message says what was undone" "undid"
after=$(snapshot)
if [[ "$after" == "$before" ]]; then pass "the system is exactly as before the run"
else fail "the system changed:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
check_exit 2 "the lab is still to be made" "$NSTOPO" plan --detailed-exitcode "$WORK/refused.yaml"
sysctl -qw net.ipv6.conf.default.disable_ipv6=0

# Without privileges: a plain message, not a crash, and nothing touched. The checkout may be
# private to root (a CI clone under a 0700 temporary directory): give nobody its own copy.
public=$(mktemp -d /run/nstopo-public.XXXXXX)
chmod 755 "$public"
install -m 644 "$TOPOLOGIES/seed.yaml" "$public/seed.yaml"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
if ! as_nobody test -x "$NSTOPO"; then
  install -m 755 "$NSTOPO" "$public/nstopo"
  NSTOPO="$public/nstopo"
fi
check_exit 4 "without root: exit 4" as_nobody "$NSTOPO" apply "$public/seed.yaml"
check_output_contains "without root: says what is needed" "needs root"
check_exit 0 "validate needs no root" as_nobody "$NSTOPO" validate "$public/seed.yaml"
rm -rf "$public"
finish
