#!/usr/bin/env bash
# Builds the DEB with CPack, checks its metadata and contents, unpacks it into a
# scratch root, runs the unpacked binary, loads the bash completion and renders
# every man page. Usage: deb_package.sh BUILD_DIR
set -euo pipefail
build=$1
for tool in cpack dpkg-deb man bash; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; fail "cpack"; }
deb=$(ls "$scratch"/out/nstopo_*_amd64.deb 2>/dev/null | head -1)
[[ -n $deb ]] || fail "no nstopo_VERSION_amd64.deb in $(ls "$scratch/out")"

info=$(dpkg-deb -I "$deb")
for dep in libyaml-0-2 libyaml-cpp libnl-3-200 libnl-route-3-200 libfmt; do
  grep -q "^ Depends:.*$dep" <<<"$info" || fail "Depends lacks $dep: $info"
done

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
expected=(./usr/bin/nstopo ./usr/share/nstopo/topology.schema.json
          ./usr/share/bash-completion/completions/nstopo ./usr/share/zsh/vendor-completions/_nstopo
          ./usr/share/fish/vendor_completions.d/nstopo.fish ./usr/share/man/man1/nstopo.1)
# A page for every command `nstopo --help` lists: the list is read from the binary, not kept here.
commands=$("$build/nstopo" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[[ $(wc -w <<<"$commands") -ge 7 ]] || fail "found only '$commands' in nstopo --help"
for c in $commands; do expected+=("./usr/share/man/man1/nstopo-$c.1"); done
expected+=(./usr/share/nstopo/output.schema.json)
for f in "${expected[@]}"; do grep -qx "$f" <<<"$contents" || fail "$f not in package"; done

dpkg-deb -x "$deb" "$scratch/root"
version=$("$scratch/root/usr/bin/nstopo" --version)
[[ $version == "nstopo "* ]] || fail "--version printed '$version'"

# The completion loads and completes the subcommand `apply` from `ap`, and options of plan.
out=$(bash --norc -c '
  source "$1"
  COMP_WORDS=(nstopo ap); COMP_CWORD=1; _nstopo; echo "${COMPREPLY[*]}"
  COMP_WORDS=(nstopo plan --det); COMP_CWORD=2; _nstopo; echo "${COMPREPLY[*]}"' _ \
  "$scratch/root/usr/share/bash-completion/completions/nstopo")
grep -qx apply <<<"$(head -1 <<<"$out")" || fail "completing 'ap' gave '$out'"
grep -q -- --detailed-exitcode <<<"$(sed -n 2p <<<"$out")" || fail "completing 'plan --det' gave '$out'"
# Lab names come from the records: a directory with a state.json is a lab, one without is not.
mkdir -p "$scratch/state/lab_one" "$scratch/state/lab_two" "$scratch/state/not_a_lab"
touch "$scratch/state/lab_one/state.json" "$scratch/state/lab_two/state.json"
mkdir -p "$scratch/state/lab_one/logs/ns_a" "$scratch/state/lab_one/logs/ns_b"
touch "$scratch/state/lab_one/logs/ns_a/web.log" "$scratch/state/lab_one/logs/ns_a/web.log.1" \
  "$scratch/state/lab_one/logs/ns_b/db.log"
labs=$(NSTOPO_STATE_DIR="$scratch/state" bash --norc -c '
  source "$1"
  COMP_WORDS=(nstopo destroy --name lab_); COMP_CWORD=3; _nstopo; echo "${COMPREPLY[*]}"
  COMP_WORDS=(nstopo logs ""); COMP_CWORD=2; _nstopo; echo "${COMPREPLY[*]}"
  COMP_WORDS=(nstopo logs lab_one ""); COMP_CWORD=3; _nstopo; echo "${COMPREPLY[*]}"' _ \
  "$scratch/root/usr/share/bash-completion/completions/nstopo")
[[ $(head -1 <<<"$labs") == "lab_one lab_two" ]] || fail "completing 'destroy --name lab_' gave '$labs'"
grep -q "lab_one lab_two" <<<"$(sed -n 2p <<<"$labs")" || fail "completing 'logs' gave '$labs'"
services=$(sed -n 3p <<<"$labs")
[[ $services == *"ns_a/web ns_b/db"* && $services != *web.log* ]] ||
  fail "completing 'logs lab_one' gave '$services' (wanted the lab's services, not its rotated logs)"
[[ $services != *CMakeLists* && $services != *Makefile* ]] ||
  fail "completing 'logs lab_one' offered file names: '$services'"
grep -q not_a_lab <<<"$labs" && fail "a directory without state.json was completed as a lab: '$labs'"

for page in "$scratch"/root/usr/share/man/man1/*.1; do
  rendered=$(MANWIDTH=80 man -l --warnings "$page" 2>&1 >/dev/null || true)
  [[ -z $rendered ]] || fail "man warnings for $page: $rendered"
  MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q "nstopo" || fail "$page renders empty"
done
echo "ok: $(basename "$deb")"
