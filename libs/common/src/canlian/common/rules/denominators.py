"""Which divisions count as places in the staffing and coverage denominators (配备率、覆盖率的
分母): every township and village, except development zones and virtual communities where the
region's policy leaves them out.

NBS coding (统计用区划代码): a township-level code whose segment (digits 7-9) is 400 or above
is not a 乡/镇/街道 but a development zone, industrial park, farm or the like (经济开发区,
工业园区, 农场); a village-level code whose segment (digits 10-12) is 498 is a virtual
community (虚拟社区) and 598 a virtual living area (虚拟生活区): statistical placeholders for
the residents of a zone or a 街道 without a residents' committee of their own.

Whether they count is a regional policy parameter (`policy.DEVELOPMENT_ZONES_COUNTED`,
`policy.VIRTUAL_COMMUNITIES_COUNTED`, owned by the registry) in force on the business date, for
the division's own region. The seeds' reading is the default: neither counts (seed 004 names
"各镇(街道)、开发区管委会" side by side, so a development zone is not one of the townships;
seed 003 counts "行政村(社区)", which a virtual community is not). A development zone's
villages are judged on their own (a real community under a zone still counts).

The registry's questions, the members staffing report and the metrics denominators all ask
`counts`, so they state the same places.
"""

from __future__ import annotations

from datetime import date

from canlian.common import divisions, policy

ZONE_SEGMENT_FROM = 400
"""Township-level codes whose segment (digits 7-9) is at least this are development zones."""

VIRTUAL_SEGMENTS = frozenset({"498", "598"})
"""Village-level segments (digits 10-12) of virtual communities and virtual living areas."""

PARAMETERS = (policy.DEVELOPMENT_ZONES_COUNTED, policy.VIRTUAL_COMMUNITIES_COUNTED)
"""The parameters this rule reads: a change of either re-evaluates the denominators."""


def is_development_zone(division_code: str) -> bool:
    """A township-level unit that is not a 乡/镇/街道 (segment 400 and above)."""
    return (
        divisions.level_of(division_code) == divisions.DivisionLevel.TOWNSHIP
        and int(division_code[6:9]) >= ZONE_SEGMENT_FROM
    )


def is_virtual_community(division_code: str) -> bool:
    """A virtual community (虚拟社区, segment 498) or living area (虚拟生活区, 598)."""
    return (
        divisions.level_of(division_code) == divisions.DivisionLevel.VILLAGE
        and division_code[9:] in VIRTUAL_SEGMENTS
    )


def governing_parameter(division_code: str) -> policy.Parameter | None:
    """The parameter that decides whether the division counts; None: it always counts."""
    if is_development_zone(division_code):
        return policy.DEVELOPMENT_ZONES_COUNTED
    if is_virtual_community(division_code):
        return policy.VIRTUAL_COMMUNITIES_COUNTED
    return None


def counts(division_code: str, on: date, values: policy.Values) -> bool:
    """Whether the division is a place of the denominators on the business date, as its
    region's policy (nearest ancestor's value in force, else the seed) says."""
    parameter = governing_parameter(division_code)
    if parameter is None:
        return True
    return values.effective(parameter, division_code, on) >= 1


def governed(division_code: str) -> bool:
    """Whether a policy decides it at all (the divisions a change re-evaluates)."""
    return governing_parameter(division_code) is not None


def change_days(division_code: str, values: policy.Values, since: date) -> list[tuple[date, bool]]:
    """Whether the division counts from `since` on, as steps: (first day, counts), one at
    `since` and one at each later date a value of its parameter in its lineage comes into
    force and changes the answer (the days the journal must take)."""
    parameter = governing_parameter(division_code)
    if parameter is None:
        return [(since, True)]
    lineage = set(divisions.lineage(division_code))
    days = sorted(
        {
            value.effective_from
            for value in values.by_name.get(parameter.name, ())
            if value.division_code in lineage and value.effective_from > since
        }
    )
    steps = [(since, counts(division_code, since, values))]
    for day in days:
        answer = counts(division_code, day, values)
        if answer != steps[-1][1]:
            steps.append((day, answer))
    return steps
