#!/usr/bin/env bash
# The browser tests of the widgets (JupyterLab + headless Chromium), as run by .ci/run.
# Installs Debian's Chromium when missing and the e2e extra, then runs the tests, bounded in time.
# Fails on any failure *or skip*. Extra arguments go to pytest, e.g.  bash tests/e2e/run.sh -k 05_
set -uo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-.venv/bin/python}
bash tests/e2e/install_chromium.sh || { echo "e2e: could not install chromium" >&2; exit 1; }
if ! "$PYTHON" -c "import playwright" >/dev/null 2>&1; then
    # the Python package only: the tests use the system Chromium, never 'playwright install'
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$PYTHON" -m pip install -q -e ".[e2e]" || exit 1
fi
log=$(mktemp)
start=$(date +%s)
timeout --kill-after=30 900 "$PYTHON" -m pytest -m e2e -n0 -rs tests/e2e "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ] && grep -qE "[0-9]+ skipped" "$log"; then
    echo "e2e: some browser tests were skipped; every one must run" >&2
    status=1
fi
echo "e2e: stage took $(( $(date +%s) - start )) s"
rm -f "$log"
exit "$status"
