"""A realistic event stream: Gansu's real villages (NBS 2023), card holders in seed 003's
category and grade mix, volunteers and their confirmed service records."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from canlian.common.events import cards, volunteers
from canlian.common.events.base import CloudEvent, DomainEvent
from canlian.org_registry.divisions.dataset import read_divisions

PROVINCE = "62"  # 甘肃省

# Seed 003: a real county's 1,794 holders (visual 18%, hearing 9%, speech 4%, intellectual 6%,
# physical 60%, mental 3%); grade 1 20%, grade 2 26%, grades 3-4 54%.
CATEGORY_WEIGHTS = {
    cards.DisabilityCategory.VISUAL: 18,
    cards.DisabilityCategory.HEARING: 9,
    cards.DisabilityCategory.SPEECH: 4,
    cards.DisabilityCategory.INTELLECTUAL: 6,
    cards.DisabilityCategory.PHYSICAL: 60,
    cards.DisabilityCategory.MENTAL: 3,
}
GRADE_WEIGHTS = {
    cards.DisabilityGrade.FIRST: 20,
    cards.DisabilityGrade.SECOND: 26,
    cards.DisabilityGrade.THIRD: 27,
    cards.DisabilityGrade.FOURTH: 27,
}


def villages(province: str = PROVINCE) -> list[str]:
    return [record.code for record in read_divisions(province) if record.level == 5]


def card_issued(card_id: int, village: str, rng: random.Random) -> cards.CardIssued:
    issued = date(2024, 1, 1) + timedelta(days=rng.randrange(600))
    return cards.CardIssued(
        card_id=card_id,
        person_id=card_id,
        version=1,
        division_code=village,
        status=cards.CardStatus.VALID,
        category=rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0],
        grade=rng.choices(list(GRADE_WEIGHTS), list(GRADE_WEIGHTS.values()))[0],
        generation=(
            cards.CardGeneration.SMART
            if rng.random() < 0.7
            else cards.CardGeneration.SECOND_GENERATION
        ),
        issued_on=issued,
        valid_until=issued + timedelta(days=3652),
        source=cards.CardSource.APPLICATION,
        home_visit=rng.random() < 0.1,
    )


def volunteer_registered(
    number: int, village: str, rng: random.Random
) -> volunteers.VolunteerRegistered:
    sign = rng.random() < 0.05
    skills = [volunteers.Skill.SIGN_LANGUAGE] if sign else [rng.choice(list(volunteers.Skill))]
    return volunteers.VolunteerRegistered(
        volunteer_id=f"v{number}",
        version=1,
        division_code=village,
        status=volunteers.VolunteerStatus.ACTIVE,
        channel=volunteers.RegistrationChannel.SELF,
        skills=skills,
        sign_language=sign,
        sign_language_trained=sign and rng.random() < 0.5,
        team_id=None,
        station_id=None,
        star_level=0,
        confirmed_minutes=0,
        person_times=0,
        registered_on=date(2025, 3, 1),
        left_on=None,
    )


def service_record(
    number: int, village: str, rng: random.Random
) -> volunteers.ServiceRecordConfirmed:
    start = datetime(2025, 6, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(3000))
    minutes = rng.randrange(30, 240)
    return volunteers.ServiceRecordConfirmed(
        record_id=f"r{number}",
        version=1,
        volunteer_id=f"v{number % 1000}",
        division_code=village,
        volunteer_division_code=village,
        team_id=None,
        need_id=None,
        service_kind=rng.choice(list(volunteers.Skill)),
        served_on=start.date(),
        checked_in_at=start,
        checked_out_at=start + timedelta(minutes=minutes),
        minutes=minutes,
        hours=round(minutes / 60, 2),
        person_times=rng.randrange(1, 4),
        confirmed_at=start + timedelta(days=1),
    )


def events(count: int, seed: int = 2011) -> Iterator[DomainEvent]:
    """80% card issues, 10% volunteer registrations, 10% confirmed service records."""
    rng = random.Random(seed)
    places = villages()
    for number in range(count):
        village = rng.choice(places)
        roll = rng.random()
        if roll < 0.8:
            yield card_issued(number + 1, village, rng)
        elif roll < 0.9:
            yield volunteer_registered(number, village, rng)
        else:
            yield service_record(number, village, rng)


def envelopes(count: int, seed: int = 2011) -> Iterator[CloudEvent]:
    for event in events(count, seed):
        yield CloudEvent.wrap(event, source="/canlian/bench")
