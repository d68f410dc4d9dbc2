#!/usr/bin/env bash
# The README's second command: install what the tests need (PostgreSQL when missing, the
# Kafka jars from Maven Central) and run them against real servers the harness starts
# (or against DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS when set).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh
export PATH="$HOME/.local/bin:$PATH"
bash scripts/install-test-servers.sh
if [ "${CANLIAN_COVERAGE:-}" = "1" ]; then
    # Coverage of the suite and of the service processes it starts (pyproject's [tool.coverage]).
    rm -rf .canlian/coverage && mkdir -p .canlian/coverage
    exec uv run pytest --cov --cov-report=term --cov-report=xml:.canlian/coverage/coverage.xml "$@"
fi
exec uv run pytest "$@"
