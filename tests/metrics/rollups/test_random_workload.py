"""A random workload across the four domains, delivered shuffled, duplicated and in random
batches: the rollups must equal a recomputation from each entity's newest snapshot, and
reconcile must report no difference."""

import random
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from fastapi import FastAPI

from canlian.common import divisions
from canlian.common.events import cards, members, volunteers
from canlian.common.events.base import DomainEvent
from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.metrics.contributions import mappers
from canlian.metrics.reconciliation import repository as reconciliation_repository
from canlian.metrics.reconciliation import service as reconciliation_service
from canlian.testing.services import runtime_of

from ..conftest import Apply, envelope, organisation

pytestmark = pytest.mark.postgres

VILLAGES = [
    f"62010{county}00{township}00{village}"
    for county in (2, 3)
    for township in (1, 2)
    for village in (1, 2, 3)
]


def snapshot_events(rng: random.Random) -> list[DomainEvent]:
    events: list[DomainEvent] = []
    for number in range(15):  # associations, some joint, some dissolved
        for version in range(1, rng.randint(2, 5)):
            home = rng.choice(VILLAGES)
            township = home[:9]
            neighbours = [v for v in VILLAGES if v.startswith(township)]
            events.append(
                organisation(
                    f"org{number}",
                    version=version,
                    division=home,
                    covered=rng.sample(neighbours, rng.randint(0, 2)),
                    status=(
                        OrganisationStatus.DISSOLVED
                        if rng.random() < 0.2
                        else OrganisationStatus.ESTABLISHED
                    ),
                    has_office=rng.random() < 0.5,
                )
            )
    for number in range(6):  # township federations
        for version in range(1, rng.randint(2, 4)):
            events.append(
                organisation(
                    f"fed{number}",
                    version=version,
                    kind=OrganisationKind.FEDERATION,
                    level=4,
                    division=rng.choice(VILLAGES)[:9] + "000",
                    has_full_time_chair=rng.random() < 0.5,
                )
            )
    for number in range(20):  # committee members
        for version in range(1, rng.randint(2, 4)):
            village = rng.choice(VILLAGES)
            events.append(
                members.AppointmentChanged(
                    appointment_id=f"ap{number}",
                    version=version,
                    member_id=f"m{number}",
                    organisation_id="o",
                    division_code=village,
                    post_level=members.PostLevel.VILLAGE,
                    post=members.Post.COMMITTEE_MEMBER,
                    member_kind=members.MemberKind.COMMITTEE_MEMBER,
                    member_disability_relation=members.DisabilityRelation.DISABLED,
                    status=rng.choice(list(members.AppointmentStatus)),
                    status_since=date(2024, 1, 1),
                    holds_post=True,
                    selection_method=members.SelectionMethod.ELECTION,
                    contract_start=date(2024, 1, 1),
                    contract_end=None,
                    public_welfare_post=rng.random() < 0.5,
                    monthly_allowance_yuan=Decimal(rng.choice([60, 100, 120])),
                    social_insurance_subsidy=False,
                    allowance_minimum_yuan=Decimal(100),
                    allowance_compliant=rng.random() < 0.7,
                )
            )
    for number in range(20):  # cards, transferred between villages
        for version in range(1, rng.randint(2, 4)):
            events.append(
                cards.CardTransferred(
                    card_id=number,
                    person_id=number,
                    version=version,
                    division_code=rng.choice(VILLAGES),
                    previous_division_code=rng.choice(VILLAGES),
                    status=rng.choice(list(cards.CardStatus)),
                    category=rng.choice(list(cards.DisabilityCategory)),
                    grade=rng.choice(list(cards.DisabilityGrade)),
                    generation=rng.choice(list(cards.CardGeneration)),
                    issued_on=date(2020, 1, 1),
                    valid_until=date(2030, 1, 1),
                    source=cards.CardSource.IMPORT,
                    home_visit=rng.random() < 0.3,
                )
            )
    for number in range(15):  # volunteers
        for version in range(1, rng.randint(2, 4)):
            events.append(
                volunteers.VolunteerChanged(
                    volunteer_id=f"v{number}",
                    version=version,
                    division_code=rng.choice(VILLAGES),
                    status=rng.choice(list(volunteers.VolunteerStatus)),
                    channel=volunteers.RegistrationChannel.SELF,
                    skills=[],
                    sign_language=rng.random() < 0.3,
                    sign_language_trained=rng.random() < 0.2,
                    team_id=None,
                    station_id=None,
                    star_level=rng.randint(0, 5),
                    confirmed_minutes=0,
                    person_times=0,
                    registered_on=date(2024, 1, 1),
                    left_on=None,
                )
            )
    return events


def recompute(events: list[DomainEvent]) -> dict[tuple[str, str], int]:
    """The oracle: each entity's newest snapshot, through its mapper, summed over lineages."""
    newest: dict[str, mappers.Mapped] = {}
    for event in events:
        produced = mappers.MAPPERS[event.event_type](event)
        for mapped in produced if isinstance(produced, list) else [produced]:
            if (
                mapped.entity_key not in newest
                or mapped.version > newest[mapped.entity_key].version
            ):
                newest[mapped.entity_key] = mapped
    totals: Counter[tuple[str, str]] = Counter()
    tallies: Counter[tuple[str, str]] = Counter()
    for mapped in newest.values():
        for (code, counter), value in mapped.contribution.items():
            if mappers.is_tally(counter):
                tallies[(code, counter)] += value
            else:
                for ancestor in divisions.lineage(code):
                    totals[(ancestor, counter)] += value
    for (code, tally), value in tallies.items():
        if value > 0:
            for ancestor in divisions.lineage(code):
                totals[(ancestor, mappers.presence_counter(tally, code))] += 1
    return {key: value for key, value in totals.items() if value}


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_workload_equals_recomputation(
    seed: int, apply: Apply, rollback: FastAPI
) -> None:
    rng = random.Random(seed)
    events = snapshot_events(rng)
    deliveries = events + rng.sample(events, len(events) // 3)
    rng.shuffle(deliveries)
    position = 0
    while position < len(deliveries):
        size = rng.randint(1, 40)
        await apply(*[envelope(event) for event in deliveries[position : position + size]])
        position += size
    async with runtime_of(rollback).database.session() as session:
        stored = {
            key: value
            for key, value in (await reconciliation_repository.all_counters(session)).items()
            if value
        }
        report = await reconciliation_service.reconcile_contributions(session)
    expected = recompute(events)
    assert stored == expected
    assert report.differences == []
    assert expected[("000000000000", "cards.valid")] > 0  # the workload did count something
    assert any(key[1] == "association_coverage.village" for key in expected)
