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

# /etc is the machine's own, and a lab with names writes /etc/netns/NS/* and /etc/hosts: in
# here both are private. /etc becomes an overlay whose upper layer lives on the private /run
# (a write copies the file up, the real one is never touched; renames work as on a real /etc),
# /etc/netns a tmpfs of its own, and /etc/hosts a private copy (an overlay's upper file, or
# where overlayfs is refused, a copy bind-mounted over it). Nothing a test writes reaches the
# real files, and nothing of them outlives the sandbox.
private_etc() {
  mkdir -p /run/.sandbox-etc/upper /run/.sandbox-etc/work
  if mount -t overlay nstopo-sandbox-etc \
       -o lowerdir=/etc,upperdir=/run/.sandbox-etc/upper,workdir=/run/.sandbox-etc/work /etc \
       2>/dev/null; then
    mkdir -p /etc/netns
    mount -t tmpfs -o mode=0755 nstopo-sandbox-netns /etc/netns
    return 0
  fi
  if [[ ! -d /etc/netns ]]; then
    echo "SKIP: no overlayfs here, and no /etc/netns to hide (it would be made on the real /etc)"
    exit 77
  fi
  mount -t tmpfs -o mode=0755 nstopo-sandbox-netns /etc/netns
  cp -p /etc/hosts /run/.sandbox-etc/hosts
  mount --bind /run/.sandbox-etc/hosts /etc/hosts
}
private_etc
ip link set lo up
"$@"
