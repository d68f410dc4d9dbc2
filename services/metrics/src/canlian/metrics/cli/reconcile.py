"""`canlian metrics reconcile`: every difference, exit 1 if any."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.table import Table

from canlian.common import divisions
from canlian.common.db.database import Database
from canlian.common.settings import load_settings
from canlian.metrics.answers.changes import keep_version
from canlian.metrics.app import service_descriptor
from canlian.metrics.cli.progress import console
from canlian.metrics.reconciliation import schemas as reconciliation_schemas
from canlian.metrics.reconciliation import service as reconciliation_service
from canlian.metrics.reconciliation.sources import SOURCES, SourceMissing, fetch_snapshots
from canlian.metrics.settings import MetricsSettings


@dataclass
class ReconcileOutcome:
    rollups: reconciliation_schemas.ReconcileReport
    source: list[reconciliation_schemas.EntityDifference]
    sources_checked: list[str]


async def reconcile(
    settings: MetricsSettings,
    *,
    source_urls: dict[str, str] | None = None,
    token: str | None = None,
    region: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ReconcileOutcome:
    """The rollups against the stored contributions; and, for each source service given a
    URL, the stored contributions against that service's current data."""
    database = Database(settings, service_descriptor.schema)
    keep_version(database)
    source: list[reconciliation_schemas.EntityDifference] = []
    checked: list[str] = []
    try:
        async with database.read_session() as session:
            rollups = await reconciliation_service.reconcile_contributions(session)
            for item in SOURCES:
                base_url = (source_urls or {}).get(item.service)
                if not base_url or not token:
                    continue
                async with httpx.AsyncClient(
                    base_url=base_url, timeout=30, transport=transport
                ) as http:
                    try:
                        snapshots = await fetch_snapshots(http, item, token, region)
                    except SourceMissing:
                        checked.append(f"{item.path} (not offered by {item.service})")
                        continue
                source.extend(
                    await reconciliation_service.compare_with_source(
                        session, item.kind, snapshots, region
                    )
                )
                checked.append(f"{item.path} ({len(snapshots)})")
    finally:
        await database.dispose()
    return ReconcileOutcome(rollups, source, checked)


def reconcile_command(
    org_registry_url: Annotated[
        str | None, typer.Option(help="组织登记服务地址,如 http://127.0.0.1:8001")
    ] = None,
    cards_url: Annotated[
        str | None, typer.Option(help="残疾人证服务地址,如 http://127.0.0.1:8003")
    ] = None,
    members_url: Annotated[
        str | None, typer.Option(help="专职委员服务地址,如 http://127.0.0.1:8002")
    ] = None,
    volunteers_url: Annotated[
        str | None, typer.Option(help="志愿者服务地址,如 http://127.0.0.1:8004")
    ] = None,
    needs_url: Annotated[
        str | None, typer.Option(help="服务需求服务地址,如 http://127.0.0.1:8006")
    ] = None,
    token: Annotated[
        str | None, typer.Option(envvar="CANLIAN_TOKEN", help="读取源服务的令牌 / bearer token")
    ] = None,
    region: Annotated[str | None, typer.Option(help="只核对该区划 / only this region")] = None,
) -> None:
    """核对:重算计数并列出每一处差异(有差异时退出码为 1)/ report every difference."""
    settings = load_settings(MetricsSettings)
    given = (
        ("org-registry", org_registry_url),
        ("cards", cards_url),
        ("members", members_url),
        ("volunteers", volunteers_url),
        ("needs", needs_url),
    )
    urls = {name: url for name, url in given if url}
    if urls and not token:
        raise typer.BadParameter("reading the source services needs --token", param_hint="--token")
    outcome = asyncio.run(
        reconcile(
            settings,
            source_urls=urls,
            token=token,
            region=divisions.parse(region) if region else None,
        )
    )
    report = outcome.rollups
    console.print(
        f"checked {report.entities} entity contributions against {report.counters} counters"
        + (f"; sources: {', '.join(outcome.sources_checked)}" if outcome.sources_checked else "")
    )
    if report.differences:
        table = Table("region", "counter", "expected", "stored", title="rollup differences")
        for difference in report.differences:
            table.add_row(
                difference.region,
                difference.counter,
                str(difference.expected),
                str(difference.stored),
            )
        Console().print(table)
    if outcome.source:
        table = Table("entity", "problem", "source version", "rollup version", title="source")
        for entry in outcome.source:
            table.add_row(
                entry.entity, entry.problem, str(entry.source_version), str(entry.rollup_version)
            )
        Console().print(table)
    total = len(report.differences) + len(outcome.source)
    console.print(f"{total} difference(s)")
    if total:
        raise typer.Exit(1)
