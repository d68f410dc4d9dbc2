"""The seeds' composition rules of an organisation's leadership bodies, each with its reason.

Pure: it looks at the roles and flags of a term's members (never their names), so both the
organisations (which rules bind a new one) and the leadership (which are met) can ask it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from canlian.common import policy
from canlian.common.events.org_registry import BodyKind, OrganisationKind
from canlian.common.i18n import Message
from canlian.common.rules import full_time_chair


# The role a member holds in a body; the rules count them. (No docstring: it would become the
# schema's description in the OpenAPI document.)
class Role(StrEnum):
    CHAIR = "chair"  # 主席 / 理事长
    VICE_CHAIR = "vice_chair"  # 副主席 / 副理事长
    MEMBER = "member"  # 委员 / 成员
    FULL_TIME_CHAIR = "full_time_chair"  # 专职理事长


@dataclass(frozen=True)
class MemberFacts:
    """What the composition rules look at; no name."""

    role: Role
    is_full_time: bool = False
    is_disabled: bool = False
    is_relative: bool = False
    is_role_model: bool = False
    is_grassroots: bool = False


@dataclass(frozen=True)
class RuleResult:
    rule: str
    met: bool
    reason: Message | None = None
    # Share rules: how many of how many qualify, met or not, and the minimum.
    count: int | None = None
    total: int | None = None
    minimum_percent: int | None = None


def _share_rule(
    rule: str,
    body_zh: str,
    body_en: str,
    what_zh: str,
    what_en: str,
    members: Sequence[MemberFacts] | None,
    qualifies: Callable[[MemberFacts], bool],
    minimum_percent: int,
) -> RuleResult:
    if not members:
        return RuleResult(
            rule,
            False,
            Message(
                zh=f"本届尚未登记{body_zh}成员", en=f"No {body_en} members recorded for this term"
            ),
        )
    count = sum(1 for member in members if qualifies(member))
    total = len(members)
    if count * 100 >= minimum_percent * total:
        return RuleResult(rule, True, None, count, total, minimum_percent)
    share = f"{count * 100 / total:.1f}%"
    return RuleResult(
        rule,
        False,
        Message(
            zh=f"{body_zh}中{what_zh}占 {share}({count}/{total}),应不低于 {minimum_percent}%",
            en=f"{what_en} are {share} ({count}/{total}) of the {body_en}; "
            f"at least {minimum_percent}% is required",
        ),
        count,
        total,
        minimum_percent,
    )


def disabled_or_relative(member: MemberFacts) -> bool:
    return member.is_disabled or member.is_relative


def role_model_or_grassroots(member: MemberFacts) -> bool:
    return member.is_role_model or member.is_grassroots


SHARE_PARAMETERS: dict[str, policy.Parameter] = {
    "congress-disabled-share": policy.CONGRESS_DISABLED_SHARE,
    "congress-role-model-share": policy.CONGRESS_ROLE_MODEL_SHARE,
    "presidium-disabled-share": policy.PRESIDIUM_DISABLED_SHARE,
    "presidium-role-model-share": policy.PRESIDIUM_ROLE_MODEL_SHARE,
}
"""Share rule -> the policy parameter setting its minimum percent (seed 002 by default)."""


def share_minimums(division_code: str, on: date, values: policy.Values) -> dict[str, int]:
    """Each share rule's minimum percent in force for the region on a business date."""
    return {
        rule: int(values.effective(parameter, division_code, on))
        for rule, parameter in SHARE_PARAMETERS.items()
    }


SEED_MINIMUMS = share_minimums("000000000000", date.min, policy.SEED_ONLY)


def applicable_rules(kind: OrganisationKind, level: int) -> list[str]:
    """The rules that bind an organisation of this kind and level (none: vacuously compliant)."""
    if kind == OrganisationKind.FEDERATION:
        if level == 4:
            return ["township-full-time-chair"]
        rules = [
            "congress-disabled-share",
            "congress-role-model-share",
            "presidium-disabled-share",
            "presidium-role-model-share",
        ]
        return [*rules, "disabled-cadre"] if level in (2, 3) else rules
    if kind == OrganisationKind.ASSOCIATION:
        return [
            "association-chair",
            "association-vice-chairs",
            "association-members",
            "association-full-time-member",
        ]
    return []


