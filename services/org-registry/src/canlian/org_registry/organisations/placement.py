"""Where each kind of organisation sits (seeds 000-003): federations at levels 1-4,
associations and groups at villages, special associations at city and county, enterprise
associations at 2-4."""

from __future__ import annotations

from canlian.common.division_words import label, level_term, level_word
from canlian.common.events.org_registry import OrganisationKind
from canlian.org_registry.divisions.models import Division
from canlian.org_registry.divisions.problems import LEVEL_EN, LEVEL_ZH
from canlian.org_registry.organisations.problems import WrongLevelForKind

KIND_ZH = {
    OrganisationKind.FEDERATION: "残联",
    OrganisationKind.ASSOCIATION: "村(社区)残协",
    OrganisationKind.GROUP: "残疾人小组",
    OrganisationKind.SPECIAL_ASSOCIATION: "专门协会",
    OrganisationKind.ENTERPRISE_ASSOCIATION: "企业残协",
}


ALLOWED_LEVELS: dict[OrganisationKind, tuple[int, ...]] = {
    OrganisationKind.FEDERATION: (1, 2, 3, 4),
    OrganisationKind.ASSOCIATION: (5,),
    OrganisationKind.GROUP: (5,),
    OrganisationKind.SPECIAL_ASSOCIATION: (2, 3),
    OrganisationKind.ENTERPRISE_ASSOCIATION: (2, 3, 4),
}


def check_level(kind: OrganisationKind, place: Division) -> None:
    allowed = ALLOWED_LEVELS[kind]
    if place.level in allowed:
        return
    hint_zh = hint_en = ""
    if kind == OrganisationKind.FEDERATION and place.level == 5:
        hint_zh = f"{level_word(place.name, 5).removesuffix('级')}一级请登记残协(kind=association)"
        hint_en = "At village level register an association (kind=association)"
    raise WrongLevelForKind(
        kind=kind.value,
        kind_zh=KIND_ZH[kind],
        allowed="/".join(LEVEL_EN[level] for level in allowed) + " level",
        allowed_zh="、".join(LEVEL_ZH[level] for level in allowed),
        division=label(place.code, place.name),
        level=LEVEL_EN[place.level],
        level_zh=level_term(place.name, place.level) + "区划",
        hint=hint_en,
        hint_zh=hint_zh,
    )
