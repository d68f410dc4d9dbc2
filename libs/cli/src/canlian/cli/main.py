"""`canlian`: run the platform, issue tokens, migrate; services add their own sub-commands
through the `canlian.commands` entry point group (e.g. `canlian divisions load`)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from canlian.cli.division_names import division_names_app
from canlian.common import divisions, tokens
from canlian.common.descriptor import ServiceDescriptor, installed_services
from canlian.common.garbage_collector import tune_for_long_runs
from canlian.common.log import LOG_FORMAT_VARIABLE, choose_format
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


def _fresh(data_dir: Path) -> bool:
    """No databases, keys or event log yet: a first run."""
    return not data_dir.exists() or not any(data_dir.iterdir())


def _child_env(settings: PlatformSettings) -> dict[str, str]:
    env = os.environ.copy()
    production = settings.canlian_environment == "production"
    if LOG_FORMAT_VARIABLE not in env:
        # The services' stderr is our pipe: tell them what our own output reaches.
        env[LOG_FORMAT_VARIABLE] = choose_format(None, stream=sys.stderr, production=production)
        if env[LOG_FORMAT_VARIABLE] == "text":
            env["CANLIAN_LOG_COLOUR"] = "1"
    return env


def _urls(selected: list[ServiceDescriptor], host: str, port_offset: int) -> dict[str, str]:
    return {d.name: f"http://{host}:{d.default_port + port_offset}" for d in selected}


def dashboard_link(settings: PlatformSettings, metrics_url: str) -> str:
    """The dashboard with a provincial official's token in the fragment (never sent to a
    server; the page moves it into sessionStorage and clears the address bar)."""
    token = tokens.issue_token(
        settings,
        subject="first-run",
        roles=[tokens.OFFICIAL],
        region=divisions.parse("62"),
        ttl_seconds=8 * 3600,
    )
    return f"{metrics_url}/dashboard#token={token}"


@app.command()
def up(
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these")] = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port_offset: Annotated[int, typer.Option(help="added to every default port")] = 0,
    ready_timeout: Annotated[
        float, typer.Option(help="seconds to wait for every service's /readyz")
    ] = 180.0,
    demo: Annotated[
        bool, typer.Option(help="on an empty data directory, fill the demo county (城关区)")
    ] = True,
) -> None:
    """Start the services as processes (embedded default unless servers are configured)."""
    import httpx

    from canlian.cli.demo import DemoFailed, run_demo  # httpx: only here
    from canlian.cli.processes import ServiceProcesses
    from canlian.cli.readiness import NotReady, wait_ready
    from canlian.common.web_security import UVICORN_FLAGS  # the web stack: only here

    settings = load_settings(PlatformSettings)
    selected = _select(service)
    first_run = _fresh(settings.data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Create the shared local keys once, before the services race to.
    tokens.local_signing_key(settings)
    env = _child_env(settings)
    urls = _urls(selected, host, port_offset)
    processes = ServiceProcesses(settings.data_dir / "logs", colour=console.is_terminal)
    stopping = False

    def _stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    try:
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
            processes.start(descriptor.name, command, env)
        console.print(f"starting {len(selected)} services; logs in {processes.log_dir}")
        try:
            wait_ready(
                processes.starting(urls),
                timeout=ready_timeout,
                on_ready=lambda started, seconds: console.print(
                    f"[green]ready[/] {started.name} ({seconds:.1f} s)"
                ),
            )
        except NotReady as error:
            console.print(f"[red]not ready:[/] {error}")
            raise typer.Exit(1) from None
        _print_table(settings, urls)
        if demo and first_run and settings.embedded_database and _has_demo_services(urls):
            console.print("empty data directory: filling the demo county 城关区 (--no-demo skips)")
            demo_started = time.monotonic()
            try:
                run_demo(urls, settings, env)
                console.print(f"demo filled in {time.monotonic() - demo_started:.0f} s")
            except (DemoFailed, httpx.HTTPError) as error:
                console.print(f"[yellow]demo incomplete:[/] {error}")
        if settings.embedded_database and not settings.jwks_url and "metrics" in urls:
            # One line however narrow the terminal: a wrapped link does not open.
            console.print(f"dashboard: {dashboard_link(settings, urls['metrics'])}", soft_wrap=True)
        console.print("Ctrl-C stops it")
        while not stopping:
            ended = processes.ended()
            if ended:
                name, code = ended
                console.print(f"[red]{name} exited with {code}; stopping")
                exit_code = 1
                break
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for name in processes.stop():
            console.print(f"stopped {name}")
    raise typer.Exit(exit_code)


events_app = typer.Typer(help="The event catalogue (docs/events/).", no_args_is_help=True)
app.add_typer(events_app, name="events")
app.add_typer(division_names_app, name="division-names")


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


def _has_demo_services(urls: dict[str, str]) -> bool:
    return {"org-registry", "members", "cards", "volunteers", "metrics"} <= set(urls)


def _print_table(settings: PlatformSettings, urls: dict[str, str]) -> None:
    table = Table("service", "URL", "API docs", title="Canlian is up")
    for name, base in urls.items():
        table.add_row(name, base, f"{base}/docs")
    Console().print(table)
    mode = "embedded (SQLite + event log)" if settings.embedded_database else "servers"
    console.print(f"data: {settings.data_dir.resolve()}  mode: {mode}")
    console.print("token: canlian token --role official --region 62")


@app.command("demo")
def demo_command(
    port_offset: Annotated[int, typer.Option(help="added to every default port")] = 0,
    host: Annotated[str, typer.Option(help="where the services listen")] = "127.0.0.1",
) -> None:
    """演示数据:甘肃区划、种子规划、城关区的组织、委员、持证人和志愿者 / fill the demo county
    through the APIs of running services (`canlian up`); running it again changes nothing."""
    import httpx

    from canlian.cli.demo import DemoFailed, run_demo

    settings = load_settings(PlatformSettings)
    if settings.jwks_url or not settings.embedded_database:
        console.print("[red]the demo is for the embedded default (it signs tokens locally)")
        raise typer.Exit(2)
    urls = _urls(installed_services(), host, port_offset)
    try:
        filled = run_demo(urls, settings, os.environ)
    except (DemoFailed, httpx.TransportError) as error:
        console.print(f"[red]demo failed:[/] {error}")
        raise typer.Exit(1) from None
    console.print("demo county filled" if filled else "the demo county was filled before")
    console.print(f"dashboard: {dashboard_link(settings, urls['metrics'])}", soft_wrap=True)


def _add_service_commands(arguments: Sequence[str] = ()) -> None:
    """A service's commands import the service (seconds, with its routes and models): load
    only the service named first on the command line, or all of them to list them."""
    entries = list(entry_points(group="canlian.commands"))
    named = [entry for entry in entries if arguments and entry.name == arguments[0]]
    for entry in named or entries:
        command = entry.load()
        if isinstance(command, typer.Typer):
            app.add_typer(command, name=entry.name)


_OWN_COMMANDS = {"up", "token", "migrate", "services", "demo", "events", "division-names"}


def main() -> None:
    # The platform's own commands need no service's.
    arguments = sys.argv[1:]
    if not arguments or arguments[0] not in _OWN_COMMANDS:
        _add_service_commands(arguments)
        # A service's commands import registers and load divisions: millions of objects
        # made and dropped (`canlian up` tunes each app it starts, once they are built).
        tune_for_long_runs()
    app()
