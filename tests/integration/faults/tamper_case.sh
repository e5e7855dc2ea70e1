#!/usr/bin/env bash
# One case of the tampering test (tests/integration/test_faults_tamper.sh), in a fresh sandbox:
#   tamper_case.sh CASE
# Every case plants something in the lab's records (/run/nstopo/tamper/) or its namespaces,
# runs nstopo destroy (and apply where it would act on it), and checks that nothing outside
# the lab was signalled, deleted or followed: the sandbox's init (pid 1), this script, a
# `sleep` of the test in the host and one in a namespace of the test's own (foreign_ns, with a
# bridge keep0), files the test made. Where nstopo refuses, it must exit non-zero and name
# the path or the problem. Ends with "N passed, N failed".
# On a real host init (pid 1) leads process group 1, and kill(-1, sig) reaches every process.
# The sandbox's init does not lead a group; for the pid1 case this script becomes the init of
# a PID namespace of its own that does (setsid), so that the host's situation is the same.
if [[ $1 == pid1 && $$ != 1 ]]; then
  exec unshare --pid --fork --mount-proc setsid "$0" "$@"
fi
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/common.sh"
trap 'rm -rf "$WORK"' EXIT
# A signal to this script is a signal to "a process outside the lab": remember it, go on.
signalled=""
for sig in TERM INT HUP USR1; do trap "signalled+=' SIG$sig'" "$sig"; done

case_name=$1
LAB="$NSTOPO_SOURCE_DIR/tests/integration/labs/tamper.yaml"
VICTIM="$NSTOPO_SOURCE_DIR/tests/integration/labs/victim.yaml"
RECORD=/run/nstopo/tamper/state.json
PLANT="/usr/bin/python3 $FAULTS_DIR/plant_record.py"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
start_time() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }

# What lives outside the lab, and how it looked.
# Each in its own process group, as a service is: signalling "the service's group" hits it.
setsid sleep 1000 & canary=$!
ip netns add foreign_ns
ip -n foreign_ns link add keep0 type bridge
setsid ip netns exec foreign_ns sleep 1000 & foreign_inside=$!
sleep 0.2
declare -A started_at=([1]=$(start_time 1) [$$]=$(start_time $$) [$canary]=$(start_time $canary)
                       [$foreign_inside]=$(start_time $foreign_inside))

