"""Bearer JWT authentication and region-scoped authorisation.

Tokens are RS256/ES256 JWTs verified against the identity provider's JWKS, or in embedded
mode against a local key pair that `canlian token` signs with. A principal carries roles and
a region scope (a division code); every object is checked against that scope (OWASP API1).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import jwt
from fastapi import Depends
from fastapi.security import HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import HTTPConnection

from canlian.common import divisions
from canlian.common.errors import (
    MissingRole,
    MissingScope,
    RegionOutsideScope,
    TokenExpired,
    TokenInvalid,
    Unauthenticated,
)
from canlian.common.settings import PlatformSettings
from canlian.common.tokens import (
    ADMIN,
    ALGORITHMS,
    ALL_ROLES,
    COMMITTEE_MEMBER,
    OFFICIAL,
    PERSONAL_DATA_READ,
    PORTAL,
    VOLUNTEER,
    issue_token,
    local_signing_key,
)

__all__ = [
    "ADMIN",
    "ALGORITHMS",
    "ALL_ROLES",
    "COMMITTEE_MEMBER",
    "OFFICIAL",
    "PERSONAL_DATA_READ",
    "PORTAL",
    "VOLUNTEER",
    "BearerPrincipal",
    "Principal",
    "TokenVerifier",
    "authenticate",
    "issue_token",
    "local_signing_key",
    "require_roles",
]


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]
    region: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    name: str | None = None
    issuer: str = ""

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def covers(self, code: str) -> bool:
        """Whether a division lies within this principal's region scope."""
        return divisions.is_within(code, self.region)

    def ensure_covers(self, code: str) -> None:
        if not self.covers(code):
            raise RegionOutsideScope(region=code, scope=self.region)

    def ensure_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise MissingScope(scope=scope)

    @property
    def region_prefix(self) -> str:
        return divisions.prefix(self.region)


class TokenVerifier:
    """Verifies bearer tokens; remembers the ones it accepted.

    Checking a signature and the claims costs more than the rest of a typical request, and
    a client sends the same token with every request. An accepted token is remembered by
    its full text until its `exp` (sooner: at most `CACHE_SECONDS`, so that a key the
    provider withdraws stops working within minutes). Refused tokens are never remembered."""

    CACHE_SIZE = 4096
    CACHE_SECONDS = 300.0

    def __init__(
        self, settings: PlatformSettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._settings = settings
        self._jwks = (
            jwt.PyJWKClient(settings.jwks_url, cache_keys=True) if settings.jwks_url else None
        )
        self._local_public: Any = None
        self._clock = clock
        # token -> (principal, accepted until): least recently used first.
        self._accepted: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    async def _key_for(self, token: str) -> Any:
        if self._jwks is not None:
            # PyJWKClient fetches over blocking HTTP; keep it off the event loop.
            signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
            return signing_key.key
        if self._local_public is None:
            self._local_public = local_signing_key(self._settings).public_key()
        return self._local_public

    async def verify(self, token: str) -> Principal:
        now = self._clock()
        remembered = self._accepted.get(token)
        if remembered is not None:
            principal, until = remembered
            if now < until:
                self._accepted.move_to_end(token)
                return principal
            del self._accepted[token]
        principal, expires = await self._verify(token, now)
        # PyJWT accepts a token while now < exp; so does the cache, and never for longer.
        self._accepted[token] = (principal, min(expires, now + self.CACHE_SECONDS))
        if len(self._accepted) > self.CACHE_SIZE:
            self._accepted.popitem(last=False)
        return principal

    async def _verify(self, token: str, now: float) -> tuple[Principal, float]:
        try:
            key = await self._key_for(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenExpired() from None
        except (jwt.PyJWTError, ValueError) as error:
            raise TokenInvalid(reason=type(error).__name__) from None
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 200:
            raise TokenInvalid(reason="sub")
        if not subject.isprintable():
            raise TokenInvalid(reason="sub")
        self._check_lifetime(claims, now)
        try:
            region = divisions.parse_scope(claims.get("region", ""))
        except divisions.InvalidDivisionCode:
            raise TokenInvalid(reason="region") from None
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise TokenInvalid(reason="roles")
        principal = Principal(
            subject=subject,
            roles=frozenset(roles),
            region=region,
            scopes=frozenset(str(claims.get("scope", "")).split()),
            name=claims.get("name"),
            issuer=str(claims["iss"]),
        )
        return principal, float(int(claims["exp"]))  # as PyJWT reads it

    LEEWAY_SECONDS = 60

    def _check_lifetime(self, claims: dict[str, Any], now: float) -> None:
        """A token lives at most `jwt_max_lifetime_seconds`: from its iat, and from now (an
        iat in the future does not buy a longer life)."""
        longest = self._settings.jwt_max_lifetime_seconds + self.LEEWAY_SECONDS
        expires = int(claims["exp"])
        issued = claims.get("iat")
        if expires - now > longest:
            raise TokenInvalid(reason="lifetime")
        if issued is not None and (
            not isinstance(issued, int | float) or expires - issued > longest
        ):
            raise TokenInvalid(reason="lifetime")


class BearerPrincipal(HTTPBearer):
    """The caller's principal from the bearer token, and a check of its roles, as one
    dependency: FastAPI solves every nested dependency again on each request, and the token
    scheme, the verification and the role check were three. Documented in OpenAPI as the one
    `HTTPBearer` scheme, whatever roles it admits; the OpenAPI contract reads `roles` to say
    in every operation's description who may call it."""

    def __init__(self, roles: tuple[str, ...] = (), *, checked_in_route: bool = False) -> None:
        super().__init__(auto_error=False, scheme_name="HTTPBearer")
        self.roles = roles
        # Roles documented for a route that checks them itself (after the region).
        self._checks_roles = bool(roles) and not checked_in_route

    async def __call__(self, request: HTTPConnection) -> Principal:  # type: ignore[override]
        scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated()
        verifier: TokenVerifier = request.app.state.token_verifier
        principal = await verifier.verify(token)
        if self._checks_roles and not principal.has_role(ADMIN, *self.roles):
            raise MissingRole(roles=", ".join(self.roles))
        return principal


authenticate = BearerPrincipal()

CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def require_roles(*roles: str) -> BearerPrincipal:
    """A dependency admitting principals that hold one of `roles` (admins always)."""
    return BearerPrincipal(roles)


def roles_checked_in_route(*roles: str) -> BearerPrincipal:
    """A dependency that documents `roles` for a route that checks them itself, after the
    region (scope before anything else) and with its own problem."""
    return BearerPrincipal(roles, checked_in_route=True)


def required_roles(call: Callable[..., Any] | None) -> tuple[str, ...] | None:
    """The roles a dependency made by `require_roles` admits (None for any other)."""
    return (call.roles or None) if isinstance(call, BearerPrincipal) else None
