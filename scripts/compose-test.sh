#!/usr/bin/env bash
# CI's production-style step: builds the images, runs the compose stack test
# (tests/deploy/test_compose_stack.py: health, freshness, kill and restart, reconcile,
# down -v) and prints how long each part took. Starts a Docker engine when none runs and
# stops the one it started, and takes the stack down, even when a step fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.local/bin:$PATH"
bash scripts/install-docker.sh
had_engine=0
if [[ -n "${DOCKER_HOST:-}" ]] || docker info >/dev/null 2>&1 ||
    DOCKER_HOST=unix://${CANLIAN_DOCKER_RUN_DIR:-/tmp/canlian-docker}/docker.sock docker info >/dev/null 2>&1; then
    had_engine=1
fi
# shellcheck source=scripts/docker-engine.sh
source scripts/docker-engine.sh start
cleanup() {
    local status=$?
    docker-compose -p canlian-ci down -v --remove-orphans >/dev/null 2>&1 || true
    if ((had_engine == 0)); then
        bash scripts/docker-engine.sh stop
    fi
    echo "compose-test: ${SECONDS}s in all (images ${built:-?} s, stack test ${tested:-?} s)"
    exit "${status}"
}
trap cleanup EXIT
SECONDS=0
bash scripts/build-images.sh
built=$SECONDS
CANLIAN_COMPOSE_TEST=1 uv run pytest -q -s tests/deploy/test_compose_stack.py "$@"
tested=$((SECONDS - built))
