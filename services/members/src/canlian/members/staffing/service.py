"""Staffing rules: a township federation (level 4) is one place needing a committee member; an
association (level 5) makes each village it covers a place; a development zone or virtual
community only where its region's policy counts it (rules.denominators). Summaries by
township need a city or a county."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from canlian.common import divisions, policy
from canlian.common.events.members import Post
from canlian.common.rules import denominators
from canlian.members.appointments.posts import seat_count
from canlian.members.staffing.problems import RegionTooWide


@dataclass(frozen=True)
class PlaceSeats:
    division_code: str
    seats: int  # as the region's policy sets them (每乡、每村各1名, 街道3—5名)
    policy: str | None
    active: int

    @property
    def vacant(self) -> int:
        return max(self.seats - self.active, 0)


def seats_of_places(
    active_by_place: Mapping[str, int], on: date, values: policy.Values
) -> list[PlaceSeats]:
    """Each place's committee-member seats against its active members, on a business date,
    as the regions' policy values (`values`) set them."""
    found = []
    for code in sorted(active_by_place):
        seats, parameter = seat_count(code, Post.COMMITTEE_MEMBER, on, values)
        found.append(
            PlaceSeats(code, seats, parameter.name if parameter else None, active_by_place[code])
        )
    return found


def excluded_places(governed: Sequence[str], on: date, values: policy.Values) -> list[str]:
    """Of the governed places (development zones, virtual communities), those the regions'
    policy leaves out of the staffing denominators on the business date (rules.denominators,
    as the registry and the metrics indicators judge them)."""
    return [code for code in governed if not denominators.counts(code, on, values)]


def check_summary_region(region: str) -> None:
    if divisions.level_of(region) < divisions.DivisionLevel.CITY:
        raise RegionTooWide(region=region)
