"""Class 11 (claims): the region must be a known province or below, or the nation written in
full; `sub` is required and not blank; a token lives at most 12 hours (a setting)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from canlian.common import auth
from canlian.common.errors import TokenInvalid
from canlian.common.settings import PlatformSettings


def _token(settings: PlatformSettings, **overrides: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "clerk-7",
        "iat": now,
        "exp": now + 600,
        "roles": ["official"],
        "region": "620102000000",
        **overrides,
    }
    claims = {key: value for key, value in claims.items() if value is not None}
    return jwt.encode(claims, auth.local_signing_key(settings), algorithm="ES256")


@pytest.fixture
def settings(tmp_path: Path) -> PlatformSettings:
    return PlatformSettings(canlian_data_dir=tmp_path)


async def _refused(settings: PlatformSettings, token: str) -> str:
    with pytest.raises(TokenInvalid) as refused:
        await auth.TokenVerifier(settings).verify(token)
    return str(refused.value.params["reason"])


@pytest.mark.parametrize("region", ["00", "0000", "000000", "000000000"])
async def test_a_short_all_zero_region_is_not_the_nation(
    settings: PlatformSettings, region: str
) -> None:
    assert await _refused(settings, _token(settings, region=region)) == "region"


async def test_the_nation_is_written_in_full(settings: PlatformSettings) -> None:
    principal = await auth.TokenVerifier(settings).verify(_token(settings, region="000000000000"))
    assert principal.region == "000000000000"
    assert await _refused(settings, _token(settings, region="000000")) == "region"


@pytest.mark.parametrize("region", ["99", "990101001001", "10", "92", "66", "700000000000"])
async def test_unknown_provinces_are_refused_known_ones_pass(
    settings: PlatformSettings, region: str
) -> None:
    assert await _refused(settings, _token(settings, region=region)) == "region"
    for known in ("11", "62", "6201", "620102", "620102001", "820000000000"):
        principal = await auth.TokenVerifier(settings).verify(_token(settings, region=known))
        assert principal.region.startswith(known)


@pytest.mark.parametrize("subject", ["", "   ", "\x00", "a\nb"])
async def test_the_subject_must_be_a_printable_non_blank_text(
    settings: PlatformSettings, subject: str
) -> None:
    assert await _refused(settings, _token(settings, sub=subject)) == "sub"
    with pytest.raises(TokenInvalid):
        await auth.TokenVerifier(settings).verify(_token(settings, sub=None))


async def test_a_hundred_year_token_is_refused(settings: PlatformSettings) -> None:
    now = int(time.time())
    century = _token(settings, exp=now + 100 * 365 * 86400)
    assert await _refused(settings, century) == "lifetime"
    # An iat set in the future does not buy a longer life, nor does leaving iat out.
    future_iat = _token(settings, iat=now + 99 * 365 * 86400, exp=now + 100 * 365 * 86400)
    assert await _refused(settings, future_iat) in ("lifetime", "ImmatureSignatureError")
    no_iat = _token(settings, iat=None, exp=now + 13 * 3600)
    assert await _refused(settings, no_iat) == "lifetime"


async def test_the_lifetime_cap_is_12_hours_and_a_setting(
    settings: PlatformSettings, tmp_path: Path
) -> None:
    now = int(time.time())
    assert settings.jwt_max_lifetime_seconds == 12 * 3600
    eleven_hours = _token(settings, exp=now + 11 * 3600)
    assert (await auth.TokenVerifier(settings).verify(eleven_hours)).subject == "clerk-7"
    assert await _refused(settings, _token(settings, exp=now + 13 * 3600)) == "lifetime"
    strict = PlatformSettings(canlian_data_dir=tmp_path, jwt_max_lifetime_seconds=3600)
    assert await _refused(strict, eleven_hours) == "lifetime"


async def test_tokens_name_their_issuer(settings: PlatformSettings) -> None:
    principal = await auth.TokenVerifier(settings).verify(_token(settings))
    assert principal.issuer == settings.jwt_issuer
