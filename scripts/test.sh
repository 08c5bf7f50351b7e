#!/usr/bin/env bash
# The whole test suite: unit tests beside the code, then integration tests against a real berthd.
# Needs root (overlayfs, runc, namespaces) and the packages from scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm install --no-audit --no-fund
# A clean build: compiled tests of sources deleted since the last build must not run.
rm -rf build
npm run -s build
# Test files run one at a time: integration tests each start their own berthd, and 2 cores are all we have.
mapfile -t files < <(find build/src build/test -name '*.test.js' | sort)
exec node --test --test-concurrency=1 --test-reporter=spec "$@" "${files[@]}"
