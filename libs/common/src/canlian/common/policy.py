"""Policy parameters (政策参数): the named regional figures rules read, each with its unit,
sensible range, seed default and the seed it comes from. A region sets a value effective from
a date; the nearest ancestor's value in force on the object's business date applies, else the
seed default. The service that owns a parameter stores and serves its values; every service
that reads it resolves them here, so they answer alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from canlian.common import divisions


@dataclass(frozen=True)
class Parameter:
    name: str
    title_zh: str
    title_en: str
    unit: str
    minimum: Decimal
    maximum: Decimal
    default: Decimal
    seed: str  # the seed text the default comes from
    owner: str  # the service that stores and serves its values
    whole_number: bool = True  # seats and yuan; a ratio is not

    def in_range(self, value: Decimal) -> bool:
        whole = not self.whole_number or value == value.to_integral_value()
        return whole and self.minimum <= value <= self.maximum


@dataclass(frozen=True)
class SetValue:
    """A region's value of a parameter, in force from `effective_from`."""

    division_code: str
    effective_from: date
    value: Decimal
    version: int = 0  # of the region's values of the parameter: a later one for the same date wins


def _counted(
    name: str, zh: str, en: str, unit: str, limits: tuple[int, int, int], seed: str, owner: str
) -> Parameter:
    """A whole-number parameter: (minimum, maximum, seed default) in `unit`."""
    low, high, default = limits
    return Parameter(
        name=name,
        title_zh=zh,
        title_en=en,
        unit=unit,
        minimum=Decimal(low),
        maximum=Decimal(high),
        default=Decimal(default),
        seed=seed,
        owner=owner,
    )


def _percent(name: str, zh: str, en: str, default: int, seed: str, owner: str) -> Parameter:
    """A share or weight in percent, 0–100."""
    return _counted(name, zh, en, "percent", (0, 100, default), seed, owner)


def _seats(name: str, zh: str, en: str, limits: tuple[int, int, int], seed: str) -> Parameter:
    """A seat count of a post the members service keeps."""
    return _counted(f"seats.{name}", zh, en, "seats", limits, seed, "members")


ONE_PER_TOWNSHIP_AND_VILLAGE = "003: 每乡、每村各1名"
SEATS_PER_TOWNSHIP = _seats(
    "township_committee_members",
    "每乡(镇)专职委员名额",
    "Committee-member seats per township",
    (1, 10, 1),
    ONE_PER_TOWNSHIP_AND_VILLAGE,
)
SEATS_PER_STREET = _seats(
    "street_committee_members",
    "每街道专职委员名额(上限)",
    "Committee-member seats per street office (maximum)",
    (3, 5, 5),
    "003: 各街道办事处统筹区域情况确定3—5名残疾人专职委员",
)
SEATS_PER_VILLAGE = _seats(
    "village_committee_members",
    "每村专职委员名额",
    "Committee-member seats per village",
    (1, 5, 1),
    ONE_PER_TOWNSHIP_AND_VILLAGE,
)
SEATS_PER_VILLAGE_LIAISON = _seats(
    "village_liaison_officers",
    "每村残疾人联络员名额",
    "Liaison-officer seats per village",
    (1, 5, 1),
    "003: 配齐社区残疾人专职委员和村残疾人联络员",
)

FUNDS_SEED = "003: 市级协会年活动经费不少于1万元,区、县(市)协会年活动经费不少于5千元"
CITY_ACTIVITY_FUNDS_MINIMUM = Parameter(
    name="special_associations.city_activity_funds_minimum",
    title_zh="市级专门协会年活动经费下限",
    title_en="Yearly activity funds minimum of a city special association",
    unit="yuan",
    minimum=Decimal(0),
    maximum=Decimal(1_000_000),
    default=Decimal(10_000),
    seed=FUNDS_SEED,
    owner="org-registry",
)
COUNTY_ACTIVITY_FUNDS_MINIMUM = Parameter(
    name="special_associations.county_activity_funds_minimum",
    title_zh="县级专门协会年活动经费下限",
    title_en="Yearly activity funds minimum of a county special association",
    unit="yuan",
    minimum=Decimal(0),
    maximum=Decimal(1_000_000),
    default=Decimal(5_000),
    seed=FUNDS_SEED,
    owner="org-registry",
)

COMPOSITION_SEED = (
    "002: 在旗残联代表大会中,将残疾人及残疾人亲友的比例提高到65%以上,"
    "自强模范和基层一线代表比例提高到60%以上;在旗残联主席团委员队伍中,"
    "将残疾人及残疾人亲友的比例提高到65%以上,自强模范和基层一线代表比例提高到35%以上"
)


