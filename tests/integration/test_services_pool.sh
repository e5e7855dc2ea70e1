#!/usr/bin/env bash
# Services start side by side (services/service_starts.cpp): 20 namespaces, each with a
# service whose listener comes up 1 s after its start. One at a time that is 20 s; the pool
# (32 by default) does it in about 1 s, and `--service-starts 5` in about 4 s. A lab with one
# failing service among the 20 fails with that service's exit status and log, and leaves
# nothing: no namespace, no process, no record.
source "$(dirname "$0")/lib.sh"

# lab FILE NAME [BAD]: the 20-service lab; BAD adds ns_bad, whose service exits 4 at once.
lab() {
  {
    cat <<YAML
version: 1
name: $2
namespaces:
  sp[01-20]:
    services:
      listener:
        command: [perl, "$NSTOPO_SOURCE_DIR/tests/integration/tcp_listener.pl", "7000", "1"]
        ready: {tcp: 7000, timeout: 10s}
YAML
    [[ -n ${3:-} ]] && cat <<'YAML'
  ns_bad:
    services:
      broken:
        command: [sh, -c, "echo failing on purpose; sleep 0.3; exit 4"]
        ready: {tcp: 7000, timeout: 10s}
YAML
  } >"$1"
}
lab "$WORK/pool.yaml" pool
lab "$WORK/bad.yaml" poolbad bad

listeners_answering() {  # how many of sp01..sp20 accept a connect on 127.0.0.1:7000
  local n=0 i
  for i in $(seq -w 1 20); do
    ip netns exec "sp$i" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7000' 2>/dev/null && n=$((n + 1))
  done
  echo "$n"
}
# (each pattern written so that it does not match grep's own command line)
lab_processes() { grep -ls -e 'tcp_listene[r].pl' -e 'failing on purpos[e]' /proc/[0-9]*/cmdline | wc -l; }

# seconds COMMAND...: runs it, leaves its wall time (in seconds, with decimals) in $took.
seconds() {
  local begin end
  begin=$(date +%s.%N)
  "$@" >"$WORK/out" 2>&1
  rc=$?
  end=$(date +%s.%N)
  took=$(awk -v b="$begin" -v e="$end" 'BEGIN { printf "%.2f", e - b }')
}
under() { awk -v t="$1" -v limit="$2" 'BEGIN { exit !(t < limit) }'; }

seconds "$NSTOPO" apply "$WORK/pool.yaml"
if [[ $rc -eq 0 ]]; then pass "apply of 20 services"; else fail "apply of 20 services (exit $rc)"; sed 's/^/    /' "$WORK/out"; fi
under "$took" 10 && pass "20 readiness waits of 1 s overlap: ${took} s" ||
  fail "20 services of 1 s each took ${took} s (one at a time is 20 s)"
n=$(listeners_answering)
[[ $n == 20 ]] && pass "every listener answers" || fail "$n of 20 listeners answer"
check "converged re-apply" "$NSTOPO" apply "$WORK/pool.yaml"
check_output_contains "re-apply changes nothing" "No changes"
check "destroy" "$NSTOPO" destroy "$WORK/pool.yaml"
sleep 0.2
[[ $(lab_processes) == 0 ]] && pass "destroy leaves no service process" || fail "service processes left: $(lab_processes)"
check "nothing of the lab is left" $CHECK_LAB "$WORK/pool.yaml" absent

# The bound: 5 at once, 20 services of 1 s: four rounds, at least 4 s.
seconds "$NSTOPO" --service-starts 5 apply "$WORK/pool.yaml"
[[ $rc -eq 0 ]] && pass "apply with --service-starts 5" || { fail "apply with --service-starts 5 (exit $rc)"; sed 's/^/    /' "$WORK/out"; }
awk -v t="$took" 'BEGIN { exit !(t >= 4) }' && under "$took" 15 &&
  pass "at most 5 at once: ${took} s for four rounds of 1 s" ||
  fail "--service-starts 5 took ${took} s (four rounds of 1 s: 4 s or a little more)"
check "destroy after it" "$NSTOPO" destroy "$WORK/pool.yaml"

# One service that fails among 20: its error, with exit status and log; the rest undone.
seconds "$NSTOPO" apply "$WORK/bad.yaml"
[[ $rc -eq 1 ]] && pass "a failing service among 20 fails apply" || { fail "apply with a failing service: exit $rc"; sed 's/^/    /' "$WORK/out"; }
check_output_contains "the failure names the service" "ns_bad/broken"
check_output_contains "the failure says how it exited" "status 4"
check_output_contains "the failure shows its log" "failing on purpose"
check_output_contains "the run was undone" "undid"
under "$took" 10 && pass "the failure did not wait for the others one by one: ${took} s" ||
  fail "apply with a failing service took ${took} s"
sleep 0.2
[[ $(lab_processes) == 0 ]] && pass "no service process is left" || fail "service processes left: $(lab_processes)"
left=$(ls /run/netns | grep -c -e '^sp' -e '^ns_bad$')
[[ $left == 0 ]] && pass "no namespace is left" || fail "$left namespaces left"
if [[ -f /run/nstopo/poolbad/state.json ]]; then
  services=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["services"]))' /run/nstopo/poolbad/state.json)
  [[ $services == 0 ]] && pass "no service is recorded" || fail "$services services still recorded"
else
  pass "no service is recorded (no record left)"
fi
check "the lab applies once the failing service is gone" "$NSTOPO" apply "$WORK/pool.yaml"
check "and is destroyed" "$NSTOPO" destroy "$WORK/pool.yaml"
finish
