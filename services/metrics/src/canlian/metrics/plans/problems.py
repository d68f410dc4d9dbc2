"""Problems of plans, targets and reported values."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound, ProblemError
from canlian.common.i18n import Message


class UnknownPlan(NotFound):
    code = "unknown-plan"
    title = Message(zh="未找到该规划", en="Unknown plan")
    detail = Message(
        zh="规划 {key} 不存在;可用的规划见 GET /v1/plans",
        en="There is no plan {key}; GET /v1/plans lists them",
    )


class PlanExists(Conflict):
    code = "plan-exists"
    detail = Message(
        zh="规划代码 {plan} 已被使用;请换一个代码", en="Plan code {plan} is taken; use another"
    )


class TargetOutOfRange(InvalidInput):
    code = "target-out-of-range"
    title = Message(zh="目标值超出范围", en="Target out of range")
    detail = Message(
        zh="指标 {indicator} 是百分比,目标值应在 0 到 100 之间,收到 {value}",
        en="Indicator {indicator} is a percentage; the target must be 0-100, got {value}",
    )


class NegativeValue(InvalidInput):
    code = "negative-value"
    title = Message(zh="数值不能为负", en="Negative value")
    detail = Message(
        zh="指标 {indicator} 的数值不能为负数,收到 {value}",
        en="Indicator {indicator} cannot be negative, got {value}",
    )


class ValueOutOfRange(InvalidInput):
    code = "value-out-of-range"
    title = Message(zh="填报值超出范围", en="Reported value out of range")
    detail = Message(
        zh="指标 {indicator} 是百分比,填报值应在 0 到 100 之间,收到 {value}",
        en="Indicator {indicator} is a percentage; the value must be 0-100, got {value}",
    )


class PeriodOutsidePlan(InvalidInput):
    code = "period-outside-plan"
    title = Message(zh="期间不在规划期内", en="Period outside the plan")
    detail = Message(
        zh="{year} 年不在规划 {plan}({start}–{end} 年)期内;请填报规划期内的年份",
        en="{year} is outside plan {plan} ({start}-{end}); report a year within the plan",
    )


class RegionOutsidePlan(InvalidInput):
    code = "region-outside-plan"
    title = Message(zh="区划不在规划范围内", en="Region outside the plan")
    detail = Message(
        zh="区划 {region} 不在规划 {plan} 的范围({scope})内",
        en="Region {region} is outside the area of plan {plan} ({scope})",
    )


class NotReportedIndicator(InvalidInput):
    code = "not-a-reported-indicator"
    title = Message(zh="该指标不接受填报", en="Indicator is not reported")
    detail = Message(
        zh="指标 {indicator} 由系统数据自动汇总,不能手工填报;只有填报类指标可以提交数值",
        en="Indicator {indicator} is derived from the system's records; only reported "
        "indicators take submitted values",
    )


class InvalidPlanPeriod(InvalidInput):
    code = "invalid-plan-period"
    title = Message(zh="规划期无效", en="Invalid plan period")
    detail = Message(
        zh="规划期应满足 起始年 ≤ 中期评估年 ≤ 终期年,且不超过 10 年;收到 {start}–{midterm}–{end}",
        en="A plan needs start <= mid-term <= end within 10 years; got {start}-{midterm}-{end}",
    )


class UnknownTarget(NotFound):
    code = "unknown-target"
    title = Message(zh="未找到该目标", en="Unknown target")
    detail = Message(
        zh="规划中没有在 {key} 上设定的该指标目标",
        en="The plan has no target for this indicator set on {key}",
    )


class RateNotApportioned(InvalidInput):
    code = "rate-not-apportioned"
    title = Message(zh="比率目标不能分解", en="A rate target is not split")
    detail = Message(
        zh="指标 {indicator} 是百分比,目标本身就适用于下级每个区划,不能按规则分解",
        en="Indicator {indicator} is a percentage: its target applies to every region below "
        "as it is and cannot be split",
    )


class PlanOwnedAbove(ProblemError):
    """A plan's targets are its issuer's: the region that owns the plan (or one above it)
    sets and removes them; a county publishes its own plan for targets of its own."""

    status = 403
    code = "plan-owned-above"
    title = Message(zh="无权设定该规划的目标", en="Not allowed to set this plan's targets")
    detail = Message(
        zh="规划 {plan} 属于区划 {owner},其目标只能由该区划或其上级设定;您的管辖范围为 {scope}。"
        "如需本级目标,请发布本级规划",
        en="Plan {plan} belongs to {owner}: only that region or one above it sets its "
        "targets; your scope is {scope}. Publish a plan of your own for targets of your own",
    )


PLAN_OWNED_ABOVE_RESPONSE = {
    "description": "规划属于上级区划,目标由其设定 / the plan belongs to a region above the caller",
    "content": {"application/problem+json": {}},
}


class NumeratorAboveDenominator(InvalidInput):
    code = "numerator-above-denominator"
    title = Message(zh="分子大于分母", en="Numerator above its denominator")
    detail = Message(
        zh="指标 {indicator} 的分子 {numerator} 大于分母 {denominator};分子是分母中达到要求的部分,"
        "不能超过分母",
        en="Indicator {indicator}: numerator {numerator} exceeds denominator {denominator}; "
        "the numerator counts those of the denominator who qualify",
    )


class ZeroDenominator(InvalidInput):
    code = "zero-denominator"
    title = Message(zh="分母为 0", en="Zero denominator")
    detail = Message(
        zh="指标 {indicator} 的分母为 0:没有目标人群的县无需填报该指标",
        en="Indicator {indicator} has a zero denominator: a county without anyone in the "
        "target group does not report it",
    )


class ReportPerCounty(InvalidInput):
    code = "report-per-county"
    title = Message(zh="请按县填报", en="Report per county")
    detail = Message(
        zh="指标 {indicator} 由各县(市、区)填报,{region} 的数值由所辖各县的分子、分母(或数量)汇总"
        "计算,不能直接填报;请按县填报",
        en="Indicator {indicator} is reported per county: the value of {region} is computed "
        "from its counties' numerators and denominators (or counts) and cannot be typed; "
        "report per county",
    )


class NoDenominatorHere(InvalidInput):
    code = "indicator-has-no-denominator"
    title = Message(zh="该指标不填分子分母", en="Indicator has no numerator and denominator")
    detail = Message(
        zh="指标 {indicator} 是数量或单值指标,请只填数值,不填分子、分母",
        en="Indicator {indicator} is a count or a plain value: report the value, without a "
        "numerator and denominator",
    )