# run WHAT ARGS...: nstopo, output in $WORK/out, exit in $rc.
run() { local what=$1; shift; run_nstopo "$WORK/out" "$@"; rc=${status#exit }; ran=$what; }

# The same process still there (same start time: not killed and replaced by a recycled PID).
declare -A reported_dead=()
alive() {  # alive PID WHAT
  [[ -n ${reported_dead[$1]:-} ]] && return  # said once, by the run that killed it
  if [[ $(start_time "$1") == "${started_at[$1]:-$(start_time "$1")}" && -n $(start_time "$1") ]]; then
    pass "$case_name: $ran: $2 (pid $1) still runs"
  else
    fail "$case_name: $ran: $2 (pid $1) was killed"
    reported_dead[$1]=1
  fi
}

# After each nstopo run: nothing outside the lab was touched.
outside_untouched() {
  local failed_before=$failed
  alive 1 "the sandbox's init"
  alive $$ "the test script"
  alive "$canary" "the test's sleep in the host"
  alive "$foreign_inside" "the test's sleep in foreign_ns"
  [[ -z $signalled ]] && pass "$case_name: $ran: the test script got no signal" \
    || fail "$case_name: $ran: the test script got$signalled"
  signalled=""
  if [[ -n ${reported_dead[foreign_ns]:-} ]]; then
    :  # said once, by the run that deleted it
  elif ip -n foreign_ns link show keep0 >/dev/null 2>&1; then
    pass "$case_name: $ran: foreign_ns and its keep0 are still there"
  else
    fail "$case_name: $ran: foreign_ns or its keep0 was deleted"
    reported_dead[foreign_ns]=1
  fi
  if ((failed > failed_before)); then
    echo "    nstopo $ran said (exit $rc):"; sed 's/^/    | /' "$WORK/out"
  fi
}

# refused TEXT: the last run exited non-zero and its message names TEXT.
refused() {
  if [[ $rc != 0 ]] && grep -qF -- "$1" "$WORK/out"; then
    pass "$case_name: $ran refuses (exit $rc), naming '$1'"
  else
    fail "$case_name: $ran: wanted a refusal naming '$1', got exit $rc:"
    sed 's/^/    | /' "$WORK/out"
  fi
}

# A record nstopo really wrote, to plant variations of.
template() {
  run_nstopo "$WORK/apply.out" apply "$LAB"
  [[ $status == "exit 0" ]] || { fail "$case_name: setup: apply $status"; sed 's/^/    | /' "$WORK/apply.out"; finish; }
  cp "$RECORD" "$WORK/template.json"
  lab_service=$(/usr/bin/python3 -c '
import json, sys; print(json.load(open(sys.argv[1]))["services"]["t_ns/idle"]["pid"])' "$RECORD")
}

# The record with a foreign namespace and the test's sleep in it as the lab's service.
hostile_record() {  # hostile_record OUT
  $PLANT "$WORK/template.json" "$1" --namespace foreign_ns --service "t_ns/idle=$foreign_inside"
}

lab_gone_and_service_stopped() {
  [[ ! -e /run/netns/t_ns ]] && pass "$case_name: $ran: the lab's namespace is gone" \
    || fail "$case_name: $ran: the lab's namespace t_ns is still there"
  sleep 0.3
  [[ -z $(start_time "$lab_service") ]] && pass "$case_name: $ran: the lab's real service (pid $lab_service) was stopped" \
    || fail "$case_name: $ran: the lab's real service (pid $lab_service, no longer in the record) still runs"
}

case $case_name in
  pid1)  # finding 1: pid 1 leads process group 1; kill(-1) signals everything.
    template
    $PLANT "$WORK/template.json" "$RECORD" --service "t_ns/idle=1"
    run destroy destroy "$LAB"
    outside_untouched
    lab_gone_and_service_stopped ;;
  foreign_pid)  # a process outside the lab's namespaces, with its real start time.
    template
    $PLANT "$WORK/template.json" "$RECORD" --service "t_ns/idle=$canary"
    run apply apply "$LAB"
    outside_untouched
    run destroy destroy "$LAB"
    outside_untouched
    lab_gone_and_service_stopped ;;
  other_lab)  # another lab's record copied in: it names that lab.
    run_nstopo "$WORK/victim.out" apply "$VICTIM"
    [[ $status == "exit 0" ]] || { fail "$case_name: setup: apply victim $status"; sed 's/^/    | /' "$WORK/victim.out"; }
    started_at[victim]=$(/usr/bin/python3 -c '
import json; print(json.load(open("/run/nstopo/victim/state.json"))["services"]["v_ns/idle"]["pid"])')
    template
    cp /run/nstopo/victim/state.json "$RECORD"
    run destroy destroy "$LAB"
    refused "victim"
    outside_untouched
    run_nstopo "$WORK/plan.out" plan --detailed-exitcode "$VICTIM"
    [[ $status == "exit 0" ]] && pass "$case_name: $ran: lab victim is intact" \
      || { fail "$case_name: $ran: lab victim was changed (plan $status):"; sed 's/^/    | /' "$WORK/plan.out"; } ;;
  world_writable_state_dir)  # an unprivileged user plants a record under /run/nstopo (0777).
    template
    run_nstopo "$WORK/destroy.out" destroy "$LAB"
    hostile_record "$WORK/hostile.json"
    chmod 777 /run/nstopo
    as_nobody sh -c 'mkdir -p /run/nstopo/tamper && cat > /run/nstopo/tamper/state.json' <"$WORK/hostile.json"
    run destroy destroy "$LAB"
    refused "/run/nstopo"
    outside_untouched
    run apply apply "$LAB"
    refused "/run/nstopo"
    outside_untouched
    [[ ! -e /run/netns/t_ns ]] && pass "$case_name: $ran: refused before making anything" \
      || fail "$case_name: $ran: made t_ns although it refused" ;;
  lab_dir_owned_by_nobody)
    template
    run_nstopo "$WORK/destroy.out" destroy "$LAB"
    mkdir -p -m 700 /run/nstopo/tamper
    hostile_record "$RECORD"
    chown 65534:65534 /run/nstopo/tamper
    run destroy destroy "$LAB"
    refused "/run/nstopo/tamper"
    outside_untouched
    run apply apply "$LAB"
    refused "/run/nstopo/tamper"
    outside_untouched ;;
  record_writable_by_others)
    template
    run_nstopo "$WORK/destroy.out" destroy "$LAB"
    mkdir -p -m 700 /run/nstopo/tamper
    hostile_record "$RECORD"
    chmod 666 "$RECORD"
    run destroy destroy "$LAB"
    refused "$RECORD"
    outside_untouched ;;
  symlinked_lab_dir)  # /run/nstopo/tamper -> a directory of the test's.
    template
    run_nstopo "$WORK/destroy.out" destroy "$LAB"
    mkdir -m 700 /run/elsewhere
    hostile_record /run/elsewhere/state.json
    echo keep >/run/elsewhere/marker
    listing=$(ls -la /run/elsewhere; sha256sum /run/elsewhere/*)
    ln -s /run/elsewhere /run/nstopo/tamper
    run destroy destroy "$LAB"
    refused "/run/nstopo/tamper"
    outside_untouched
    run apply apply "$LAB"
    refused "/run/nstopo/tamper"
    outside_untouched
    [[ $(ls -la /run/elsewhere; sha256sum /run/elsewhere/*) == "$listing" ]] \
      && pass "$case_name: the symlink's target directory is untouched" \
      || { fail "$case_name: the symlink's target directory changed:"; ls -la /run/elsewhere | sed 's/^/    | /'; } ;;
  symlinked_record)  # /run/nstopo/tamper/state.json -> a file of the test's.
    template
    run_nstopo "$WORK/destroy.out" destroy "$LAB"
    hostile_record /run/elsewhere.json
    sum=$(sha256sum /run/elsewhere.json)
    mkdir -p -m 700 /run/nstopo/tamper
    ln -s /run/elsewhere.json "$RECORD"
    run destroy destroy "$LAB"
    refused "$RECORD"
    outside_untouched
    run apply apply "$LAB"
    refused "$RECORD"
    outside_untouched
    [[ -f /run/elsewhere.json && $(sha256sum /run/elsewhere.json) == "$sum" ]] \
      && pass "$case_name: the symlink's target file is untouched" \
      || fail "$case_name: the symlink's target file was changed or removed" ;;
  recreated_namespace)  # finding 4: the lab's namespace deleted by hand, another one made
                        # under its name: it is not the lab's.
    template
    ip netns del t_ns
    ip netns add t_ns
    ip -n t_ns link add keep1 type bridge
    setsid ip netns exec t_ns sleep 1000 & inside=$!
    sleep 0.2
    started_at[$inside]=$(start_time $inside)
    run apply apply "$LAB"
    refused "t_ns"
    outside_untouched
    alive "$inside" "the test's sleep in the new t_ns"
    if ip -n t_ns -o link show | grep -q "alias nstopo:"; then
      fail "$case_name: $ran: nstopo made links in the new t_ns:"
      ip -n t_ns -o link show | grep "alias nstopo:" | cut -c1-120 | sed 's/^/    | /'
    else
      pass "$case_name: $ran: nothing of the lab was made in the new t_ns"
    fi
    run destroy destroy "$LAB"
    outside_untouched
    alive "$inside" "the test's sleep in the new t_ns"
    ip -n t_ns link show keep1 >/dev/null 2>&1 && pass "$case_name: $ran: the new t_ns and its keep1 are still there" \
      || fail "$case_name: $ran: the new t_ns (not the lab's) was deleted" ;;
  *) fail "unknown case $case_name" ;;
esac
finish
