"""Embedded mode: the CLI stands in for the identity provider in the app's first steps."""

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from canlian.common.auth import TokenVerifier
from canlian.common.settings import PlatformSettings
from canlian.testing.services import api_client, rebuild_schema, runtime_of
from canlian.volunteers.app import create_app, service_descriptor
from canlian.volunteers.cli import volunteers_app


async def _invoke(data_dir: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    result = await asyncio.to_thread(
        runner.invoke, volunteers_app, list(args), env={"CANLIAN_DATA_DIR": str(data_dir)}
    )
    return result.exit_code, result.stdout.strip()


async def test_signup_token_registers_and_token_signs_in_the_registered_volunteer(
    tmp_path: Path,
) -> None:
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    await rebuild_schema(service_descriptor, settings)
    code, signup = await _invoke(tmp_path, "signup-token", "--region", "620102")
    assert code == 0
    verifier = TokenVerifier(settings)
    account = await verifier.verify(signup)
    assert account.roles == frozenset({"volunteer"})
    assert account.region == "620102000000"

    app = create_app(settings)
    try:
        async with api_client(app) as client:
            response = await client.post(
                "/v1/me/registration",
                json={"name": "孙丽", "phone": "13700137000", "division_code": "620102003004"},
                headers={"Authorization": f"Bearer {signup}"},
            )
        assert response.status_code == 201, response.text
        assert response.json()["id"] == account.subject
    finally:
        await runtime_of(app).database.dispose()

    code, token = await _invoke(tmp_path, "token", account.subject)
    assert code == 0
    signed_in = await verifier.verify(token)
    assert signed_in.subject == account.subject
    assert signed_in.region == "620102003004"

    code, _ = await _invoke(tmp_path, "token", "nobody")
    assert code == 1
    code, _ = await _invoke(tmp_path, "signup-token", "--region", "62x")
    assert code == 2
