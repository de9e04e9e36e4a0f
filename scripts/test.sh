#!/usr/bin/env bash
# The whole test suite: every crate's unit, fixture, snapshot, CLI and robustness tests.
# Usage: scripts/test.sh [extra cargo test args]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --workspace "$@"
