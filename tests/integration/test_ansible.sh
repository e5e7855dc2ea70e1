#!/usr/bin/env bash
# deploy/ansible/nstopo.yml for real, against two machines: the sim hosts m1 and m2 of
# simhosts.sh, reached through the nsenter connection plugin (ansible/connection_plugins).
# First the plugin alone (commands, files in and out, each machine its own); then the lab of
# issue 13 (a on m1, b on m2, a link between them: a VXLAN tunnel on each): after the
# playbook each machine has its share and a pings b; a second run and a --check run change
# nothing (changed=0); one machine at a time (nstopo_serial=1) works too; nstopo_state=absent
# leaves each machine as it was before, and a second absent changes nothing; --check on clean
# machines reports changes and makes none; a machine the topology does not name is refused.
# The lab part needs the multi-host CLI (`nstopo apply --host`): without it, exit 77 after
# the plugin's checks. Skips (77) when ansible-playbook is not installed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/simhosts.sh"

if ! command -v ansible-playbook >/dev/null; then
  echo "SKIP: ansible-playbook is not installed (apt-get install ansible-core)"
  exit 77
fi
PLAYBOOK=$NSTOPO_SOURCE_DIR/deploy/ansible/nstopo.yml

# Nothing of Ansible's goes to ~/.ansible or reads a config from the working directory.
mkdir -p "$WORK/ansible/home" "$WORK/ansible/tmp" "$WORK/ansible/remote-tmp"
: >"$WORK/ansible/ansible.cfg"
export ANSIBLE_CONFIG=$WORK/ansible/ansible.cfg ANSIBLE_HOME=$WORK/ansible/home \
  ANSIBLE_LOCAL_TEMP=$WORK/ansible/tmp ANSIBLE_REMOTE_TMP=$WORK/ansible/remote-tmp \
  ANSIBLE_CONNECTION_PLUGINS=$NSTOPO_SOURCE_DIR/tests/integration/ansible/connection_plugins \
  ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0 \
  ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 LC_ALL=C.UTF-8

cat >"$WORK/span.yaml" <<'EOF'
version: 1
name: span
hosts:
  m1: {address: 192.0.2.1}
  m2: {address: 192.0.2.2}
namespaces:
  a: {on: m1, interfaces: {eth0: {addresses: [10.9.0.1/24]}}}
  b: {on: m2, interfaces: {eth0: {addresses: [10.9.0.2/24]}}}
links:
  - endpoints: [a:eth0, b:eth0]   # different machines: a VXLAN tunnel on each
EOF

check "start sim host m1" simhost_start m1 192.0.2.1/24
check "start sim host m2" simhost_start m2 192.0.2.2/24

cat >"$WORK/inventory.yml" <<EOF
nstopo:
  hosts:
    m1: {ansible_nsenter_pid_file: $WORK/simhosts/m1/pid}
    m2: {ansible_nsenter_pid: $(simhost_pid m2)}
  vars:
    ansible_connection: nsenter
    nstopo_binary: $NSTOPO
    nstopo_topology: $WORK/span.yaml
EOF
INVENTORY=$WORK/inventory.yml

# playbook ARGS...: the playbook on the inventory; its output is kept in $WORK/playbook.out
# too (check's $WORK/out is the next check's).
playbook() { ansible-playbook -i "$INVENTORY" "$PLAYBOOK" "$@" 2>&1 | tee "$WORK/playbook.out"; }
# recap_changed HOST: HOST's changed= count in the last run's PLAY RECAP.
recap_changed() { sed -n "s/^$1 *: .* changed=\([0-9]*\) .*/\1/p" "$WORK/playbook.out" | tail -1; }
changed_on() { local n; n=$(recap_changed "$1"); [[ -n $n && $n -gt 0 ]]; }
unchanged_on() { [[ $(recap_changed "$1") == 0 ]]; }

# The plugin alone.
check "ansible runs a command in each machine" ansible -i "$INVENTORY" nstopo -m ansible.builtin.command -a hostname
sed -n '/^m1 | CHANGED | rc=0 >>$/{n;p}' "$WORK/out" >"$WORK/hostname-m1"
sed -n '/^m2 | CHANGED | rc=0 >>$/{n;p}' "$WORK/out" >"$WORK/hostname-m2"
check "m1 answers with its hostname" grep -qx m1 "$WORK/hostname-m1"
check "m2 answers with its hostname" grep -qx m2 "$WORK/hostname-m2"
check "copy a file into m1 (put_file)" \
  ansible -i "$INVENTORY" m1 -m ansible.builtin.copy -a "content=probe\n dest=/etc/nstopo/probe mode=0644"
