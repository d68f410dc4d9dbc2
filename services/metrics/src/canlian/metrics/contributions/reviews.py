"""What the presidium's budget reviews and the mid-term reviews count (org-registry events).

"Reviewed this year" cannot be a counter that lapses on 1 January: the journal holds a fact
from its business date with no end (no step lies after the event's day, so the live totals
need no scheduler). Each fact is keyed by its year instead, in the counter's name: the year
whose budget report the presidium reviewed, the year a term reaches its middle. A year's
indicator reads only its year's counters, so nothing needs to lapse, and the as-of history
of each year's counters is exact (docs/governance-rules.md)."""

from __future__ import annotations

from datetime import date, timedelta

from canlian.common import divisions
from canlian.common.events import org_registry
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    BusinessDates,
    Mapped,
    entity_key,
    event_division,
    mapper,
)
from canlian.metrics.hierarchy import LEVEL_NAMES

YEARS = range(2021, 2031)
"""The years the catalogue has indicators for (the 14th and 15th five-year plans); facts of
other years are counted all the same."""

FEDERATION_LEVELS = [
    LEVEL_NAMES[level]
    for level in (
        divisions.DivisionLevel.PROVINCE,
        divisions.DivisionLevel.CITY,
        divisions.DivisionLevel.COUNTY,
        divisions.DivisionLevel.TOWNSHIP,
    )
]


def budget_tally(year: int) -> str:
    """Approved budget reviews of a year's report at one federation's division; its presence
    counters `budget_reports_approved.<year>.<level>` count federations, not reviews (two
    terms of one federation may each review the year)."""
    return f"@budget_reports_approved.{year}"


def budget_counters(year: int) -> list[str]:
    return [f"{budget_tally(year)[1:]}.{level}" for level in FEDERATION_LEVELS]


def terms_at_middle(year: int) -> str:
    return f"terms.middle_in.{year}"


def terms_reviewed(year: int) -> str:
    return f"terms.reviewed_mid_term.{year}"


for _year in YEARS:
    for _counter, _level in zip(budget_counters(_year), FEDERATION_LEVELS, strict=True):
        COUNTER_DESCRIPTIONS[_counter] = (
            f"{_year} 年度预算执行情况报告经主席团审议通过的残联数({_level})/ federations whose "
            f"{_year} budget report the presidium approved ({_level})"
        )
    COUNTER_DESCRIPTIONS[terms_at_middle(_year)] = (
        f"届中在 {_year} 年的残联任期数 / federations' terms whose middle falls in {_year}"
    )
    COUNTER_DESCRIPTIONS[terms_reviewed(_year)] = (
        f"其中已届中考评的 / of them reviewed mid-term ({_year})"
    )


def _dated(on: date) -> BusinessDates:
    """The fact holds from its own date: a corrected date moves its history, and nothing of
    it counts before."""
    return BusinessDates(since=on, origin=on, from_origin=True)


@mapper(
    org_registry.BudgetReportReviewed,
    org_registry.BudgetReportReviewCorrected,
    org_registry.BudgetReportReviewWithdrawn,
)
def budget_review_contribution(
    event: org_registry.BudgetReportReviewed
    | org_registry.BudgetReportReviewCorrected
    | org_registry.BudgetReportReviewWithdrawn,
) -> Mapped:
    """Seed 002 (年度预算执行情况向主席团报告): an approved review counts for its report's
    year from the day the presidium reviewed it; a returned one does not; a withdrawn one no
    more from the day it was withdrawn."""
    key = entity_key(event)
    if isinstance(event, org_registry.BudgetReportReviewWithdrawn):
        return Mapped(key, event.version, {}, dates=BusinessDates(since=event.withdrawn_on))
    code = event_division(event.division_code)
    contribution = {}
    if event.decision is org_registry.BudgetDecision.APPROVED:
        contribution[(code, budget_tally(event.year))] = 1
    return Mapped(key, event.version, contribution, dates=_dated(event.reviewed_on))


def midterm_review_key(review_id: str) -> str:
    return f"org-registry.midterm-review:{review_id}"


@mapper(
    org_registry.MidTermReviewed,
    org_registry.MidTermReviewCorrected,
    org_registry.MidTermReviewWithdrawn,
)
def midterm_review_contribution(
    event: org_registry.MidTermReviewed
    | org_registry.MidTermReviewCorrected
    | org_registry.MidTermReviewWithdrawn,
) -> Mapped:
    """Seeds 000, 003 (届中考评): a term reviewed counts in the year of its middle, from the
    review's date (events before the middle was carried: the review's year)."""
    key = midterm_review_key(event.review_id)
    if isinstance(event, org_registry.MidTermReviewWithdrawn):
        return Mapped(key, event.version, {}, dates=BusinessDates(since=event.withdrawn_on))
    code = event_division(event.division_code)
    year = (event.middle_of_term or event.reviewed_on).year
    return Mapped(
        key, event.version, {(code, terms_reviewed(year)): 1}, dates=_dated(event.reviewed_on)
    )


def term_key(organisation_id: str, term_number: int) -> str:
    return f"org-registry.term:{organisation_id}:{term_number}"


def middle_of(starts_on: date, ends_on: date) -> date:
    """As the registry computes it (midterm_reviews.rules): half the term's days on."""
    return starts_on + timedelta(days=(ends_on - starts_on).days // 2)


@mapper(org_registry.TermHeld)
def term_contribution(event: org_registry.TermHeld) -> Mapped:
    """A federation's term is due its mid-term review in the year of its middle; counted
    there from the term's start (the year's indicator is read in and after that year)."""
    key = term_key(event.organisation_id, event.term_number)
    if event.kind is not org_registry.OrganisationKind.FEDERATION:
        return Mapped(key, event.version, {})
    code = event_division(event.division_code)
    year = middle_of(event.starts_on, event.ends_on).year
    return Mapped(
        key, event.version, {(code, terms_at_middle(year)): 1}, dates=_dated(event.starts_on)
    )
