# Shared helpers for the integration scripts. They run inside sandbox.sh (see there), so the
# "host" is an empty network namespace and /run is private.
# Every check counts; the script ends with "N passed, N failed" and fails if any failed.
set -uo pipefail

: "${NSTOPO:?NSTOPO must name the nstopo binary}"
: "${NSTOPO_SOURCE_DIR:?NSTOPO_SOURCE_DIR must name the source tree}"
if [[ -z ${NSTOPO_IN_SANDBOX:-} ]]; then
  echo "refusing to run outside the sandbox: use tests/integration/sandbox.sh $0" >&2
  exit 1
fi

TOPOLOGIES="$NSTOPO_SOURCE_DIR/topologies"
CHECK_LAB="/usr/bin/python3 $NSTOPO_SOURCE_DIR/tests/integration/check_lab.py"
WORK=$(mktemp -d /run/nstopo-test.XXXXXX)
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what=$1; shift
  if "$@" >"$WORK/out" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/    /' "$WORK/out"; fi
}

# check_exit CODE DESCRIPTION COMMAND...: the command must exit with CODE.
check_exit() {
  local want=$1 what=$2; shift 2
  "$@" >"$WORK/out" 2>&1
  local got=$?
  if [[ $got -eq $want ]]; then pass "$what"; else fail "$what (exit $got, wanted $want)"; sed 's/^/    /' "$WORK/out"; fi
}

# check_output_contains DESCRIPTION TEXT: the last command's output holds TEXT.
check_output_contains() {
  if grep -qF -- "$2" "$WORK/out"; then pass "$1"; else fail "$1: no '$2' in:"; sed 's/^/    /' "$WORK/out"; fi
}
check_output_lacks() {
  if ! grep -qF -- "$2" "$WORK/out"; then pass "$1"; else fail "$1: unexpected '$2' in:"; sed 's/^/    /' "$WORK/out"; fi
}

# Everything the network layer can see, to compare before/after.
snapshot() {
  {
    ls /run/netns 2>/dev/null | sort
    ip -o link show | sed 's/^[0-9]*: //; s/ qlen.*//' | awk '{print $1, $2, $3}' | sort
    ip -o addr show | awk '{print $2, $3, $4}' | sort
    ip -o route show table all | sort
    for ns in $(ls /run/netns 2>/dev/null); do
      echo "== $ns"
      ip -n "$ns" -o link show | sed 's/^[0-9]*: //' | awk '{print $1, $2, $3}' | sort
      ip -n "$ns" -o addr show | awk '{print $2, $3, $4}' | sort
      ip -n "$ns" -o route show table all | sort
    done
  } 2>&1
}

finish() {
  echo "$passed passed, $failed failed"
  rm -rf "$WORK"
  [[ $failed -eq 0 ]]
  exit $?
}
