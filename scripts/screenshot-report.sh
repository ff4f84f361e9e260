#!/usr/bin/env bash
# Renders a registry's HTML audit report in headless Chromium and saves a PNG.
# Usage: scripts/screenshot-report.sh [REGISTRY] [AS_OF] [OUTPUT.png]
# Installs chromium and a Chinese font (Debian packages) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
registry=${1:-registry}
as_of=${2:-2023-06-01}
output=${3:-docs/audit-report.png}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

page=$(mktemp --suffix=.html)
trap 'rm -f "$page"' EXIT
swift run -q inforce audit --registry "$registry" --as-of "$as_of" --format html --output "$page"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2200 \
    --screenshot="$output" "file://$page" 2>/dev/null
echo "saved $output"
