#!/usr/bin/env bash
# nstopo check: a lab's declared checks hold after apply (apply --check too); expect: fail
# works both ways (an isolation check holds; a port opened by hand makes a closed-port check
# fail); a link broken by hand makes the checks across it fail with their evidence; the
# JUnit XML is read back by python3-junitparser (every suite, case, failure message and time
# against the same run's JSON) and is well-formed for xmllint; --only picks checks.
source "$(dirname "$0")/lib.sh"

LAB="$NSTOPO_SOURCE_DIR/tests/integration/labs/checks.yaml"
JUNIT="/usr/bin/python3 $NSTOPO_SOURCE_DIR/tests/integration/check_junit.py"
have_junitparser=1
/usr/bin/python3 -c 'import junitparser' 2>/dev/null || have_junitparser=0
have_xmllint=1
command -v xmllint >/dev/null || have_xmllint=0
if ((!have_junitparser || !have_xmllint)); then
  echo "SKIP: needs python3-junitparser and xmllint (libxml2-utils): scripts/install-deps.sh"
  exit 77
fi

# read_back NAME: the JUnit file of the last run agrees with its JSON, and is well-formed.
read_back() {
  check "$1: junitparser reads every suite, case, failure and time as the JSON says" \
    $JUNIT "$WORK/junit.xml" "$WORK/check.json"
  check "$1: xmllint finds the JUnit XML well-formed" xmllint --noout "$WORK/junit.xml"
}

check "apply --check: applied and every check held" "$NSTOPO" apply --check "$LAB"
check_output_contains "apply --check prints the checks' summary" "7 checks: 7 held, 0 failed"
check_output_contains "the isolation check holds because the ping failed" \
  "server-cannot-reach-island"

check "check: every check holds" "$NSTOPO" check "$LAB"
check_output_contains "one line per check with its time" "client-pings-server"
check_output_contains "an expect: fail check that holds says why" "failed as expected:"
check_exit 0 "check -o json with --junit-file" \
  "$NSTOPO" check -o json --junit-file "$WORK/junit.xml" "$LAB"
cp "$WORK/out" "$WORK/check.json"
check "the JSON is one document of command check" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1 and d["command"] == "check", d
assert d["summary"] == {**d["summary"], "total": 7, "held": 7, "failed": 0}, d["summary"]
for c in d["checks"]:
    assert c["kind"] == "check" and c["namespace"] and c["name"], c
' "$WORK/check.json"
read_back "all held"

check_exit 0 "check -o junit prints the XML on stdout" "$NSTOPO" check -o junit "$LAB"
cp "$WORK/out" "$WORK/stdout.xml"
check "that XML is well-formed too" xmllint --noout "$WORK/stdout.xml"

# expect: fail, the other way: a listener opened by hand on the "closed" port.
ip netns exec server /usr/bin/python3 -c '
import socket, time
s = socket.socket(); s.bind(("0.0.0.0", 9)); s.listen(); time.sleep(60)' &
listener=$!
for _ in $(seq 50); do
  ip netns exec server ss -ltn 2>/dev/null | grep -q ':9 ' && break
  sleep 0.1
done
check_exit 1 "with port 9 open, check fails" "$NSTOPO" check --only port-9-closed "$LAB"
check_output_contains "the expect: fail check says it succeeded" \
  "FAIL  port-9-closed"
check_output_contains "with the evidence of the connect" "connected to 10.50.2.2:9 from namespace client"
kill "$listener"; wait "$listener" 2>/dev/null

# A link broken by hand: the router's side to the server goes down.
ip netns exec router ip link set to_server down
check_exit 1 "with the router-server link down, check fails" \
  "$NSTOPO" check -o json --junit-file "$WORK/junit.xml" "$LAB"
cp "$WORK/out" "$WORK/check.json"
check "exactly the checks across the link failed, each with evidence" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
failed = sorted(c["name"] for c in d["checks"] if not c["held"])
assert failed == ["client-pings-server", "web", "web-v6"], failed
for c in d["checks"]:
    if not c["held"]:
        assert c["attempts"] == 3 and c["evidence"], c
ping = next(c for c in d["checks"] if c["name"] == "client-pings-server")
assert any("echo request 1 to 10.50.2.2" in e for e in ping["evidence"]), ping
' "$WORK/check.json"
read_back "link down"
check_exit 1 "the text report of the broken lab" "$NSTOPO" check "$LAB"
check_output_contains "names the failing ping" "FAIL  client-pings-server"
check_output_contains "prints its evidence" "| echo request 1 to 10.50.2.2"
check_output_contains "and the summary" "7 checks: 4 held, 3 failed"
ip netns exec router ip link set to_server up
# A link that went down lost its IPv6 addresses and routes: apply puts them back.
check "the link up again and the lab repaired: apply --check holds" "$NSTOPO" apply --check "$LAB"
check_output_contains "every check" "7 checks: 7 held, 0 failed"

check_exit 0 "--only runs the named check alone" "$NSTOPO" check --only client-route "$LAB"
check_output_contains "one check ran" "1 check: 1 held, 0 failed"
check_exit 64 "--only with an unknown name is a usage error" "$NSTOPO" check --only clinet-route "$LAB"
check_output_contains "with a suggestion" "did you mean 'client-route'?"

check "destroy" "$NSTOPO" destroy "$LAB"
check_exit 1 "check against a destroyed lab fails" "$NSTOPO" check --only client-route "$LAB"
check_output_contains "saying the namespace is gone" "client"
finish