def _share(name: str, zh: str, en: str, default: int) -> Parameter:
    """A minimum share (percent) of a federation's congress or presidium (seed 002's banner
    figures are the defaults; the registry's leadership rules read them)."""
    return _percent(f"composition.{name}", zh, en, default, COMPOSITION_SEED, "org-registry")


CONGRESS_DISABLED_SHARE = _share(
    "congress_disabled_share",
    "代表大会中残疾人及亲友比例下限(%)",
    "Minimum share of disabled persons and relatives in the congress (%)",
    65,
)
CONGRESS_ROLE_MODEL_SHARE = _share(
    "congress_role_model_share",
    "代表大会中自强模范和基层一线代表比例下限(%)",
    "Minimum share of role models and grass-roots delegates in the congress (%)",
    60,
)
PRESIDIUM_DISABLED_SHARE = _share(
    "presidium_disabled_share",
    "主席团中残疾人及亲友比例下限(%)",
    "Minimum share of disabled persons and relatives in the presidium (%)",
    65,
)
PRESIDIUM_ROLE_MODEL_SHARE = _share(
    "presidium_role_model_share",
    "主席团中自强模范和基层一线代表比例下限(%)",
    "Minimum share of role models and grass-roots delegates in the presidium (%)",
    35,
)

# The seeds set neither split; an even one until a region sets its own.
ASSESSMENT_PERFORMANCE_WEIGHT = _percent(
    "assessment.performance_weight",
    "专职委员年度考核中绩效考评的权重(%),其余为残疾人评价",
    "Weight of the performance score in a committee member's annual assessment (%); "
    "the disabled persons' evaluation carries the rest",
    50,
    "003: 坚持绩效考评和残疾人评价相结合的方式进行年度考核,实行能进能出的动态管理方式",
    "members",
)


RECRUITMENT_WRITTEN_EXAM_WEIGHT = _percent(
    "recruitment.written_exam_weight",
    "专职委员公开招聘中笔试成绩的权重(%),其余为面试成绩",
    "Weight of the written exam in a committee-member recruitment's combined score (%); "
    "the interview carries the rest",
    50,
    "003: 按照就近就地和公开、公平、公正的原则,通过公开考试和择优录取的形式选聘",
    "members",
)


DISABLED_CADRE_SHARE = _percent(
    "staff.disabled_cadre_share",
    "残联工作人员中残疾人干部比例下限(%)",
    "Minimum share of disabled cadres among a federation's staff (%)",
    15,
    "002: 残联机关配备残疾人干部比例不低于15%",
    "org-registry",
)
GRASSROOTS_DAYS_MINIMUM = _counted(
    "staff.grassroots_days_minimum",
    "执行理事会成员每年在基层的天数下限",
    "Minimum days a year an executive council member spends at the grass roots",
    "days",
    (0, 366, 60),
    "002: 旗残联执行理事会成员每年下基层调研不少于60天",
    "org-registry",
)


def _days(name: str, zh: str, en: str, limits: tuple[int, int, int], seed: str) -> Parameter:
    """A number of days the needs service keeps."""
    return _counted(name, zh, en, "days", limits, seed, "needs")


# 002 asks for regular visits without saying how often; the defaults are the platform's
# starting point (monthly, a fortnight for those living alone), for each region to set.
REGULAR_VISITS = "002: 对于一户多残、老残一体、孤残重残、多重残疾等特殊困难残疾人家庭建立定期访视"
VISIT_DAYS_MULTIPLE_DISABLED = _days(
    "visits.multiple_disabled_days",
    "一户多残家庭访视间隔(天)",
    "Days between visits to a household with several disabled members",
    (7, 365, 30),
    REGULAR_VISITS,
)
VISIT_DAYS_ELDERLY_DISABLED = _days(
    "visits.elderly_disabled_days",
    "老残一体家庭访视间隔(天)",
    "Days between visits to a household of elderly and disabled members",
    (7, 365, 30),
    REGULAR_VISITS,
)
VISIT_DAYS_SEVERE = _days(
    "visits.severe_days",
    "重度残疾人家庭访视间隔(天)",
    "Days between visits to a household with a severely disabled member",
    (7, 365, 30),
    REGULAR_VISITS,
)
VISIT_DAYS_LIVING_ALONE = _days(
    "visits.living_alone_days",
    "独居残疾人访视间隔(天)",
    "Days between visits to a disabled person living alone",
    (3, 365, 15),
    REGULAR_VISITS,
)
# The petition regulations (信访工作条例 2022): whether to accept within 15 days of receipt
# (art. 32), closed within 60 days of acceptance (art. 35); 004 asks the federation to own it.
PETITION_DUTY = "004: 切实落实信访主体责任(信访工作条例:15日内决定是否受理,60日内办结)"
PETITION_ACCEPTANCE_DAYS = _days(
    "petitions.acceptance_days",
    "信访事项受理期限(天)",
    "Days to decide whether to accept a petition",
    (1, 60, 15),
    PETITION_DUTY,
)
PETITION_CLOSING_DAYS = _days(
    "petitions.closing_days",
    "信访事项办结期限(天)",
    "Days to close an accepted petition",
    (15, 180, 60),
    PETITION_DUTY,
)


