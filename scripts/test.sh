#!/usr/bin/env bash
# Installs what the tests need and runs every check and test. README's test command; CI runs
# it through .ci/run. Prerequisites: the Rust toolchain (with rustfmt and clippy) and Node.js
# (>= 20.19, with npm). Crates come from crates.io and npm packages from the npm registry on
# the first run; Debian's chromium is installed with apt-get when it is missing, and the
# tansu Kafka broker with cargo install (about 15 minutes, once).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "lint"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "the core's example market runs"
cargo run --locked --quiet -p exchange-core --example market > /dev/null
# README's run command, `exchange serve`, is started, queried and stopped by
# exchange-server/tests/cli.rs (serve_answers_health_stops_cleanly_on_sigterm...).

step "web UI: unit tests, and the committed build matches its sources"
scripts/web.sh

step "tansu, the Kafka broker of the Kafka tests (built with cargo install only when missing)"
TANSU="$(scripts/tansu.sh install)"
export TANSU

step "tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"
# cargo ends on the last crate's doc tests, which may be "0 passed"; close on the totals.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "\ntests: %d passed, %d failed\n", passed, failed }' "$log"

step "browser end-to-end tests (headless Chromium against a live demo market)"
scripts/e2e.sh
