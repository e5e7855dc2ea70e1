#!/usr/bin/env bash
# `nstopo graph` through Graphviz: every shipped topology's dot text is accepted by `dot -Tsvg`,
# -f svg gives an SVG naming every namespace, and without `dot` in PATH, -f svg says what to
# install while -f dot still works. Skips (77) without Graphviz.
set -uo pipefail
nstopo=$1 topologies=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v dot >/dev/null || { echo "SKIP: Graphviz's dot is not installed (apt-get install graphviz)"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# An empty state directory: no lab has records, so the drawing is plain and needs no root.
state=(--state-dir "$work/state")
for file in "$topologies"/*.yaml; do
  name=$(basename "$file" .yaml)
  "$nstopo" "${state[@]}" graph "$file" -f dot >"$work/$name.dot" || fail "$name: graph -f dot failed"
  dot -Tsvg "$work/$name.dot" >"$work/$name.dot.svg" 2>"$work/err" || fail "$name: dot -Tsvg refused it: $(cat "$work/err")"
  [[ ! -s $work/err ]] || fail "$name: dot warned: $(cat "$work/err")"
  "$nstopo" "${state[@]}" graph "$file" -f svg >"$work/$name.svg" || fail "$name: graph -f svg failed"
  grep -q '<svg' "$work/$name.svg" || fail "$name: -f svg wrote no <svg>"
  for ns in $("$nstopo" "${state[@]}" graph "$file" -f json | python3 -c '
import json, sys
print(" ".join(n["name"] for n in json.load(sys.stdin)["nodes"]))'); do
    grep -q ">$ns<\|>$ns " "$work/$name.svg" || fail "$name: the SVG does not name $ns"
  done
done
out=$(PATH=/nonexistent "$nstopo" "${state[@]}" graph "$topologies/seed.yaml" -f svg 2>&1); rc=$?
[[ $rc -eq 1 ]] || fail "exit $rc without dot"
grep -q "Graphviz's \`dot\` was not found in PATH" <<<"$out" || fail "without dot it said: $out"
grep -q "apt-get install graphviz" <<<"$out" || fail "without dot it did not say what to install: $out"
PATH=/nonexistent "$nstopo" "${state[@]}" graph "$topologies/seed.yaml" -f dot >/dev/null || fail "-f dot needs no dot"
echo ok
