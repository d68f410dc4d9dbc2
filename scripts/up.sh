#!/usr/bin/env bash
# The README's first command: install, then run the five services on the embedded default
# (SQLite files and the embedded event log under .canlian/) until Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh
export PATH="$HOME/.local/bin:$PATH"
exec uv run canlian up "$@"
