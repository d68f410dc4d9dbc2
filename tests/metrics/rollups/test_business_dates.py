"""History by business date, on PostgreSQL: an imported or back-dated fact counts from its own
date in `as_of` queries, a correction re-journals the days it touches, the live totals stay
as they were, and a rebuild gives the very journal the consumer wrote."""

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from canlian.common.events import cards
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import OrganisationStatus
from canlian.metrics.rollups import fold as rollups_fold
from canlian.metrics.rollups import repository as rollups_repository
from canlian.metrics.rollups.models import DailyChange, EntityState
from canlian.testing.services import runtime_of

from ..conftest import (
    CHENGGUAN,
    GANSU,
    QILIHE,
    VILLAGE_D,
    VILLAGE_E,
    Apply,
    envelope,
    now,
    organisation,
)

pytestmark = pytest.mark.postgres

ISSUED = date(2018, 5, 1)


def card(card_id: int, **changes: object) -> cards.CardIssued:
    values: dict[str, object] = {
        "card_id": card_id,
        "person_id": card_id,
        "version": 1,
        "division_code": CHENGGUAN,
        "status": cards.CardStatus.VALID,
        "category": cards.DisabilityCategory.PHYSICAL,
        "grade": cards.DisabilityGrade.SECOND,
        "generation": cards.CardGeneration.SECOND_GENERATION,
        "issued_on": ISSUED,
        "valid_until": date(2028, 5, 1),
        "source": cards.CardSource.IMPORT,
        "home_visit": False,
        "effective_on": ISSUED,
    }
    values.update(changes)
    return cards.CardIssued.model_validate(values)


async def valid_cards(
    client: httpx.AsyncClient, headers: dict[str, str], on: date | None, code: str = GANSU
) -> int:
    params = {"as_of": on.isoformat()} if on else {}
    response = await client.get(f"/v1/regions/{code}/counters", params=params, headers=headers)
    assert response.status_code == 200, response.text
    values = {item["counter"]: item["value"] for item in response.json()["items"]}
    return int(values.get("cards.valid", 0))


async def test_a_2018_card_imported_today_counts_from_its_issue_date(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, apply: Apply
) -> None:
    await apply(card(1))
    assert await valid_cards(client, official, date(2020, 12, 31)) == 1
    assert await valid_cards(client, official, date(2017, 12, 31)) == 0
    assert await valid_cards(client, official, date(2018, 4, 30)) == 0
    assert await valid_cards(client, official, date(2018, 5, 1)) == 1
    assert await valid_cards(client, official, None) == 1  # the live total


async def test_an_imported_expired_card_counts_only_while_it_was_valid(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, apply: Apply
) -> None:
    await apply(
        card(
            2,
            status=cards.CardStatus.EXPIRED,
            valid_until=date(2023, 4, 30),
            effective_on=date(2023, 5, 1),
        )
    )
    assert await valid_cards(client, official, date(2020, 12, 31)) == 1
    assert await valid_cards(client, official, date(2023, 4, 30)) == 1
    assert await valid_cards(client, official, date(2024, 6, 30)) == 0
    assert await valid_cards(client, official, date(2017, 12, 31)) == 0
    assert await valid_cards(client, official, None) == 0


async def test_events_written_before_effective_on_count_an_import_from_its_dates(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, apply: Apply
) -> None:
    # Already in the log: imports without `effective_on` (a rebuild gives them their dates).
    await apply(card(3, effective_on=None))
    assert await valid_cards(client, official, date(2020, 12, 31)) == 1
    assert await valid_cards(client, official, date(2017, 12, 31)) == 0


async def test_a_card_issued_today_counts_from_today(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, apply: Apply
) -> None:
    today = now().date()
    await apply(card(4, source=cards.CardSource.APPLICATION, issued_on=today, effective_on=None))
    assert await valid_cards(client, official, today - timedelta(days=2)) == 0
    assert await valid_cards(client, official, None) == 1


