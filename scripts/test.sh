#!/usr/bin/env bash
# The test command: the whole suite, offline and deterministic; fails when a test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "no tests were collected" >&2
fi
exit "$rc"