check "it is in m1" simhost_run m1 grep -qx probe /etc/nstopo/probe
check "not in m2" simhost_run m2 test ! -e /etc/nstopo/probe
check "not in the sandbox" test ! -e /etc/nstopo/probe
check "fetch it back (fetch_file)" \
  ansible -i "$INVENTORY" m1 -m ansible.builtin.fetch -a "src=/etc/nstopo/probe dest=$WORK/fetched/ flat=yes"
check "the fetched file is the one in m1" grep -qx probe "$WORK/fetched/probe"
check "remove it" ansible -i "$INVENTORY" m1 -m ansible.builtin.file -a "path=/etc/nstopo/probe state=absent"
check_exit 4 "a stale PID is unreachable, not run elsewhere" \
  ansible -i "$INVENTORY" m1 -e ansible_nsenter_pid=999999 -m ansible.builtin.command -a hostname
check_output_contains "it says why" "no process 999999"
check_exit 2 "a machine the topology does not name is refused" playbook --limit m1 -e nstopo_machine=zz
check_output_contains "the refusal names it" "must have an entry zz"

if ! "$NSTOPO" apply --help 2>&1 | grep -- "--host" >/dev/null; then
  simhost_stop_all
  echo "$passed passed, $failed failed"
  ((failed == 0)) || exit 1
  echo "SKIP: the lab part needs the multi-host CLI (nstopo apply --host, issue 13); $NSTOPO has none"
  rm -rf "$WORK"
  exit 77
fi

declare -A before
for h in m1 m2; do before[$h]=$(simhost_snapshot_full "$h"); done
processes_before=$(foreign_processes)
same_as_before() {
  local h status=0
  for h in m1 m2; do
    diff <(echo "${before[$h]}") <(simhost_snapshot_full "$h") | sed "s/^/$h: /" || status=1
  done
  diff <(echo "$processes_before") <(foreign_processes) | sed 's/^/processes: /' || status=1
  return $status
}
ns_list() { simhost_run "$1" ip netns list | awk '{print $1}' | sort | paste -sd' '; }

check "--check on clean machines" playbook --check
check "it reports changes on m1" changed_on m1
check "and on m2" changed_on m2
check "and makes none" same_as_before

check "apply the lab with the playbook" playbook
check "it changed m1" changed_on m1
check "it changed m2" changed_on m2
check "m1 has its share, a, and not b" test "$(ns_list m1)" = a
check "m2 has its share, b, and not a" test "$(ns_list m2)" = b
check "each has the topology file" simhost_run m2 cmp /etc/nstopo/span.yaml "$WORK/span.yaml"
check "a pings b across the VXLAN" simhost_run m1 ip netns exec a ping -c 1 -w 5 10.9.0.2
check "b pings a back" simhost_run m2 ip netns exec b ping -c 1 -w 5 10.9.0.1
check "nstopo status --host m1 agrees on m1" simhost_run m1 "$NSTOPO" status --host m1 --detailed-exitcode /etc/nstopo/span.yaml

check "a second run" playbook
check "changes nothing on m1" unchanged_on m1
check "nor on m2" unchanged_on m2
check "--check on the converged lab" playbook --check
check "reports no change on m1" unchanged_on m1
check "nor on m2" unchanged_on m2
check "one machine at a time (nstopo_serial=1)" playbook -e nstopo_serial=1
check "ran two batches" test "$(grep -c '^PLAY \[nstopo lab\]' "$WORK/playbook.out")" = 2
check "and changed nothing" unchanged_on m2

check "nstopo_state=absent" playbook -e nstopo_state=absent
check "it changed m1" changed_on m1
check "it changed m2" changed_on m2
check "m1 has no lab namespace left" test -z "$(ns_list m1)"
check "m1's /etc/nstopo is empty again" test -z "$(simhost_run m1 ls -A /etc/nstopo)"
check "m2's too" test -z "$(simhost_run m2 ls -A /etc/nstopo)"
check "each machine is as it was before" same_as_before
check "absent again" playbook -e nstopo_state=absent
check "changes nothing on m1" unchanged_on m1
check "nor on m2" unchanged_on m2
check "--check of absent on clean machines" playbook --check -e nstopo_state=absent
check "reports no change" unchanged_on m1

check "stop the sim hosts" simhost_stop_all
finish