async def test_a_back_dated_correction_moves_the_count_between_days(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, apply: Apply
) -> None:
    await apply(card(5))
    # The register was wrong: the card was issued in 2021 (a later version restates it).
    corrected = date(2021, 3, 1)
    await apply(card(5, version=2, issued_on=corrected, effective_on=corrected))
    assert await valid_cards(client, official, date(2020, 12, 31)) == 0
    assert await valid_cards(client, official, date(2021, 3, 1)) == 1
    # ... and back to 2016: it now counts before the first import said.
    earlier = date(2016, 7, 1)
    await apply(card(5, version=3, issued_on=earlier, effective_on=earlier))
    assert await valid_cards(client, official, date(2016, 12, 31)) == 1
    assert await valid_cards(client, official, date(2016, 6, 30)) == 0
    # A cancellation dated back to 2022 (a death recorded late) ends it from then; the card
    # had moved to Qilihe in 2020: Chengguan counts it until then, Qilihe from then on.
    moved = datetime(2020, 6, 1, 12, tzinfo=UTC)
    await apply(
        envelope(
            cards.CardTransferred(
                **card(
                    5, version=4, issued_on=earlier, effective_on=None, division_code=QILIHE
                ).model_dump(),
                previous_division_code=CHENGGUAN,
            ),
            at=moved,
        )
    )
    cancelled = date(2022, 9, 1)
    await apply(
        cards.CardCancelled(
            **card(
                5,
                version=5,
                issued_on=earlier,
                division_code=QILIHE,
                status=cards.CardStatus.CANCELLED,
                end_reason=cards.CardEndReason.DEATH,
                ended_on=cancelled,
                effective_on=cancelled,
            ).model_dump()
        )
    )
    assert await valid_cards(client, official, date(2019, 12, 31), CHENGGUAN) == 1
    assert await valid_cards(client, official, date(2020, 12, 31), CHENGGUAN) == 0
    assert await valid_cards(client, official, date(2020, 12, 31), QILIHE) == 1
    assert await valid_cards(client, official, date(2022, 8, 31), GANSU) == 1
    assert await valid_cards(client, official, date(2022, 9, 1), GANSU) == 0
    assert await valid_cards(client, official, None) == 0


def _card_events() -> list[CloudEvent]:
    """Imports, an expired import, corrections earlier and later, arriving in batches."""
    today = now()
    found: list[CloudEvent] = []
    for n in range(12):
        issued = date(2015 + n % 6, 1 + n % 12, 1)
        found.append(envelope(card(100 + n, issued_on=issued, effective_on=issued), at=today))
    found.append(
        envelope(
            card(
                200,
                status=cards.CardStatus.EXPIRED,
                valid_until=date(2022, 1, 1),
                effective_on=date(2022, 1, 2),
            ),
            at=today,
        )
    )
    for n, corrected in ((1, date(2019, 9, 9)), (2, date(2014, 2, 2)), (1, date(2020, 2, 2))):
        found.append(
            envelope(
                card(
                    100 + n,
                    version=2 + (corrected.year == 2020),
                    issued_on=corrected,
                    effective_on=corrected,
                ),
                at=today,
            )
        )
    return found


async def _journal(app: FastAPI) -> dict[tuple[str, str, date], int]:
    async with runtime_of(app).database.session() as session:
        rows = await session.execute(
            select(
                DailyChange.division_code, DailyChange.counter, DailyChange.day, DailyChange.delta
            )
        )
        return {(code, counter, day): int(delta) for code, counter, day, delta in rows if delta}


async def test_a_rebuild_gives_the_journal_the_consumer_wrote(
    rollback: FastAPI, apply: Apply
) -> None:
    events = _card_events()
    async with runtime_of(rollback).database.session() as session:
        await rollups_repository.clear_rollups(session)
    for start in range(0, len(events), 4):
        await apply(*events[start : start + 4])
    live = await _journal(rollback)
    assert live[(GANSU, "cards.valid", date(2014, 2, 2))] == 1  # a correction back-dated

    fold = rollups_fold.RollupFold()
    fold.add_events(events)
    async with runtime_of(rollback).database.session() as session:
        await rollups_fold.save_fold(session, fold)
    assert await _journal(rollback) == live


