"""What federations, associations, groups and special associations count (org-registry events)."""

from __future__ import annotations

from collections import Counter as Multiset

from canlian.common import divisions
from canlian.common.events import org_registry
from canlian.common.events.base import DomainEvent
from canlian.common.rules import full_time_chair, special_associations
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    BusinessDates,
    Mapped,
    entity_key,
    event_division,
    mapper,
    tally,
)
from canlian.metrics.hierarchy import LEVEL_NAMES

ASSOCIATION_COVERAGE = tally("@association_coverage")  # -> association_coverage.village


COUNTER_DESCRIPTIONS.update(
    {
        "association_coverage.village": "有残协覆盖的村(社区)数 / villages covered by an "
        "association",
        "federations.province": "省级残联数 / provincial federations",
        "federations.city": "市级残联数 / city federations",
        "federations.county": "县级残联数 / county federations",
        "federations.township": "乡镇(街道)残联数 / township federations",
        "federations.township_full_time_chair": "配备专职理事长的乡镇残联数 / township federations "
        "with a full-time chair",
        "federations.city_county": "市县残联数 / city and county federations",
        "federations.city_county_disabled_cadre": "班子配备残疾人干部的市县残联数 / city and "
        "county federations whose leadership has a disabled cadre",
        "federations.leadership_compliant": "班子构成达标的残联数 / federations meeting every "
        "leadership composition rule",
        "associations": "村(社区)残协数 / village and community associations",
        "associations.five_haves": "五有齐全的残协数 / associations with sign, seal, staff, funds "
        "and work",
        "associations.office": "有办公场所的残协数 / associations with an office",
        "associations.activity_room": "有活动室的残协数 / associations with an activity room",
        "associations.service_platform": "有服务平台的残协数 / associations with a service "
        "platform",
        "groups": "残疾人小组数 / groups",
        "special_associations": "专门协会数 / special associations",
        "special_associations.three_in_place": "经费、场地、人员三落实的专门协会数 / special "
        "associations with funds, premises and staff",
        "special_associations.funds_adequate": "活动经费达标的专门协会数 / special associations "
        "with the minimum yearly activity funds",
        "enterprise_associations": "企业残协数 / enterprise associations",
        "organisations.demonstration_site": "示范点数 / demonstration sites",
    }
)


for _category in org_registry.SpecialCategory:
    COUNTER_DESCRIPTIONS[f"special_associations.{_category.value}"] = (
        f"专门协会({_category.value})/ special associations ({_category.value})"
    )


