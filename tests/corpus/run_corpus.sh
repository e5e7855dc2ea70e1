#!/usr/bin/env bash
# The invalid-file corpus through the real binary: for each NAME.yaml, `nstopo validate`
# exits 1 and prints exactly NAME.expected followed by the summary line.
set -uo pipefail
nstopo=$1
cd "$2" || exit 1
passed=0 failed=0
for file in *.yaml; do
  name=${file%.yaml}
  actual=$("$nstopo" validate "$file" 2>&1 >/dev/null)
  code=$?
  expected=$(cat "$name.expected"; printf '%s: %s error' "$file" "$(grep -c ': error: ' "$name.expected")")
  if [[ $code -eq 1 && "$actual" == "$expected"* ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $file (exit $code)"; diff <(echo "$expected") <(echo "$actual") | head -20
  fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