async def covered(client: httpx.AsyncClient, headers: dict[str, str], on: date | None) -> int:
    params = {"as_of": on.isoformat()} if on else {}
    response = await client.get(f"/v1/regions/{QILIHE}/counters", params=params, headers=headers)
    values = {item["counter"]: item["value"] for item in response.json()["items"]}
    return int(values.get("association_coverage.village", 0))


async def test_a_back_dated_association_moves_the_villages_coverage_to_its_own_dates(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, apply: Apply
) -> None:
    # Qilihe: one village covered since 2014 (the fixture); a second from an association
    # registered live in 2022, then another found in an old register, founded in 2016.
    await apply(
        envelope(organisation("d1", division=VILLAGE_D), at=datetime(2022, 3, 1, tzinfo=UTC))
    )
    assert await covered(client, official, date(2016, 12, 31)) == 1
    await apply(organisation("d2", division=VILLAGE_D, effective_on=date(2016, 5, 1)))
    assert await covered(client, official, date(2015, 12, 31)) == 1
    assert await covered(client, official, date(2016, 12, 31)) == 2
    assert await covered(client, official, None) == 2
    # The old association was dissolved in 2019 (recorded today): the village was without
    # one until 2022.
    await apply(
        organisation(
            "d2",
            version=2,
            division=VILLAGE_D,
            status=OrganisationStatus.DISSOLVED,
            effective_on=date(2019, 1, 1),
        )
    )
    assert await covered(client, official, date(2018, 12, 31)) == 2
    assert await covered(client, official, date(2019, 6, 30)) == 1
    assert await covered(client, official, date(2022, 12, 31)) == 2
    assert await covered(client, official, None) == 2


async def test_a_corrected_founding_date_moves_the_associations_history(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, apply: Apply
) -> None:
    # Registered live in 2022 without a founding date, then corrected to 2017 (the registry
    # moves its coverage start the same way), then to 2020.
    registered = datetime(2022, 3, 1, tzinfo=UTC)
    await apply(envelope(organisation("e1", division=VILLAGE_E), at=registered))
    assert await covered(client, official, date(2018, 12, 31)) == 1
    for version, founded, counted_from in (
        (2, date(2017, 6, 1), date(2017, 6, 1)),
        (3, date(2020, 1, 1), date(2020, 1, 1)),
    ):
        await apply(
            organisation(
                "e1",
                version=version,
                division=VILLAGE_E,
                established_on=founded,
            )
        )
        before = counted_from - timedelta(days=1)
        assert await covered(client, official, before) == 1, founded
        assert await covered(client, official, counted_from) == 2, founded
        assert await covered(client, official, None) == 2


async def test_a_state_stored_before_steps_were_kept_takes_the_next_change_as_before(
    rollback: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    gansu: None,
    apply: Apply,
) -> None:
    applied = datetime(2024, 3, 1, 12, tzinfo=UTC)
    await apply(
        envelope(
            card(
                6,
                effective_on=None,
                source=cards.CardSource.APPLICATION,
                issued_on=date(2024, 3, 1),
            ),
            at=applied,
        )
    )
    async with runtime_of(rollback).database.session() as session:
        await session.execute(update(EntityState).values(steps=None))
    # Applied today, journaled on 2024-03-01: the next change journals on its own day only.
    await apply(
        envelope(
            cards.CardCancelled(
                **card(
                    6,
                    version=2,
                    source=cards.CardSource.APPLICATION,
                    issued_on=date(2024, 3, 1),
                    status=cards.CardStatus.CANCELLED,
                    ended_on=date(2025, 2, 1),
                    effective_on=None,
                ).model_dump()
            ),
            at=datetime(2025, 2, 1, 12, tzinfo=UTC),
        )
    )
    assert await valid_cards(client, official, date(2024, 2, 29)) == 0
    assert await valid_cards(client, official, date(2024, 12, 31)) == 1
    assert await valid_cards(client, official, date(2025, 2, 1)) == 0
    assert await valid_cards(client, official, None) == 0
