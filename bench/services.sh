#!/usr/bin/env bash
# Services at scale (issue 15, point 6), inside the sandbox. Not in CI.
#   bench/services.sh [--nstopo PATH] [--size N=500] [--reps R=3] [--starts LIST=1,32]
# A lab of N namespaces, each with one service: a perl listener on 127.0.0.1:7000 (perl-base
# is in every Debian; its IO::Socket::INET is a few MiB of memory where python3 is ten), with
# a tcp readiness probe on it. For each --service-starts value of LIST (1: one after the
# other, as nstopo did before the pool; 32: the default pool), R repetitions of: apply (wall
# time, nstopo's peak RSS), check that every listener answers, converged re-apply (wall time;
# plan --detailed-exitcode must then exit 0), destroy (wall time), check that no namespace,
# service process or service record is left. Medians of the R. Writes
# bench/results/services.md. Exit 1 when a phase failed or a check found the lab wrong.
set -uo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench_dir")
nstopo=$repo/build/nstopo size=500 reps=3 starts_list=1,32
args=("$@")
while (($#)); do
  case $1 in
    --nstopo) nstopo=$(realpath "$2"); shift 2 ;;
    --size) size=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --starts) starts_list=$2; shift 2 ;;
    *) echo "usage: bench/services.sh [--nstopo PATH] [--size N] [--reps R] [--starts LIST]" >&2; exit 64 ;;
  esac
done
if [[ -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  exec "$repo/tests/integration/sandbox.sh" "$bench_dir/services.sh" --nstopo "$nstopo" \
    --size "$size" --reps "$reps" --starts "$starts_list"
fi
work=$(mktemp -d /run/services-bench.XXXXXX)
lab=$work/services.yaml
last=$(printf '%03d' "$size")
cat >"$lab" <<YAML
# bench/services.sh: $size namespaces, each with a tcp listener as its service.
version: 1
name: bench-services
namespaces:
  s[001-$last]:
    services:
      listener:
        command: [perl, "$repo/tests/integration/tcp_listener.pl", "7000"]
        ready: {tcp: 7000, timeout: 30s}
YAML
failures=()

# timed OUT ARGS...: nstopo ARGS; OUT gets "seconds peak-kib exit".
timed() {
  local out=$1; shift
  /usr/bin/time -f "%e %M %x" -o "$out" "$nstopo" -q "$@" >"$out.log" 2>&1
}
listeners_answering() {
  local n=0 i
  for ((i = 1; i <= size; i++)); do
    ip netns exec "$(printf 's%03d' "$i")" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7000' 2>/dev/null && n=$((n + 1))
  done
  echo "$n"
}
service_processes() { grep -ls 'tcp_listene[r].pl' /proc/[0-9]*/cmdline 2>/dev/null | wc -l; }
recorded_services() {
  local record=/run/nstopo/bench-services/state.json
  [[ -f $record ]] || { echo 0; return; }
  /usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["services"]))' "$record"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for starts in ${starts_list//,/ }; do
  : >"$work/apply.$starts" ; : >"$work/reapply.$starts" ; : >"$work/destroy.$starts" ; : >"$work/rss.$starts"
  for ((rep = 1; rep <= reps; rep++)); do
    timed "$work/t" --service-starts "$starts" apply "$lab"
    read -r t rss code <"$work/t"
    [[ $code == 0 ]] || failures+=("apply (starts $starts, rep $rep): exit $code: $(tail -3 "$work/t.log")")
    echo "$t" >>"$work/apply.$starts"; echo "$rss" >>"$work/rss.$starts"
    n=$(listeners_answering)
    [[ $n == "$size" ]] || failures+=("after apply (starts $starts, rep $rep): $n of $size listeners answer")

    timed "$work/t" --service-starts "$starts" apply "$lab"
    read -r t _ code <"$work/t"
    [[ $code == 0 ]] || failures+=("re-apply (starts $starts, rep $rep): exit $code")
    echo "$t" >>"$work/reapply.$starts"
    "$nstopo" -q plan --detailed-exitcode "$lab" >/dev/null 2>&1 ||
      failures+=("plan after re-apply (starts $starts, rep $rep): changes pending")

    timed "$work/t" destroy "$lab"
    read -r t _ code <"$work/t"
    [[ $code == 0 ]] || failures+=("destroy (starts $starts, rep $rep): exit $code")
    echo "$t" >>"$work/destroy.$starts"
    sleep 0.5
    left_ns=$(find /run/netns -maxdepth 1 -name 's[0-9]*' | wc -l)
    left_procs=$(service_processes)
    left_records=$(recorded_services)
    [[ $left_ns == 0 && $left_procs == 0 && $left_records == 0 ]] ||
      failures+=("after destroy (starts $starts, rep $rep): $left_ns namespaces, $left_procs service processes, $left_records records left")
    echo "starts $starts rep $rep: apply $(sed -n "${rep}p" "$work/apply.$starts") s, re-apply $(sed -n "${rep}p" "$work/reapply.$starts") s, destroy $t s" >&2
  done
done

{
  echo "# Services at scale: $size namespaces, one service each"
  echo
  echo "Made by \`bench/services.sh ${args[*]}\` on $(date -u +%F), $(nproc) CPUs,"
  echo "kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), inside"
  echo "\`tests/integration/sandbox.sh\`. Each service: \`tests/integration/tcp_listener.pl\` (perl) listening on"
  echo "127.0.0.1:7000 in its namespace, \`ready: {tcp: 7000}\`. Medians of $reps runs, seconds; peak RSS"
  echo "is nstopo's (\`/usr/bin/time\`), the median of the applies. After every apply each"
  echo "listener was connected to; after every destroy no namespace, service process or record"
  echo "was left."
  echo
  echo "| \`--service-starts\` | apply | per service | re-apply (converged) | destroy | nstopo peak RSS |"
  echo "|---:|---:|---:|---:|---:|---:|"
  for starts in ${starts_list//,/ }; do
    a=$(median <"$work/apply.$starts") r=$(median <"$work/reapply.$starts")
    d=$(median <"$work/destroy.$starts") m=$(median <"$work/rss.$starts")
    label=$starts
    [[ $starts == 1 ]] && label="1 (one after the other, as before the pool)"
    [[ $starts == 32 ]] && label="32 (the default)"
    awk -v s="$label" -v a="$a" -v r="$r" -v d="$d" -v m="$m" -v n="$size" 'BEGIN {
      printf "| %s | %.2f | %.1f ms | %.2f | %.2f | %.1f MiB |\n", s, a, a * 1000 / n, r, d, m / 1024 }'
  done
  if ((${#failures[@]})); then
    echo
    echo "**Failures:**"
    for f in "${failures[@]}"; do echo "- $f"; done
  fi
} >"$work/table"
mkdir -p "$bench_dir/results"
cp "$work/table" "$bench_dir/results/services.md"
cat "$work/table"
rm -rf "$work"
((${#failures[@]} == 0))
