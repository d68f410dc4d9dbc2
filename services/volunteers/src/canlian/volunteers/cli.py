"""`canlian volunteers ...`: tokens for the mobile app in embedded mode.

In production the provincial identity provider signs volunteers in and issues their tokens
(role `volunteer`, `sub` = volunteer id). Locally these commands stand in for it:

    canlian volunteers signup-token --region 620102       # a new account, before registering
    canlian volunteers token <volunteer id>               # an existing volunteer
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import typer
from rich.console import Console

from canlian.common import auth, divisions
from canlian.common.db.database import Database
from canlian.common.settings import load_settings
from canlian.volunteers.app import service_descriptor
from canlian.volunteers.settings import VolunteersSettings
from canlian.volunteers.volunteers.repository import get_volunteer

volunteers_app = typer.Typer(
    name="volunteers",
    help="助残志愿者 / volunteers: tokens for the mobile app in embedded mode.",
    no_args_is_help=True,
)
console = Console(stderr=True)

TtlOption = Annotated[float, typer.Option(help="hours until the token expires")]


def _settings() -> VolunteersSettings:
    settings = load_settings(VolunteersSettings)
    if settings.jwks_url:
        console.print("[red]JWKS_URL is set: the identity provider issues volunteers' tokens.")
        raise typer.Exit(2)
    return settings


@volunteers_app.command("signup-token")
def signup_token(
    region: Annotated[str, typer.Option(help="where the new volunteer lives, e.g. 620102")],
    ttl_hours: TtlOption = 8.0,
) -> None:
    """A token for a new app account; register with POST /v1/me/registration.

    Prints the new volunteer id on stderr and the token on stdout.
    """
    settings = _settings()
    try:
        code = divisions.parse(region)
    except divisions.InvalidDivisionCode as error:
        raise typer.BadParameter(str(error), param_hint="--region") from None
    volunteer_id = str(uuid.uuid4())
    console.print(f"volunteer id: {volunteer_id}")
    print(
        auth.issue_token(
            settings,
            subject=volunteer_id,
            roles=[auth.VOLUNTEER],
            region=code,
            ttl_seconds=int(ttl_hours * 3600),
        )
    )


@volunteers_app.command("token")
def token(
    volunteer_id: Annotated[str, typer.Argument(help="the volunteer's id")],
    ttl_hours: TtlOption = 8.0,
) -> None:
    """A token for a registered volunteer, scoped to the division they are registered in."""
    settings = _settings()
    region = asyncio.run(_registered_region(settings, volunteer_id))
    if region is None:
        console.print(f"[red]no active volunteer {volunteer_id}")
        raise typer.Exit(1)
    print(
        auth.issue_token(
            settings,
            subject=volunteer_id,
            roles=[auth.VOLUNTEER],
            region=region,
            ttl_seconds=int(ttl_hours * 3600),
        )
    )


async def _registered_region(settings: VolunteersSettings, volunteer_id: str) -> str | None:
    database = Database(settings, service_descriptor.schema)
    try:
        async with database.session() as session:
            volunteer = await get_volunteer(session, volunteer_id)
            if volunteer is None or volunteer.status != "active":
                return None
            return volunteer.division_code
    finally:
        await database.dispose()
