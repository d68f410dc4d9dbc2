"""An entity's contribution by business date: the steps the journal holds for it.

Each step says "from this day on, the entity contributes this"; the journal of an entity is
the difference between consecutive steps, on each step's day. A new event restates the steps
from its business date on (and, when it names the day the entity began, drops what lies
before), so a back-dated fact or a correction of a past one journals exactly the days it
touches: the old steps' journal comes off, the new steps' journal goes on."""

from __future__ import annotations

import json
from collections import Counter as Multiset
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from canlian.metrics.contributions.mappers import (
    BusinessDates,
    Contribution,
    decode_contribution,
    encode_contribution,
    present,
)

Step = tuple[date, Contribution]


def restate(
    old: Sequence[Step], event_day: date, contribution: Contribution, dates: BusinessDates
) -> list[Step]:
    """The entity's steps after an event of `event_day`. No date lies after the event's day
    (a business date never moves the live totals), and the last step is the new
    contribution."""
    since = min(dates.since or event_day, event_day)
    origin = min(dates.origin, since) if dates.origin is not None else None
    if dates.earlier is not None and origin is not None and origin < since:
        # The event states the entity's whole life (an imported card already expired).
        steps: list[Step] = [(origin, dates.earlier), (since, contribution)]
    else:
        steps = [step for step in old if step[0] < since]
        if origin is not None:
            # Before its origin the entity counts nothing; the state in force on that day
            # starts there.
            in_force = [step for step in steps if step[0] <= origin]
            steps = [step for step in steps if step[0] > origin]
            if in_force:
                steps.insert(0, (origin, in_force[-1][1]))
        steps.append((since, contribution))
        if dates.from_origin and origin is not None and steps[0][0] > origin:
            steps[0] = (origin, steps[0][1])
    return _normalised(steps)


def _normalised(steps: list[Step]) -> list[Step]:
    """Sorted by day, one step a day (the later one), no step that changes nothing."""
    by_day: dict[date, Contribution] = {}
    for day, contribution in sorted(steps, key=lambda step: step[0]):
        by_day[day] = {key: value for key, value in contribution.items() if value}
    found: list[Step] = []
    previous: Contribution = {}
    for day, contribution in sorted(by_day.items()):
        if contribution != previous:
            found.append((day, contribution))
            previous = contribution
    return found


def journal(steps: Sequence[Step]) -> Multiset[tuple[str, str, date]]:
    """(division, counter, day) -> delta at the entity's own divisions."""
    found: Multiset[tuple[str, str, date]] = Multiset()
    previous: Contribution = {}
    for day, contribution in steps:
        for key in set(contribution) | set(previous):
            delta = contribution.get(key, 0) - previous.get(key, 0)
            if delta:
                found[(key[0], key[1], day)] += delta
        previous = contribution
    return found


def rejournal(new: Sequence[Step], old: Sequence[Step]) -> dict[tuple[str, str, date], int]:
    """What the journal gains when the entity's steps go from `old` to `new`."""
    delta = journal(new)
    delta.subtract(journal(old))
    return {key: value for key, value in delta.items() if value}


NO_GATE: Mapping[date, int] = {}


def presence_journal(
    opening: int,
    days: Mapping[date, int],
    gate_opening: int = 0,
    gate_days: Mapping[date, int] = NO_GATE,
) -> Multiset[date]:
    """Day -> +1/-1 where a tally that stood at `opening` before its journal starts or stops
    yielding its derived counter: it crosses zero, or its division's gate (`LEFT_OUT`, which
    stood at `gate_opening` before its journal) opens or closes (mappers.present)."""
    found: Multiset[date] = Multiset()
    running, gate = opening, gate_opening
    for day in sorted(set(days) | set(gate_days)):
        before = present(running, gate)
        running += days.get(day, 0)
        gate += gate_days.get(day, 0)
        now = present(running, gate)
        if now != before:
            found[day] += 1 if now else -1
    return found


def legacy_steps(contribution: Contribution, day: date) -> list[Step]:
    """Steps of a state stored before steps were kept: its contribution from the day it was
    applied, or the next event's day if earlier (the journal took it no later than that; a
    rebuild restores the exact days)."""
    return [(day, contribution)] if contribution else []


def encode_steps(steps: Sequence[Step]) -> list[list[Any]]:
    """Stored as [[day, contribution], ...]; the last contribution is the state's own and
    left out (null)."""
    encoded: list[list[Any]] = [
        [day.isoformat(), encode_contribution(contribution)] for day, contribution in steps
    ]
    if encoded:
        encoded[-1][1] = None
    return encoded


def decode_steps(stored: Sequence[Sequence[Any]], contribution: Contribution) -> list[Step]:
    return [
        (
            date.fromisoformat(day),
            decode_contribution(value) if value is not None else contribution,
        )
        for day, value in stored
    ]


def steps_json(steps: Sequence[Step]) -> str:
    return json.dumps(encode_steps(steps), separators=(",", ":"))
