"""Signing tokens with the local key (embedded mode, `canlian token`, tests).

Apart from `auth` (which verifies them inside a service) so that issuing one imports no web
framework: `canlian token` answers at once.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from canlian.common import divisions
from canlian.common.settings import PlatformSettings

ALGORITHMS = ["RS256", "ES256"]

# Roles. Officials work within their region; portals only verify; volunteers see themselves;
# committee members (专职委员, `sub` = the members service's member id) visit the households
# of the places their held posts serve, which the needs service knows from members' events.
ADMIN = "admin"
OFFICIAL = "official"
PORTAL = "portal"
VOLUNTEER = "volunteer"
COMMITTEE_MEMBER = "committee-member"
ALL_ROLES = (ADMIN, OFFICIAL, PORTAL, VOLUNTEER, COMMITTEE_MEMBER)

# Scopes beyond the role: reading personal data unmasked is granted explicitly and audited.
PERSONAL_DATA_READ = "personal-data:read"


def _signing_key_path(settings: PlatformSettings) -> Path:
    return settings.data_dir / "keys" / "jwt-signing.pem"


def local_signing_key(settings: PlatformSettings) -> ec.EllipticCurvePrivateKey:
    """The embedded-mode key pair, created once and shared by every local service."""
    path = _signing_key_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fresh = path.with_suffix(f".{os.getpid()}.tmp")
        fresh.write_bytes(pem)
        fresh.chmod(0o600)
        try:
            os.link(fresh, path)
        except FileExistsError:
            pass
        finally:
            fresh.unlink()
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    return loaded


def issue_token(
    settings: PlatformSettings,
    *,
    subject: str,
    roles: Iterable[str],
    region: str,
    scopes: Iterable[str] = (),
    name: str | None = None,
    ttl_seconds: int = 8 * 3600,
) -> str:
    """Sign a token with the local key (embedded mode and tests)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
        "roles": sorted(set(roles)),
        "region": divisions.parse_scope(region),
        "scope": " ".join(sorted(set(scopes))),
    }
    if name:
        claims["name"] = name
    return jwt.encode(claims, local_signing_key(settings), algorithm="ES256")
