#!/usr/bin/env bash
# Installs what the production-style run needs from Debian's packages when it is missing:
# the Docker engine (docker.io), Compose (docker-compose, v1) and debootstrap (the base image
# for machines without a container registry). Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/as-root.sh
source scripts/as-root.sh

need=()
[[ -x /usr/sbin/dockerd || -n "$(command -v dockerd)" ]] || need+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || [[ -x /usr/sbin/debootstrap ]] || need+=(debootstrap)
if ((${#need[@]})); then
    echo "install-docker: installing ${need[*]} (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}"
else
    echo "install-docker: docker engine, docker-compose and debootstrap found"
fi
