"""The contribution mappers: pure functions from a state-carrying event to what its entity
adds to the counters."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from canlian.common.events import cards, members, org_registry, volunteers
from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.metrics.contributions import cards as contributions_cards
from canlian.metrics.contributions import divisions as contributions_divisions
from canlian.metrics.contributions import members as contributions_members
from canlian.metrics.contributions import org_registry as contributions_org_registry
from canlian.metrics.contributions import volunteers as contributions_volunteers
from canlian.metrics.rollups import classification

from ..conftest import CHENGGUAN, TOWNSHIP, VILLAGE_A, VILLAGE_B, envelope, organisation

RURAL_VILLAGE = "620102001201"  # 200-399: a villagers' committee (村)


def card(**changes: object) -> cards.CardIssued:
    values: dict[str, object] = {
        "card_id": 7,
        "person_id": 3,
        "version": 1,
        "division_code": CHENGGUAN,
        "status": cards.CardStatus.VALID,
        "category": cards.DisabilityCategory.PHYSICAL,
        "grade": cards.DisabilityGrade.SECOND,
        "generation": cards.CardGeneration.SMART,
        "issued_on": date(2024, 1, 2),
        "valid_until": date(2034, 1, 2),
        "source": cards.CardSource.APPLICATION,
        "home_visit": False,
    }
    values.update(changes)
    return cards.CardIssued.model_validate(values)


def appointment(**changes: object) -> members.AppointmentChanged:
    values: dict[str, object] = {
        "appointment_id": "ap1",
        "version": 2,
        "member_id": "m1",
        "organisation_id": "o1",
        "division_code": RURAL_VILLAGE,
        "post_level": members.PostLevel.VILLAGE,
        "post": members.Post.COMMITTEE_MEMBER,
        "member_kind": members.MemberKind.COMMITTEE_MEMBER,
        "member_disability_relation": members.DisabilityRelation.RELATIVE,
        "status": members.AppointmentStatus.ACTIVE,
        "status_since": date(2024, 3, 1),
        "holds_post": True,
        "selection_method": members.SelectionMethod.OPEN_EXAMINATION,
        "contract_start": date(2024, 3, 1),
        "contract_end": None,
        "public_welfare_post": False,
        "monthly_allowance_yuan": Decimal(80),
        "social_insurance_subsidy": False,
        "allowance_minimum_yuan": Decimal(100),
        "allowance_compliant": False,
    }
    values.update(changes)
    return members.AppointmentChanged.model_validate(values)


def test_a_joint_association_covers_each_of_its_villages() -> None:
    mapped = contributions_org_registry.organisation_contribution(
        organisation("j", covered=[VILLAGE_A, VILLAGE_B], has_sign=True)
    )
    assert mapped.entity_key == "org-registry.organisation:j"
    assert mapped.contribution == {
        (VILLAGE_A, "associations"): 1,
        (VILLAGE_A, "@association_coverage"): 1,
        (VILLAGE_B, "@association_coverage"): 1,
    }


def test_five_haves_need_all_five() -> None:
    flags: dict[str, Any] = {
        "has_sign": True,
        "has_seal": True,
        "has_staff": True,
        "has_funds": True,
    }
    partial = contributions_org_registry.organisation_contribution(organisation("a", **flags))
    assert (VILLAGE_A, "associations.five_haves") not in partial.contribution
    full = contributions_org_registry.organisation_contribution(
        organisation("a", has_work=True, **flags)
    )
    assert full.contribution[(VILLAGE_A, "associations.five_haves")] == 1


def test_a_dissolved_organisation_contributes_nothing() -> None:
    mapped = contributions_org_registry.organisation_contribution(
        organisation("a", version=4, status=OrganisationStatus.DISSOLVED, has_office=True)
    )
    assert mapped.version == 4
    assert mapped.contribution == {}


@pytest.mark.parametrize(("funds", "adequate"), [(4_999, False), (5_000, True), (None, False)])
def test_special_association_funds_minimum_of_a_county(funds: int | None, adequate: bool) -> None:
    mapped = contributions_org_registry.organisation_contribution(
        organisation(
            "s",
            kind=OrganisationKind.SPECIAL_ASSOCIATION,
            division=CHENGGUAN,
            level=3,
            special_category=org_registry.SpecialCategory.DEAF,
            yearly_activity_funds_yuan=funds,
            has_funds=True,
            has_premises=True,
            has_staff=True,
        )
    )
    assert mapped.contribution[(CHENGGUAN, "special_associations.deaf")] == 1
    assert ((CHENGGUAN, "special_associations.funds_adequate") in mapped.contribution) is adequate
    # 三落实 needs the funds at the minimum (rules.special_associations), as the registry says.
    assert ((CHENGGUAN, "special_associations.three_in_place") in mapped.contribution) is adequate


def test_only_valid_cards_count_and_by_generation() -> None:
    smart = contributions_cards.card_contribution(card())
    assert smart.contribution[(CHENGGUAN, "cards.valid_smart")] == 1
    assert smart.contribution[(CHENGGUAN, "cards.valid.category_4")] == 1
    assert (CHENGGUAN, "cards.valid_second_generation") not in smart.contribution
    cancelled = contributions_cards.card_contribution(
        card(status=cards.CardStatus.CANCELLED, version=3)
    )
    assert cancelled.contribution == {}
    assert cancelled.entity_key == "cards.card:7"


def test_an_approved_application_is_eligible_until_issued() -> None:
    base = {
        "application_id": 11,
        "person_id": 3,
        "version": 3,
        "division_code": CHENGGUAN,
        "applied_on": date(2024, 1, 1),
        "home_visit": True,
        "poor": True,
        "fee_waived": True,
    }
    approved = contributions_cards.application_contribution(
        cards.ApplicationReviewed.model_validate(
            {**base, "status": cards.ApplicationStatus.APPROVED}
        )
    )
    assert approved.contribution[(CHENGGUAN, "applications.eligible")] == 1
    assert (CHENGGUAN, "applications.issued") not in approved.contribution
    issued = contributions_cards.application_contribution(
        cards.ApplicationFulfilled.model_validate(
            {**base, "version": 4, "status": cards.ApplicationStatus.ISSUED}
        )
    )
    assert issued.contribution[(CHENGGUAN, "applications.issued")] == 1
    assert issued.entity_key == approved.entity_key == "cards.application:11"


def test_a_village_committee_member_below_the_allowance_minimum() -> None:
    mapped = contributions_members.appointment_contribution(appointment())
    assert mapped.contribution == {
        (RURAL_VILLAGE, "committee_members.active"): 1,
        (RURAL_VILLAGE, "committee_members.open_examination"): 1,
        (RURAL_VILLAGE, "@committee_member"): 1,
        (RURAL_VILLAGE, "committee_members.disabled_or_relative"): 1,
        (RURAL_VILLAGE, "committee_members.village_posts"): 1,
    }
    paid = contributions_members.appointment_contribution(
        appointment(monthly_allowance_yuan=Decimal(100), allowance_compliant=True)
    )
    assert paid.contribution[(RURAL_VILLAGE, "committee_members.allowance_compliant")] == 1
    assert paid.contribution[(RURAL_VILLAGE, "@committee_member_paid")] == 1


def test_a_township_member_in_a_public_welfare_post_and_one_who_left() -> None:
    township = contributions_members.appointment_contribution(
        appointment(
            division_code=TOWNSHIP,
            post_level=members.PostLevel.TOWNSHIP,
            public_welfare_post=True,
            allowance_compliant=None,
        )
    )
    assert township.contribution[(TOWNSHIP, "committee_members.township_community")] == 1
    assert township.contribution[(TOWNSHIP, "committee_members.public_welfare_post")] == 1
    left = contributions_members.appointment_contribution(
        appointment(status=members.AppointmentStatus.RESIGNED, holds_post=False, version=5)
    )
    assert left.contribution == {}


def test_a_township_member_on_a_social_work_post_counts_for_seed_004s_indicator() -> None:
    social = contributions_members.appointment_contribution(
        appointment(
            division_code=TOWNSHIP,
            post_level=members.PostLevel.TOWNSHIP,
            social_work_post=True,
            allowance_compliant=None,
        )
    )
    assert social.contribution[(TOWNSHIP, "committee_members.township")] == 1
    assert social.contribution[(TOWNSHIP, "committee_members.social_work_post")] == 1
    assert (TOWNSHIP, "committee_members.public_welfare_post") not in social.contribution
    # A village member on such a post is not a township member; older events hold no field.
    village = contributions_members.appointment_contribution(
        appointment(division_code="620102001201", social_work_post=True)
    )
    assert not {counter for _, counter in village.contribution} & {
        "committee_members.township",
        "committee_members.social_work_post",
    }
    assert (
        members.AppointmentChanged.model_validate(
            {
                key: value
                for key, value in appointment(division_code=TOWNSHIP)
                .model_dump(mode="json")
                .items()
                if key != "social_work_post"
            }
        ).social_work_post
        is False
    )


def test_service_records_count_where_the_service_was_given() -> None:
    at = datetime(2024, 5, 1, 2, tzinfo=UTC)
    record = volunteers.ServiceRecordConfirmed(
        record_id="r1",
        version=1,
        volunteer_id="v1",
        division_code=VILLAGE_B,
        volunteer_division_code=VILLAGE_A,
        team_id=None,
        need_id=None,
        service_kind=volunteers.Skill.SIGN_LANGUAGE,
        served_on=date(2024, 5, 1),
        checked_in_at=at,
        checked_out_at=at,
        minutes=90,
        hours=1.5,
        person_times=3,
        confirmed_at=at,
    )
    mapped = contributions_volunteers.service_record_contribution(record)
    assert mapped.contribution == {
        (VILLAGE_B, "volunteers.service_records"): 1,
        (VILLAGE_B, "volunteers.service_minutes"): 90,
        (VILLAGE_B, "volunteers.person_times"): 3,
    }


def test_a_split_division_stops_counting_and_its_successors_start() -> None:
    change = org_registry.DivisionChanged(
        change_id=1,
        version=2,
        change=org_registry.DivisionChangeKind.SPLIT,
        code=VILLAGE_A,
        level=5,
        parent_code=TOWNSHIP,
        effective_on=date(2024, 1, 1),
        successor_codes=["620102001101", "620102001102"],
        name="甲村",
    )
    found = contributions_divisions.division_change_contribution(change)
    assert [(item.entity_key, item.contribution) for item in found] == [
        (f"division:{VILLAGE_A}", {}),
        ("division:620102001101", {("620102001101", "divisions.village"): 1}),
        ("division:620102001102", {("620102001102", "divisions.village"): 1}),
    ]


def test_events_no_indicator_needs_are_ignored_not_parked() -> None:
    event = org_registry.CommendationRoundOpened(
        round_id="r1",
        version=1,
        programme=org_registry.CommendationProgramme.CARING,
        division_code=CHENGGUAN,
        year=2025,
        cycle_years=2,
    )
    assert classification.classify(envelope(event)) == []


def test_a_transfer_request_counts_nothing_until_the_card_itself_moves() -> None:
    """The request's steps are the counties' business; the counters follow the card's own
    `CardTransferred` (written with the acceptance), as they did before requests existed."""
    for step in (
        cards.CardTransferRequested,
        cards.CardTransferAccepted,
        cards.CardTransferRejected,
        cards.CardTransferWithdrawn,
    ):
        event = step(
            transfer_request_id=5,
            card_id=7,
            person_id=3,
            version=1,
            from_division_code=CHENGGUAN,
            to_division_code="620103000000",
            status=cards.TransferStatus.REQUESTED,
        )
        assert classification.classify(envelope(event)) == []
    moved = contributions_cards.card_contribution(
        cards.CardTransferred(
            **card(division_code="620103000000", version=2).model_dump(),
            previous_division_code=CHENGGUAN,
        )
    )
    assert moved.entity_key == "cards.card:7"
    assert moved.contribution[("620103000000", "cards.valid")] == 1
    assert all(code != CHENGGUAN for code, _ in moved.contribution)


def test_volunteers_count_while_active_and_trained_signers_separately() -> None:
    values: dict[str, Any] = {
        "volunteer_id": "v1",
        "version": 3,
        "division_code": VILLAGE_A,
        "status": volunteers.VolunteerStatus.ACTIVE,
        "channel": volunteers.RegistrationChannel.SELF,
        "skills": [volunteers.Skill.SIGN_LANGUAGE],
        "sign_language": True,
        "sign_language_trained": True,
        "team_id": None,
        "station_id": None,
        "star_level": 0,
        "confirmed_minutes": 600,
        "person_times": 9,
        "registered_on": date(2024, 1, 1),
        "left_on": None,
    }
    active = contributions_volunteers.volunteer_contribution(
        volunteers.VolunteerChanged.model_validate(values)
    )
    assert active.entity_key == "volunteers.volunteer:v1"
    assert active.contribution == {
        (VILLAGE_A, "volunteers.registered"): 1,
        (VILLAGE_A, "volunteers.sign_language"): 1,
        (VILLAGE_A, "volunteers.sign_language_trained"): 1,
    }
    left = contributions_volunteers.volunteer_contribution(
        volunteers.VolunteerLeft.model_validate(
            {**values, "version": 4, "status": volunteers.VolunteerStatus.LEFT}
        )
    )
    assert left.entity_key == active.entity_key
    assert left.contribution == {}


def test_talent_pool_and_training_person_times() -> None:
    member = contributions_members.member_contribution(
        members.MemberChanged(
            member_id="m1",
            version=2,
            division_code=CHENGGUAN,
            kind=members.MemberKind.FEDERATION_STAFF,
            disability_relation=members.DisabilityRelation.DISABLED,
            in_talent_pool=True,
        )
    )
    assert member.contribution == {(CHENGGUAN, "members.talent_pool"): 1}
    training = contributions_members.training_contribution(
        members.MemberTrained(
            training_id="t1",
            version=1,
            member_id="m1",
            division_code=CHENGGUAN,
            held_on=date(2024, 5, 1),
            hours=Decimal("1.5"),
            plan_period_start=2021,
        )
    )
    assert training.contribution == {
        (CHENGGUAN, "members.training_person_times"): 1,
        (CHENGGUAN, "members.training_minutes"): 90,
    }


def test_a_community_member_counts_for_public_welfare_posts_not_village_allowances() -> None:
    community = "620102001101"[:9] + "010"  # 001-199: a residents' committee (社区)
    mapped = contributions_members.appointment_contribution(
        appointment(division_code=community, public_welfare_post=True, allowance_compliant=True)
    )
    assert mapped.contribution[(community, "committee_members.township_community")] == 1
    assert mapped.contribution[(community, "committee_members.public_welfare_post")] == 1
    assert (community, "committee_members.village_posts") not in mapped.contribution
    village = contributions_members.appointment_contribution(
        appointment(division_code="620102001201")
    )
    assert (("620102001201", "committee_members.township_community")) not in village.contribution
    assert village.contribution[("620102001201", "committee_members.village_posts")] == 1


def test_a_joint_associations_member_staffs_each_village_it_serves() -> None:
    joint = contributions_members.appointment_contribution(
        appointment(division_code=VILLAGE_A, served_divisions=[VILLAGE_A, VILLAGE_B])
    )
    staffed = {code for code, counter in joint.contribution if counter == "@committee_member"}
    assert staffed == {VILLAGE_A, VILLAGE_B}
    assert joint.contribution[(VILLAGE_A, "committee_members.active")] == 1  # one person
    assert (VILLAGE_B, "committee_members.active") not in joint.contribution
    # An event from before the field names no places: the post's own division is staffed.
    older = contributions_members.appointment_contribution(appointment(division_code=VILLAGE_A))
    assert {code for code, c in older.contribution if c == "@committee_member"} == {VILLAGE_A}
    # Not at work yet: no place is staffed, whatever it serves.
    waiting = contributions_members.appointment_contribution(
        appointment(status=members.AppointmentStatus.APPOINTED, served_divisions=[VILLAGE_A])
    )
    assert waiting.contribution == {}