def _cycle(name: str, zh: str, en: str, default: int, seed: str) -> Parameter:
    """Years between two rounds of a commendation programme (the registry holds the rounds)."""
    return _counted(
        f"commendations.{name}", zh, en, "years", (1, 10, default), seed, "org-registry"
    )


# Seed 004's table of targets: "爱心系列评选 每2年组织1次" and "自强系列评选 五年内组织评选1次".
CARING_CYCLE_YEARS = _cycle(
    "caring_cycle_years",
    "爱心(助残)系列评选周期(年)",
    "Years between rounds of the caring (helping the disabled) series",
    2,
    "004: 爱心系列评选 每2年组织1次",
)
SELF_RELIANCE_CYCLE_YEARS = _cycle(
    "self_reliance_cycle_years",
    "自强系列评选周期(年)",
    "Years between rounds of the self-reliance series",
    5,
    "004: 自强系列评选 五年内组织评选1次",
)

EDUCATION_SEED = (
    "003: 建立残联干部学历教育制度,争取近几年县级残联干部70%达到大专学历,"
    "乡镇干部50%以上达到大专学历"
)


def _education_goal(name: str, zh: str, en: str, default: int) -> Parameter:
    """A goal share (percent) of cadres with 大专 (college) education or above."""
    return _percent(f"education.{name}", zh, en, default, EDUCATION_SEED, "members")


COUNTY_COLLEGE_GOAL = _education_goal(
    "county_college_share",
    "县级残联干部大专及以上学历比例目标(%)",
    "Goal share of county federation cadres with college education or above (%)",
    70,
)
TOWNSHIP_COLLEGE_GOAL = _education_goal(
    "township_college_share",
    "乡镇残联干部大专及以上学历比例目标(%)",
    "Goal share of township cadres with college education or above (%)",
    50,
)

# Whether development zones (NBS township segment 400+) and virtual communities (village
# segment 498/598) count as places in the staffing and coverage denominators: 1 yes, 0 no
# (rules.denominators). The registry owns them, as it owns the divisions.
DEVELOPMENT_ZONES_COUNTED = _counted(
    "denominators.development_zones_counted",
    "开发区等乡级单位(代码第7-9位≥400)计入乡镇配备率和覆盖率分母(1计入,0不计入)",
    "Development zones and other township-level units (segment 400+) count in the township "
    "staffing and coverage denominators (1 yes, 0 no)",
    "flag",
    (0, 1, 0),
    "004: 各镇(街道)、开发区管委会、各部门(开发区管委会与镇、街道并列,不是乡镇)",
    "org-registry",
)
VIRTUAL_COMMUNITIES_COUNTED = _counted(
    "denominators.virtual_communities_counted",
    "虚拟社区、虚拟生活区(代码第10-12位498/598)计入村(社区)配备率和覆盖率分母(1计入,0不计入)",
    "Virtual communities (village segment 498/598) count in the village staffing and coverage "
    "denominators (1 yes, 0 no)",
    "flag",
    (0, 1, 0),
    "003: 176个行政村(社区)全部成立了残疾人协会(分母是行政村和社区,虚拟社区不是其中之一)",
    "org-registry",
)
# Which posts village-level committee members hold (rules.allowances): seed 000 puts
# community members on public-welfare posts and pays village (村) members a lost-work
# allowance of at least the regional minimum; seed 004 puts village and community members
# (村居(社区)) alike on public-welfare posts, so no village member's pay is judged against
# the minimum there. 1: the 004 reading, 0: the 000 reading (the default).
VILLAGE_PUBLIC_WELFARE_POSTS = _counted(
    "allowances.village_public_welfare_posts",
    "村专职委员纳入公益性岗位,不按误工补贴标准核对(1是,0否:每人每月误工补贴不低于地区标准)",
    "Village committee members hold public-welfare posts and their pay is not judged against "
    "the lost-work allowance minimum (1 yes, 0 no: paid at least the regional minimum)",
    "flag",
    (0, 1, 0),
    "000: 乡镇(街道)、社区专职委员全部纳入公益性岗位;村专职委员误工补贴每人每月不低于100元"
    "(004: 将乡镇(街道)残疾人专职委员纳入社工岗位,将村居(社区)残疾人专职委员纳入公益性岗位)",
    "members",
)

