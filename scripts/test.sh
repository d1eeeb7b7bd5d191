#!/usr/bin/env bash
# Installs what the tests need and runs every check and test. README's test command; CI runs
# it through .ci/run. The Rust toolchain (with rustfmt and clippy) is the only prerequisite;
# crates come from crates.io on the first build.
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

step "tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"
# cargo ends on the last crate's doc tests, which may be "0 passed"; close on the totals.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "\ntests: %d passed, %d failed\n", passed, failed }' "$log"