def evaluate(
    kind: OrganisationKind,
    level: int,
    bodies: dict[BodyKind, list[MemberFacts]],
    minimums: Mapping[str, int] = SEED_MINIMUMS,
) -> list[RuleResult]:
    """The seeds' composition rules for one organisation's current term, each with its reason;
    share rules need the minimums in force for its region (`share_minimums`)."""
    results: list[RuleResult] = []
    if kind == OrganisationKind.FEDERATION and level in (1, 2, 3):
        congress = bodies.get(BodyKind.CONGRESS)
        presidium = bodies.get(BodyKind.PRESIDIUM)
        results += [
            _share_rule(
                "congress-disabled-share",
                "代表大会",
                "congress",
                "残疾人及亲友",
                "Disabled persons and relatives",
                congress,
                disabled_or_relative,
                minimums["congress-disabled-share"],
            ),
            _share_rule(
                "congress-role-model-share",
                "代表大会",
                "congress",
                "自强模范和基层一线代表",
                "Role models and grass-roots delegates",
                congress,
                role_model_or_grassroots,
                minimums["congress-role-model-share"],
            ),
            _share_rule(
                "presidium-disabled-share",
                "主席团",
                "presidium",
                "残疾人及亲友",
                "Disabled persons and relatives",
                presidium,
                disabled_or_relative,
                minimums["presidium-disabled-share"],
            ),
            _share_rule(
                "presidium-role-model-share",
                "主席团",
                "presidium",
                "自强模范和基层一线代表",
                "Role models and grass-roots delegates",
                presidium,
                role_model_or_grassroots,
                minimums["presidium-role-model-share"],
            ),
        ]
        if level in (2, 3):
            results.append(_disabled_cadre(bodies.get(BodyKind.EXECUTIVE_COUNCIL)))
    elif full_time_chair.applies(kind, level):
        council = bodies.get(full_time_chair.BODY) or []
        met = full_time_chair.has_full_time_chair(member.role for member in council)
        results.append(
            RuleResult(
                "township-full-time-chair",
                met,
                None
                if met
                else Message(
                    zh="乡镇(街道)残联未配备专职理事长(执行理事会中无 full_time_chair)",
                    en="The township federation has no full-time chair "
                    "(no full_time_chair in the executive council)",
                ),
            )
        )
    elif kind == OrganisationKind.ASSOCIATION:
        results += _association_rules(bodies.get(BodyKind.ASSOCIATION_COMMITTEE) or [])
    return results


def _disabled_cadre(council: list[MemberFacts] | None) -> RuleResult:
    met = any(member.is_disabled for member in council or [])
    return RuleResult(
        "disabled-cadre",
        met,
        None
        if met
        else Message(
            zh="市、县残联领导班子(执行理事会)中至少应有1名残疾人干部",
            en="A city or county federation's leadership (executive council) needs at least "
            "one disabled cadre",
        ),
    )


def _count_rule(
    rule: str, what_zh: str, what_en: str, count: int, low: int, high: int
) -> RuleResult:
    if low <= count <= high:
        return RuleResult(rule, True)
    wanted_zh = f"{low} 名" if low == high else f"{low}–{high} 名"
    wanted_en = f"{low}" if low == high else f"{low}–{high}"
    return RuleResult(
        rule,
        False,
        Message(
            zh=f"残协应设{what_zh}{wanted_zh},现有 {count} 名",
            en=f"An association needs {wanted_en} {what_en}; it has {count}",
        ),
    )


def _association_rules(committee: list[MemberFacts]) -> list[RuleResult]:
    chairs = sum(1 for member in committee if member.role == Role.CHAIR)
    vices = sum(1 for member in committee if member.role == Role.VICE_CHAIR)
    ordinary = [member for member in committee if member.role == Role.MEMBER]
    full_time = any(member.is_full_time for member in ordinary)
    return [
        _count_rule("association-chair", "主席", "chair(s)", chairs, 1, 1),
        _count_rule("association-vice-chairs", "副主席", "vice-chairs", vices, 2, 3),
        _count_rule("association-members", "委员", "members", len(ordinary), 3, 5),
        RuleResult(
            "association-full-time-member",
            full_time,
            None
            if full_time
            else Message(
                zh="委员中至少应明确1名专职委员", en="At least one member must be full-time"
            ),
        ),
    ]
