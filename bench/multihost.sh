#!/usr/bin/env bash
# One lab on two machines against the same lab on one (issue 13), inside the sandbox:
#   bench/multihost.sh [--nstopo PATH] [N=400] [REPS=5]
# A star of N namespaces on the host bridge `lan`: once with every namespace on one machine,
# once with N/2 on each of two simulated machines (tests/integration/simhosts.sh), where the
# bridge spans both (one VXLAN port each) and each machine's apply runs side by side, as a
# fleet tool runs them, and m1's share alone. Per repetition: apply, converged re-apply and destroy, each machine's
# time and the lab's (the slower machine's); medians over REPS, the order of the two shapes
# alternating. Writes bench/results/multihost.md. Not in CI (minutes).
# The simulated machines share one kernel, and so its rtnl lock, with each other: two real
# machines do not, so the two-machine figures here are an upper bound.
set -uo pipefail  # not -e: simhosts.sh waits for the processes it kills
bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench_dir")
nstopo=$repo/build/nstopo
if [[ ${1:-} == --nstopo ]]; then nstopo=$2; shift 2; fi
n=${1:-400} reps=${2:-5}

if [[ -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  exec "$repo/tests/integration/sandbox.sh" "$bench_dir/multihost.sh" --nstopo "$nstopo" "$n" "$reps"
fi

export NSTOPO=$nstopo NSTOPO_SOURCE_DIR=$repo
source "$repo/tests/integration/lib.sh"
source "$repo/tests/integration/simhosts.sh"

# star FILE MACHINES: the lab with its namespaces spread over the first MACHINES of m1, m2.
star() {
  local file=$1 machines=$2
  local half=$(( n / machines ))
  {
    echo "version: 1"
    echo "name: mh"
    echo "hosts:"
    echo "  m1: {address: 192.0.2.1}"
    ((machines == 2)) && echo "  m2: {address: 192.0.2.2}"
    echo "host:"
    echo "  interfaces:"
    echo "    lan: {kind: bridge}"
    echo "    p[1-$n]: {master: lan}"
    echo "namespaces:"
    for ((m = 1; m <= machines; m++)); do
      echo "  node[$(( (m - 1) * half + 1 ))-$(( m * half ))]:"
      echo "    on: m$m"
      echo "    interfaces:"
      echo "      eth0: {addresses: [\"10.50.{i//250}.{i%250+1}/16\"]}"
    done
    echo "links:"
    echo "  - range: 1-$n"
    echo "    endpoints: [\"host:p{i}\", \"node{i}:eth0\"]"
  } >"$file"
}

simhost_start m1 192.0.2.1/24
simhost_start m2 192.0.2.2/24
star "$WORK/one.yaml" 1
star "$WORK/two.yaml" 2
"$NSTOPO" validate "$WORK/one.yaml" "$WORK/two.yaml" >/dev/null

# timed MACHINE OUT ARGS...: runs nstopo in the machine, writes its seconds to OUT.
timed() {
  local machine=$1 out=$2; shift 2
  local start end
  start=$(date +%s.%N)
  simhost_run "$machine" "$NSTOPO" -q "$@" --host "$machine" >"$out.log" 2>&1 || {
    echo "nstopo $* on $machine failed:" >&2; cat "$out.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }' >"$out"
}

results=$WORK/results.csv
: >"$results"
# Shapes: one (N on one machine), two (N/2 on each, side by side), alone (m1's share of two
# with m2 idle: what one real machine of two does when no other shares its kernel).
run_shape() {
  local shape=$1 rep=$2 file=$WORK/$1.yaml phase machines=(m1)
  [[ $shape == two ]] && machines=(m1 m2)
  [[ $shape == alone ]] && file=$WORK/two.yaml
  for phase in apply reapply destroy; do
    local command=$phase pids=() m
    [[ $phase == reapply ]] && command=apply
    for m in "${machines[@]}"; do
      timed "$m" "$WORK/t.$m" "$command" "$file" &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    for m in "${machines[@]}"; do echo "$shape,$rep,$phase,$m,$(cat "$WORK/t.$m")" >>"$results"; done
  done
}
for ((rep = 1; rep <= reps; rep++)); do
  if ((rep % 2)); then
    run_shape one "$rep"; run_shape two "$rep"; run_shape alone "$rep"
  else
    run_shape alone "$rep"; run_shape two "$rep"; run_shape one "$rep"
  fi
done
simhost_stop_all

mkdir -p "$bench_dir/results"
/usr/bin/python3 - "$results" "$n" "$reps" >"$bench_dir/results/multihost.md" <<'PY'
import csv, statistics, sys
rows = list(csv.reader(open(sys.argv[1])))
n, reps = int(sys.argv[2]), int(sys.argv[3])
def median(shape, phase, machine=None):
    per_rep = {}
    for s, rep, p, m, t in rows:
        if s == shape and p == phase and (machine is None or m == machine):
            per_rep[rep] = max(per_rep.get(rep, 0.0), float(t))  # the lab: its slower machine
    return statistics.median(per_rep.values())
print(f"# One lab on two machines: {n} namespaces, medians of {reps}\n")
print("Made by `bench/multihost.sh` (simulated machines sharing one kernel: an upper bound for")
print("two real machines). Seconds; the lab's time is its slower machine's.\n")
print("| phase | one machine, N | two side by side, N/2 each: m1 | m2 | the lab | two ÷ one | m1's share alone | alone ÷ one |")
print("|---|---|---|---|---|---|---|---|")
for phase in ("apply", "reapply", "destroy"):
    one, alone = median("one", phase), median("alone", phase)
    m1, m2, lab = median("two", phase, "m1"), median("two", phase, "m2"), median("two", phase)
    print(f"| {phase} | {one:.3f} | {m1:.3f} | {m2:.3f} | {lab:.3f} | {lab / one:.2f} | {alone:.3f} | {alone / one:.2f} |")
print()
print("\"m1's share alone\": the two-machine lab's m1 share applied with m2 idle, the nearest a")
print("shared kernel comes to one of two real machines, each with its own kernel and cores.")
PY
cat "$bench_dir/results/multihost.md"
finish
