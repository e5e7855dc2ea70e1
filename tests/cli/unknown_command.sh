#!/usr/bin/env bash
# A mistyped command names itself and the command meant, exit 64 (usage).
set -uo pipefail
nstopo=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$("$nstopo" aply x.yaml 2>&1); rc=$?
[[ $rc -eq 64 ]] || fail "exit $rc for 'aply'"
grep -q "unknown command 'aply'; did you mean 'apply'?" <<<"$out" || fail "'aply' said: $out"
out=$("$nstopo" --state-dir /tmp/x destory 2>&1); rc=$?
[[ $rc -eq 64 ]] || fail "exit $rc for 'destory'"
grep -q "did you mean 'destroy'?" <<<"$out" || fail "'destory' after a global option said: $out"
out=$("$nstopo" zzzzzz 2>&1)
grep -q "unknown command 'zzzzzz'" <<<"$out" || fail "'zzzzzz' said: $out"
grep -q "did you mean" <<<"$out" && fail "'zzzzzz' suggested something: $out"
out=$("$nstopo" 2>&1)
grep -q "unknown command" <<<"$out" && fail "no command at all said: $out"
echo ok
