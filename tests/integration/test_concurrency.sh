#!/usr/bin/env bash
# Two nstopo on one lab never interleave: the second waits for the lock, or with --no-wait
# fails at once with exit 5.
source "$(dirname "$0")/lib.sh"
seed="$TOPOLOGIES/seed.yaml"

mkdir -p /run/nstopo/seed
flock /run/nstopo/seed/lock sleep 2 &
holder=$!
sleep 0.3
check_exit 5 "--no-wait: fails at once while another holds the lab" "$NSTOPO" apply --no-wait "$seed"
check_output_contains "--no-wait: says why" "locked by another nstopo"
start=$(date +%s%N)
check "waiting: apply waits for the lock, then works" "$NSTOPO" apply "$seed"
check_output_contains "waiting: says it waits" "waiting for lab seed"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
(( elapsed_ms >= 1000 )) && pass "waiting: it did wait (${elapsed_ms} ms)" || fail "did not wait (${elapsed_ms} ms)"
wait "$holder"

# Two applies at once on a fresh lab: both succeed, one after the other, and the lab is right.
"$NSTOPO" destroy "$seed" >/dev/null
"$NSTOPO" apply "$seed" >"$WORK/a.out" 2>&1 & a=$!
"$NSTOPO" apply "$seed" >"$WORK/b.out" 2>&1 & b=$!
wait $a; ra=$?; wait $b; rb=$?
(( ra == 0 && rb == 0 )) && pass "two applies at once both succeed" || { fail "concurrent applies: $ra $rb"; cat "$WORK/a.out" "$WORK/b.out"; }
check "the lab is right after concurrent applies" $CHECK_LAB "$seed" present
check "destroy" "$NSTOPO" destroy "$seed"
finish
