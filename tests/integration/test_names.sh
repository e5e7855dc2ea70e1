#!/usr/bin/env bash
# Names that resolve (topologies/named-lan.yaml): apply writes each namespace's hosts (and
# client's resolv.conf) under /etc/netns and the lab's block in /etc/hosts; `ip netns exec`,
# `nstopo exec`, the services and the checks resolve the lab's names with them; a re-apply
# touches no file (same mtimes, same inodes); a hand edit is drift that apply repairs, a line
# outside the block is never touched; a file without the lab's mark and markers that make no
# block are conflicts; destroy leaves /etc/hosts and /etc/netns exactly as they were.
# /etc is the sandbox's private one (sandbox.sh): nothing here reaches the machine's.
source "$(dirname "$0")/lib.sh"

LAB="$TOPOLOGIES/named-lan.yaml"
NETNS=/etc/netns
command -v getent >/dev/null || { echo "SKIP: needs getent (libc-bin)"; exit 77; }

# A line of the host's own, outside any block: it must survive apply, repairs and destroy.
echo "192.0.2.77 kept-by-hand" >> /etc/hosts
before=$(snapshot_full)
hosts_before=$(md5sum < /etc/hosts)

check "apply the named lab" "$NSTOPO" apply "$LAB"
check_output_contains "apply said it wrote the file" "file /etc/netns/web/hosts"
check "web's hosts is written, marked as the lab's" \
  grep -qx "# nstopo lab named-lan: generated, do not edit" $NETNS/web/hosts
check "it lists every node, the host included, with the lab suffix" \
  grep -qx "10.78.0.20 client client.named-lan" $NETNS/web/hosts
check "client's resolv.conf holds its dns:" grep -qx "search named-lan" $NETNS/client/resolv.conf
check "web declares no dns: no resolv.conf" test ! -e $NETNS/web/resolv.conf
check "the host's /etc/hosts has the lab's block" \
  grep -qx "# BEGIN nstopo lab named-lan" /etc/hosts
check "the line by hand is still there" grep -qx "192.0.2.77 kept-by-hand" /etc/hosts

check "the host resolves web by name" sh -c 'getent ahostsv4 web | grep -q "^10.78.0.10 "'
check "ip netns exec resolves through the namespace's hosts" \
  sh -c 'ip netns exec client getent ahostsv4 web.named-lan | grep -q "^10.78.0.10 "'
check "nstopo exec resolves names too" \
  sh -c "'$NSTOPO' exec client -- getent ahostsv4 web | grep -q '^10.78.0.10 '"
check "nstopo exec sees the namespace's resolv.conf" \
  sh -c "'$NSTOPO' exec client -- cat /etc/resolv.conf | grep -qx 'nameserver 10.78.0.1'"
check "and traffic goes by name: ping web from client" \
  "$NSTOPO" exec client -- ping -c 1 -W 2 web
check "the checks (they name nodes) hold" "$NSTOPO" check "$LAB"
check_output_contains "the service saw the lab's hosts over /etc/hosts" "web-service-sees-the-lab-hosts"
check_output_contains "every check held" "6 checks: 6 held, 0 failed"

stamps() { stat -c '%n %i %Y.%y' $NETNS/*/* /etc/hosts; }
first=$(stamps)
sleep 1.1
check "re-apply" "$NSTOPO" apply "$LAB"
check_output_contains "re-apply changes nothing" "No changes"
if [[ "$(stamps)" == "$first" ]]; then pass "re-apply rewrote no file (inodes and mtimes the same)"
else fail "re-apply touched files:"; diff <(echo "$first") <(stamps) | sed 's/^/    /'; fi

# Drift: a hand edit of a file that keeps the mark is repaired.
echo "10.9.9.9 intruder" >> $NETNS/client/hosts
check_exit 2 "edited hosts: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$LAB"
check_output_contains "edited hosts: plan shows the rewrite" \
  "~ file /etc/netns/client/hosts  (edited outside nstopo, or the lab's names changed)"
check_output_contains "edited hosts: and only it" "Plan: 0 to create, 1 to change, 0 to delete."
check "edited hosts: status" "$NSTOPO" status "$LAB"
check_output_contains "edited hosts: status says it drifted" "0 missing, 1 drifted"
check "edited hosts: apply repairs it" "$NSTOPO" apply "$LAB"
check "edited hosts: the line is gone" sh -c "! grep -q intruder $NETNS/client/hosts"
check_exit 0 "edited hosts: converged" "$NSTOPO" plan --detailed-exitcode "$LAB"

# Drift inside the host's block; the lines outside it stay as they are.
sed -i 's/^10.78.0.10 web /10.78.0.99 web /' /etc/hosts
check_exit 2 "edited block: plan exits 2" "$NSTOPO" plan --detailed-exitcode "$LAB"
check_output_contains "edited block: plan names the block" "~ file the lab's block in /etc/hosts"
check "edited block: apply repairs it" "$NSTOPO" apply "$LAB"
check "edited block: the block is right again" grep -qx "10.78.0.10 web web.named-lan" /etc/hosts
check "edited block: the line by hand is still there" grep -qx "192.0.2.77 kept-by-hand" /etc/hosts

# A file the lab did not write (no mark) is never written over: a conflict names it.
sed -i 1d $NETNS/client/resolv.conf
check_exit 3 "unmarked resolv.conf: apply refuses" "$NSTOPO" apply "$LAB"
check_output_contains "unmarked resolv.conf: the conflict names the file and the mark" \
  "/etc/netns/client/resolv.conf exists and is not lab named-lan's"
check "unmarked resolv.conf: left as it was" grep -qx "nameserver 10.78.0.1" $NETNS/client/resolv.conf
rm $NETNS/client/resolv.conf
check "once it is gone, apply writes it" "$NSTOPO" apply "$LAB"
check "resolv.conf is back, marked" grep -q "^# nstopo lab named-lan" $NETNS/client/resolv.conf

# Markers that make no block: nothing written to /etc/hosts, a conflict says why.
cp /etc/hosts "$WORK/hosts.good"
sed -i '/^# END nstopo lab named-lan$/d' /etc/hosts
cp /etc/hosts "$WORK/hosts.broken"
check_exit 3 "unbalanced markers: apply refuses" "$NSTOPO" apply "$LAB"
check_output_contains "unbalanced markers: the conflict says what is wrong" \
  "/etc/hosts has 1 '# BEGIN nstopo lab named-lan' and 0 '# END nstopo lab named-lan' line(s)"
check "unbalanced markers: /etc/hosts untouched" cmp -s /etc/hosts "$WORK/hosts.broken"
cp "$WORK/hosts.good" /etc/hosts

check "destroy" "$NSTOPO" destroy "$LAB"
check "destroy removed the namespaces' directories" sh -c "test -z \"\$(ls -A $NETNS)\""
if [[ "$(md5sum < /etc/hosts)" == "$hosts_before" ]]; then pass "/etc/hosts is as before the apply"
else fail "/etc/hosts differs:"; cat /etc/hosts | sed 's/^/    /'; fi
after=$(snapshot_full)
if [[ "$after" == "$before" ]]; then pass "the host is exactly as before"
else fail "the host differs:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /'; fi
finish
