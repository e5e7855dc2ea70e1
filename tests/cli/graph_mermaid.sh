#!/usr/bin/env bash
# The mermaid output of every shipped topology (plain, and with every live state's styles)
# through mermaid itself: @mermaid-js/mermaid-cli (mmdc) in headless Chromium. The package
# is installed from the npm registry into a cache directory, once; the test skips (77) when
# npm, Chromium or the registry is not there. A file mermaid refuses is checked to fail too.
set -uo pipefail
nstopo=$1 topologies=$2 tests=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v npm >/dev/null || { echo "SKIP: npm is not installed"; exit 77; }
command -v chromium >/dev/null || { echo "SKIP: chromium is not installed (apt-get install chromium)"; exit 77; }
version=11.17.0
cache=${NSTOPO_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nstopo-tests}/mermaid-cli-$version
mmdc=$cache/node_modules/.bin/mmdc
if [[ ! -x $mmdc ]]; then
  mkdir -p "$cache"
  # Puppeteer's own browser download is skipped: the Debian chromium is used.
  if ! PUPPETEER_SKIP_DOWNLOAD=1 timeout 300 npm install --prefix "$cache" --no-audit --no-fund \
      --loglevel=error "@mermaid-js/mermaid-cli@$version" >"$cache/install.log" 2>&1; then
    echo "SKIP: could not install @mermaid-js/mermaid-cli from the npm registry:"; tail -5 "$cache/install.log"
    rm -rf "$cache/node_modules"
    exit 77
  fi
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '{"executablePath": "%s", "args": ["--no-sandbox", "--disable-gpu"]}\n' "$(command -v chromium)" >"$work/puppeteer.json"
render() { timeout 120 "$mmdc" -q -p "$work/puppeteer.json" -i "$1" -o "$2" >"$work/log" 2>&1; }

printf 'flowchart LR\n  n0[["host"]] ---|"a| n1((\n' >"$work/broken.mmd"
render "$work/broken.mmd" "$work/broken.svg" && fail "mermaid accepted a broken file: the check checks nothing"

# The live cases are the unit tests' golden files (tests/unit/graph/live/), kept equal to the output.
for file in "$topologies"/*.yaml "$tests"/unit/graph/live/*.mmd; do
  name=$(basename "$file"); name=${name%.*}
  if [[ $file == *.yaml ]]; then
    "$nstopo" --state-dir "$work/state" graph "$file" -f mermaid >"$work/$name.mmd" || fail "$name: graph -f mermaid failed"
  else
    cp "$file" "$work/$name.mmd"
  fi
  render "$work/$name.mmd" "$work/$name.svg" || fail "$name: mermaid refused it: $(tail -5 "$work/log")"
  grep -q '<svg' "$work/$name.svg" || fail "$name: mermaid drew nothing"
done
echo ok
