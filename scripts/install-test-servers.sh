#!/usr/bin/env bash
# Installs what the throwaway test servers (canlian.testing.postgres / .kafka) need:
# PostgreSQL's server binaries, and Kafka's jars (fetched with Maven into the cache).
# Idempotent: safe to run on every CI run; does nothing that is already done.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Same search as canlian.testing.postgres.find_pg_bindir().
find_pg_bindir() {
    local dir
    if [[ -n "${CANLIAN_PG_BINDIR:-}" && -x "${CANLIAN_PG_BINDIR}/initdb" ]]; then
        echo "${CANLIAN_PG_BINDIR}"
        return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "${dir}" && -x "${dir}/initdb" ]]; then
            echo "${dir}"
            return 0
        fi
    fi
    # Debian keeps initdb off PATH, under /usr/lib/postgresql/<major>/bin; newest first.
    while IFS= read -r dir; do
        if [[ -x "${dir}/initdb" ]]; then
            echo "${dir}"
            return 0
        fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    return 1
}

# shellcheck source=scripts/as-root.sh
source "$(dirname "${BASH_SOURCE[0]}")/as-root.sh"

if pg_bindir="$(find_pg_bindir)"; then
    echo "install-test-servers: PostgreSQL found in ${pg_bindir}"
else
    echo "install-test-servers: installing PostgreSQL (apt-get)"
    # The tests run their own clusters: don't let the package create and start one.
    if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
        as_root mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        postgresql
    pg_bindir="$(find_pg_bindir)" || {
        echo "install-test-servers: PostgreSQL installed but initdb still not found" >&2
        exit 1
    }
    echo "install-test-servers: PostgreSQL installed in ${pg_bindir}"
fi

# The dashboard's browser test drives Debian's headless Chromium; CJK fonts so that the
# screenshot shows the Chinese labels.
if ! command -v chromium >/dev/null 2>&1; then
    echo "install-test-servers: installing chromium and CJK fonts (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        chromium fonts-noto-cjk \
        || echo "install-test-servers: chromium not installed; the dashboard browser test will be skipped" >&2
else
    echo "install-test-servers: chromium found"
fi

# The statistical report's PDF embeds WenQuanYi Micro Hei (a TrueType CJK font); its test
# renders the pages with poppler's pdftoppm (poppler-data maps the fallback CID font).
if ! command -v pdftoppm >/dev/null 2>&1 || [[ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]]; then
    echo "install-test-servers: installing poppler-utils, poppler-data and fonts-wqy-microhei (apt-get)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        poppler-utils poppler-data fonts-wqy-microhei \
        || echo "install-test-servers: poppler-utils not installed; the PDF page test will be skipped" >&2
else
    echo "install-test-servers: pdftoppm and the report's CJK font found"
fi

missing=()
command -v java >/dev/null 2>&1 || missing+=("java (Java 17+: apt-get install -y openjdk-17-jre-headless)")
command -v mvn >/dev/null 2>&1 || missing+=("mvn (Maven: apt-get install -y maven)")
if ((${#missing[@]})); then
    echo "install-test-servers: Kafka needs these, not found on PATH:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
fi

# Downloads into ${CANLIAN_CACHE_DIR:-~/.cache/canlian}/kafka-<version>/libs unless cached.
echo "install-test-servers: Kafka jars in $(uv run python -m canlian.testing.kafka --fetch)"