@mapper(
    org_registry.OrganisationEstablished,
    org_registry.OrganisationChanged,
    org_registry.OrganisationDissolved,
)
def organisation_contribution(event: org_registry.OrganisationSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    contribution: Multiset[tuple[str, str]] = Multiset()
    # An organisation counts from its founding date (as the registry's coverage does): a
    # corrected date moves its history, nothing of it counts before.
    dates = BusinessDates(origin=event.established_on, from_origin=True)
    if event.status is not org_registry.OrganisationStatus.ESTABLISHED:
        return Mapped(key, event.version, {}, dates=dates)
    code = event_division(event.division_code)
    standard = event.standardisation
    kind = org_registry.OrganisationKind
    if event.kind is kind.FEDERATION:
        contribution[(code, f"federations.{LEVEL_NAMES[event.level]}")] += 1
        if full_time_chair.applies(event.kind, event.level) and event.has_full_time_chair:
            contribution[(code, "federations.township_full_time_chair")] += 1
        if event.level in (divisions.DivisionLevel.CITY, divisions.DivisionLevel.COUNTY):
            contribution[(code, "federations.city_county")] += 1
            if event.has_disabled_cadre:
                contribution[(code, "federations.city_county_disabled_cadre")] += 1
        if event.leadership_compliant:
            contribution[(code, "federations.leadership_compliant")] += 1
    elif event.kind is kind.ASSOCIATION:
        contribution[(code, "associations")] += 1
        # A joint association covers several villages; each covered village counts once,
        # however many associations cover it (the tally).
        for village in event.covered_divisions or [code]:
            contribution[(event_division(village), ASSOCIATION_COVERAGE)] += 1
        five_haves = (
            standard.has_sign
            and standard.has_seal
            and standard.has_staff
            and standard.has_funds
            and standard.has_work
        )
        for flag, counter in (
            (five_haves, "associations.five_haves"),
            (standard.has_office, "associations.office"),
            (standard.has_activity_room, "associations.activity_room"),
            (standard.has_service_platform, "associations.service_platform"),
        ):
            if flag:
                contribution[(code, counter)] += 1
    elif event.kind is kind.GROUP:
        contribution[(code, "groups")] += 1
    elif event.kind is kind.SPECIAL_ASSOCIATION:
        contribution[(code, "special_associations")] += 1
        if event.special_category is not None:
            contribution[(code, f"special_associations.{event.special_category.value}")] += 1
        # rules.special_associations: funds in place means at least the minimum in force for
        # the association's region, as the registry recorded it (older events: the seed's).
        minimum = event.activity_funds_minimum_yuan
        if special_associations.three_in_place(event.level, standard, minimum):
            contribution[(code, "special_associations.three_in_place")] += 1
        if special_associations.funds_adequate(
            event.level, standard.yearly_activity_funds_yuan, minimum
        ):
            contribution[(code, "special_associations.funds_adequate")] += 1
    elif event.kind is kind.ENTERPRISE_ASSOCIATION:
        contribution[(code, "enterprise_associations")] += 1
    if standard.is_demonstration_site:
        contribution[(code, "organisations.demonstration_site")] += 1
    return Mapped(key, event.version, dict(contribution), dates=dates)


COUNTER_DESCRIPTIONS.update(
    {
        "acceptance.inspected": "经规范化建设验收的组织数 / organisations inspected for "
        "standardisation acceptance",
        "acceptance.accepted": "其中验收合格(含限期整改)的 / of them accepted (with or without "
        "conditions)",
        "acceptance.townships_passed": "验收合格的乡镇(街道)残联数 / township federations that "
        "passed acceptance",
    }
)


@mapper(org_registry.StandardisationInspected, org_registry.InspectionSuperseded)
def acceptance_contribution(
    event: org_registry.StandardisationInspected | org_registry.InspectionSuperseded,
) -> Mapped:
    """The organisation's current inspection counts; one a re-inspection replaced, no more."""
    key = entity_key(event)
    if isinstance(event, org_registry.InspectionSuperseded):
        return Mapped(key, event.version, {})
    code = event_division(event.division_code)
    contribution = {(code, "acceptance.inspected"): 1}
    if event.result is not org_registry.AcceptanceResult.FAILED:
        contribution[(code, "acceptance.accepted")] = 1
    township = event.level == divisions.DivisionLevel.TOWNSHIP
    federation = event.kind is org_registry.OrganisationKind.FEDERATION
    if township and federation and event.result is org_registry.AcceptanceResult.PASSED:
        contribution[(code, "acceptance.townships_passed")] = 1
    return Mapped(key, event.version, contribution)


COUNTER_DESCRIPTIONS.update(
    {
        "federation_staff.cadres": "残联机关在编干部人数 / cadres on federations' staff",
        "federation_staff.disabled_cadres": "其中残疾人干部人数 / of them disabled persons",
    }
)


@mapper(org_registry.FederationStaffJoined, org_registry.FederationStaffChanged)
def federation_staff_contribution(event: org_registry.FederationStaffSnapshot) -> Mapped:
    """Seed 002: 残联机关配备残疾人干部比例不低于15%, over the cadres (在编干部) still on the
    staff; seconded and part-time staff are counted by their own target, not this one."""
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    # A person counts from the day they joined until the day they left.
    dates = BusinessDates(since=event.left_on, origin=event.joined_on, from_origin=True)
    if event.left_on is not None or event.employment is not org_registry.StaffEmployment.CADRE:
        return Mapped(key, event.version, {}, dates=dates)
    code = event_division(event.division_code)
    contribution = {(code, "federation_staff.cadres"): 1}
    if event.is_disabled:
        contribution[(code, "federation_staff.disabled_cadres")] = 1
    return Mapped(key, event.version, contribution, dates=dates)


HONOURS = "commendations.honours"
COUNTER_DESCRIPTIONS.update(
    {
        "commendations.nominations": "表彰推荐数(含未决定、未批准的)/ commendation nominations, "
        "decided or not",
        HONOURS: "获表彰数(经上级批准的推荐)/ honours awarded (nominations the level above "
        "approved)",
        f"{HONOURS}.persons": "获表彰的个人数 / honours awarded to persons",
        f"{HONOURS}.organisations": "获表彰的集体数 / honours awarded to organisations",
    }
)
for _programme in org_registry.CommendationProgramme:
    COUNTER_DESCRIPTIONS[f"{HONOURS}.{_programme.value}"] = (
        f"获表彰数({_programme.value})/ honours awarded ({_programme.value})"
    )


@mapper(org_registry.CommendationNominated, org_registry.CommendationDecided)
def commendation_contribution(
    event: org_registry.CommendationNominated | org_registry.CommendationDecided,
) -> Mapped:
    """One nomination, at the nominee's division: counted as nominated, and as an honour of its
    programme from the day it was approved (the as-of history gives the honours of a cycle:
    seed 004's 爱心 series every 2 years, 自强 once in 5)."""
    key = entity_key(event)
    code = event_division(event.division_code)
    contribution = {(code, "commendations.nominations"): 1}
    if isinstance(event, org_registry.CommendationNominated):
        return Mapped(key, event.version, contribution)
    if event.status is org_registry.NominationStatus.APPROVED:
        contribution[(code, HONOURS)] = 1
        contribution[(code, f"{HONOURS}.{event.programme.value}")] = 1
        person = event.nominee_kind is org_registry.NomineeKind.PERSON
        contribution[(code, f"{HONOURS}.{'persons' if person else 'organisations'}")] = 1
    return Mapped(key, event.version, contribution, dates=BusinessDates(since=event.decided_on))
