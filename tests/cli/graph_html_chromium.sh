#!/usr/bin/env bash
# The HTML page of every shipped topology in headless Chromium: it loads with the network
# cut off (the page is self-contained), a screenshot is taken, and every node's name is in
# the SVG of the rendered DOM. Skips (77) without Chromium or Graphviz.
set -uo pipefail
nstopo=$1 topologies=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v dot >/dev/null || { echo "SKIP: Graphviz's dot is not installed"; exit 77; }
command -v chromium >/dev/null || { echo "SKIP: chromium is not installed (apt-get install chromium)"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
state=(--state-dir "$work/state")
# --proxy-server to a closed port: any fetch the page tried would fail and not reach anywhere.
chrome=(chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile"
        --proxy-server=127.0.0.1:9 --window-size=1280,1024)
for file in "$topologies"/*.yaml; do
  name=$(basename "$file" .yaml)
  "$nstopo" "${state[@]}" graph "$file" -f html >"$work/$name.html" || fail "$name: graph -f html failed"
  # Self-contained: no script, style sheet, frame or image from elsewhere.
  if grep -Eqi '<script|<link|<iframe|<img|@import|url\(|(src|href)="(https?:)?//' "$work/$name.html"; then
    fail "$name: the page refers to something outside itself"
  fi
  timeout 120 "${chrome[@]}" --screenshot="$work/$name.png" "file://$work/$name.html" >/dev/null 2>&1 ||
    fail "$name: chromium could not screenshot the page"
  [[ $(head -c 8 "$work/$name.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
    fail "$name: the screenshot is not a PNG"
  timeout 120 "${chrome[@]}" --dump-dom "file://$work/$name.html" >"$work/$name.dom" 2>/dev/null ||
    fail "$name: chromium could not load the page"
  "$nstopo" "${state[@]}" graph "$file" -f json >"$work/$name.json"
  python3 - "$work/$name.dom" "$work/$name.json" <<'PY' || fail "$name: the rendered page lacks a node"
import json, re, sys
dom = open(sys.argv[1]).read()
svg = re.search(r"<svg.*</svg>", dom, re.S)
if not svg:
    sys.exit("no <svg> in the rendered DOM")
texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg.group(0))
for node in json.load(open(sys.argv[2]))["nodes"]:
    if not any(t == node["name"] or t.startswith(node["name"] + " ") for t in texts):
        sys.exit(f"{node['name']} is not a text of the rendered SVG: {texts}")
print(f"{sys.argv[1]}: {len(texts)} texts, every node named")
PY
done
echo ok
