#!/usr/bin/env bash
# deploy/ansible/nstopo.yml passes `ansible-playbook --syntax-check`, and a broken copy of it
# (a task with two actions) does not: the check can fail. Skips (77) without Ansible.
# The playbook is run for real in tests/integration/test_ansible.sh.
set -uo pipefail
source_dir=$1
playbook=$source_dir/deploy/ansible/nstopo.yml
command -v ansible-playbook >/dev/null || { echo "SKIP: ansible-playbook is not installed (apt-get install ansible-core)"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Nothing of Ansible's in ~/.ansible, no ansible.cfg from the working directory.
: >"$work/ansible.cfg"
export ANSIBLE_CONFIG=$work/ansible.cfg ANSIBLE_HOME=$work/home ANSIBLE_LOCAL_TEMP=$work/tmp \
  ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 LC_ALL=C.UTF-8
inventory=$source_dir/deploy/ansible/inventory.example.yml

ansible-playbook --syntax-check -i "$inventory" "$playbook" >"$work/out" 2>&1 ||
  { cat "$work/out"; fail "nstopo.yml: syntax check failed"; }
grep -q "playbook: " "$work/out" || { cat "$work/out"; fail "the syntax check said nothing of the playbook"; }
ansible-inventory -i "$inventory" --list >"$work/inventory.json" 2>"$work/err" ||
  { cat "$work/err"; fail "inventory.example.yml does not parse"; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert sorted(d["nstopo"]["hosts"]) == ["m1", "m2"], d' \
  "$work/inventory.json" || fail "inventory.example.yml: the group nstopo is not m1, m2"

sed 's/^    - name: Copy the topology file$/&\n      ansible.builtin.shell: echo a second action/' "$playbook" >"$work/broken.yml"
cmp -s "$playbook" "$work/broken.yml" && fail "could not break the copy (the task was renamed?)"
if ansible-playbook --syntax-check -i "$inventory" "$work/broken.yml" >"$work/out" 2>&1; then
  cat "$work/out"; fail "a task with two actions passed the syntax check: the check checks nothing"
fi
grep -q "conflicting action statements" "$work/out" || { cat "$work/out"; fail "the broken copy failed for another reason"; }
echo "ok: nstopo.yml passes ansible-playbook --syntax-check; a broken copy does not"
