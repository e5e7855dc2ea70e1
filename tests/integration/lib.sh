# Shared helpers for the integration scripts. They run inside sandbox.sh (see there), so the
# "host" is an empty network namespace and /run is private.
# Every check counts; the script ends with "N passed, N failed" and fails if any failed.
set -uo pipefail

: "${NSTOPO:?NSTOPO must name the nstopo binary}"
: "${NSTOPO_SOURCE_DIR:?NSTOPO_SOURCE_DIR must name the source tree}"
if [[ -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  echo "refusing to run outside the sandbox: use tests/integration/sandbox.sh $0" >&2
  exit 1
fi

TOPOLOGIES="$NSTOPO_SOURCE_DIR/topologies"
CHECK_LAB="/usr/bin/python3 $NSTOPO_SOURCE_DIR/tests/integration/check_lab.py"
WORK=$(mktemp -d /run/nstopo-test.XXXXXX)
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what=$1; shift
  if "$@" >"$WORK/out" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/    /' "$WORK/out"; fi
}

# check_exit CODE DESCRIPTION COMMAND...: the command must exit with CODE.
check_exit() {
  local want=$1 what=$2; shift 2
  "$@" >"$WORK/out" 2>&1
  local got=$?
  if [[ $got -eq $want ]]; then pass "$what"; else fail "$what (exit $got, wanted $want)"; sed 's/^/    /' "$WORK/out"; fi
}

# check_output_contains DESCRIPTION TEXT: the last command's output holds TEXT.
check_output_contains() {
  if grep -qF -- "$2" "$WORK/out"; then pass "$1"; else fail "$1: no '$2' in:"; sed 's/^/    /' "$WORK/out"; fi
}
check_output_lacks() {
  if ! grep -qF -- "$2" "$WORK/out"; then pass "$1"; else fail "$1: unexpected '$2' in:"; sed 's/^/    /' "$WORK/out"; fi
}

# The VXLAN tunnel ends of a namespace (`-n NS`, or the host): name, VNI, remote, local, port.
vxlan_tunnels() {
  ip "$@" -d -o link show type vxlan 2>/dev/null |
    sed -E 's/^[0-9]+: ([^:@]+).* vxlan id ([0-9]+) remote ([^ ]+) local ([^ ]+) .*dstport ([0-9]+).*/vxlan \1 \2 \3 \4 \5/' | sort
}

# Everything the network layer can see, to compare before/after.
snapshot() {
  {
    ls /run/netns 2>/dev/null | sort
    ip -o link show | sed 's/^[0-9]*: //; s/ qlen.*//' | awk '{print $1, $2, $3}' | sort
    vxlan_tunnels
    ip -o addr show | awk '{print $2, $3, $4}' | sort
    ip -o route show table all | sort
    tc qdisc show | sort
    echo "== nftables"
    nft list ruleset 2>&1
    for ns in $(ls /run/netns 2>/dev/null); do
      echo "== $ns"
      ip -n "$ns" -o link show | sed 's/^[0-9]*: //' | awk '{print $1, $2, $3}' | sort
      vxlan_tunnels -n "$ns"
      ip -n "$ns" -o addr show | awk '{print $2, $3, $4}' | sort
      ip -n "$ns" -o route show table all | sort
      tc -n "$ns" qdisc show | sort
    done
  } 2>&1
}

finish() {
  echo "$passed passed, $failed failed"
  rm -rf "$WORK"
  [[ $failed -eq 0 ]]
  exit $?
}

# Processes outside the test's own process tree (its subshells, ps, python...): inside the
# sandbox's PID namespace that is the sandbox's init (pid 1) and whatever the commands under
# test left behind, e.g. a service reparented to init. One "pid args" line each; zombies
# (dead, about to be reaped by init) are left out.
foreign_processes() {
  /usr/bin/python3 - "$$" <<'PY'
import os, sys
root = int(sys.argv[1])
parent, args = {}, {}
for entry in os.listdir("/proc"):
    if not entry.isdigit():
        continue
    try:
        with open(f"/proc/{entry}/stat") as f:
            stat = f.read()
        with open(f"/proc/{entry}/cmdline", "rb") as f:
            cmdline = f.read()
    except OSError:
        continue  # it ended meanwhile
    pid = int(entry)
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":
        continue  # dead, not yet reaped by init: nothing runs
    parent[pid] = int(fields[1])
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    args[pid] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip() or f"[{name}]"
def ours(pid):
    while pid > 1:
        if pid == root:
            return True
        pid = parent.get(pid, 0)
    return False
for pid in sorted(parent):
    if not ours(pid):
        print(pid, args[pid])
PY
}

# The host side of snapshot() and more: policy rules, the given sysctls (SNAPSHOT_SYSCTLS, a
# space-separated list of keys), mounts under /run/netns, /etc/hosts and /etc/netns, the state directory's files (lock
# files aside, named lock or *.lock or under a locks/ directory: a lock may stay by design)
# and foreign_processes(). Two equal snapshot_full
# outputs mean nothing of a lab survived and the host's settings are as they were.
snapshot_full() {
  snapshot
  {
    echo "== rules"
    ip -4 rule show; ip -6 rule show
    echo "== sysctls"
    for key in ${SNAPSHOT_SYSCTLS:-}; do echo "$key = $(sysctl -n "$key" 2>&1)"; done
    echo "== mounts under /run/netns"
    awk '$5 ~ "^/run/netns/" {print $5, $9}' /proc/self/mountinfo | sort
    # Name files (model/name_files.h): the sandbox's private /etc/hosts, whole, and every
    # file under its private /etc/netns, with its content's sum.
    echo "== /etc/hosts"
    md5sum /etc/hosts
    echo "== /etc/netns"
    find /etc/netns -mindepth 1 -printf '%p %y %m\n' 2>/dev/null | sort
    find /etc/netns -type f -exec md5sum {} + 2>/dev/null | sort
    echo "== state files"
    find /run/nstopo -mindepth 1 ! -type d 2>/dev/null | grep -vE '(^|/)\.?locks?(/|$)|\.lock$' | sort
    echo "== processes"
    foreign_processes
  } 2>&1
}
