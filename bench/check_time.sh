#!/usr/bin/env bash
# How long `nstopo check` takes: each shipped topology, and a star of N namespaces (default
# 200, bench/gen_topology.py) with a ping from every namespace to the bridge gateway.
# Run inside the sandbox:  tests/integration/sandbox.sh bench/check_time.sh build/nstopo [N]
set -euo pipefail
[[ -n ${NSTOPO_IN_SANDBOX:-} ]] || { echo "run me under tests/integration/sandbox.sh" >&2; exit 1; }
nstopo=$(realpath "$1"); n=${2:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
timed() {  # LABEL FILE: apply, then `check` 3 times (median printed), then destroy
  "$nstopo" apply "$2" >/dev/null
  local times=()
  for _ in 1 2 3; do
    local start=$(date +%s.%N)
    "$nstopo" check "$2" > "$work/out" || { cat "$work/out"; exit 1; }
    times+=("$(echo "$(date +%s.%N) - $start" | bc)")
  done
  printf '%-22s %s checks  check: %s s median (3 runs: %s)\n' "$1" \
    "$(grep -c '^ok ' "$work/out")" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" "${times[*]}"
  "$nstopo" destroy "$2" >/dev/null
}
for file in "$root"/topologies/*.yaml; do timed "$(basename "$file" .yaml)" "$file"; done
/usr/bin/python3 "$root/bench/gen_topology.py" star "$n" > "$work/star.yaml"
{
  echo "checks:"
  for ns in $(grep -oE '^  n[0-9]+:' "$work/star.yaml" | tr -d ' :'); do
    echo "  - ping: {from: $ns, to: 10.100.0.1}"
  done
} >> "$work/star.yaml"
timed "star-$n" "$work/star.yaml"
rm -rf "$work"
