#!/usr/bin/env bash
# Builds every image the production-style run needs: the five services, PostgreSQL and
# Kafka (KRaft); prints their sizes. Starts a Docker engine when none runs
# (scripts/docker-engine.sh) after installing Debian's docker.io when it is missing.
#
#   bash scripts/build-images.sh
#   CANLIAN_BASE_IMAGE=python:3.11-slim CANLIAN_DEBIAN_IMAGE=debian:bookworm-slim \
#       bash scripts/build-images.sh     # on a machine with a registry
#
# Unset, both bases are made here, pulling nothing from a registry: Debian bookworm from
# debootstrap (Debian's packages), imported as canlian/debian:bookworm, and Python 3.11 on it
# (canlian/python:3.11-bookworm). Layers stay in the engine's data root, so a second build
# only redoes what changed. The machine's CA bundle ($SSL_CERT_FILE) is passed to the builds
# as a secret, never copied into an image.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
export PATH="$HOME/.local/bin:$PATH"
bash scripts/install-docker.sh
# shellcheck source=scripts/docker-engine.sh
source scripts/docker-engine.sh start

# Builds need BuildKit (secret and cache mounts). A docker CLI without the buildx plugin
# cannot use it, but Debian's docker.io CLI (/usr/bin/docker) has it built in.
docker_build() {
    if docker buildx version >/dev/null 2>&1; then
        docker build "$@"
    elif [[ -x /usr/bin/docker ]]; then
        DOCKER_BUILDKIT=1 /usr/bin/docker build "$@"
    else
        DOCKER_BUILDKIT=1 docker build "$@"
    fi
}

ca="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
common=(--network host --progress plain)
[[ -s "${ca}" ]] && common+=(--secret "id=ca,src=${ca}")
started=$SECONDS

debian_image="${CANLIAN_DEBIAN_IMAGE:-}"
base_image="${CANLIAN_BASE_IMAGE:-}"
if [[ -z "${debian_image}" ]]; then
    debian_image=canlian/debian:bookworm
    if ! docker image inspect "${debian_image}" >/dev/null 2>&1; then
        echo "build-images: ${debian_image} from debootstrap (Debian bookworm, minbase)"
        rootfs="$(mktemp -d /tmp/canlian-rootfs.XXXXXX)"
        trap 'rm -rf "${rootfs}"' EXIT
        debootstrap="$(command -v debootstrap || echo /usr/sbin/debootstrap)"
        as=()
        [[ "$(id -u)" -eq 0 ]] || as=(sudo -n)
        "${as[@]}" "${debootstrap}" --variant=minbase bookworm "${rootfs}" \
            "${CANLIAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"${rootfs}.log" 2>&1 \
            || { tail -n 20 "${rootfs}.log" >&2; exit 1; }
        # As the debian:*-slim images: no docs, man pages or translations; no apt caches.
        "${as[@]}" tee "${rootfs}/etc/dpkg/dpkg.cfg.d/slim" >/dev/null <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
        echo 'APT::Install-Recommends "false";' | "${as[@]}" tee "${rootfs}/etc/apt/apt.conf.d/slim" >/dev/null
        "${as[@]}" sh -c "cd '${rootfs}' && rm -rf var/cache/apt/* var/lib/apt/lists/* usr/share/man/* usr/share/info/* usr/share/locale/* && find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete"
        "${as[@]}" tar -C "${rootfs}" -c . | docker import \
            --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "${debian_image}" >/dev/null
        "${as[@]}" rm -rf "${rootfs}" "${rootfs}.log"
    fi
fi
if [[ -z "${base_image}" ]]; then
    base_image=canlian/python:3.11-bookworm
    echo "build-images: ${base_image}"
    docker_build "${common[@]}" --build-arg "DEBIAN_IMAGE=${debian_image}" \
        -t "${base_image}" deploy/images/python
fi

for dockerfile in services/*/Dockerfile; do
    name="$(basename "$(dirname "${dockerfile}")")"
    echo "build-images: canlian/${name}"
    docker_build "${common[@]}" --build-arg "BASE_IMAGE=${base_image}" \
        -f "${dockerfile}" -t "canlian/${name}" .
done

echo "build-images: canlian/postgres:15"
docker_build "${common[@]}" --build-arg "DEBIAN_IMAGE=${debian_image}" \
    -t canlian/postgres:15 deploy/images/postgres

# Kafka's jars from Maven Central, through the harness's cache (the same jars the tests run).
libs="$(uv run python -m canlian.testing.kafka --fetch)"
context="$(mktemp -d /tmp/canlian-kafka-context.XXXXXX)"
cp -r deploy/images/kafka/. "${context}/"
cp -r "${libs}" "${context}/libs"
echo "build-images: canlian/kafka:3.9.1"
docker_build "${common[@]}" --build-arg "DEBIAN_IMAGE=${debian_image}" \
    -t canlian/kafka:3.9.1 "${context}"
rm -rf "${context}"

echo "build-images: built in $((SECONDS - started)) s"
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' 'canlian/*' | sort | column -t
