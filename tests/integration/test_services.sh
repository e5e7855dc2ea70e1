#!/usr/bin/env bash
# The tutorial end to end: the web server in ns_rifky answers through veth_rifky; a killed
# server is restarted by the next apply; a changed port restarts it; destroy leaves no process;
# failing services fail apply with their log; exec and logs work.
source "$(dirname "$0")/lib.sh"
seed="$TOPOLOGIES/seed.yaml"

service_pid() { "$NSTOPO" status -o json "$1" | /usr/bin/python3 -c '
import json, sys
for o in json.load(sys.stdin)["objects"]:
    if o["kind"] == "service": print(o.get("pid", 0))'; }

check "apply the tutorial lab" "$NSTOPO" apply "$seed"
check "the directory listing is served through veth_rifky" \
  curl -sf --max-time 5 --interface veth_rifky http://10.0.0.11:4000/
check_output_contains "it is python's listing" "Directory listing for /"
check "second apply" "$NSTOPO" apply "$seed"
check_output_contains "second apply changes nothing" "No changes"
check "status" "$NSTOPO" status "$seed"
check_output_contains "status shows the service running and ready" "ready"
check "logs" "$NSTOPO" logs seed ns_rifky/web
check_output_contains "logs show the request" "GET / HTTP"

pid=$(service_pid "$seed")
started=("$pid")
kill "$pid"; sleep 0.5
check_exit 2 "killed server: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$seed"
check_output_contains "killed server: plan restarts it" "+ service ns_rifky/web  (exited (was pid $pid))"
check "killed server: apply restarts it" "$NSTOPO" apply "$seed"
check "killed server: serving again" curl -sf --max-time 5 --interface veth_rifky http://10.0.0.11:4000/
started+=("$(service_pid "$seed")")

sed 's/"4000"/"4001"/; s/tcp: 4000/tcp: 4001/' "$seed" >"$WORK/seed-4001.yaml"
check_exit 2 "changed port: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$WORK/seed-4001.yaml"
check_output_contains "changed port: plan restarts the service" "(spec changed)"
check "changed port: apply" "$NSTOPO" apply "$WORK/seed-4001.yaml"
check "changed port: served on 4001" curl -sf --max-time 5 --interface veth_rifky http://10.0.0.11:4001/
check_exit 7 "changed port: 4000 is closed" curl -s --max-time 5 --interface veth_rifky http://10.0.0.11:4000/
started+=("$(service_pid "$WORK/seed-4001.yaml")")

check_exit 7 "exec passes the exit code through" "$NSTOPO" exec ns_rifky -- sh -c 'exit 7'
check "exec sees the namespace's interfaces" "$NSTOPO" exec ns_rifky -- ls /sys/class/net
[[ "$(sort "$WORK/out" | tr '\n' ' ')" == "lo veth_ns_rifky " ]] && pass "exec: only lo and veth_ns_rifky" \
  || { fail "exec: /sys/class/net shows:"; cat "$WORK/out"; }

check "destroy" "$NSTOPO" destroy "$WORK/seed-4001.yaml"
sleep 0.2
left=""
for p in "${started[@]}"; do [[ -n $p && -d /proc/$p ]] && left+=" $p"; done
# Children too: nothing in the sandbox runs python's http.server any more.
for p in $(ls /proc | grep -E '^[0-9]+$'); do
  grep -qs "http.server" /proc/$p/cmdline && left+=" $p(child)"
done
[[ -z $left ]] && pass "destroy leaves no process behind" || fail "processes left:$left"
check "nothing of the lab is left" $CHECK_LAB "$seed" absent

# A service that exits at once, and one that never becomes ready: apply fails with the log.
cat > "$WORK/crash.yaml" <<'YAML'
version: 1
name: crash
namespaces:
  ns_crash:
    services:
      boom:
        command: [sh, -c, "echo about to fail; exit 3"]
        ready: {tcp: 9, timeout: 5s}
YAML
check_exit 1 "exiting service: apply fails" "$NSTOPO" apply "$WORK/crash.yaml"
check_output_contains "exiting service: says how it exited" "status 3"
check_output_contains "exiting service: shows its log" "about to fail"
[[ ! -e /run/netns/ns_crash ]] && pass "exiting service: the lab was undone" || fail "ns_crash left behind"

cat > "$WORK/slow.yaml" <<'YAML'
version: 1
name: slow
namespaces:
  ns_slow:
    services:
      sleeper:
        command: [sh, -c, "echo sleeping; exec sleep 60"]
        ready: {tcp: 9, timeout: 1s}
YAML
check_exit 1 "never-ready service: apply fails" "$NSTOPO" apply "$WORK/slow.yaml"
check_output_contains "never-ready service: says it was not ready" "not ready after"
check_output_contains "never-ready service: shows its log" "sleeping"
sleep 0.2
pgrep -f "sleep 60" >/dev/null && fail "never-ready service left a process" || pass "never-ready service: no process left"
finish
