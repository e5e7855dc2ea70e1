#!/usr/bin/env bash
# The everyday lab commands (issue 11, section 3): ls over two labs (one drifted by hand, one
# whose file is gone), shell driven from stdin, and exec in several namespaces (--all, a glob)
# with [NS] prefixes and the worst exit code. capture has test_capture.sh.
source "$(dirname "$0")/lib.sh"
seed="$TOPOLOGIES/seed.yaml"
chain="$TOPOLOGIES/routed-chain.yaml"

check "ls with no lab" "$NSTOPO" ls
check_output_contains "ls says there is none" "No labs on this machine"
check "ls -o json with no lab" "$NSTOPO" ls -o json
cp "$WORK/out" "$WORK/ls.json"
check "ls json: no lab" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1 and d["command"] == "ls" and d["labs"] == [], d' "$WORK/ls.json"

check "apply the seed lab" "$NSTOPO" apply "$seed"
check "apply the routed chain" "$NSTOPO" apply "$chain"

# --- ls: both in sync, then one drifted by a hand change --------------------------------
check "ls, both labs in sync" "$NSTOPO" ls
check_output_contains "ls shows the seed lab with its file" "$seed"
check_output_contains "ls shows the chain's file" "$chain"
if grep -E "^seed +[^ ]+ +1/1 +1/1 +in sync$" "$WORK/out" >/dev/null; then pass "seed: 1/1 namespaces, 1/1 services, in sync"; else fail "seed row"; sed 's/^/    /' "$WORK/out"; fi
if grep -E "^routed-chain +[^ ]+ +3/3 +0/0 +in sync$" "$WORK/out" >/dev/null; then pass "chain: 3/3 namespaces, in sync"; else fail "chain row"; sed 's/^/    /' "$WORK/out"; fi

ip -n left link set eth0 down  # the hand change: drift in lab routed-chain only
check "ls after a hand change" "$NSTOPO" ls
if grep -E "^routed-chain .* drifted: .*1 drifted" "$WORK/out" >/dev/null; then pass "chain is drifted"; else fail "chain is drifted"; sed 's/^/    /' "$WORK/out"; fi
if grep -E "^seed .* in sync$" "$WORK/out" >/dev/null; then pass "seed still in sync"; else fail "seed still in sync"; sed 's/^/    /' "$WORK/out"; fi
check "ls -o json after a hand change" "$NSTOPO" ls -o json
cp "$WORK/out" "$WORK/ls.json"
check "ls json: both labs, the right one drifted, with the object and why" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1 and d["command"] == "ls", d
labs = {l["name"]: l for l in d["labs"]}
assert sorted(labs) == ["routed-chain", "seed"], labs
for l in labs.values():
    assert l["kind"] == "lab" and l["namespace"] == "" and l["file_state"] == "ok", l
seed, chain = labs["seed"], labs["routed-chain"]
assert seed["state"] == "in_sync" and seed["not_present"] == [], seed
assert seed["namespaces"] == {"recorded": 1, "present": 1}, seed
assert seed["services"] == {"recorded": 1, "running": 1}, seed
assert chain["state"] == "drifted" and chain["summary"]["drifted"] == 1, chain
assert chain["namespaces"] == {"recorded": 3, "present": 3}, chain
down = [o for o in chain["not_present"] if o["kind"] == "veth"]
assert down == [{"kind": "veth", "namespace": "left", "name": "eth0", "object": "left:eth0",
                 "state": "drifted", "detail": "down, declared up"}], chain["not_present"]
' "$WORK/ls.json"
check "the status diff agrees" "$NSTOPO" status "$chain"
check_output_contains "status says the same" "down, declared up"

# A lab whose file is gone is listed and said so, and ls does not fail.
copy="$WORK/seed-copy.yaml"
sed 's/^name: seed$/name: copied/; s/veth_rifky/veth_copy/; s/ns_rifky/ns_copy/g; s/10\.0\.0\./10.0.9./g; s/"4000"/"4001"/; s/tcp: 4000/tcp: 4001/' "$seed" >"$copy"
check "apply a lab from a file about to go" "$NSTOPO" apply "$copy"
rm -f "$copy"
check "ls with a lab whose file is gone" "$NSTOPO" ls
if grep -E "^copied .* file is gone$" "$WORK/out" >/dev/null; then pass "the gone file is said"; else fail "the gone file is said"; sed 's/^/    /' "$WORK/out"; fi
check "ls -o json with a lab whose file is gone" "$NSTOPO" ls -o json
cp "$WORK/out" "$WORK/ls.json"
check "ls json: file_state missing, state unknown" /usr/bin/python3 -c '
import json, sys
labs = {l["name"]: l for l in json.load(open(sys.argv[1]))["labs"]}
c = labs["copied"]
assert c["file_state"] == "missing" and c["state"] == "unknown" and "summary" not in c, c
assert c["namespaces"]["present"] == 1 and c["services"]["running"] == 1, c
' "$WORK/ls.json"
check "destroy it by name" "$NSTOPO" destroy --name copied

