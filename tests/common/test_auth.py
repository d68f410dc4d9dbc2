"""Tokens from a provincial identity provider (RS256 via its JWKS) and from the local key."""

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from canlian.common import auth
from canlian.common.errors import TokenExpired, TokenInvalid
from canlian.common.settings import PlatformSettings

PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "province-1", "use": "sig", "alg": "RS256"}]})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *_args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()


def _provider_token(key: rsa.RSAPrivateKey, **overrides: object) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://idp.gansu.gov.cn",
        "aud": "canlian",
        "sub": "clerk-7",
        "iat": now,
        "exp": now + 600,
        "roles": ["official"],
        "region": "620102",
        "scope": "personal-data:read",
        **overrides,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "province-1"})


async def test_identity_provider_tokens_are_verified_against_its_jwks(
    jwks_url: str, tmp_path: Path
) -> None:
    settings = PlatformSettings(
        jwks_url=jwks_url, jwt_issuer="https://idp.gansu.gov.cn", canlian_data_dir=tmp_path
    )
    verifier = auth.TokenVerifier(settings)
    principal = await verifier.verify(_provider_token(PROVIDER_KEY))
    assert principal.subject == "clerk-7"
    assert principal.region == "620102000000"
    assert principal.covers("620102003004")
    assert not principal.covers("620103000000")
    assert auth.PERSONAL_DATA_READ in principal.scopes

    with pytest.raises(TokenInvalid):
        await verifier.verify(_provider_token(OTHER_KEY))
    with pytest.raises(TokenInvalid):
        await verifier.verify(_provider_token(PROVIDER_KEY, aud="another-system"))
    with pytest.raises(TokenExpired):
        await verifier.verify(_provider_token(PROVIDER_KEY, exp=int(time.time()) - 10))
    with pytest.raises(TokenInvalid):
        await verifier.verify(_provider_token(PROVIDER_KEY, region="62x"))


async def test_local_tokens_work_in_embedded_mode_and_not_across_installations(
    tmp_path: Path,
) -> None:
    here = PlatformSettings(canlian_data_dir=tmp_path / "here")
    elsewhere = PlatformSettings(canlian_data_dir=tmp_path / "elsewhere")
    token = auth.issue_token(here, subject="u", roles=[auth.OFFICIAL], region="62")
    principal = await auth.TokenVerifier(here).verify(token)
    assert principal.roles == frozenset({auth.OFFICIAL})
    assert principal.region == "620000000000"
    with pytest.raises(TokenInvalid):
        await auth.TokenVerifier(elsewhere).verify(token)


def test_hmac_tokens_are_not_accepted(tmp_path: Path) -> None:
    assert "HS256" not in auth.ALGORITHMS


class _CountingDecode:
    """Counts signature checks: wraps jwt.decode as auth calls it."""

    def __init__(self) -> None:
        self.calls = 0
        self._decode = jwt.decode

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self._decode(*args, **kwargs)


@pytest.fixture
def decode(monkeypatch: pytest.MonkeyPatch) -> _CountingDecode:
    counting = _CountingDecode()
    monkeypatch.setattr(jwt, "decode", counting)  # auth calls jwt.decode
    return counting


async def test_an_accepted_token_is_verified_once_and_remembered_by_its_full_text(
    tmp_path: Path, decode: _CountingDecode
) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    verifier = auth.TokenVerifier(settings)
    token = auth.issue_token(settings, subject="u", roles=[auth.OFFICIAL], region="62")
    first = await verifier.verify(token)
    assert await verifier.verify(token) is first
    assert decode.calls == 1
    # Same header and claims, another signature: a new text, so verified, and refused.
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(TokenInvalid):
        await verifier.verify(forged)
    with pytest.raises(TokenInvalid):
        await verifier.verify(forged)
    assert decode.calls == 3


async def test_a_remembered_token_is_refused_once_it_expires(tmp_path: Path) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    verifier = auth.TokenVerifier(settings)
    token = auth.issue_token(
        settings, subject="u", roles=[auth.OFFICIAL], region="62", ttl_seconds=2
    )
    await verifier.verify(token)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    await asyncio.sleep(max(0.0, expires - time.time()) + 0.05)
    with pytest.raises(TokenExpired):
        await verifier.verify(token)


async def test_a_remembered_token_is_verified_again_after_the_cache_period(
    tmp_path: Path, decode: _CountingDecode
) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    now = [time.time()]
    verifier = auth.TokenVerifier(settings, clock=lambda: now[0])
    token = auth.issue_token(settings, subject="u", roles=[auth.OFFICIAL], region="62")
    await verifier.verify(token)
    now[0] += auth.TokenVerifier.CACHE_SECONDS - 1
    await verifier.verify(token)
    assert decode.calls == 1
    now[0] += 2
    await verifier.verify(token)
    assert decode.calls == 2


async def test_the_cache_keeps_the_most_recently_used_tokens(
    tmp_path: Path, decode: _CountingDecode
) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    verifier = auth.TokenVerifier(settings)
    verifier.CACHE_SIZE = 2
    a, b, c = (
        auth.issue_token(settings, subject=name, roles=[auth.OFFICIAL], region="62")
        for name in "abc"
    )
    for token in (a, b, a, c):  # c pushes out b, the least recently used
        await verifier.verify(token)
    assert decode.calls == 3
    await verifier.verify(a)
    assert decode.calls == 3
    await verifier.verify(b)
    assert decode.calls == 4
