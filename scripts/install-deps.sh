#!/usr/bin/env bash
# Installs the Debian packages nstopo needs to build, test and benchmark. Idempotent.
set -euo pipefail
packages=(
  cmake g++ make pkg-config                       # toolchain
  libyaml-dev libyaml-cpp-dev                     # reading YAML, writing it
  libnl-3-dev libnl-route-3-dev                   # netlink
  libfmt-dev libcli11-dev nlohmann-json3-dev doctest-dev
  libnftables-dev nftables                        # the lab's NAT table; nft lists it in tests
  iproute2 iputils-ping procps python3 python3-jsonschema python3-yaml curl  # tests
  tcpdump                                         # nstopo capture (runtime) and its test
  strace                                          # test_observe_dumps.sh counts netlink requests
  man-db dpkg-dev                                 # packaging test: man -l, dpkg-shlibdeps
  python3-junitparser libxml2-utils               # check -o junit read back (test_checks.sh)
  gnuplot-nox                                     # bench plots
  libclang-rt-14-dev                              # libFuzzer runtime (tests/fuzz; no clang needed)
  graphviz chromium                               # nstopo graph -f svg/html at run time; its tests (npm: mermaid-cli)
  ansible-core                                    # deploy/ansible: its syntax check and test_ansible.sh
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The Kubernetes manifest's validator, from the npm registry, pinned by its lock file
# (deploy.kubernetes_manifest skips without it, so a registry outage does not stop the rest).
"$(dirname "$0")/install-k8s-validator.sh" ||
  echo "install-deps: warning: no Kubernetes validator: deploy.kubernetes_manifest will skip" >&2
