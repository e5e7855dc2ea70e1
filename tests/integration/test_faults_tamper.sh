#!/usr/bin/env bash
# The tampering test: records and namespaces turned against the host (faults/tamper_case.sh,
# each case in a fresh sandbox of its own): a record with `pid: 1`, one with a foreign PID and
# its real start time, another lab's record copied in, a world-writable state directory, a lab
# directory owned by nobody, a record writable by others, a symlink in place of the lab
# directory and of its record, a lab namespace deleted by hand and made again by someone else.
# Nothing outside the lab may be signalled, deleted or followed; a refusal names the problem.
#   test_faults_tamper.sh [CASE...]       default: every case
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/faults/common.sh"
cases=("$@")
((${#cases[@]})) || cases=(pid1 foreign_pid other_lab world_writable_state_dir lab_dir_owned_by_nobody
                          record_writable_by_others symlinked_lab_dir symlinked_record recreated_namespace)
for name in "${cases[@]}"; do
  nested_sandbox "$FAULTS_DIR/tamper_case.sh" "$name" >"$WORK/case.out" 2>&1
  rc=$?
  [[ $rc -eq 77 ]] && { echo "SKIP: no nested sandbox here"; exit 77; }
  grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$WORK/case.out"
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$WORK/case.out" | tail -1)
  if [[ -z $summary ]]; then
    fail "$name: the case ended without its summary (exit $rc): was the test itself killed?"
    continue
  fi
  read -r p _ f _ <<<"$summary"
  passed=$((passed + p)); failed=$((failed + f))
done
finish
