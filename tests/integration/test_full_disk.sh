#!/usr/bin/env bash
# A full state directory (a service printing without end on a small /run) never stops
# nstopo from saving its record: apply still changes the lab, destroy still removes it all,
# and the lab's logs, not the record, give way.
source "$(dirname "$0")/lib.sh"

# A state directory of 512 KiB: less than one service's log cap (1 MiB).
mount -t tmpfs -o size=512k,mode=0700 nstopo-full /run/nstopo
cat > "$WORK/lab.yaml" <<'YAML'
version: 1
name: full
namespaces:
  ns_full:
    services:
      chatty:
        # Once apply is done, 2 MB as fast as it can, then quiet (so that what the log says
        # later stays there).
        command: [sh, -c, 'sleep 1; yes "nstopo fills the disk" | head -c 2000000; exec sleep 3600']
YAML

before=$(snapshot_full)
check "apply a service that prints without end" "$NSTOPO" apply "$WORK/lab.yaml"
for _ in $(seq 100); do
  (( $(df --output=avail /run/nstopo | tail -1) < 16 )) && break
  sleep 0.05
done
avail=$(df --output=avail /run/nstopo | tail -1)
(( avail < 16 )) && pass "the state directory is full (${avail} KiB free)" || fail "the state directory still has ${avail} KiB free"

# A change that has to be recorded, on the full disk.
sed 's/^    services:/    services:\n      quiet:\n        command: [sleep, "3600"]/' "$WORK/lab.yaml" >"$WORK/more.yaml"
check "apply a second service on the full disk" "$NSTOPO" apply "$WORK/more.yaml"
grep -q '"quiet"' /run/nstopo/full/state.json 2>/dev/null && pass "the record holds the new service" \
  || fail "the record lacks the new service"
grep -qs "this log was emptied" /run/nstopo/full/logs/ns_full/chatty.log \
  && pass "the emptied log says why" || fail "the emptied log does not say why"

check "destroy on the full disk" "$NSTOPO" destroy "$WORK/more.yaml"
pgrep -f "nstopo fills the disk" >/dev/null && fail "the chatty service survived destroy" || pass "no service left"
after=$(snapshot_full)
[[ $after == "$before" ]] && pass "nothing of the lab is left" \
  || { fail "the host differs from before the apply"; diff <(echo "$before") <(echo "$after"); }
umount /run/nstopo
finish
