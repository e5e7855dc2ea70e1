#!/usr/bin/env bash
# Runs a command inside a throwaway sandbox: fresh network, mount and PID namespaces, with a
# private tmpfs on /run (so /run/netns and the state directory /run/nstopo are private).
# Its "host" is an empty network namespace; when the command ends, the PID namespace ends
# and with it every process a test started. Nothing leaks out, nothing survives.
# Exit 77 (CTest's skip code) when the machine does not allow it.
set -euo pipefail

if [[ -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "SKIP: the sandbox needs root (unshare of net, mount and pid namespaces)"
    exit 77
  fi
  if ! unshare --net --mount --pid --fork true 2>/dev/null; then
    echo "SKIP: this machine refuses unshare(CLONE_NEWNET|CLONE_NEWNS|CLONE_NEWPID)"
    exit 77
  fi
  exec unshare --net --mount --pid --fork --mount-proc --propagation private \
    env NSTOPO_IN_SANDBOX=1 "$0" "$@"
fi

mount -t tmpfs -o mode=0755 nstopo-sandbox /run
mkdir -p /run/netns /run/nstopo
ip link set lo up
"$@"
