#!/usr/bin/env bash
# Installs what tests/deploy/validate_kubernetes.sh (ctest deploy.kubernetes_manifest) checks
# the Kubernetes manifest with: kubernetes-models (the Kubernetes OpenAPI schema), typescript
# (its types, for unknown fields) and yaml, from the npm registry, exactly as the lock file
# tests/deploy/validate_kubernetes.package-lock.json pins them (npm ci: versions and
# integrity hashes), into a cache directory keyed by that file (validate_kubernetes.sh --dir).
# About 56 MB. Installs Debian's nodejs and npm first when there is no npm. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi
dir=$(tests/deploy/validate_kubernetes.sh --dir "$PWD")
[[ -e $dir/.installed ]] && exit 0
rm -rf "$dir"
mkdir -p "$dir"
cp tests/deploy/validate_kubernetes.package.json "$dir/package.json"
cp tests/deploy/validate_kubernetes.package-lock.json "$dir/package-lock.json"
if ! (cd "$dir" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >install.log 2>&1); then
  tail -20 "$dir/install.log" >&2
  rm -rf "$dir"
  echo "install-k8s-validator: npm ci failed (above)" >&2
  exit 1
fi
: >"$dir/.installed"
echo "install-k8s-validator: installed in $dir"
