#!/usr/bin/env bash
# The tree lab (bench/gen_tree.py: a core bridge, ten distribution bridges in namespaces,
# N leaves, routed) at several sizes, inside the sandbox (issue 15, point 5). Not in CI.
#   bench/tree.sh [--nstopo PATH] [SIZES=2000,5000,10000]
# For each N: apply (wall time and nstopo's peak RSS), a ping from the first leaf to the last
# (across two distributions and the core), a converged re-apply, destroy; the kernel's memory
# per namespace (MemAvailable before apply less after, over the namespaces). Writes
# bench/results/tree.md. A size the machine's limits refuse is reported as refused.
set -uo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench_dir")
nstopo=$repo/build/nstopo
if [[ ${1:-} == --nstopo ]]; then nstopo=$2; shift 2; fi
sizes=${1:-2000,5000,10000}
if [[ -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  exec "$repo/tests/integration/sandbox.sh" "$bench_dir/tree.sh" --nstopo "$nstopo" "$sizes"
fi
work=$(mktemp -d /run/tree.XXXXXX)
mem_available() { awk '/^MemAvailable/ {print $2}' /proc/meminfo; }
# timed OUT ARGS...: nstopo ARGS; OUT gets "seconds peak-kib exit".
timed() {
  local out=$1; shift
  /usr/bin/time -f "%e %M %x" -o "$out" "$nstopo" -q "$@" >"$out.log" 2>&1
}
{
  echo "# The tree lab: ten distribution bridges, N leaves"
  echo
  echo "Made by \`bench/tree.sh $sizes\` on $(date -u +%F), $(nproc) CPUs, kernel $(uname -r);"
  echo "open-file limit $(ulimit -Sn) (hard $(ulimit -Hn)). Seconds; RSS is nstopo's peak."
  echo
  echo "| N | namespaces | apply | per namespace | peak RSS | ping first -> last leaf | re-apply | destroy | per namespace | kernel memory per namespace |"
  echo "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
} >"$work/table"
for n in ${sizes//,/ }; do
  file=$work/tree-$n.yaml
  /usr/bin/python3 "$bench_dir/gen_tree.py" "$n" >"$file"
  total=$((n + 10))
  free_before=$(mem_available)
  timed "$work/apply" apply "$file"
  read -r t_apply rss code <"$work/apply"
  if [[ $code != 0 ]]; then
    reason=$(grep -m1 'error' "$work/apply.log" | sed 's/|/\\|/g')
    echo "| $n | $total | refused | | | | | | | $reason |" >>"$work/table"
    "$nstopo" -q destroy "$file" >/dev/null 2>&1
    continue
  fi
  sleep 1
  free_after=$(mem_available)
  per_dist=$((n / 10))
  if ip netns exec d1n1 ping -c 1 -W 2 "10.10.$(( per_dist / 250 )).$(( per_dist % 250 + 2 ))" >/dev/null 2>&1; then ping_ok=yes; else ping_ok=NO; fi
  timed "$work/reapply" apply "$file"; read -r t_reapply _ _ <"$work/reapply"
  timed "$work/destroy" destroy "$file"; read -r t_destroy _ _ <"$work/destroy"
  awk -v n="$n" -v total="$total" -v a="$t_apply" -v r="$t_reapply" -v d="$t_destroy" \
      -v rss="$rss" -v ping="$ping_ok" -v before="$free_before" -v after="$free_after" 'BEGIN {
    printf "| %d | %d | %.2f | %.2f ms | %.1f MiB | %s | %.3f | %.2f | %.2f ms | %.0f KiB |\n",
      n, total, a, a * 1000 / total, rss / 1024, ping, r, d, d * 1000 / total, (before - after) / total }' >>"$work/table"
done
mkdir -p "$bench_dir/results"
cp "$work/table" "$bench_dir/results/tree.md"
# The plot: cost per namespace of each phase against N (the sizes that ran).
awk -F'|' '$4 ~ /^ *[0-9.]+ *$/ { gsub(/ ms| /, "", $5); gsub(/ /, "", $8); gsub(/ /, "", $3);
  gsub(/ ms| /, "", $10); printf "%s %s %.4f %s\n", $2, $5, $8 * 1000 / $3, $10 }' "$work/table" >"$work/points"
if command -v gnuplot >/dev/null && [[ -s $work/points ]]; then
  gnuplot <<PLOT
set terminal pngcairo size 800,450
set output "$bench_dir/results/tree_per_namespace.png"
set title "The tree lab: cost per namespace (bench/tree.sh)"
set xlabel "leaves (N)"; set ylabel "ms per namespace"; set key top left; set grid
plot "$work/points" using 1:2 with linespoints title "apply", \
     "$work/points" using 1:3 with linespoints title "converged re-apply", \
     "$work/points" using 1:4 with linespoints title "destroy"
PLOT
fi
cat "$work/table"
rm -rf "$work"
