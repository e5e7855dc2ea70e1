#!/usr/bin/env bash
# The checks only the live system allows, made after observe and before any change (issue 14):
# a declared address a foreign host interface holds (plan warns, apply refuses unless --force),
# a sysctl this kernel does not have ("did you mean"), a service command not on PATH.
source "$(dirname "$0")/lib.sh"

# json_field FILE EXPR: prints EXPR evaluated on the JSON document in FILE (as `d`).
json_field() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# --- an address already used by a host interface the lab does not own
cat >"$WORK/addr.yaml" <<'YAML'
version: 1
name: checks
namespaces:
  ca:
    interfaces:
      eth0: {addresses: [10.66.0.2/24]}
  cb:
    interfaces:
      eth0: {addresses: [10.66.0.3/24]}
links:
  - endpoints: [ca:eth0, cb:eth0]
YAML
ip link add hand0 type veth peer name hand1  # made by hand: no lab's
ip addr add 10.66.0.2/24 dev hand0
warning="address 10.66.0.2 declared on ca:eth0 is already used on the host by interface hand0"
before=$(snapshot)
check_exit 0 "address: plan succeeds" "$NSTOPO" plan "$WORK/addr.yaml"
check_output_contains "address: plan warns, naming the address, the interface and the host's" \
  "nstopo: warning: $WORK/addr.yaml:6:7: $warning"
check_exit 3 "address: apply refuses (exit 3)" "$NSTOPO" apply "$WORK/addr.yaml"
check_output_contains "address: apply names the warning" "$warning"
check_output_contains "address: apply says how to go on" "nothing was changed (apply --force applies anyway)"
[[ "$(snapshot)" == "$before" ]] && pass "address: nothing changed" || fail "address: something changed"
"$NSTOPO" plan -o json "$WORK/addr.yaml" >"$WORK/plan.json" 2>/dev/null
[[ "$(json_field "$WORK/plan.json" "d['findings'][0]['severity'], d['findings'][0]['kind'], d['findings'][0]['namespace']")" == "warning address ca" ]] &&
  pass "address: plan -o json carries the warning" || { fail "address: plan -o json"; cat "$WORK/plan.json"; }
"$NSTOPO" apply -o json "$WORK/addr.yaml" >"$WORK/apply.json" 2>/dev/null
[[ "$(json_field "$WORK/apply.json" "'hand0' in d['findings'][0]['message'], d['error']['kind']")" == "True conflict" ]] &&
  pass "address: apply -o json carries the warning and the refusal" || { fail "address: apply -o json"; cat "$WORK/apply.json"; }
check "address: apply --force goes through" "$NSTOPO" apply --force "$WORK/addr.yaml"
ip -n ca -o addr show dev eth0 | grep -q 10.66.0.2/24 && pass "address: --force added it" || fail "address: not added"
check "address: destroy" "$NSTOPO" destroy "$WORK/addr.yaml"
ip addr show dev hand0 | grep -q 10.66.0.2/24 && pass "address: the host's own is untouched" || fail "address: host's removed"
ip link del hand0

# --- a sysctl this kernel does not have; a key of an interface made in the same run is fine
cat >"$WORK/sysctl.yaml" <<'YAML'
version: 1
name: checks
namespaces:
  sa:
    interfaces:
      eth0: {}
    sysctls:
      net.ipv4.ip_forwardd: 1
      net.ipv4.conf.eth0.rp_filter: 2
  sb:
    interfaces:
      eth0: {}
links:
  - endpoints: [sa:eth0, sb:eth0]
YAML
before=$(snapshot)
check_exit 1 "sysctl: plan fails" "$NSTOPO" plan "$WORK/sysctl.yaml"
check_output_contains "sysctl: plan names the key and suggests the right one" \
  "nstopo: error: $WORK/sysctl.yaml:4:3: sysctl 'net.ipv4.ip_forwardd' of namespace sa does not exist in this kernel; did you mean 'net.ipv4.ip_forward'?"
check_output_lacks "sysctl: an interface not made yet is checked against its template" "rp_filter"
check_exit 1 "sysctl: apply fails" "$NSTOPO" apply "$WORK/sysctl.yaml"
check_output_contains "sysctl: apply says nothing changed" "1 problem found before any change; nothing was changed"
[[ "$(snapshot)" == "$before" ]] && pass "sysctl: nothing changed" || fail "sysctl: something changed"
"$NSTOPO" apply -o json "$WORK/sysctl.yaml" >"$WORK/sysctl.json" 2>/dev/null
[[ "$(json_field "$WORK/sysctl.json" "d['findings'][0]['severity'], d['findings'][0]['name'], d['error']['kind']")" == "error net.ipv4.ip_forwardd invalid input" ]] &&
  pass "sysctl: apply -o json" || { fail "sysctl: apply -o json"; cat "$WORK/sysctl.json"; }
sed -i '/ip_forwardd/d' "$WORK/sysctl.yaml"
check "sysctl: without the typo, the new interface's key applies" "$NSTOPO" apply "$WORK/sysctl.yaml"
[[ $(ip netns exec sa cat /proc/sys/net/ipv4/conf/eth0/rp_filter) == 2 ]] && pass "sysctl: set" || fail "sysctl: not set"
sed -i 's/rp_filter: 2/rp_filterr: 2/' "$WORK/sysctl.yaml"
check_exit 1 "sysctl: a typo in an existing namespace's interface key fails" "$NSTOPO" plan "$WORK/sysctl.yaml"
check_output_contains "sysctl: ... with the interface's own name suggested" "did you mean 'net.ipv4.conf.eth0.rp_filter'?"
check "sysctl: destroy" "$NSTOPO" destroy --name checks

# --- a service command not on PATH, an absolute one that is not there, one not executable
cat >"$WORK/command.yaml" <<'YAML'
version: 1
name: checks
namespaces:
  sv:
    services:
      web:
        command: [no-such-cmd, --port, "80"]
      abs:
        command: [/nonexistent/tool]
      noexec:
        command: [/run/nstopo-plan-checks-notexec]
      fine:
        command: [sleep, "30"]
YAML
printf 'echo hi\n' >/run/nstopo-plan-checks-notexec  # the sandbox's own /run
chmod 644 /run/nstopo-plan-checks-notexec
before=$(snapshot)
check_exit 1 "command: plan fails" "$NSTOPO" plan "$WORK/command.yaml"
check_output_contains "command: names the service, its position and the PATH" \
  "nstopo: error: $WORK/command.yaml:6:7: service sv/web: command 'no-such-cmd': not found on PATH"
check_output_contains "command: an absolute path that is not there" "service sv/abs: command '/nonexistent/tool': no such file"
check_output_contains "command: a file that is no executable" "service sv/noexec: command '/run/nstopo-plan-checks-notexec': '/run/nstopo-plan-checks-notexec' is not an executable file"
check_output_lacks "command: sleep is found" "sv/fine"
check_exit 1 "command: apply fails" "$NSTOPO" apply "$WORK/command.yaml"
check_output_contains "command: apply says nothing changed" "3 problems found before any change; nothing was changed"
[[ "$(snapshot)" == "$before" ]] && pass "command: nothing changed" || fail "command: something changed"
"$NSTOPO" plan -o json "$WORK/command.yaml" >"$WORK/command.json" 2>/dev/null
[[ "$(json_field "$WORK/command.json" "len(d['findings']), d['findings'][0]['kind'], d['findings'][0]['namespace']")" == "3 service sv" ]] &&
  pass "command: plan -o json" || { fail "command: plan -o json"; cat "$WORK/command.json"; }
finish