# ls reads without the lock: it answers while another nstopo holds the lab's lock, and it
# leaves the record as it was.
before=$(sha256sum /run/nstopo/seed/state.json)
dirs_before=$(find /run/nstopo | sort)
exec 9>/run/nstopo/seed/lock
flock -x 9
check "ls while the seed lab is locked" timeout 10 "$NSTOPO" ls
check_output_contains "and still shows it" "$seed"
exec 9>&-
after=$(sha256sum /run/nstopo/seed/state.json)
[[ $before == "$after" ]] && pass "ls left the record as it was" || fail "ls changed the record"
[[ $(find /run/nstopo | sort) == "$dirs_before" ]] && pass "ls made and removed no file" || fail "ls changed the state directory"

# --- shell -----------------------------------------------------------------------------
script='tail -n +3 /proc/self/net/dev | cut -d: -f1 | tr -d " "; echo "NS=$NSTOPO_NAMESPACE LAB=$NSTOPO_LAB"; echo "PS1=$PS1"; ls /sys/class/net'
check "shell (SHELL=/bin/sh) reads its commands from stdin" env SHELL=/bin/sh sh -c "echo '$script' | \"\$0\" shell ns_rifky" "$NSTOPO"
check_output_contains "shell runs in the namespace (its /proc/net/dev)" "veth_ns_rifky"
if ! grep -qx veth_rifky "$WORK/out"; then pass "and not on the host"; else fail "shell saw the host's veth_rifky"; fi
check_output_contains "shell exports the namespace and the lab" "NS=ns_rifky LAB=seed"
check_output_contains "shell's prompt shows lab and namespace" "PS1=(seed:ns_rifky) # "
if [[ $(grep -c veth_ns_rifky "$WORK/out") -eq 2 ]]; then pass "shell sees the namespace's /sys too"; else fail "/sys in shell"; sed 's/^/    /' "$WORK/out"; fi
check_exit 7 "shell's exit code passes through" env SHELL=/bin/sh sh -c 'echo "exit 7" | "$0" shell left' "$NSTOPO"
check "shell without SHELL falls back to /bin/sh" env -u SHELL sh -c 'echo "echo in=\$NSTOPO_NAMESPACE" | "$0" shell right' "$NSTOPO"
check_output_contains "the fallback shell ran in right" "in=right"
if [[ -x /bin/bash ]]; then
  check "shell with SHELL=/bin/bash" env SHELL=/bin/bash sh -c 'echo "echo bash=\$BASH_VERSION \$debian_chroot; tail -n +3 /proc/net/dev | cut -d: -f1" | "$0" shell router' "$NSTOPO"
  check_output_contains "bash ran, with the prompt's name for Debian's bashrc" " routed-chain:router"
  check_output_contains "bash is in the router namespace" "to_right"
fi
check_exit 1 "shell in a missing namespace" "$NSTOPO" shell ns_nowhere
check_output_contains "says which namespace is missing" "ns_nowhere"
check_exit 64 "shell refuses a path" "$NSTOPO" shell ../etc
check_exit 1 "a SHELL that does not exist" env SHELL=/nonexistent/zsh "$NSTOPO" shell left
check_output_contains "says so" "/nonexistent/zsh"

