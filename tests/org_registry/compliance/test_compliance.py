"""The seeds' composition rules as pure functions (no database)."""

from canlian.common.events.org_registry import BodyKind, OrganisationKind
from canlian.org_registry.compliance.rules import MemberFacts, Role, RuleResult, evaluate

FEDERATION = OrganisationKind.FEDERATION


def _people(count: int, **flags: bool) -> list[MemberFacts]:
    return [MemberFacts(role=Role.MEMBER, **flags) for _ in range(count)]


def _by_rule(results: list[RuleResult]) -> dict[str, RuleResult]:
    return {result.rule: result for result in results}


def test_congress_needs_65_percent_disabled_or_relatives_and_60_percent_role_models() -> None:
    congress = (
        _people(13, is_disabled=True, is_grassroots=True)
        + _people(6, is_relative=True)
        + _people(1)
    )  # 19/20 = 95% disabled or relatives, 13/20 = 65% grass-roots
    results = _by_rule(evaluate(FEDERATION, 3, {BodyKind.CONGRESS: congress}))
    assert results["congress-disabled-share"].met
    assert results["congress-role-model-share"].met

    short = _people(12, is_disabled=True) + _people(8, is_grassroots=True)  # 60% and 40%
    results = _by_rule(evaluate(FEDERATION, 3, {BodyKind.CONGRESS: short}))
    disabled = results["congress-disabled-share"]
    assert not disabled.met
    assert disabled.reason is not None
    assert "60.0%(12/20)" in disabled.reason.zh
    assert "65%" in disabled.reason.en
    assert not results["congress-role-model-share"].met


def test_exactly_65_percent_is_enough_and_the_presidium_needs_35_percent_role_models() -> None:
    presidium = _people(13, is_disabled=True) + _people(7, is_role_model=True)
    results = _by_rule(evaluate(FEDERATION, 2, {BodyKind.PRESIDIUM: presidium}))
    assert results["presidium-disabled-share"].met  # 13/20 = 65%
    assert results["presidium-role-model-share"].met  # 7/20 = 35%
    fewer = _people(13, is_disabled=True) + _people(6, is_role_model=True) + _people(1)
    results = _by_rule(evaluate(FEDERATION, 2, {BodyKind.PRESIDIUM: fewer}))
    assert not results["presidium-role-model-share"].met


def test_a_missing_body_is_a_rule_not_met_with_its_reason() -> None:
    results = _by_rule(evaluate(FEDERATION, 1, {}))
    assert set(results) == {
        "congress-disabled-share",
        "congress-role-model-share",
        "presidium-disabled-share",
        "presidium-role-model-share",
    }  # provinces: no disabled-cadre rule in the seeds
    reason = results["congress-disabled-share"].reason
    assert reason is not None
    assert "代表大会" in reason.zh


def test_city_and_county_leaderships_need_a_disabled_cadre() -> None:
    council = [MemberFacts(role=Role.CHAIR), MemberFacts(role=Role.VICE_CHAIR)]
    for level in (2, 3):
        results = _by_rule(evaluate(FEDERATION, level, {BodyKind.EXECUTIVE_COUNCIL: council}))
        assert not results["disabled-cadre"].met
    with_cadre = [*council, MemberFacts(role=Role.VICE_CHAIR, is_disabled=True)]
    results = _by_rule(evaluate(FEDERATION, 3, {BodyKind.EXECUTIVE_COUNCIL: with_cadre}))
    assert results["disabled-cadre"].met


def test_a_township_federation_needs_a_full_time_chair() -> None:
    chair_only = {BodyKind.EXECUTIVE_COUNCIL: [MemberFacts(role=Role.CHAIR)]}
    assert [r.met for r in evaluate(FEDERATION, 4, chair_only)] == [False]
    full_time = {BodyKind.EXECUTIVE_COUNCIL: [MemberFacts(role=Role.FULL_TIME_CHAIR)]}
    assert [r.met for r in evaluate(FEDERATION, 4, full_time)] == [True]


def test_an_association_committee_needs_one_chair_two_to_three_vices_three_to_five_members() -> (
    None
):
    committee = [
        MemberFacts(role=Role.CHAIR),
        MemberFacts(role=Role.VICE_CHAIR),
        MemberFacts(role=Role.VICE_CHAIR),
        MemberFacts(role=Role.MEMBER, is_full_time=True),
        MemberFacts(role=Role.MEMBER),
        MemberFacts(role=Role.MEMBER),
    ]
    association = OrganisationKind.ASSOCIATION
    results = evaluate(association, 5, {BodyKind.ASSOCIATION_COMMITTEE: committee})
    assert all(result.met for result in results)

    too_many_vices = [*committee, *[MemberFacts(role=Role.VICE_CHAIR)] * 2]
    failing = _by_rule(evaluate(association, 5, {BodyKind.ASSOCIATION_COMMITTEE: too_many_vices}))
    assert not failing["association-vice-chairs"].met
    reason = failing["association-vice-chairs"].reason
    assert reason is not None
    assert "现有 4 名" in reason.zh

    no_full_time = [
        m if m.role != Role.MEMBER else MemberFacts(role=Role.MEMBER) for m in committee
    ]
    failing = _by_rule(evaluate(association, 5, {BodyKind.ASSOCIATION_COMMITTEE: no_full_time}))
    assert not failing["association-full-time-member"].met
    assert failing["association-members"].met

    two_chairs = [*committee, MemberFacts(role=Role.CHAIR)]
    failing = _by_rule(evaluate(association, 5, {BodyKind.ASSOCIATION_COMMITTEE: two_chairs}))
    assert not failing["association-chair"].met


def test_kinds_without_composition_rules_have_none() -> None:
    assert evaluate(OrganisationKind.GROUP, 5, {}) == []
    assert evaluate(OrganisationKind.ENTERPRISE_ASSOCIATION, 3, {}) == []
