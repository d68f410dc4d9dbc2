#!/usr/bin/env bash
# Starts (or stops) a Docker engine for the production-style run when none is running.
#   source scripts/docker-engine.sh start   # exports DOCKER_HOST when it started its own
#   bash scripts/docker-engine.sh stop      # stops only the engine this script started
# Its data root stays in ${CANLIAN_CACHE_DIR:-~/.cache/canlian}/docker so later runs reuse
# the image layers; its socket and state live under /tmp. No iptables rules and no default
# bridge: containers talk over the project's own network only, ports publish on loopback.
set -euo pipefail
_engine_cache="${CANLIAN_CACHE_DIR:-$HOME/.cache/canlian}/docker"
_engine_run="${CANLIAN_DOCKER_RUN_DIR:-/tmp/canlian-docker}"
_engine_sock="unix://${_engine_run}/docker.sock"

_engine_start() {
    if [[ -z "${DOCKER_HOST:-}" ]] && docker info >/dev/null 2>&1; then
        echo "docker-engine: using the engine already running"
        return 0
    fi
    if DOCKER_HOST="${_engine_sock}" docker info >/dev/null 2>&1; then
        export DOCKER_HOST="${_engine_sock}"
        echo "docker-engine: using the engine at ${DOCKER_HOST}"
        return 0
    fi
    local dockerd
    dockerd="$(command -v dockerd || echo /usr/sbin/dockerd)"
    [[ -x "${dockerd}" ]] || { echo "docker-engine: dockerd not found (run scripts/install-docker.sh)" >&2; return 1; }
    mkdir -p "${_engine_cache}/data" "${_engine_run}/exec"
    echo "docker-engine: starting dockerd (data root ${_engine_cache}/data)"
    local as=()
    if [[ "$(id -u)" -ne 0 ]]; then as=(sudo -n); fi
    "${as[@]}" setsid "${dockerd}" \
        --host "${_engine_sock}" \
        --data-root "${_engine_cache}/data" \
        --exec-root "${_engine_run}/exec" \
        --pidfile "${_engine_run}/dockerd.pid" \
        --iptables=false --ip-masq=false --bridge=none \
        >"${_engine_run}/dockerd.log" 2>&1 </dev/null &
    export DOCKER_HOST="${_engine_sock}"
    local i
    for ((i = 0; i < 120; i++)); do
        if docker info >/dev/null 2>&1; then
            echo "docker-engine: dockerd up at ${DOCKER_HOST}"
            return 0
        fi
        sleep 0.5
    done
    echo "docker-engine: dockerd did not come up; its log:" >&2
    tail -n 30 "${_engine_run}/dockerd.log" >&2
    return 1
}

_engine_stop() {
    local pidfile="${_engine_run}/dockerd.pid" pid i
    [[ -f "${pidfile}" ]] || { echo "docker-engine: no engine of ours running"; return 0; }
    pid="$(cat "${pidfile}")"
    echo "docker-engine: stopping dockerd ${pid}"
    kill "${pid}" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
        kill -0 "${pid}" 2>/dev/null || break
        sleep 0.5
    done
    kill -9 "${pid}" 2>/dev/null || true
    rm -f "${pidfile}"
}

case "${1:-start}" in
    start) _engine_start ;;
    stop) _engine_stop ;;
    *) echo "usage: docker-engine.sh start|stop" >&2; exit 2 ;;
esac
