# shellcheck shell=bash
# Simulated machines for multi-host tests (issue 13), sourced after lib.sh by a test that runs
# inside sandbox.sh. A sim host is one long-lived process (`sleep infinity`) that is its own
# network, mount and UTS namespace: hostname NAME, lo up, private tmpfs on /run/netns,
# /run/nstopo (the state directory), /etc/netns and /etc/nstopo (where a deployment puts the
# topology file), and a private copy of /etc/hosts bind-mounted over it. Everything else of
# the file system is the sandbox's, so the nstopo binary, python3 and $WORK are there too.
#
# The underlay: one bridge `underlay0` in the sandbox's root namespace (made by the first
# start, removed by simhost_stop_all), and per sim host a veth pair: `ul-NAME` on the bridge,
# `underlay0` inside the sim host with the given addresses. Only the sim hosts are on it.
#
#   simhost_start NAME ADDRESS/PREFIX [ADDRESS6/PREFIX]   start one (fails if it cannot)
#   simhost_run NAME CMD...        run CMD inside it, in the caller's working directory
#   simhost_pid NAME               its PID (the process whose namespaces it is)
#   simhost_names                  the started ones, one a line, in start order
#   simhost_snapshot NAME          lib.sh's snapshot, taken inside it
#   simhost_snapshot_full NAME     lib.sh's snapshot_full inside it, processes aside (they
#                                  are the sandbox's: compare foreign_processes there)
#   simhost_stop_all               kill the sim hosts (their PIDs only) and remove the underlay
#
# PIDs are kept in SIMHOST_PID and in $WORK/simhosts/NAME/pid (for subshells and for tools
# such as the ansible connection plugin, which read the file).

if [[ -z ${WORK:-} || -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  echo "simhosts.sh: source lib.sh first (inside sandbox.sh)" >&2
  exit 1
fi

SIMHOST_DIR=$WORK/simhosts
SIMHOST_BRIDGE=underlay0
declare -gA SIMHOST_PID=()
declare -ga SIMHOST_ORDER=()

# The part that runs inside the new namespaces, before the process becomes `sleep infinity`.
# Arguments: NAME DIR. It writes DIR/ready when the namespaces are set up.
_simhost_init() {
  local name=$1 dir=$2
  hostname "$name" &&
    mount -t tmpfs -o mode=0755 "simhost-$name-netns" /run/netns &&
    mount -t tmpfs -o mode=0755 "simhost-$name-state" /run/nstopo &&
    mkdir -p /etc/netns /etc/nstopo &&
    mount -t tmpfs -o mode=0755 "simhost-$name-etc-netns" /etc/netns &&
    mount -t tmpfs -o mode=0755 "simhost-$name-etc-nstopo" /etc/nstopo &&
    cp -p /etc/hosts "$dir/hosts" &&
    mount --bind "$dir/hosts" /etc/hosts &&
    ip link set lo up &&
    : >"$dir/ready"
}

simhost_pid() {
  local name=$1
  if [[ -n ${SIMHOST_PID[$name]:-} ]]; then
    echo "${SIMHOST_PID[$name]}"
  elif [[ -r $SIMHOST_DIR/$name/pid ]]; then
    cat "$SIMHOST_DIR/$name/pid"
  else
    echo "simhost: no sim host $name" >&2
    return 1
  fi
}

simhost_names() { local n; for n in "${SIMHOST_ORDER[@]}"; do echo "$n"; done; }

simhost_run() {
  local name=$1 pid; shift
  pid=$(simhost_pid "$name") || return 1
  nsenter --target "$pid" --net --mount --uts --wd="$PWD" -- "$@"
}

simhost_start() {
  local name=${1:?simhost_start NAME ADDRESS/PREFIX [ADDRESS6/PREFIX]} address=${2:?} address6=${3:-}
  local dir=$SIMHOST_DIR/$name pid i
  # ul-NAME must fit IFNAMSIZ (15 characters); a hostname-like name keeps paths and links sane.
  if [[ ! $name =~ ^[a-z][a-z0-9-]{0,11}$ ]]; then
    echo "simhost: bad name '$name' (a-z, 0-9, -; at most 12 characters)" >&2
    return 1
  fi
  if [[ -e $dir ]]; then
    echo "simhost: $name was started already" >&2
    return 1
  fi
  mkdir -p "$dir"
  if ! ip link show "$SIMHOST_BRIDGE" >/dev/null 2>&1; then
    ip link add "$SIMHOST_BRIDGE" type bridge || return 1
    ip link set "$SIMHOST_BRIDGE" up || return 1
  fi
  # No --fork: unshare(2) then exec, so $! is the process that is the namespaces, and the
  # init function execs sleep in place: the PID stays the sim host's for its whole life.
  unshare --net --mount --uts --propagation private \
    bash -c "$(declare -f _simhost_init); _simhost_init \"\$1\" \"\$2\" && exec sleep infinity" \
    simhost "$name" "$dir" </dev/null >"$dir/log" 2>&1 &
  pid=$!
  for ((i = 0; i < 100; i++)); do
    [[ -e $dir/ready ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [[ ! -e $dir/ready ]]; then
    echo "simhost: $name did not start:" >&2
    sed 's/^/    /' "$dir/log" >&2
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 1
  fi
  SIMHOST_PID[$name]=$pid
  SIMHOST_ORDER+=("$name")
  echo "$pid" >"$dir/pid"
  # The peer is made straight inside the sim host: the root namespace has an underlay0 already.
  ip link add "ul-$name" type veth peer name underlay0 netns "$pid" || return 1
  ip link set "ul-$name" master "$SIMHOST_BRIDGE" || return 1
  ip link set "ul-$name" up || return 1
  simhost_run "$name" ip addr add "$address" dev underlay0 || return 1
  if [[ -n $address6 ]]; then
    # No duplicate detection (nobody else has the address): usable at once, link-local too.
    simhost_run "$name" sysctl -qw net.ipv6.conf.underlay0.accept_dad=0 || return 1
    simhost_run "$name" ip addr add "$address6" dev underlay0 nodad || return 1
  fi
  simhost_run "$name" ip link set underlay0 up || return 1
}

simhost_snapshot() {
  simhost_run "$1" bash -c "$(declare -f vxlan_tunnels snapshot); snapshot"
}

simhost_snapshot_full() {
  simhost_run "$1" env SNAPSHOT_SYSCTLS="${SNAPSHOT_SYSCTLS:-}" \
    bash -c "$(declare -f vxlan_tunnels snapshot snapshot_full); foreign_processes() { :; }; snapshot_full"
}

simhost_stop_all() {
  local name pid i status=0
  for name in "${SIMHOST_ORDER[@]}"; do
    pid=${SIMHOST_PID[$name]}
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  for name in "${SIMHOST_ORDER[@]}"; do
    pid=${SIMHOST_PID[$name]}
    # wait reaps only a child of this shell; a start from a subshell is polled for instead.
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "simhost: $name (pid $pid) did not end" >&2
      status=1
    fi
    # The kernel takes a dead namespace's links away in the background: ul-NAME goes with it.
    for ((i = 0; i < 100; i++)); do
      ip link show "ul-$name" >/dev/null 2>&1 || break
      sleep 0.05
    done
    ip link del "ul-$name" 2>/dev/null
    rm -rf "${SIMHOST_DIR:?}/$name"
  done
  SIMHOST_PID=()
  SIMHOST_ORDER=()
  ip link del "$SIMHOST_BRIDGE" 2>/dev/null
  rmdir "$SIMHOST_DIR" 2>/dev/null
  return $status
}
