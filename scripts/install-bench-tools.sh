#!/usr/bin/env bash
# Installs what the benchmarks need beyond the test servers (scripts/install-test-servers.sh):
# wrk, the HTTP load generator of the API benchmark (Debian's package, built with LuaJIT).
# `python -m bench --only api` runs this when wrk is not on PATH. Idempotent.
set -euo pipefail

# shellcheck source=scripts/as-root.sh
source "$(dirname "${BASH_SOURCE[0]}")/as-root.sh"

if command -v wrk >/dev/null 2>&1; then
    echo "install-bench-tools: wrk found at $(command -v wrk)"
else
    echo "install-bench-tools: installing wrk (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk
    command -v wrk >/dev/null 2>&1 || {
        echo "install-bench-tools: wrk installed but still not on PATH" >&2
        exit 1
    }
    echo "install-bench-tools: wrk installed at $(command -v wrk)"
fi
