#!/usr/bin/env bash
# The output contract (issue 14): every command's -o json document, success or failure (usage,
# validation, conflict), matches schemas/output.schema.json; -o yaml is the same tree; text is
# coloured and shows a live progress line only on a terminal (checked through `script`'s
# pseudo-terminal), never in a pipe or with NO_COLOR; -q prints nothing but errors.
source "$(dirname "$0")/lib.sh"

DOCS=$WORK/docs
mkdir -p "$DOCS"
cat > "$WORK/oc.yaml" <<'YAML'
version: 1
name: oc
host:
  interfaces:
    veth_oc0: {addresses: [10.41.0.1/24]}
namespaces:
  ns_oc:
    interfaces:
      veth_oc1: {addresses: [10.41.0.2/24]}
    routes:
      - {to: default, via: 10.41.0.1}
    services:
      idle:
        command: [sleep, "600"]
links:
  - endpoints: [host:veth_oc0, ns_oc:veth_oc1]
checks:
  - {name: gateway, ping: {from: ns_oc, to: 10.41.0.1}}
  - {name: isolated, ping: {from: ns_oc, to: 10.41.0.1, timeout: 1s}, expect: fail}
YAML
printf 'version: 1\nname: broken\nnamespaces:\n  ns_b: {interfaces: {eth0: {addresses: [10.0.0.300/24]}}}\n' \
  > "$WORK/broken.yaml"

# doc NAME CODE COMMAND...: the command prints one document on stdout and exits CODE.
doc() {
  local name=$1 want=$2; shift 2
  "$@" >"$DOCS/$name" 2>"$WORK/stderr"
  local got=$?
  if [[ $got -eq $want ]]; then pass "$name: exit $want"; else fail "$name: exit $got, wanted $want"; cat "$WORK/stderr"; fi
}

