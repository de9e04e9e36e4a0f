#!/usr/bin/env bash
# The whole test suite: every crate's unit, fixture, snapshot, CLI and robustness tests.
# Usage: scripts/test.sh [extra cargo test args]
# Ends with one line counting every test that ran: "tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --lib --bins --tests "$@" 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo '^test result: [A-Za-z]+\. [0-9]+ passed' "$log" | grep -Eo '[0-9]+ passed' | awk '{s += $1} END {print s + 0}')
failed=$(grep -Eo '; [0-9]+ failed' "$log" | grep -Eo '[0-9]+' | awk '{s += $1} END {print s + 0}')
echo "tests: $passed passed, $failed failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
    echo "error: no test ran" >&2
    exit 1
fi
exit "$status"
