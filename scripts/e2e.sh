#!/usr/bin/env bash
# The browser end-to-end tests (web/e2e): installs Debian's chromium when it is missing,
# builds the live-market binary, then runs the tests with Node's test runner. They start
# their own exchange (demo market and bots) on a free loopback port and save screenshots
# under target/e2e-screenshots/. Run scripts/web.sh first (it installs the npm packages).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium > /dev/null
fi

cargo build --locked --quiet -p bots --bin live-market
export LIVE_MARKET_BIN="$PWD/target/debug/live-market"
node --test --test-concurrency=1 web/e2e/
