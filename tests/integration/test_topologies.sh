#!/usr/bin/env bash
# Every topology in topologies/: apply; the lab is what the file says (checked with iproute2,
# traffic included); a second plan is empty and a second apply changes nothing; destroy leaves
# exactly what was there before (namespaces, links, addresses, routes, state).
source "$(dirname "$0")/lib.sh"

before=$(snapshot)
for file in "$TOPOLOGIES"/*.yaml; do
  name=$(basename "$file" .yaml)
  # A lab on several machines is applied on simulated machines (test_multihost.sh).
  [[ $name == multi-host* ]] && continue
  check "$name: apply" "$NSTOPO" apply "$file"
  check "$name: the live lab matches the file (iproute2 + ping)" $CHECK_LAB "$file" present
  check "$name: nstopo check: the file's checks hold" "$NSTOPO" check "$file"
  check_exit 0 "$name: plan --detailed-exitcode after apply says converged" \
    "$NSTOPO" plan --detailed-exitcode "$file"
  check "$name: second apply" "$NSTOPO" apply "$file"
  check_output_contains "$name: second apply changes nothing" "No changes"
  check "$name: status" "$NSTOPO" status "$file"
  check_output_contains "$name: status shows nothing missing or drifted" "0 missing, 0 drifted, 0 in conflict."
  check "$name: destroy" "$NSTOPO" destroy "$file"
  check "$name: nothing of the lab is left" $CHECK_LAB "$file" absent
  after=$(snapshot)
  if [[ "$after" == "$before" ]]; then pass "$name: the system is exactly as before"
  else fail "$name: the system differs from before:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
  if [[ -z "$(ls -A /run/nstopo)" ]]; then pass "$name: no state left"
  else fail "$name: state left: $(ls -A /run/nstopo)"; fi
done
finish
