#!/usr/bin/env bash
# Every test of frontdesk: unit, property, snapshot, command-line and end-to-end tests.
# Installs nothing today: the end-to-end tests drive the binary through a pseudo-terminal
# that the test code opens itself.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked "$@"
