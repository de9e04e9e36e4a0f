#!/usr/bin/env bash
# The whole test suite: every crate's unit, fixture, snapshot, CLI and robustness tests, then
# the VS Code extension's grammar tests and its offline packaging (Node.js and npm). The AWS
# provider's tests run against moto, which scripts/aws-emulator.sh installs (Python 3).
# Usage: scripts/test.sh [extra cargo test args]
# Ends with one line counting every test that ran: "tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# The local AWS of fgl-aws's emulator tests (moto, pinned, in .venv): quick once installed. A
# failure here still runs the tests, whose emulator tests then fail saying what is missing.
scripts/aws-emulator.sh setup || status=$?
cargo test --workspace --lib --bins --tests "$@" 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo '^test result: [A-Za-z]+\. [0-9]+ passed' "$log" | grep -Eo '[0-9]+ passed' | awk '{s += $1} END {print s + 0}')
failed=$(grep -Eo '; [0-9]+ failed' "$log" | grep -Eo '[0-9]+' | awk '{s += $1} END {print s + 0}')

# The emulator extension (tests/emulator/fgl_moto.py: ECS deployments that progress and fail
# on demand) has its own Python tests, run with the venv's Python (boto3 comes with moto).
echo "== tests/emulator"
py_log=$(mktemp)
if .venv/bin/python -m unittest discover -s tests/emulator 2>&1 | tee "$py_log"; then :; else status=1; fi
py_ran=$( (grep -Eo '^Ran [0-9]+ test' "$py_log" || true) | grep -Eo '[0-9]+' | tail -1 || true)
py_ran=${py_ran:-0}
py_failed=$( (grep -Eo '^FAILED \((failures|errors)=[0-9]+(, (failures|errors)=[0-9]+)?\)' "$py_log" || true) | (grep -Eo '[0-9]+' || true) | awk '{s += $1} END {print s + 0}')
if [ "$py_ran" -eq 0 ]; then
    echo "error: the emulator extension's tests did not run (is .venv set up? scripts/aws-emulator.sh setup)" >&2
    py_failed=$((py_failed + 1))
    status=1
fi
passed=$((passed + py_ran - py_failed))
failed=$((failed + py_failed))
rm -f "$py_log"

# The VS Code extension: `npm ci` installs what package-lock.json pins (from the registry or
# npm's cache), `npm test` runs the grammar tests, `npm run package` builds the .vsix offline.
echo "== editors/vscode"
if ! command -v npm >/dev/null; then
    echo "error: npm is missing: the VS Code extension's tests need Node.js and npm (apt-get install nodejs npm)" >&2
    failed=$((failed + 1))
    status=1
else
    node_log=$(mktemp)
    vsix_dir=$(mktemp -d)
    trap 'rm -f "$log" "$node_log"; rm -rf "$vsix_dir"' EXIT
    (
        cd editors/vscode
        npm ci --no-audit --no-fund --loglevel=error
        npm test
        node scripts/package.mjs "$vsix_dir/fgl.vsix"
    ) 2>&1 | tee "$node_log" || status=$?
    passed=$((passed + $(grep -Eo '^# pass [0-9]+' "$node_log" | grep -Eo '[0-9]+' | awk '{s += $1} END {print s + 0}')))
    failed=$((failed + $(grep -Eo '^# fail [0-9]+' "$node_log" | grep -Eo '[0-9]+' | awk '{s += $1} END {print s + 0}')))
    if ! python3 -m zipfile -t "$vsix_dir"/*.vsix >/dev/null; then
        echo "error: the packaged .vsix is not a valid archive" >&2
        failed=$((failed + 1))
        status=1
    else
        passed=$((passed + 1))
    fi
fi
echo "tests: $passed passed, $failed failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
    echo "error: no test ran" >&2
    exit 1
fi
exit "$status"