# --- exec in several namespaces --------------------------------------------------------
# Each namespace exits with its count of interfaces (lo + its links): left 2, right 2,
# router 3, so the worst is 3; every line carries its namespace.
count='n=$(tail -n +3 /proc/net/dev | wc -l); echo "links $n"; echo "err $n" >&2; exit $n'
check_exit 3 "exec --all: the worst exit code" "$NSTOPO" exec --all "$chain" -- sh -c "$count"
check_output_contains "exec --all: left's line prefixed" "[left] links 2"
check_output_contains "exec --all: right's line prefixed" "[right] links 2"
check_output_contains "exec --all: router's line prefixed" "[router] links 3"
check_output_contains "exec --all: stderr lines are prefixed too" "[router] err 3"
check_output_contains "exec --all: the failures are summed up" "3 of 3 namespaces failed"
check_output_lacks "exec --all: only the file's namespaces" "[ns_rifky]"
"$NSTOPO" exec --all "$chain" -- sh -c "$count" >"$WORK/stdout" 2>/dev/null
if ! grep -q "err" "$WORK/stdout" && [[ $(wc -l <"$WORK/stdout") -eq 3 ]]; then pass "exec --all: stdout holds the commands' stdout"; else fail "stdout split"; cat "$WORK/stdout"; fi
check_exit 0 "exec --all: all succeed, exit 0" "$NSTOPO" exec --all "$chain" -- true
check_exit 0 "exec glob over /run/netns" "$NSTOPO" exec 'r*' -- sh -c 'ip -o link show | grep -c UP'
check_output_contains "glob matched right" "[right] "
check_output_contains "glob matched router" "[router] "
check_output_lacks "glob did not match left" "[left]"
check_exit 0 "exec glob in a lab (--lab NAME)" "$NSTOPO" exec --lab seed '*' -- echo here
check_output_contains "glob in lab seed: ns_rifky" "[ns_rifky] here"
check_output_lacks "glob in lab seed: no other lab's namespace" "[left]"
check_exit 0 "exec glob in a lab (--lab FILE)" "$NSTOPO" exec --lab "$chain" '?i*' -- echo here
check_output_contains "glob ?i* in the chain: right" "[right] here"
check_output_lacks "glob ?i* in the chain: not left" "[left]"
check_exit 1 "a glob that matches nothing" "$NSTOPO" exec 'zz_*' -- true
check_output_contains "says what it matched against" "no namespace matches 'zz_*'"
check_exit 64 "exec --all without a command" "$NSTOPO" exec --all "$chain"
check_output_contains "says a command is needed" "needs a command after --"
check_exit 64 "exec NS without a command" "$NSTOPO" exec left
check_exit 127 "a command missing in every namespace: 127" "$NSTOPO" exec --all "$chain" -- /nonexistent/cmd
check_output_contains "and why" "/nonexistent/cmd"
# Side by side: three 1 s sleeps take about 1 s, not 3.
start=$(date +%s%N)
check "exec --all runs side by side" "$NSTOPO" exec --all "$chain" -- sleep 1
took=$(( ($(date +%s%N) - start) / 1000000 ))
if (( took < 2500 )); then pass "three 1 s commands took ${took} ms"; else fail "three 1 s commands took ${took} ms"; fi
start=$(date +%s%N)
check "exec --all -j 1 runs one at a time" "$NSTOPO" exec -j 1 --all "$chain" -- sleep 0.5
took=$(( ($(date +%s%N) - start) / 1000000 ))
if (( took >= 1500 )); then pass "-j 1: three 0.5 s commands took ${took} ms"; else fail "-j 1 took ${took} ms"; fi
# SIGTERM to nstopo goes on to every command running; none is left, the exit code says so,
# and with -j 1 the namespaces not started yet are not started.
start=$(date +%s%N)
"$NSTOPO" exec -j 2 --all "$chain" -- sleep 30 >"$WORK/term.out" 2>&1 &
multi=$!
sleep 0.5
kill -TERM $multi
wait $multi
code=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
[[ $code -eq 143 ]] && pass "SIGTERM: exit 143" || { fail "SIGTERM: exit $code"; cat "$WORK/term.out"; }
(( took < 5000 )) && pass "SIGTERM ended the commands at once (${took} ms)" || fail "SIGTERM took ${took} ms"
grep -qF "router (not started: interrupted)" "$WORK/term.out" && pass "the third namespace was not started" || { fail "third namespace"; cat "$WORK/term.out"; }
if pgrep -fx "sleep 30" >/dev/null; then fail "a sleep survived"; pgrep -a -fx "sleep 30"; else pass "no command survived"; fi

# A last line without a newline still gets its prefix and a newline.
check "exec --all: output without a final newline" "$NSTOPO" exec --all "$chain" -- printf 'a\nb'
check_output_contains "the unended line is prefixed" "[left] b"
# One namespace: exactly as before (no prefix, its own exit code).
check_exit 5 "exec in one namespace passes the exit code through" "$NSTOPO" exec left -- sh -c 'echo plain; exit 5'
check_output_contains "no prefix for one namespace" "plain"
check_output_lacks "no prefix for one namespace (none)" "[left]"

check "destroy the chain" "$NSTOPO" destroy "$chain"
check "destroy the seed lab" "$NSTOPO" destroy "$seed"
check "ls after destroy" "$NSTOPO" ls
check_output_contains "no lab left" "No labs on this machine"
finish
