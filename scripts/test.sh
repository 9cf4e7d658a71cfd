#!/usr/bin/env bash
# Sets everything up, then runs all tests: unit tests (vitest, real traces and
# a real kernel with CPU torch) and browser tests (Galata in Debian's chromium
# against a real JupyterLab). Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get install -y chromium || (apt-get update && apt-get install -y chromium)) >/dev/null
  else
    echo "Debian's chromium is needed for the browser tests: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC1091
. .venv/bin/activate
mkdir -p .test-results

npx vitest run --reporter=default --reporter=json --outputFile=.test-results/unit.json
unit_rc=$?

(
  cd ui-tests &&
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
    fi &&
    CI=1 PLAYWRIGHT_JSON_OUTPUT_NAME=../.test-results/ui.json \
      npx playwright test --reporter=list,json
)
ui_rc=$?

node -e '
const fs = require("fs");
const read = f => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return null; } };
const unit = read(".test-results/unit.json");
const ui = read(".test-results/ui.json");
let passed = 0, failed = 0;
if (unit) { passed += unit.numPassedTests; failed += unit.numFailedTests; } else { failed += 1; }
if (ui) { passed += ui.stats.expected + ui.stats.flaky; failed += ui.stats.unexpected; } else { failed += 1; }
if (failed === 0 && (process.argv[1] !== "0" || process.argv[2] !== "0")) { failed += 1; }
console.log(`${passed} passed, ${failed} failed`);
' "$unit_rc" "$ui_rc"
[ "$unit_rc" = 0 ] && [ "$ui_rc" = 0 ]
