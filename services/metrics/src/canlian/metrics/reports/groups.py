"""Indicator groups of the statistical report: each group starts a page when printed."""

from __future__ import annotations

from collections.abc import Iterable

from canlian.metrics.regions import schemas as regions_schemas

# (group title, indicator codes in print order); indicators not listed fall into the last.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "组织建设",
        (
            "grassroots-organisation-coverage",
            "township-full-time-chair",
            "disabled-cadre-in-leadership",
            "association-office-rate",
            "association-activity-room-rate",
            "association-five-haves",
            "special-associations-three-in-place",
            "demonstration-sites",
            "federation-disabled-cadre-share",
            "counties-with-information-system-rate",
            "counties-with-local-entry-rate",
            "counties-with-statistics-rate",
        ),
    ),
    (
        "专职委员与工作者队伍",
        (
            "committee-member-staffing",
            "township-committee-member-staffing",
            "village-committee-member-staffing",
            "committee-members",
            "committee-members-public-welfare-posts",
            "township-committee-members-social-work-posts",
            "village-allowance-compliance",
            "village-paid-committee-member-coverage",
            "workers-trained",
            "talent-pool",
        ),
    ),
    (
        "志愿助残",
        (
            "registered-volunteers",
            "sign-language-volunteers",
            "persons-helped-by-volunteers",
            "volunteer-service-hours",
        ),
    ),
    ("残疾人证", ("valid-cards", "smart-card-use-rate", "cards-issued-to-eligible")),
    (
        "社会保障",
        (
            "subsistence-subsidy-coverage",
            "nursing-subsidy-coverage",
            "housing-renovation-subsidy-coverage",
            "pension-insurance-rate",
            "medical-insurance-rate",
            "supplementary-insurance-rate",
            "income-ratio",
            "subsistence-allowance-eligible-rate",
            "hardship-living-subsidy-rate",
            "nursing-subsidy-recipients",
            "institutional-care-persons",
            "rural-dilapidated-housing-eliminated",
            "homeless-households-assisted",
            "moderate-prosperity-attainment",
        ),
    ),
    (
        "康复服务",
        (
            "rehabilitation-assistance-coverage",
            "basic-rehabilitation-coverage",
            "child-rehabilitation-coverage",
            "school-age-rehabilitation-education-rate",
            "cochlear-implant-children",
            "poor-rehabilitation-assistance-share",
            "other-rehabilitation-assistance-share",
            "assistive-action-service-rate",
            "assistive-action-beneficiaries",
            "psychiatric-medication-service-rate",
            "psychiatric-medication-beneficiaries",
            "rehabilitation-service-rate",
            "household-rehabilitation-service-rate",
            "rehabilitation-record-rate",
            "deaf-children-mainstream-rate",
            "health-centres-with-rehabilitation-rate",
            "rehabilitation-coordinator-rate",
            "adult-intellectual-rehabilitation-record-rate",
            "intellectual-children-training-rate",
            "intellectual-children-institution-training-rate",
            "demonstration-rehabilitation-institutions",
            "new-rehabilitation-professionals",
            "new-rehabilitation-physicians",
            "new-rehabilitation-therapists",
        ),
    ),
    (
        "一户一档、入户访视与需求服务",
        (
            "household-file-rate",
            "household-visits-on-schedule",
            "needs-closed-in-time",
            "need-satisfaction-rate",
            "petitions-accepted-in-time",
            "petitions-closed-in-time",
            "township-home-of-disabled-coverage",
        ),
    ),
    (
        "教育、就业与文化体育",
        (
            "compulsory-education-rate",
            "preschool-enrolment-rate",
            "upper-secondary-enrolment-rate",
            "vocational-training-persons",
            "employment-rate",
            "committee-units-employing-disabled",
            "quota-employment",
            "concentrated-employment",
            "public-welfare-post-employment",
            "self-employment",
            "e-commerce-employment",
            "poverty-relief-bases",
            "poverty-relief-base-employment",
            "poverty-relief-base-households",
            "culture-sports-participation",
            "provincial-culture-sports-bases",
            "city-culture-sports-bases",
            "sports-instructors-trained",
            "culture-tutors-trained",
            "special-arts-talents-trained",
            "annual-arts-performances",
            "culture-sports-professionals",
        ),
    ),
    (
        "权益保障与社会助残",
        (
            "legal-aid-stations",
            "hotline-12385",
            "accessibility-demonstration-county",
            "home-accessibility-renovations",
            "sign-language-broadcasts",
            "accessibility-satisfaction",
            "new-building-accessibility-rate",
            "new-care-facilities",
            "new-care-beds",
            "provincial-sheltered-centres",
            "rehabilitation-care-beds-per-hundred",
            "township-sheltered-institutions-rate",
            "care-nursing-staff",
            "sign-language-professionals",
            "senior-sign-language-professionals",
            "intermediate-sign-language-professionals",
            "rights-professionals",
            "caring-awards",
            "self-reliance-awards",
            "disability-support-organisations",
        ),
    ),
)

OTHER = "其他指标"


def grouped(
    values: Iterable[regions_schemas.IndicatorValue],
) -> list[tuple[str, list[regions_schemas.IndicatorValue]]]:
    """The values in their groups, groups and indicators in print order."""
    position = {code: (g, i) for g, (_, codes) in enumerate(GROUPS) for i, code in enumerate(codes)}
    buckets: dict[int, list[tuple[int, regions_schemas.IndicatorValue]]] = {}
    for order, value in enumerate(values):
        group, index = position.get(value.indicator, (len(GROUPS), order))
        buckets.setdefault(group, []).append((index, value))
    titles = [title for title, _ in GROUPS] + [OTHER]
    return [
        (titles[group], [value for _, value in sorted(buckets[group], key=lambda pair: pair[0])])
        for group in sorted(buckets)
    ]
