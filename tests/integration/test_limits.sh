#!/usr/bin/env bash
# Limits a big lab meets, met before any change: nstopo keeps one descriptor per namespace
# for the run (its netlink socket) and raises its open-file limit as far as it may (the soft limit up to the hard
# one; with CAP_SYS_RESOURCE the hard one too, up to fs.nr_open). When it cannot, it says so
# with the numbers and changes nothing.
source "$(dirname "$0")/lib.sh"
lab=$WORK/star.yaml
/usr/bin/python3 "$NSTOPO_SOURCE_DIR/bench/gen_topology.py" star 300 >"$lab"
before=$(snapshot)

refused_cleanly() {  # DESCRIPTION COMMAND...: exit 1, the reason with its numbers, nothing made
  check_exit 1 "$1: refused" "${@:2}"
  check_output_contains "$1: it says why, with the numbers" \
    "has 300 namespaces: nstopo keeps an open file for each (its netlink socket), about 812 in all"
  check_output_contains "$1: and that nothing changed" "nothing was changed"
  if [[ $(snapshot) == "$before" ]]; then pass "$1: nothing was made"; else fail "$1: something was made"; fi
}

check "a soft limit of 256 is raised to what 300 namespaces need" \
  bash -c "ulimit -Sn 256 && '$NSTOPO' -q apply '$lab'"
check "destroy under the same soft limit" bash -c "ulimit -Sn 256 && '$NSTOPO' -q destroy '$lab'"
# One descriptor per namespace, really: under a hard limit of 900, two per namespace (600
# for the lab alone, 1112 with the margin) would be refused or run out halfway.
check "apply of 300 namespaces under a hard limit of 900" \
  bash -c "ulimit -Sn 900 && ulimit -Hn 900 && '$NSTOPO' -q apply '$lab' && '$NSTOPO' -q apply '$lab'"
check "and its destroy" bash -c "ulimit -Sn 900 && ulimit -Hn 900 && '$NSTOPO' -q destroy '$lab'"

# CAP_SYS_RESOURCE is bit 24 of the effective set; containers often drop it.
cap_eff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
if (( (16#$cap_eff >> 24) & 1 )); then
  check "a hard limit of 256 is raised by root" bash -c "ulimit -Sn 256 && ulimit -Hn 256 && '$NSTOPO' -q apply '$lab'"
  "$NSTOPO" -q destroy "$lab" >/dev/null 2>&1
  refused_cleanly "without CAP_SYS_RESOURCE, a hard limit of 256" \
    bash -c "ulimit -Sn 256 && ulimit -Hn 256 && exec setpriv --bounding-set -sys_resource '$NSTOPO' apply '$lab'"
else
  refused_cleanly "a hard limit of 256 and no CAP_SYS_RESOURCE here" \
    bash -c "ulimit -Sn 256 && ulimit -Hn 256 && exec '$NSTOPO' apply '$lab'"
fi
"$NSTOPO" -q destroy "$lab" >/dev/null 2>&1
finish
