#!/usr/bin/env bash
# The sim hosts of simhosts.sh, which the multi-host tests stand on: three of them reach each
# other over the underlay (IPv4 and IPv6), each has its own hostname, /run/netns, state
# directory, /etc/netns, /etc/nstopo and /etc/hosts (what one makes the others and the sandbox
# do not see), simhost_snapshot sees inside, and simhost_stop_all leaves the sandbox as it was.
# Needs no nstopo: run it with NSTOPO=/bin/true.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/simhosts.sh"

before=$(snapshot_full)
hosts_before=$(md5sum </etc/hosts)

check "start m1" simhost_start m1 192.0.2.1/24 2001:db8:13::1/64
check "start m2" simhost_start m2 192.0.2.2/24 2001:db8:13::2/64
check "start m3 (IPv4 only)" simhost_start m3 192.0.2.3/24
check_exit 1 "a second m1 is refused" simhost_start m1 192.0.2.9/24
check_exit 1 "a name too long for ul-NAME is refused" simhost_start averyverylongname 192.0.2.9/24
check "simhost_names lists the three in order" test "$(simhost_names | paste -sd' ')" = "m1 m2 m3"

for h in m1 m2 m3; do
  pid=$(simhost_pid "$h")
  check "$h: its pid $pid is alive" kill -0 "$pid"
  check "$h: the pid file says the same" test "$(cat "$WORK/simhosts/$h/pid")" = "$pid"
  check "$h: its own network namespace" test "$(readlink /proc/"$pid"/ns/net)" != "$(readlink /proc/self/ns/net)"
  check "$h: its own mount namespace" test "$(readlink /proc/"$pid"/ns/mnt)" != "$(readlink /proc/self/ns/mnt)"
  check "$h: hostname $h" test "$(simhost_run "$h" hostname)" = "$h"
  check "$h: lo is up" sh -c "nsenter --target $pid --net ip -o link show lo | grep ',UP'"
  check "$h: underlay0 is up" sh -c "nsenter --target $pid --net ip -o link show underlay0 | grep ',UP'"
  check "$h: ul-$h is on the bridge, up" sh -c "ip -o link show ul-$h | grep 'master underlay0 .*state UP'"
done
check "the sandbox keeps its hostname" test "$(hostname)" != m1
check "m1: underlay0 has 192.0.2.1/24" eval "simhost_run m1 ip -o addr show dev underlay0 | grep 'inet 192.0.2.1/24'"
check "m1: simhost_run keeps the working directory" test "$(cd /usr && simhost_run m1 pwd)" = /usr

# The underlay: every pair, both ways.
for from in m1 m2 m3; do
  for to in 1 2 3; do
    [[ $from == "m$to" ]] && continue
    check "$from pings 192.0.2.$to over the underlay" simhost_run "$from" ping -c 1 -W 2 "192.0.2.$to"
  done
done
check "m1 pings m2 over IPv6" simhost_run m1 ping -6 -c 1 -W 2 2001:db8:13::2
check "m2 pings m1 over IPv6" simhost_run m2 ping -6 -c 1 -W 2 2001:db8:13::1
check "the sandbox itself is not on the underlay" sh -c '! ping -c 1 -W 1 192.0.2.1'

# Private /run/netns: a namespace made in m1 is seen in m1 only.
check "m1: ip netns add only-m1" simhost_run m1 ip netns add only-m1
check "m1: ip netns list shows it" eval 'simhost_run m1 ip netns list | grep -x only-m1'
check "m2: does not see it" eval '! simhost_run m2 ip netns list | grep only-m1'
check "m3: ip netns list is empty" test -z "$(simhost_run m3 ip netns list)"
check "the sandbox does not see it" test ! -e /run/netns/only-m1
check "m1: the namespace is usable" simhost_run m1 ip -n only-m1 link set lo up
check "m1: its snapshot has the namespace" eval 'simhost_snapshot m1 | grep -x "== only-m1"'
check "m2: its snapshot does not" eval '! simhost_snapshot m2 | grep only-m1'
check "m1: its snapshot sees its underlay address" eval 'simhost_snapshot m1 | grep "underlay0 inet 192.0.2.1/24"'
check "the sandbox's snapshot does not" eval '! snapshot | grep "192.0.2.1/24"'

# Private state directory, /etc/netns, /etc/nstopo and /etc/hosts.
check "m1: write its state directory" simhost_run m1 touch /run/nstopo/m1-state
check "m2: its state directory is empty" test -z "$(simhost_run m2 ls -A /run/nstopo)"
check "the sandbox's state directory does not have it" test ! -e /run/nstopo/m1-state
check "m1: write /etc/netns and /etc/nstopo" simhost_run m1 sh -c 'mkdir /etc/netns/x && touch /etc/nstopo/lab.yaml'
check "m2: does not see them" eval '! simhost_run m2 test -e /etc/netns/x -o -e /etc/nstopo/lab.yaml'
check "the sandbox does not see them" sh -c '! test -e /etc/netns/x -o -e /etc/nstopo/lab.yaml'
check "m1: write /etc/hosts" simhost_run m1 sh -c 'echo "10.9.0.1 only-in-m1" >>/etc/hosts'
check "m1: its /etc/hosts has the line" simhost_run m1 grep -q only-in-m1 /etc/hosts
check "m2: its /etc/hosts does not" eval '! simhost_run m2 grep -q only-in-m1 /etc/hosts'
check "the sandbox's /etc/hosts is untouched" test "$(md5sum </etc/hosts)" = "$hosts_before"
check "simhost_snapshot_full sees m1's /etc/netns" eval 'simhost_snapshot_full m1 | grep "^/etc/netns/x d"'
check "and m1's state files" eval 'simhost_snapshot_full m1 | grep -x /run/nstopo/m1-state'
check "m2: its full snapshot has none of m1's" \
  eval '! simhost_snapshot_full m2 | grep -E "only-m1|m1-state|/etc/netns/x"'

pids=$(for h in m1 m2 m3; do simhost_pid "$h"; done)
check "stop all" simhost_stop_all
for pid in $pids; do
  check "pid $pid has ended" sh -c "! kill -0 $pid 2>/dev/null"
done
check "no ul-* link and no underlay0 bridge is left" sh -c '! ip -o link show | grep -E "ul-|underlay0"'
check "no sim host directory is left" test ! -e "$WORK/simhosts"
after=$(snapshot_full)
if [[ "$after" == "$before" ]]; then pass "the sandbox's full snapshot is as before"
else fail "the sandbox changed:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
check "a new start after stop works" simhost_start m1 192.0.2.1/24
check "and stops clean" simhost_stop_all
finish