doc validate_ok.json 0 "$NSTOPO" validate -o json "$WORK/oc.yaml"
doc validate_bad.json 1 "$NSTOPO" validate -o json "$WORK/oc.yaml" "$WORK/broken.yaml"
doc plan_invalid.json 1 "$NSTOPO" plan -o json "$WORK/broken.yaml"
doc usage_no_file.json 64 "$NSTOPO" plan -o json
doc usage_bad_option.json 64 "$NSTOPO" apply --bogus -o json "$WORK/oc.yaml"
doc usage_unknown_command.json 64 "$NSTOPO" aply -o json "$WORK/oc.yaml"
doc usage_destroy_nothing.json 64 "$NSTOPO" destroy -o json
doc plan_create.json 0 "$NSTOPO" plan -o json "$WORK/oc.yaml"
doc plan_create.yaml 0 "$NSTOPO" plan -o yaml "$WORK/oc.yaml"
doc apply.json 0 "$NSTOPO" apply -o json "$WORK/oc.yaml"
doc apply_again.json 0 "$NSTOPO" apply -o json "$WORK/oc.yaml"
doc status.json 0 "$NSTOPO" status -o json "$WORK/oc.yaml"
doc status.yaml 0 "$NSTOPO" status -o yaml "$WORK/oc.yaml"
doc ls.json 0 "$NSTOPO" ls -o json
doc ls.yaml 0 "$NSTOPO" ls -o yaml
doc usage_ls.json 64 "$NSTOPO" ls --bogus -o json
doc check.json 0 "$NSTOPO" check -o json --only gateway "$WORK/oc.yaml"
doc check_failed.json 1 "$NSTOPO" check -o json --only isolated "$WORK/oc.yaml"
doc check_invalid.json 1 "$NSTOPO" check -o json "$WORK/broken.yaml"
doc graph.json 0 "$NSTOPO" graph -f json "$WORK/oc.yaml"
doc graph_invalid.json 1 "$NSTOPO" graph -f json "$WORK/broken.yaml"
doc show.json 0 "$NSTOPO" show -o json ns_oc
doc show_missing.json 1 "$NSTOPO" show -o json ns_nowhere
ip link add veth_ocx type veth peer name veth_ocy
sed 's/veth_oc0/veth_ocx/' "$WORK/oc.yaml" | sed 's/name: oc$/name: oc2/; s/ns_oc/ns_oc2/; s/10.41/10.42/g' > "$WORK/clash.yaml"
doc plan_conflict.json 3 "$NSTOPO" plan -o json "$WORK/clash.yaml"
doc status_conflict.json 0 "$NSTOPO" status -o json "$WORK/clash.yaml"
ip link del veth_ocx
doc destroy.json 0 "$NSTOPO" destroy -o json "$WORK/oc.yaml"
doc destroy_again.json 0 "$NSTOPO" destroy -o json "$WORK/oc.yaml"
check "every document matches schemas/output.schema.json (and its YAML twin)" \
  /usr/bin/python3 "$NSTOPO_SOURCE_DIR/tests/schema/check_output.py" \
  "$NSTOPO_SOURCE_DIR/schemas/output.schema.json" "$DOCS"/*.json
sed 's/^/    /' "$WORK/out"

# The same shape everywhere: actions, conflicts and status objects name {kind, namespace, name}.
check "an action names its object by kind, namespace and name" /usr/bin/python3 - "$DOCS" <<'PY'
import json, sys
d = sys.argv[1]
plan = json.load(open(f"{d}/plan_create.json"))
refs = {(a["kind"], a["namespace"], a["name"]) for a in plan["actions"]}
assert ("namespace", "ns_oc", "ns_oc") in refs, refs
assert ("link", "host", "veth_oc0") in refs, refs
assert ("service", "ns_oc", "idle") in refs, refs
conflict = json.load(open(f"{d}/plan_conflict.json"))
assert conflict["error"]["kind"] == "conflict", conflict
assert [(c["kind"], c["namespace"], c["name"]) for c in conflict["conflicts"]] == [("link", "host", "veth_ocx")], conflict
status = json.load(open(f"{d}/status.json"))
assert all({"kind", "namespace", "name"} <= o.keys() for o in status["objects"]), status
labs = json.load(open(f"{d}/ls.json"))["labs"]
assert [(l["kind"], l["name"], l["state"]) for l in labs] == [("lab", "oc", "in_sync")], labs
checks = json.load(open(f"{d}/check.json"))["checks"]
assert [(c["kind"], c["namespace"], c["name"], c["held"]) for c in checks] == [("check", "ns_oc", "gateway", True)], checks
failed = json.load(open(f"{d}/check_failed.json"))
assert failed["summary"]["failed"] == 1 and failed["checks"][0]["evidence"], failed
graph = json.load(open(f"{d}/graph.json"))
assert ("namespace", "ns_oc", "ns_oc") in {(n["kind"], n["namespace"], n["name"]) for n in graph["nodes"]}, graph
ends = [e["interface"] for e in graph["edges"][0]["ends"]]
assert [(i["kind"], i["namespace"], i["name"], i["state"]) for i in ends] == [
    ("link", "host", "veth_oc0", "present"), ("link", "ns_oc", "veth_oc1", "present")], ends
show = json.load(open(f"{d}/show.json"))
assert "veth_oc1" in show["topology"]["namespaces"]["ns_oc"]["interfaces"], show
for name in ("check_invalid.json", "graph_invalid.json", "show_missing.json", "usage_ls.json"):
    assert "error" in json.load(open(f"{d}/{name}")), name
usage = json.load(open(f"{d}/usage_unknown_command.json"))
assert "did you mean 'apply'" in usage["error"]["message"], usage
PY

# Text on a terminal: colour and the live line; in a pipe neither; NO_COLOR and -v as documented.
tty() { script -qec "$*" /dev/null; }
tty "$NSTOPO" plan "$WORK/oc.yaml" >"$WORK/out" 2>&1
check_output_contains "plan on a terminal colours a create green" $'\033[32m  +'
"$NSTOPO" plan "$WORK/oc.yaml" >"$WORK/out" 2>&1
check_output_lacks "plan in a pipe has no colour" $'\033['
tty env NO_COLOR=1 "$NSTOPO" plan "$WORK/oc.yaml" >"$WORK/out" 2>&1
check_output_lacks "NO_COLOR: no colour even on a terminal" $'\033[3'
tty "$NSTOPO" apply "$WORK/oc.yaml" >"$WORK/out" 2>&1
check_output_contains "apply on a terminal shows the live line" "Lab oc: applying ["
check_output_contains "... which rewrites itself" $'\r\033[K'
check_output_contains "... and the summary stays" "Apply complete: lab oc"
check_output_lacks "... without a line per action" "namespace ns_oc  ("
tty "$NSTOPO" destroy -v "$WORK/oc.yaml" >"$WORK/out" 2>&1
check_output_contains "-v on a terminal: a line per action" "- namespace ns_oc"
check_output_lacks "... and no live line" $'\r\033[K'
check_exit 0 "apply -q" "$NSTOPO" apply -q "$WORK/oc.yaml"
if [[ -s $WORK/out ]]; then fail "apply -q printed:"; sed 's/^/    /' "$WORK/out"; else pass "apply -q prints nothing"; fi
check_exit 1 "-q still prints errors" "$NSTOPO" -q plan "$WORK/broken.yaml"
check_output_contains "... the diagnostic" "invalid address '10.0.0.300/24'"
check "destroy" "$NSTOPO" destroy -q "$WORK/oc.yaml"
finish
