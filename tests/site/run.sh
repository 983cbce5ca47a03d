#!/usr/bin/env bash
# The course website, as CI checks it: install what the build needs (the docs extra, MathJax 3 from
# npm, Playwright and Debian's Chromium for the page tests), build the site from scratch with warnings
# as errors, then open its pages in headless Chromium with every other host blocked.
# Fails on any failure *or skip*. Extra arguments go to pytest, e.g.  bash tests/site/run.sh -k 05_
set -uo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-.venv/bin/python}
OUT=docs/_build/html
start=$(date +%s)

bash tests/e2e/install_chromium.sh || { echo "site: could not install chromium" >&2; exit 1; }
# the Python packages only: the tests use the system Chromium, never 'playwright install'
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$PYTHON" -m pip install -q -e ".[docs,e2e]" || exit 1
npm ci --prefix docs --no-audit --no-fund --loglevel=error || { echo "site: npm ci failed" >&2; exit 1; }

rm -rf docs/_build
build_status=0
build_start=$(date +%s)
"$PYTHON" -m sphinx -W --keep-going -q -c docs -b html . "$OUT" || build_status=1
build_seconds=$(( $(date +%s) - build_start ))
if [ "$build_status" -ne 0 ]; then
    # still test the pages, so one run shows every problem: build again, reporting instead of failing
    echo "site: the build failed (above); building again without -W to test the pages anyway" >&2
    "$PYTHON" -m sphinx --keep-going -q -c docs -b html -D equation_index_strict=0 . "$OUT" >/dev/null 2>&1 \
        || { echo "site: no site could be built" >&2; exit 1; }
fi
echo "site: built in $build_seconds s; $(du -sh "$OUT" | cut -f1) in $OUT," \
     "$(find "$OUT" -name '*.html' | wc -l) pages"

log=$(mktemp)
timeout --kill-after=30 900 "$PYTHON" -m pytest -m site -n0 -rs tests/site "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ] && grep -qE "[0-9]+ skipped" "$log"; then
    echo "site: some website tests were skipped; every one must run" >&2
    status=1
fi
rm -f "$log"
if [ "$build_status" -ne 0 ]; then
    echo "site: FAILED: the build with warnings as errors failed (see its messages above)" >&2
    status=1
fi
echo "site: screenshots in docs/_build/screenshots/; stage took $(( $(date +%s) - start )) s"
exit "$status"
