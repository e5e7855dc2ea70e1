#!/usr/bin/env bash
# The benchmark: nstopo against iproute2 (see bench/bench.py), always inside the sandbox.
#   bench/run.sh [--smoke] [--nstopo PATH] [--sizes 10,50,200,1000] [--reps 5]
#                [--topologies star,chain,mesh] [--chain-sizes ..] [--mesh-sizes ..] [--out DIR]
# Without --nstopo it first builds build/nstopo with scripts/build.sh.
# Results: bench/results/{results.csv,summary.md,time_vs_n.png} (--smoke: a temporary
# directory, summary printed). Exit 1 when a method failed or built a wrong lab; 77 when the
# machine does not allow the sandbox.
set -euo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench_dir")

if [[ -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  args=("$@")
  if [[ " $* " != *" --nstopo "* && " $* " != *" --nstopo="* && " $* " != *" -h "* && " $* " != *" --help "* ]]; then
    echo "== building build/nstopo (scripts/build.sh)"
    (cd "$repo" && scripts/build.sh)
    args+=(--nstopo "$repo/build/nstopo")
  fi
  # sandbox.sh re-executes this script in fresh net+mount+pid namespaces with /run private.
  exec "$repo/tests/integration/sandbox.sh" "$bench_dir/run.sh" "${args[@]}"
fi

exec /usr/bin/python3 -B "$bench_dir/bench.py" "$@"  # -B: no __pycache__ in the tree
