#!/usr/bin/env bash
# deploy/kubernetes/nstopo-daemonset.yaml without a cluster:
#  - validate_kubernetes.mjs: the Kubernetes OpenAPI schema (kubernetes-models), unknown
#    fields (TypeScript's types of the same), and what the API server checks beyond them;
#  - broken copies (a wrong field type, a misspelled field, a missing required field, ...)
#    must each fail it, with the problem named: the check can fail;
#  - what nstopo needs of it (privileged, host network and PIDs, the mounts, NODE_NAME from
#    spec.nodeName, the lab's nodes = the topology's hosts:), checked on the parsed manifest;
#  - the container's script itself, run with a stand-in nstopo: apply --host NODE, apply
#    again when the file changes, destroy --host NODE on SIGTERM, and its readiness probe;
#  - `nstopo validate` of the ConfigMap's topology, once nstopo knows hosts: (issue 13).
# Usage: validate_kubernetes.sh SOURCE_DIR [NSTOPO]; validate_kubernetes.sh --dir SOURCE_DIR
# prints where scripts/install-k8s-validator.sh installs the validator's packages. Skips (77)
# when node or those packages are not installed.
set -uo pipefail

validator_dir() {
  local lock=$1/tests/deploy/validate_kubernetes.package-lock.json
  echo "${NSTOPO_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nstopo-tests}/k8s-validator-$(sha256sum <"$lock" | cut -c1-12)"
}
if [[ ${1:-} == --dir ]]; then validator_dir "$2"; exit; fi

source_dir=$1 nstopo=${2:-}
manifest=$source_dir/deploy/kubernetes/nstopo-daemonset.yaml
validator=$source_dir/tests/deploy/validate_kubernetes.mjs
dir=$(validator_dir "$source_dir")
command -v node >/dev/null || { echo "SKIP: node is not installed (scripts/install-k8s-validator.sh)"; exit 77; }
[[ -e $dir/.installed ]] || { echo "SKIP: the validator is not installed in $dir (scripts/install-k8s-validator.sh)"; exit 77; }

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
validate() { node "$validator" "$dir" "$@" >"$work/out" 2>&1; }

if validate "$manifest"; then pass "the manifest is valid: $(tail -1 "$work/out")"
else fail "the manifest is not valid:"; sed 's/^/    /' "$work/out"; fi

# broken DESCRIPTION EXPECTED SED-SCRIPT: the manifest through sed must fail, naming EXPECTED.
broken() {
  local what=$1 expected=$2 script=$3
  sed "$script" "$manifest" >"$work/broken.yaml"
  if cmp -s "$manifest" "$work/broken.yaml"; then fail "$what: the sed script changed nothing"; return; fi
  if validate "$work/broken.yaml"; then fail "$what: passed validation"; sed 's/^/    /' "$work/out"
  elif ! grep -qF -- "$expected" "$work/out"; then fail "$what: failed, but not for '$expected':"; sed 's/^/    /' "$work/out"
  else pass "$what: refused ($(grep -F -m1 -- "$expected" "$work/out" | sed 's/^[^:]*: //'))"; fi
}
broken "a wrong field type" "terminationGracePeriodSeconds must be integer" \
  's/terminationGracePeriodSeconds: 60/terminationGracePeriodSeconds: "sixty"/'
broken "a boolean as a string" "hostNetwork must be boolean" 's/hostNetwork: true/hostNetwork: "yes"/'
broken "a misspelled field" "Did you mean to write 'mountPropagation'?" \
  's/mountPropagation: Bidirectional/mountPropogation: Bidirectional/'
broken "a value outside its enum" "mountPropagation must be equal to one of the allowed values" \
  's/mountPropagation: Bidirectional/mountPropagation: Both/'
broken "a missing required field" "containers/0 must have required property name" 's/^        - name: nstopo$/        - tty: false/'
broken "an unknown kind" "unknown apiVersion/kind apps/v1/DaemonSett" 's/^kind: DaemonSet$/kind: DaemonSett/'
broken "Bidirectional without privileged" "Bidirectional propagation needs a privileged container" \
  's/privileged: true/privileged: false/'
broken "\$(VAR) in an exec probe" "is not expanded in an exec command" \
  "s|status --host \"\$NODE_NAME\"|status --host \$(NODE_NAME)|"
broken "a mount of no volume" "no volume named state" '/^        - name: state$/,+3d'
broken "a ConfigMap not in the file" "no ConfigMap nstopo/nstopo-lab" '0,/name: nstopo-lab$/s//name: nstopo-labs/'
broken "a selector that misses the template" "does not match the template's labels" \
  '/^  template:$/,/^    spec:$/s/app.kubernetes.io\/name: nstopo/app.kubernetes.io\/name: other/'
broken "a YAML error" "YAML:" 's/^  name: nstopo-lab$/  name: [nstopo-lab/'

# What nstopo needs of the manifest, on the parsed objects.
if /usr/bin/python3 - "$manifest" "$work" >"$work/out" 2>&1 <<'PY'; then
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = {d["kind"]: d for d in docs}
ds, cm = kinds["DaemonSet"], kinds["ConfigMap"]
pod = ds["spec"]["template"]["spec"]
(c,) = pod["containers"]
problems = []
def need(ok, what):
    if not ok: problems.append(what)
need(c.get("securityContext", {}).get("privileged") is True, "the container is privileged")
need(pod.get("hostNetwork") is True, "hostNetwork: the lab's host side is the node's network")
need(pod.get("hostPID") is True, "hostPID: recorded service PIDs stay true across pods")
need(pod.get("terminationGracePeriodSeconds", 30) >= 30, "a grace period a destroy fits in")
mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
volumes = {v["name"]: v for v in pod["volumes"]}
for path in ["/run/netns", "/run/nstopo", "/etc/netns", "/etc/hosts"]:
    m = mounts.get(path)
    need(m and volumes[m["name"]].get("hostPath", {}).get("path") == path, f"{path}: the node's own, by hostPath")
