"""What committee members' appointments, members and trainings count (members events)."""

from __future__ import annotations

from canlian.common.events import members
from canlian.common.events.base import DomainEvent
from canlian.common.rules import allowances
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    Contribution,
    Mapped,
    entity_key,
    event_division,
    mapper,
    tally,
)

COMMITTEE_MEMBER = tally("@committee_member")  # -> committee_member.township / .village


COMMITTEE_MEMBER_PAID = tally("@committee_member_paid")  # -> committee_member_paid.village


COUNTER_DESCRIPTIONS.update(
    {
        "committee_members.active": "在岗专职委员人数 / active full-time committee members",
        "committee_members.open_examination": "其中经公开考试择优录取的人数 / of them "
        "selected by open examination",
        "committee_members.township_community": "乡镇(街道)和社区在岗专职委员人数 / active "
        "committee members of townships and communities",
        "committee_members.public_welfare_post": "其中纳入公益性岗位的人数 / of them in "
        "public-welfare posts",
        "committee_members.township": "乡镇(街道)在岗专职委员人数 / active township committee "
        "members",
        "committee_members.social_work_post": "其中纳入社工岗位的人数 / of them on social-work "
        "posts",
        "committee_members.village_posts": "村(非社区)在岗专职委员中适用补贴标准的人数 / active "
        "village (not community) committee members with a regional allowance minimum",
        "committee_members.allowance_compliant": "其中误工补贴达标的人数 / of them paid at least "
        "the minimum",
        "committee_members.disabled_or_relative": "残疾人或亲属担任的在岗专职委员 / active "
        "committee members who are disabled persons or relatives",
        "committee_member_paid.village": "有专职委员且落实补贴的村(社区)数 / villages with a "
        "committee member paid the allowance",
        "members.talent_pool": "优秀残疾人人才库人数 / talent pool",
        "members.reserve_cadres": "残疾人后备干部人数 / reserve cadres",
        "members.training_person_times": "残疾人工作者培训人次 / training person-times",
        "members.training_minutes": "培训时长(分钟)/ training minutes",
        "members.assessments_decided": "已作出结论的年度考核数 / annual assessments decided",
        "members.contracts_renewed_after_assessment": "考核合格续聘的 / of them renewed",
        "members.dismissed_after_assessment": "考核不称职解聘的 / of them dismissed",
        "members.contracts_ending_assessed": "合同于考核年度内到期的已作出结论的考核数 / "
        "decided assessments of contracts ending in the assessed year",
        "members.contracts_ending_renewed": "其中考核合格续聘的 / of them renewed",
    }
)


@mapper(members.MemberAppointed, members.AppointmentChanged, members.MemberLeft)
def appointment_contribution(event: members.AppointmentSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    active = event.status is members.AppointmentStatus.ACTIVE
    if not (active and event.post is members.Post.COMMITTEE_MEMBER and event.post_level):
        return Mapped(key, event.version, {})
    code = event_division(event.division_code)
    contribution: Contribution = {(code, "committee_members.active"): 1}
    # Seed 003 (二): members are selected by open examination (通过公开考试和择优录取).
    if event.selection_method is members.SelectionMethod.OPEN_EXAMINATION:
        contribution[(code, "committee_members.open_examination")] = 1
    # rules.staffing: the member staffs every place the post serves (a joint association's
    # member each village it covers); older events name none, then the post's own division.
    for place in event.served_divisions or [code]:
        contribution[(event_division(place), COMMITTEE_MEMBER)] = 1
    if event.member_disability_relation is not members.DisabilityRelation.NONE:
        contribution[(code, "committee_members.disabled_or_relative")] = 1
    # Seed 000: township and community members hold public-welfare posts; village (村)
    # members get a lost-work allowance of at least the regional minimum (rules.allowances).
    if event.post_level is members.PostLevel.TOWNSHIP or allowances.is_community(code):
        contribution[(code, "committee_members.township_community")] = 1
        if event.public_welfare_post:
            contribution[(code, "committee_members.public_welfare_post")] = 1
    # Seed 004 puts township members on social-work posts (社工岗位) instead.
    if event.post_level is members.PostLevel.TOWNSHIP:
        contribution[(code, "committee_members.township")] = 1
        if event.social_work_post:
            contribution[(code, "committee_members.social_work_post")] = 1
    judged = (event.post, event.status, code, event.allowance_compliant)
    if allowances.is_judged(*judged):
        contribution[(code, "committee_members.village_posts")] = 1
        if not allowances.is_non_compliant(*judged):
            contribution[(code, "committee_members.allowance_compliant")] = 1
    if event.post_level is members.PostLevel.VILLAGE and (
        event.allowance_compliant or event.public_welfare_post
    ):
        contribution[(code, COMMITTEE_MEMBER_PAID)] = 1
    return Mapped(key, event.version, contribution)


@mapper(members.MemberRegistered, members.MemberChanged)
def member_contribution(event: members.MemberSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    code = event_division(event.division_code)
    contribution: Contribution = {}
    if event.in_talent_pool:
        contribution[(code, "members.talent_pool")] = 1
    if event.reserve_cadre:
        contribution[(code, "members.reserve_cadres")] = 1
    return Mapped(entity_key(event), event.version, contribution)


@mapper(members.MemberTrained)
def training_contribution(event: members.MemberTrained) -> Mapped:
    code = event_division(event.division_code)
    contribution = {
        (code, "members.training_person_times"): 1,
        (code, "members.training_minutes"): int(event.hours * 60),
    }
    return Mapped(entity_key(event), event.version, contribution)


@mapper(members.AssessmentDecided)
def assessment_contribution(event: members.AssessmentDecided) -> Mapped:
    """能进能出 in figures: what the annual assessments decided (003: 考核合格连续使用)."""
    code = event_division(event.division_code)
    contribution = {(code, "members.assessments_decided"): 1}
    if event.decision is members.AssessmentDecision.RENEW:
        contribution[(code, "members.contracts_renewed_after_assessment")] = 1
    elif event.decision is members.AssessmentDecision.DISMISS:
        contribution[(code, "members.dismissed_after_assessment")] = 1
    # The contracts the year's assessment decides on: those ending by the end of that year.
    ending = event.contract_end_before
    if ending is not None and ending.year <= event.year:
        contribution[(code, "members.contracts_ending_assessed")] = 1
        if event.decision is members.AssessmentDecision.RENEW:
            contribution[(code, "members.contracts_ending_renewed")] = 1
    return Mapped(entity_key(event), event.version, contribution)
