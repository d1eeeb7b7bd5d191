#!/usr/bin/env bash
# The web UI's checks: installs its npm packages (from package-lock.json), runs its unit
# tests (Vitest), and checks that the committed build in web/dist is what the sources build
# to, since that build is what `exchange serve` embeds and serves (see web/README.md).
# Needs Node.js >= 20.19 and npm.
set -euo pipefail
cd "$(dirname "$0")/../web"

npm ci --no-audit --no-fund --loglevel=error
npm test

fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
npx tsc -b
npx vite build --logLevel warn --outDir "$fresh" --emptyOutDir
if ! diff -r dist "$fresh" > /dev/null; then
    diff -r dist "$fresh" | head -20 >&2 || true
    echo "web/dist is stale: run 'npm run build' in web/ and commit web/dist" >&2
    exit 1
fi
echo "web/dist matches the sources"
