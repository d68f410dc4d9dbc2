"""Class 10 (idempotency replays across principals): a key belongs to (issuer, subject,
route); a stored response is replayed only to the claims that were authorised to make it."""

from __future__ import annotations

import httpx

from canlian.common import auth
from canlian.common.idempotency import key_scope
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer

GANSU = "620000000000"
BODY = {"region": GANSU, "label": "idem"}


def _as(settings: PlatformSettings, subject: str, region: str = GANSU) -> dict[str, str]:
    headers = bearer(settings, roles=[auth.OFFICIAL], region=region, subject=subject)
    return {**headers, "Idempotency-Key": "same-key"}


async def test_another_subject_with_the_same_key_gets_no_replay(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    first = await client.post("/v1/probes", json=BODY, headers=_as(postgres_settings, "alice"))
    assert first.status_code == 201
    other = await client.post("/v1/probes", json=BODY, headers=_as(postgres_settings, "mallory"))
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert other.json()["id"] != first.json()["id"]
    again = await client.post("/v1/probes", json=BODY, headers=_as(postgres_settings, "alice"))
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


async def test_the_same_key_on_another_route_is_another_key(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    headers = _as(postgres_settings, "alice")
    created = await client.post("/v1/probes", json=BODY, headers=headers)
    assert created.status_code == 201
    upload = await client.post(
        "/v1/uploads", headers=headers, files={"file": ("a.csv", b"x,y\n", "text/csv")}
    )
    assert upload.status_code == 201, upload.text
    assert "Idempotent-Replayed" not in upload.headers


async def test_a_principal_whose_authorisation_changed_gets_no_replay(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    created = await client.post("/v1/probes", json=BODY, headers=_as(postgres_settings, "alice"))
    assert created.status_code == 201
    # Same subject, now a county clerk: the province-wide probe is no longer theirs to make.
    narrowed = _as(postgres_settings, "alice", region="620102000000")
    retry = await client.post("/v1/probes", json=BODY, headers=narrowed)
    assert retry.status_code != 201
    assert "Idempotent-Replayed" not in retry.headers
    assert "id" not in retry.json()


def test_the_scope_names_issuer_subject_and_route() -> None:
    alice = auth.Principal("alice", frozenset({auth.OFFICIAL}), GANSU, issuer="https://idp-a")
    impostor = auth.Principal("alice", frozenset({auth.OFFICIAL}), GANSU, issuer="https://idp-b")
    scope = key_scope(alice, "POST", "/v1/probes")
    assert scope != key_scope(impostor, "POST", "/v1/probes")
    assert scope != key_scope(alice, "POST", "/v1/uploads")
    assert scope == key_scope(alice, "POST", "/v1/probes")