need(mounts.get("/run/netns", {}).get("mountPropagation") == "Bidirectional", "/run/netns: Bidirectional")
env = {e["name"]: e for e in c["env"]}
need(env.get("NODE_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName",
     "NODE_NAME from spec.nodeName")
lab_file = env["LAB_FILE"]["value"]
lab_mount = next((m for p, m in mounts.items() if lab_file.startswith(p.rstrip("/") + "/")), None)
need(lab_mount and volumes[lab_mount["name"]].get("configMap", {}).get("name") == cm["metadata"]["name"],
     "LAB_FILE is in the ConfigMap's volume")
key = lab_file.rsplit("/", 1)[1]
need(key in cm["data"], f"the ConfigMap has {key}")
topology = yaml.safe_load(cm["data"][key])
terms = pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
nodes = {v for t in terms for f in t.get("matchFields", []) if f["key"] == "metadata.name" for v in f["values"]}
need(nodes == set(topology.get("hosts", {})), f"the pods' nodes {sorted(nodes)} are the topology's hosts")
script = "\n".join(c["command"] + c["args"])
for text in ['trap destroy TERM', 'nstopo apply --host "$NODE_NAME" "$LAB_FILE"',
             'nstopo destroy --host "$NODE_NAME" "$LAB_FILE"']:
    need(text in script, f"the script has: {text}")
open(sys.argv[2] + "/entrypoint.sh", "w").write(c["args"][0])
open(sys.argv[2] + "/probe", "w").write("\0".join(c["readinessProbe"]["exec"]["command"]))
open(sys.argv[2] + "/lab.yaml", "w").write(cm["data"][key])
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
  pass "the manifest has what nstopo needs (privileged, host network and PIDs, node paths, NODE_NAME, nodes = hosts:)"
else
  fail "the manifest lacks what nstopo needs:"; sed 's/^/    /' "$work/out"
fi

# The container's script, run as the pod would run it, with a stand-in nstopo on PATH.
if [[ -s $work/entrypoint.sh ]]; then
  mkdir -p "$work/bin"
  cat >"$work/bin/nstopo" <<EOF
#!/bin/sh
echo "\$*" >>"$work/calls"
EOF
  chmod +x "$work/bin/nstopo"
  cp "$work/lab.yaml" "$work/lab-file.yaml"
  PATH=$work/bin:$PATH NODE_NAME=node-a LAB_FILE=$work/lab-file.yaml RECHECK_SECONDS=0.2 \
    /bin/sh -c "$(cat "$work/entrypoint.sh")" >"$work/script.out" 2>&1 &
  pid=$!
  wait_for() { local i; for ((i = 0; i < 100; i++)); do grep -qxF -- "$1" "$work/calls" 2>/dev/null && return 0; sleep 0.05; done; return 1; }
  if wait_for "apply --host node-a $work/lab-file.yaml"; then pass "the script applies the node's share"
  else fail "the script did not apply:"; cat "$work/calls" "$work/script.out" 2>/dev/null | sed 's/^/    /'; fi
  echo "# edited" >>"$work/lab-file.yaml"
  for ((i = 0; i < 100; i++)); do [[ $(grep -c '^apply' "$work/calls" 2>/dev/null) -ge 2 ]] && break; sleep 0.05; done
  if [[ $(grep -c '^apply' "$work/calls") -eq 2 ]]; then pass "a changed file is applied again"
  else fail "a changed file was not applied again:"; sed 's/^/    /' "$work/calls"; fi
  sleep 0.5
  if [[ $(grep -c '^apply' "$work/calls") -eq 2 ]]; then pass "an unchanged file is not applied again"
  else fail "the same file was applied again:"; sed 's/^/    /' "$work/calls"; fi
  kill -TERM "$pid"
  wait "$pid"
  status=$?
  if [[ $status -eq 0 ]] && grep -qxF "destroy --host node-a $work/lab-file.yaml" "$work/calls"; then
    pass "SIGTERM destroys the node's share, and the container exits 0"
  else
    fail "SIGTERM: exit $status, calls:"; cat "$work/calls" "$work/script.out" | sed 's/^/    /'
  fi
  : >"$work/calls"
  mapfile -d '' -t probe <"$work/probe"
  if PATH=$work/bin:$PATH NODE_NAME=node-a LAB_FILE=$work/lab-file.yaml "${probe[@]}" &&
     grep -qxF "status --host node-a --detailed-exitcode -q $work/lab-file.yaml" "$work/calls"; then
    pass "the readiness probe runs nstopo status --host on the node's name"
  else fail "the readiness probe:"; sed 's/^/    /' "$work/calls"; fi
fi

# The topology itself, by nstopo: once it knows multi-host labs (apply --host, issue 13).
if [[ -n $nstopo && -s $work/lab.yaml ]]; then
  if "$nstopo" apply --help 2>&1 | grep -- "--host" >/dev/null; then
    if "$nstopo" validate "$work/lab.yaml" >"$work/out" 2>&1; then pass "nstopo validate accepts the ConfigMap's topology"
    else fail "nstopo validate refuses the ConfigMap's topology:"; sed 's/^/    /' "$work/out"; fi
  else
    echo "note: $nstopo has no multi-host CLI yet (issue 13): the ConfigMap's topology is not validated by it"
  fi
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
