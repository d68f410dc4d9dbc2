"""规范化建设: what each kind of organisation must have (the five haves, places, premises and
yearly activity funds) and which items an organisation fails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from canlian.common import policy
from canlian.common.events.org_registry import OrganisationKind, Standardisation
from canlian.common.rules import special_associations
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.organisations.schemas import StandardisationItem

# Seed 003: yearly activity funds of a special association, at least this many yuan unless the
# region sets its own minimum (the kit's rule, shared with the metrics rollups).
MIN_ACTIVITY_FUNDS_YUAN = special_associations.MIN_ACTIVITY_FUNDS_YUAN


def apply_funds_minimum(organisation: Organisation, values: policy.Values, on: date) -> None:
    """Record the funds minimum in force for a special association's region on the business
    date (None for other kinds): what the questions and the events judge its funds by."""
    organisation.activity_funds_minimum_yuan = (
        special_associations.minimum_in_force(
            organisation.level, organisation.division_code, on, values
        )
        if organisation.kind == OrganisationKind.SPECIAL_ASSOCIATION
        else None
    )


def standardisation_of(organisation: Organisation) -> Standardisation:
    return Standardisation(
        has_sign=organisation.has_sign,
        has_seal=organisation.has_seal,
        has_staff=organisation.has_staff,
        has_funds=organisation.has_funds,
        has_work=organisation.has_work,
        has_office=organisation.has_office,
        has_activity_room=organisation.has_activity_room,
        has_service_platform=organisation.has_service_platform,
        is_demonstration_site=organisation.is_demonstration_site,
        yearly_activity_funds_yuan=organisation.yearly_activity_funds_yuan,
        has_premises=organisation.has_premises,
    )


_STANDARDISATION_FIELDS = {
    StandardisationItem.SIGN: "has_sign",
    StandardisationItem.SEAL: "has_seal",
    StandardisationItem.STAFF: "has_staff",
    StandardisationItem.FUNDS: "has_funds",
    StandardisationItem.WORK: "has_work",
    StandardisationItem.OFFICE: "has_office",
    StandardisationItem.ACTIVITY_ROOM: "has_activity_room",
    StandardisationItem.SERVICE_PLATFORM: "has_service_platform",
    StandardisationItem.DEMONSTRATION_SITE: "is_demonstration_site",
    StandardisationItem.PREMISES: "has_premises",
}


FIVE_HAVES = (
    StandardisationItem.SIGN,
    StandardisationItem.SEAL,
    StandardisationItem.STAFF,
    StandardisationItem.FUNDS,
    StandardisationItem.WORK,
)


def required_items(kind: OrganisationKind) -> tuple[StandardisationItem, ...]:
    """What the seeds require of each kind (a demonstration site or platform is an extra)."""
    if kind == OrganisationKind.ASSOCIATION:
        return (*FIVE_HAVES, StandardisationItem.OFFICE, StandardisationItem.ACTIVITY_ROOM)
    if kind == OrganisationKind.SPECIAL_ASSOCIATION:
        return (*FIVE_HAVES, StandardisationItem.PREMISES, StandardisationItem.ACTIVITY_FUNDS)
    return FIVE_HAVES


def item_met(organisation: Organisation, item: StandardisationItem) -> bool:
    minimum = organisation.activity_funds_minimum_yuan
    if item == StandardisationItem.ACTIVITY_FUNDS:
        return special_associations.funds_adequate(
            organisation.level, organisation.yearly_activity_funds_yuan, minimum
        )
    if item == StandardisationItem.THREE_IN_PLACE:
        return special_associations.three_in_place(
            organisation.level, standardisation_of(organisation), minimum
        )
    return bool(getattr(organisation, _STANDARDISATION_FIELDS[item]))


def failing_items(organisation: Organisation) -> list[str]:
    kind = OrganisationKind(organisation.kind)
    return [item.value for item in required_items(kind) if not item_met(organisation, item)]


@dataclass(frozen=True)
class FailingSpec:
    """What "fails this item" means: a flag that is false, or funds below the minimum, or
    (三落实) either of funds, premises and staff missing or funds below the minimum; the
    minimum is the one recorded for the association, these the seed's when none is."""

    flag: str | None
    minimum_funds_by_level: dict[int, int]
    kinds: list[str]
    all_of_flags: tuple[str, ...] = ()


def failing_spec(item: StandardisationItem) -> FailingSpec:
    special = [OrganisationKind.SPECIAL_ASSOCIATION.value]
    if item == StandardisationItem.ACTIVITY_FUNDS:
        return FailingSpec(None, dict(MIN_ACTIVITY_FUNDS_YUAN), special)
    if item == StandardisationItem.THREE_IN_PLACE:
        flags = ("has_funds", "has_premises", "has_staff")
        return FailingSpec(None, dict(MIN_ACTIVITY_FUNDS_YUAN), special, flags)
    kinds = special if item == StandardisationItem.PREMISES else []
    return FailingSpec(_STANDARDISATION_FIELDS[item], {}, kinds)
