#!/usr/bin/env bash
# Kills inside an action, where a window is open (NSTOPO_FAULT_AT at a named fault point, in a
# -DNSTOPO_FAULT_POINTS=ON build): a veth or bridge made but not marked, a namespace unmounted
# but not unlinked. The next apply converges without --adopt, and destroy leaves nothing: no
# namespace, no placeholder, no link, no state. Then a namespace of the lab deleted by hand
# and made again by someone else: a conflict, and destroy leaves it alone.
source "$(dirname "$0")/lib.sh"

cat > "$WORK/cw.yaml" <<'YAML'
version: 1
name: cw
host:
  interfaces:
    br_cw: {kind: bridge, addresses: [10.61.0.1/24]}
    cw_a: {master: br_cw}
    cw_r: {addresses: [10.62.0.1/24, "fd00:62::1/64"]}
namespaces:
  cw_pc:
    interfaces:
      eth0: {addresses: [10.61.0.11/24]}
  cw_rt:
    interfaces:
      eth0: {addresses: [10.62.0.2/24, "fd00:62::2/64"]}
links:
  - endpoints: [host:cw_a, cw_pc:eth0]
  - endpoints: [host:cw_r, cw_rt:eth0]
YAML
lab="$WORK/cw.yaml"

# point_index NAME COMMAND...: runs the command with a fault trace and prints the number of
# the first point named NAME it reached (empty if none).
point_index() {
  local name=$1; shift
  rm -f "$WORK/trace"
  NSTOPO_FAULT_TRACE="$WORK/trace" "$@" >/dev/null 2>&1
  awk -v name="$name" '{ k = $1; $1 = ""; sub(/^ /, ""); if ($0 == name) { print k; exit } }' \
    "$WORK/trace" 2>/dev/null
}

# Nothing of the lab: its namespaces (or a placeholder of them), links, state.
nothing_left() {
  local left
  left=$(ls /run/netns; ip -o link show | grep -E ' (br_cw|cw_a|cw_r)[:@]'; ls -A /run/nstopo)
  [[ -z $left ]] || { echo "left: $left"; return 1; }
}

# A build without fault points traces nothing: nothing to test here.
point_index none "$NSTOPO" apply "$lab"
"$NSTOPO" destroy "$lab" >/dev/null 2>&1
if [[ ! -e $WORK/trace ]]; then
  echo "SKIP: $NSTOPO was built without -DNSTOPO_FAULT_POINTS=ON"
  rm -rf "$WORK"
  exit 77
fi

before=$(snapshot)
# Each point, and what the next apply says it repairs.
declare -A repair=(
  ["veth created, not marked"]="left unmarked by an interrupted run"
  ["veth end marked, its peer not"]="left unmarked by an interrupted run"
  ["bridge created, not marked"]="left unmarked by an interrupted run"
)
for point in "${!repair[@]}"; do
  k=$(point_index "$point" "$NSTOPO" apply "$lab")
  "$NSTOPO" destroy "$lab" >/dev/null 2>&1
  if [[ -z $k ]]; then fail "$point: no such fault point reached by apply"; continue; fi
  NSTOPO_FAULT_AT=$k "$NSTOPO" apply "$lab" >"$WORK/out" 2>&1
  got=$?
  [[ $got -eq 137 ]] && pass "$point: apply killed there" || fail "$point: apply not killed (exit $got)"
  check "$point: the next apply converges without --adopt" "$NSTOPO" apply "$lab"
  check_output_contains "$point: it says what it repairs" "${repair[$point]}"
  check_exit 0 "$point: plan --detailed-exitcode says converged" \
    "$NSTOPO" plan --detailed-exitcode "$lab"
  check "$point: destroy" "$NSTOPO" destroy "$lab"
  check "$point: nothing of the lab is left" nothing_left
done

check "apply, for the delete window" "$NSTOPO" apply "$lab"
k=$(point_index "namespace unmounted, not unlinked" "$NSTOPO" destroy "$lab")
if [[ -z $k ]]; then
  fail "namespace unmounted, not unlinked: no such fault point reached by destroy"
else
  check "apply again" "$NSTOPO" apply "$lab"
  NSTOPO_FAULT_AT=$k "$NSTOPO" destroy "$lab" >"$WORK/out" 2>&1
  got=$?
  [[ $got -eq 137 ]] && pass "destroy killed between unmount and unlink" || fail "destroy not killed (exit $got)"
  if [[ -n $(ls /run/netns) ]]; then pass "a placeholder is left: $(ls /run/netns | tr '\n' ' ')"
  else fail "no placeholder left: the kill came too late"; fi
  check "the next destroy finishes it" "$NSTOPO" destroy "$lab"
  check_output_contains "it removes the placeholder" "placeholder left by an interrupted run"
  check "nothing of the lab is left, no placeholder either" nothing_left
  # The same kill, then an apply: the declared namespace is made again on its placeholder.
  check "apply" "$NSTOPO" apply "$lab"
  NSTOPO_FAULT_AT=$k "$NSTOPO" destroy "$lab" >/dev/null 2>&1
  check "apply after a killed destroy converges" "$NSTOPO" apply "$lab"
  check_exit 0 "and plan says converged" "$NSTOPO" plan --detailed-exitcode "$lab"
  check "destroy" "$NSTOPO" destroy "$lab"
  check "nothing of the lab is left" nothing_left
fi

# A lab namespace deleted by hand and made again under its name by someone else.
check "apply, for the identity check" "$NSTOPO" apply "$lab"
ip netns del cw_pc
ip netns add cw_pc
check_exit 3 "plan: the re-created namespace is a conflict" "$NSTOPO" plan "$lab"
check_output_contains "the conflict names it" "namespace cw_pc was deleted and re-created outside nstopo"
check_exit 3 "apply stops on it too" "$NSTOPO" apply "$lab"
check "destroy" "$NSTOPO" destroy --name cw
if [[ -e /run/netns/cw_pc ]] && ip netns exec cw_pc true; then pass "destroy left the foreign cw_pc alone"
else fail "destroy deleted the foreign cw_pc"; fi
if [[ ! -e /run/netns/cw_rt && -z $(ls -A /run/nstopo) ]]; then pass "and removed the rest of the lab"
else fail "destroy left: $(ls /run/netns) $(ls -A /run/nstopo)"; fi
ip netns del cw_pc

after=$(snapshot)
if [[ "$after" == "$before" ]]; then pass "the system is exactly as before"
else fail "the system differs from before:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
finish
