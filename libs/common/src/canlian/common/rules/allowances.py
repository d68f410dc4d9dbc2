"""Allowance compliance (误工补贴达标): whose monthly allowance is judged against the regional
minimum, and when it fails.

Seed 000: township (街道) and community (社区) committee members are all in government
public-welfare posts (公益性岗位) with post and social-insurance subsidies; village (村)
committee members get a lost-work allowance of at least the regional minimum (100 yuan in
Gansu, 60 in seed 003's county: a regional parameter). So the minimum judges an active
committee member of a village (a villagers' committee, not a community); a community member
on a public-welfare post paid no allowance is not non-compliant, and a member appointed but
not yet at work (or suspended) is paid nothing yet and not judged.

Seed 004 (Shangyu) puts village and community members alike on public-welfare posts: where a
region's `allowances.village_public_welfare_posts` is 1 on the appointment's business date,
no village member's pay is judged either. The members service applies that parameter when it
sets a post's minimum (none then) and compliance (None); every reader judges by `is_judged`,
which leaves an appointment without a compliance outcome out, so the members report and the
metrics indicator leave the same people out.

NBS coding: a village-level code whose last segment is 001-199 is a residents' committee
(社区/居委会), 200-399 a villagers' committee (村).
"""

from __future__ import annotations

from decimal import Decimal

from canlian.common.events.members import AppointmentStatus, Post

COMMUNITY_SEGMENT_BELOW = 200
"""Village-level codes whose last three digits are below this are communities (社区)."""

JUDGED_POST = Post.COMMITTEE_MEMBER
JUDGED_STATUS = AppointmentStatus.ACTIVE


def is_village_level(division_code: str) -> bool:
    return len(division_code) == 12 and division_code[9:] != "000" and division_code[6:9] != "000"


def is_community(division_code: str) -> bool:
    """A residents' committee (社区/居委会) rather than a villagers' committee (村)."""
    return is_village_level(division_code) and int(division_code[9:]) < COMMUNITY_SEGMENT_BELOW


def is_village_post(division_code: str) -> bool:
    """A post at a village (村, not a community): the posts a lost-work minimum applies to."""
    return is_village_level(division_code) and not is_community(division_code)


def minimum_applies(division_code: str, village_public_welfare_posts: bool) -> bool:
    """Whether a lost-work minimum judges a committee member's post at the division: a
    village (村) post, unless the region puts village members on public-welfare posts."""
    return is_village_post(division_code) and not village_public_welfare_posts


def meets_minimum(monthly_allowance_yuan: Decimal, minimum_yuan: Decimal | None) -> bool | None:
    """Allowance >= the regional minimum; None when no minimum is set."""
    return None if minimum_yuan is None else monthly_allowance_yuan >= minimum_yuan


def is_judged(post: str, status: str, division_code: str, compliant: bool | None) -> bool:
    """Whether the appointment counts in allowance compliance (the indicator's denominator):
    an active village committee member with a regional minimum set."""
    return (
        post == JUDGED_POST
        and status == JUDGED_STATUS
        and is_village_post(division_code)
        and compliant is not None
    )


def is_non_compliant(post: str, status: str, division_code: str, compliant: bool | None) -> bool:
    """Judged and paid below the minimum: the people the report lists."""
    return is_judged(post, status, division_code, compliant) and compliant is False
