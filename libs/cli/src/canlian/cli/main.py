"""`canlian`: run the platform, issue tokens, migrate; services add their own sub-commands
through the `canlian.commands` entry point group (e.g. `canlian divisions load`)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from canlian.common import divisions, tokens
from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.settings import PlatformSettings, load_settings

app = typer.Typer(
    name="canlian",
    help="Canlian — 残联组织建设平台 / organisation building for Disabled Persons' Federations.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


def _select(names: list[str] | None) -> list[ServiceDescriptor]:
    services = installed_services()
    if not names:
        return services
    known = {service.name: service for service in services}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise typer.BadParameter(
            f"unknown service(s): {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return [known[name] for name in names]


@app.command()
def services() -> None:
    """List the installed services."""
    table = Table("service", "port", "schema", "title")
    for service in installed_services():
        table.add_row(service.name, str(service.default_port), service.schema, service.title)
    Console().print(table)


@app.command()
def migrate(
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these")] = None,
) -> None:
    """Run every service's database migrations (each in its own schema)."""
    settings = load_settings(PlatformSettings)
    from canlian.common.db.migrations import upgrade  # Alembic and SQLAlchemy: only here

    for descriptor in _select(service):
        asyncio.run(upgrade(descriptor, settings))
        console.print(f"[green]migrated[/] {descriptor.name} ({descriptor.schema})")


@app.command()
def token(
    role: Annotated[
        list[str], typer.Option("--role", "-r", help=f"one of {', '.join(tokens.ALL_ROLES)}")
    ],
    region: Annotated[str, typer.Option(help="division code of the scope, e.g. 620102 or 62")],
    subject: Annotated[str, typer.Option(help="who the token is for")] = "local-user",
    scope: Annotated[
        list[str] | None, typer.Option(help="extra scopes, e.g. personal-data:read")
    ] = None,
    ttl_hours: Annotated[float, typer.Option(help="hours until it expires")] = 8.0,
) -> None:
    """Issue a token signed with the local key (embedded mode)."""
    settings = load_settings(PlatformSettings)
    if settings.jwks_url:
        console.print(
            "[red]JWKS_URL is set: tokens come from the identity provider, not from here."
        )
        raise typer.Exit(2)
    bad = [item for item in role if item not in tokens.ALL_ROLES]
    if bad:
        raise typer.BadParameter(f"unknown role(s) {bad}; use {', '.join(tokens.ALL_ROLES)}")
    try:
        code = divisions.parse(region)
    except divisions.InvalidDivisionCode as error:
        raise typer.BadParameter(str(error)) from None
    print(
        tokens.issue_token(
            settings,
            subject=subject,
            roles=role,
            region=code,
            scopes=scope or [],
            ttl_seconds=int(ttl_hours * 3600),
        )
    )


@app.command()
def up(
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these")] = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port_offset: Annotated[int, typer.Option(help="added to every default port")] = 0,
) -> None:
    """Start the services as processes (embedded default unless servers are configured)."""
    from canlian.common.web_security import UVICORN_FLAGS  # the web stack: only here

    settings = load_settings(PlatformSettings)
    selected = _select(service)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Create the shared local keys once, before the services race to.
    tokens.local_signing_key(settings)
    processes: list[tuple[ServiceDescriptor, int, subprocess.Popen[bytes]]] = []
    for descriptor in selected:
        port = descriptor.default_port + port_offset
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            descriptor.app_factory,
            "--host",
            host,
            "--port",
            str(port),
            "--no-access-log",
            *UVICORN_FLAGS,
        ]
        processes.append((descriptor, port, subprocess.Popen(command, env=os.environ.copy())))
    table = Table("service", "URL", "API docs", title="Canlian is up (Ctrl-C stops it)")
    for descriptor, port, _ in processes:
        base = f"http://{host}:{port}"
        table.add_row(descriptor.name, base, f"{base}/docs")
    Console().print(table)
    mode = "embedded (SQLite + event log)" if settings.embedded_database else "servers"
    console.print(f"data: {settings.data_dir.resolve()}  mode: {mode}")
    console.print("token: canlian token --role official --region 62")

    stopping = False

    def _stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    while not stopping:
        for descriptor, _, process in processes:
            if process.poll() is not None:
                console.print(f"[red]{descriptor.name} exited with {process.returncode}; stopping")
                stopping = True
                exit_code = 1
        time.sleep(0.2)
    for _, _, process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for descriptor, _, process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        console.print(f"stopped {descriptor.name}")
    raise typer.Exit(exit_code)


events_app = typer.Typer(help="The event catalogue (docs/events/).", no_args_is_help=True)
app.add_typer(events_app, name="events")


@events_app.command("catalogue")
def events_catalogue(
    out: Annotated[
        Path | None, typer.Option(help="directory to write (default: docs/events)")
    ] = None,
    check: Annotated[bool, typer.Option(help="only report what is out of date")] = False,
    allow_breaking: Annotated[
        bool, typer.Option(help="replace published schemas even if incompatible")
    ] = False,
) -> None:
    """Write the AsyncAPI document and one JSON Schema per event type and version."""
    from canlian.common.catalogue import publish

    root = out or publish.default_root()
    if check:
        stale = publish.stale(root)
        problems = publish.incompatibilities(root)
        for relative in stale:
            console.print(f"[yellow]out of date[/] {relative}")
        for problem in problems:
            console.print(f"[red]breaking[/] {problem}")
        raise typer.Exit(1 if stale or problems else 0)
    try:
        changed = publish.write(root, allow_breaking=allow_breaking)
    except publish.BreakingChange as error:
        for problem in error.problems:
            console.print(f"[red]breaking[/] {problem}")
        console.print(
            "A published schema may only grow: bump the event's schema_version instead "
            "(or pass --allow-breaking if nobody consumes it yet)."
        )
        raise typer.Exit(1) from None
    for relative in changed:
        console.print(f"[green]wrote[/] {relative}")
    console.print(f"catalogue in {root}: {len(changed)} file(s) changed")


def _add_service_commands() -> None:
    for entry in entry_points(group="canlian.commands"):
        command = entry.load()
        if isinstance(command, typer.Typer):
            app.add_typer(command, name=entry.name)


_OWN_COMMANDS = {"up", "token", "migrate", "services"}


def main() -> None:
    # A service's commands import the service; the platform's own need none of them.
    if len(sys.argv) < 2 or sys.argv[1] not in _OWN_COMMANDS:
        _add_service_commands()
    app()
