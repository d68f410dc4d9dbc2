#!/usr/bin/env bash
# Writes the env file the production-style compose stack reads: a random PostgreSQL password,
# fresh personal-data keys, and a JWT signing key the services verify tokens with.
#   bash scripts/compose-env.sh [DIR]   # DIR/.env and DIR/keys/; default: ./.env, ./.canlian/compose/keys
# Never overwrites an existing env file. Tokens for the stack:
#   CANLIAN_DATA_DIR=.canlian/compose uv run canlian token --role official --region 62
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -n "${1:-}" ]]; then
    env_file="$1/.env"
    keys="$1/keys"
else
    env_file=.env
    keys=.canlian/compose/keys
fi
if [[ -e "${env_file}" ]]; then
    echo "compose-env: ${env_file} exists; leaving it"
    exit 0
fi
mkdir -p "${keys}"
random() { python3 -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"; }
umask 077
cat >"${env_file}" <<ENV
POSTGRES_PASSWORD=$(python3 -c "import secrets; print(secrets.token_urlsafe(24))")
CANLIAN_PII_KEY=$(random)
CANLIAN_PII_INDEX_KEY=$(random)
CANLIAN_KEYS_DIR=$(cd "${keys}" && pwd)
ENV
# The services run as uid 10001: the signing key must be readable by them (the directory is
# only traversable). Real deployments verify with their identity provider's JWKS_URL.
export PATH="$HOME/.local/bin:$PATH"
CANLIAN_DATA_DIR="$(dirname "${keys}")" uv run --quiet python -c \
    "from canlian.common.auth import local_signing_key; from canlian.common.settings import PlatformSettings; local_signing_key(PlatformSettings())"
chmod 0711 "${keys}"
chmod 0644 "${keys}/jwt-signing.pem"
echo "compose-env: wrote ${env_file} and ${keys}/jwt-signing.pem"