PARAMETERS: dict[str, Parameter] = {
    parameter.name: parameter
    for parameter in (
        SEATS_PER_TOWNSHIP,
        SEATS_PER_STREET,
        SEATS_PER_VILLAGE,
        SEATS_PER_VILLAGE_LIAISON,
        ASSESSMENT_PERFORMANCE_WEIGHT,
        RECRUITMENT_WRITTEN_EXAM_WEIGHT,
        CITY_ACTIVITY_FUNDS_MINIMUM,
        COUNTY_ACTIVITY_FUNDS_MINIMUM,
        CONGRESS_DISABLED_SHARE,
        CONGRESS_ROLE_MODEL_SHARE,
        PRESIDIUM_DISABLED_SHARE,
        PRESIDIUM_ROLE_MODEL_SHARE,
        DISABLED_CADRE_SHARE,
        GRASSROOTS_DAYS_MINIMUM,
        VISIT_DAYS_MULTIPLE_DISABLED,
        VISIT_DAYS_ELDERLY_DISABLED,
        VISIT_DAYS_SEVERE,
        VISIT_DAYS_LIVING_ALONE,
        PETITION_ACCEPTANCE_DAYS,
        PETITION_CLOSING_DAYS,
        CARING_CYCLE_YEARS,
        SELF_RELIANCE_CYCLE_YEARS,
        COUNTY_COLLEGE_GOAL,
        TOWNSHIP_COLLEGE_GOAL,
        DEVELOPMENT_ZONES_COUNTED,
        VIRTUAL_COMMUNITIES_COUNTED,
        VILLAGE_PUBLIC_WELFARE_POSTS,
    )
}


def owned_by(owner: str) -> list[Parameter]:
    """The parameters a service stores and serves, by name."""
    return sorted(
        (parameter for parameter in PARAMETERS.values() if parameter.owner == owner),
        key=lambda parameter: parameter.name,
    )


def effective(
    parameter: Parameter, values: Iterable[SetValue], division_code: str, on: date
) -> tuple[Decimal, str | None]:
    """The value in force for `division_code` on `on` and the region that set it (None: the
    seed default): the nearest ancestor with a value effective by then wins."""
    latest: dict[str, SetValue] = {}
    for value in values:
        if value.effective_from > on:
            continue
        held = latest.get(value.division_code)
        if held is None or (value.effective_from, value.version) >= (
            held.effective_from,
            held.version,
        ):
            latest[value.division_code] = value
    for code in divisions.lineage(division_code):
        found = latest.get(code)
        if found is not None:
            return found.value, code
    return parameter.default, None


class Source(StrEnum):
    """Where the value in force for a region comes from."""

    REGION = "region"  # the region set it itself
    ANCESTOR = "ancestor"  # inherited from the nearest ancestor that set one
    SEED = "seed"  # nobody above set one: the seed default


@dataclass(frozen=True)
class Resolution:
    value: Decimal
    source: Source
    set_by_division: str | None  # the region whose value applies (None: the seed)
    effective_from: date | None


def resolve(
    parameter: Parameter, values: Iterable[SetValue], division_code: str, on: date
) -> Resolution:
    """`effective` with where the value comes from and since when."""
    held = list(values)
    value, code = effective(parameter, held, division_code, on)
    if code is None:
        return Resolution(value, Source.SEED, None, None)
    since = max(
        (item.effective_from, item.version)
        for item in held
        if item.division_code == code and item.effective_from <= on
    )[0]
    source = Source.REGION if code == division_code else Source.ANCESTOR
    return Resolution(value, source, code, since)


@dataclass(frozen=True)
class Values:
    """The regional values a rule reads, by parameter name, as the owning service stores them
    or a reader keeps them from its events; a parameter absent here takes its seed default."""

    by_name: Mapping[str, Sequence[SetValue]]

    def effective(self, parameter: Parameter, division_code: str, on: date) -> Decimal:
        value, _ = effective(parameter, self.by_name.get(parameter.name, ()), division_code, on)
        return value


SEED_ONLY = Values({})
"""No regional values: every parameter at its seed default."""
