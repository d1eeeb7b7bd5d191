#!/usr/bin/env bash
# The tansu Kafka broker (crates.io) for the Kafka tests, the Kafka benchmark and local use.
#
#   scripts/tansu.sh install        installs tansu with cargo only when it is missing (about
#                                   15 minutes on 2 cores), then prints the binary's path;
#                                   the test script does: export TANSU="$(scripts/tansu.sh install)"
#   scripts/tansu.sh run [PORT] [DIR]
#                                   runs a broker on 127.0.0.1:PORT (default 9092) in the
#                                   foreground, storing in DIR/tansu.db (default: in memory)
#
# The binary is $TANSU if set, else tansu on the PATH, else ~/.cargo/bin/tansu.
set -euo pipefail

TANSU_VERSION=0.6.0
TANSU_FEATURES=dynostore,libsql

find_tansu() {
    if [ -n "${TANSU:-}" ]; then
        [ -x "$TANSU" ] && { echo "$TANSU"; return 0; }
        return 1
    fi
    local found
    if found=$(command -v tansu 2>/dev/null); then
        echo "$found"
        return 0
    fi
    local cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin/tansu"
    [ -x "$cargo_bin" ] && { echo "$cargo_bin"; return 0; }
    return 1
}

install() {
    local tansu
    if tansu=$(find_tansu); then
        echo "$tansu"
        return 0
    fi
    echo "installing tansu $TANSU_VERSION (features $TANSU_FEATURES); this takes a while" >&2
    cargo install tansu --version "$TANSU_VERSION" --locked --features "$TANSU_FEATURES" >&2
    find_tansu || { echo "tansu.sh: tansu was installed but cannot be found" >&2; exit 1; }
}

run() {
    local port="${1:-9092}" dir="${2:-}" tansu storage
    tansu=$(install)
    storage="memory://tansu/"
    if [ -n "$dir" ]; then
        mkdir -p "$dir"
        cd "$dir"
        # tansu opens sqlite://NAME relative to its working directory.
        storage="sqlite://tansu.db"
    fi
    exec "$tansu" broker \
        --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$port" \
        --storage-engine "$storage"
}

case "${1:-install}" in
    install) install ;;
    run) shift; run "$@" ;;
    *) echo "usage: $0 install | run [PORT] [DIR]" >&2; exit 2 ;;
esac
