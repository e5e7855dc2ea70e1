#!/usr/bin/env bash
# Help that reads like a tool's (issue 14): -o shown as its values, an example and only the
# command's own exit codes per command; global options taken anywhere on the line.
set -uo pipefail
nstopo=$1 topology=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

help=$("$nstopo" plan --help)
grep -q -- "-o,--output text|json|yaml" <<<"$help" || fail "plan --help does not show -o's values: $help"
grep -q "ENUM\|->" <<<"$help" && fail "plan --help shows CLI11's enum dump: $help"
grep -q "^Example" <<<"$help" || fail "plan --help has no example"
help=$("$nstopo" validate --help)
grep -q "Exit codes: 0 success, 1 error, 64 usage error." <<<"$help" || fail "validate's exit codes: $help"
grep -q "conflict" <<<"$help" && fail "validate --help lists exit codes it cannot give: $help"

# Global options before or after the command, and after its arguments.
for line in "-q validate $topology" "validate -q $topology" "validate $topology -q"; do
  # shellcheck disable=SC2086
  out=$("$nstopo" $line 2>&1) || fail "'nstopo $line' failed: $out"
  [[ -z $out ]] || fail "'nstopo $line' printed: $out"
done
out=$("$nstopo" validate "$topology" --state-dir /nonexistent --color never 2>&1) ||
  fail "global options after the arguments were refused: $out"
grep -q ": ok" <<<"$out" || fail "validate said: $out"
echo ok
