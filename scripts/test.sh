#!/usr/bin/env bash
# The README's second command: install what the tests need (PostgreSQL when missing, the
# Kafka jars from Maven Central) and run them against real servers the harness starts
# (or against DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS when set).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh
export PATH="$HOME/.local/bin:$PATH"
bash scripts/install-test-servers.sh
exec uv run pytest "$@"
