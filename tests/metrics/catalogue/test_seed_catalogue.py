"""The catalogue holds every target of seed 004 (上虞区残疾人事业发展"十三五"规划: the headline
table 主要指标 and the eight tables of 重点任务) and the measurable targets of seed 003 that it
lacked; Shangyu's seeded plan carries seed 004's figures. The list below is transcribed from
the seeds by hand, each with the line it comes from, not generated from the migration."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth
from canlian.common.auth import Principal
from canlian.metrics.catalogue.models import Indicator
from canlian.metrics.contributions import mappers
from canlian.metrics.plans.models import PlanTarget
from canlian.metrics.plans.seeds import define_seed_plans
from canlian.metrics.rollups import denominators
from canlian.testing.services import runtime_of

from ..conftest import DIVISIONS

# (code, measure, seeded target, the seed's words)
SEED_004 = [
    # 主要指标 (the headline table, "2020年目标")
    ("subsistence-subsidy-coverage", "ratio", 99, "残疾人享受低保和领取生活补贴目标人群覆盖率 99%"),
    (
        "nursing-subsidy-coverage",
        "ratio",
        98,
        "重度和精神、智力残疾人领取护理补贴目标人群覆盖率 98%",
    ),
    ("housing-renovation-subsidy-coverage", "ratio", 98, "残疾人危房改造补贴覆盖率 98%"),
    (
        "rehabilitation-assistance-coverage",
        "ratio",
        98,
        "在康复中心接受康复训练的…康复救助覆盖率 98%",
    ),
    ("pension-insurance-rate", "ratio", 95, "城乡残疾人参加居民养老保险比例 95%; (一)5 95%"),
    ("medical-insurance-rate", "ratio", 98, "城乡残疾人参加医疗保险比例 98%; (一)6 98%以上"),
    ("supplementary-insurance-rate", "ratio", 98, "大病医疗和意外伤害补充商业保险比例 98%"),
    ("basic-rehabilitation-coverage", "ratio", 90, "残疾人基本康复服务覆盖率 90%"),
    # 97 here, 100 in table (二)1①: the headline table is taken (docs/department-indicators.md).
    ("child-rehabilitation-coverage", "ratio", 97, "0-6岁残疾儿童康复服务覆盖率 97%"),
    ("income-ratio", "plain", 72, "残疾人家庭人均可支配收入占社会平均的比例 72%"),
    ("compulsory-education-rate", "ratio", 99, "学龄残疾儿童接受义务教育比例 99%; (三)2 99%"),
    ("culture-sports-participation", "ratio", 65, "残疾人文化体育活动参与率 65%; (五)4 65%以上"),
    ("employment-rate", "ratio", 88, "有就业能力和就业愿望的残疾人就业率 88%; (四)1 88%以上"),
    # 二(三) 发展目标: "全区残疾人全面小康实现程度达到96%以上"
    ("moderate-prosperity-attainment", "plain", 96, "全面小康实现程度达到96%以上"),
    # (一) 生活保障提升计划
    ("subsistence-allowance-eligible-rate", "ratio", 100, "(一)1 上述两类应保尽保"),
    ("hardship-living-subsidy-rate", "ratio", 98, "(一)2 困难残疾人生活补贴比例达到98%以上"),
    ("nursing-subsidy-recipients", "count", 5425, "(一)3 享受残疾人护理补贴人数达到5425人"),
    ("institutional-care-persons", "count", 300, "(一)3 机构托养、庇护照料总人数达到300名"),
    (
        "rural-dilapidated-housing-eliminated",
        "ratio",
        100,
        "(一)4 全面消除农村困难残疾人家庭危房户",
    ),
    ("homeless-households-assisted", "ratio", 100, "(一)4 无房户纳入全面救助保障计划"),
    # (二) 医疗康复提升计划
    (
        "school-age-rehabilitation-education-rate",
        "ratio",
        98,
        "(二)1② 7—18周岁…康复教育补助比例达到98%",
    ),
    ("cochlear-implant-children", "count", 350, "(二)1③ 人工耳蜗…惠及全区350名残疾儿童"),
    ("poor-rehabilitation-assistance-share", "plain", 100, "(二)2 贫困残疾人,给予100%救助"),
    ("other-rehabilitation-assistance-share", "plain", 50, "(二)2 其他残疾人给予50%救助"),
    ("assistive-action-service-rate", "ratio", 90, "(二)3 目标人群康复服务比例达到90%"),
    ("assistive-action-beneficiaries", "count", 1000, "(二)3 惠及1000名残疾人"),
    ("psychiatric-medication-service-rate", "ratio", 100, "(二)4 服务比例达到100%"),
    ("psychiatric-medication-beneficiaries", "count", 2400, "(二)4 惠及2400多名残疾人"),
    # (三) 残疾人素质提升计划
    ("preschool-enrolment-rate", "ratio", 90, "(三)1 学前三年残疾儿童入园率达到90%"),
    ("upper-secondary-enrolment-rate", "ratio", 85, "(三)3 高中段教育的残疾学生入学率达到85%"),
    ("vocational-training-persons", "count", 400, "(三)4 每年参加职业技能培训残疾人达到400名以上"),
    # (四) 就业帮扶提升计划
    ("committee-units-employing-disabled", "ratio", 50, "(四)2 50%的区残工委成员单位至少安排1名"),
    ("quota-employment", "count", 1600, "(四)2 全区按比例安排残疾人就业达到1600人"),
    ("concentrated-employment", "count", 1000, "(四)3 残疾人集中就业达到1000人"),
    ("public-welfare-post-employment", "count", 120, "(四)4 公益性岗位就业 全区达到120人"),
    ("self-employment", "count", 800, "(四)5 个体创业和自谋职业人数达到800人"),
    ("e-commerce-employment", "count", 100, "(四)6 残疾人电商就业人数达到100人"),
    ("poverty-relief-bases", "count", 15, "(四)7 巩固发展15家扶贫基地"),
    ("poverty-relief-base-employment", "count", 150, "(四)7 稳定就业150人"),
    ("poverty-relief-base-households", "count", 350, "(四)7 辐射带动350户残疾人增收"),
    # (五) 文化健身提升计划
    ("provincial-culture-sports-bases", "count", 1, "(五)1 创建1个省级…文化体育示范基地"),
    ("city-culture-sports-bases", "count", 2, "(五)1 2个绍兴市级文化体育示范基地"),
    ("sports-instructors-trained", "count", 10, "(五)2 培训10名残疾人体育健身指导员"),
    ("culture-tutors-trained", "count", 5, "(五)2 5名文化辅导员"),
    ("special-arts-talents-trained", "count", 100, "(五)2 培训特殊艺术人才100人以上"),
    ("annual-arts-performances", "count", 1, "(五)3 每年举办一场以上大型残疾人文艺演出"),
    # (六) 权益保障提升计划
    ("legal-aid-stations", "count", 1, "(六)1 健全完善法律救助工作站"),
    ("hotline-12385", "plain", 1, "(六)2 区残联开通12385服务热线"),
    ("accessibility-demonstration-county", "plain", 1, "(六)3 争创无障碍环境示范县(市、区)"),
    # 100 in table (六)4, 300 in the prose after it: the table is taken.
    ("home-accessibility-renovations", "count", 100, "(六)4 为100户残疾人家庭实施无障碍改造"),
    ("sign-language-broadcasts", "plain", 1, "(六)5 办好手语新闻和手语《天气预报》"),
    ("accessibility-satisfaction", "plain", 90, "(六) 正文4 无障碍环境的满意率达到90%以上"),
    # (七) 社会助残服务能力提升计划
    ("demonstration-rehabilitation-institutions", "count", 1, "(七)1 示范性公办残疾人专业康复机构"),
    ("new-care-facilities", "count", 1, "(七)2 新增托养设施1个"),
    ("new-care-beds", "count", 100, "(七)2 新增床位100张"),
    ("provincial-sheltered-centres", "count", 1, "(七)2 完善巩固一家省级示范庇护中心"),
    ("new-rehabilitation-professionals", "count", 10, "(七)3 新增残疾人康复医疗专业技术人才10名"),
    ("new-rehabilitation-physicians", "count", 4, "(七)3 其中医师4名"),
    ("new-rehabilitation-therapists", "count", 6, "(七)3 康复治疗师 6名"),
    ("care-nursing-staff", "count", 30, "(七)3 托养服务护理专业初级人才达到30名"),
    ("sign-language-professionals", "count", 3, "(七)3 手语专业人才3名"),
    ("senior-sign-language-professionals", "count", 1, "(七)3 其中高级1名"),
    ("intermediate-sign-language-professionals", "count", 2, "(七)3 中级2名"),
    ("rights-professionals", "count", 2, "(七)3 维护残疾人合法权益复合型人才2名"),
    ("culture-sports-professionals", "count", 5, "(七)3 文化体育事业专业人才5名"),
    ("caring-awards", "count", 2, "(七)4 爱心系列评选 每2年组织1次 (2016–2020: 2)"),
    ("self-reliance-awards", "count", 1, "(七)5 自强系列评选 五年内组织评选1次"),
    ("registered-volunteers", None, 650, "(七)6 助残志愿者注册650名"),
    ("sign-language-volunteers", None, 100, "(七)6 培训手语志愿服务人员100名以上"),
    ("disability-support-organisations", "count", 5, "(七)7 培育5个助残社会组织"),
    ("rehabilitation-care-beds-per-hundred", "plain", 3, "(七) 正文1 每百名残疾人…床位达到3张以上"),
    (
        "township-sheltered-institutions-rate",
        "ratio",
        100,
        "(七) 正文1 人口在1万以上的乡镇至少有1家",
    ),
    # (八) 残疾人组织服务能力提升计划
    ("committee-members", None, 120, "(八)1 配备残疾人专职委员120名以上"),
    ("township-full-time-chair", None, 100, "(八)2 各乡镇(街道)残联配备专职理事长"),
    ("workers-trained", None, 500, "(八)3 残疾人工作者培训500人次以上"),
    ("smart-card-use-rate", None, 100, "(八)5 智能化残疾人证推广使用率达到100%"),
]

# Seed 003 (创建全国残疾人工作示范城市, its city unnamed: no seeded plan carries these).
SEED_003 = [
    ("rehabilitation-service-rate", "70%", "(三) 残疾人康复服务率、建档率均达到70%"),
    ("rehabilitation-record-rate", "70%", "(三) 残疾人康复服务率、建档率均达到70%"),
    ("deaf-children-mainstream-rate", "70%", "(三) 聋儿进入普幼普小率达到70%以上"),
    ("health-centres-with-rehabilitation-rate", "70%", "(三) 70%的…医疗卫生机构设立康复机构"),
    ("rehabilitation-coordinator-rate", "70%", "(三) 70%的…村民委员会配备康复协调员"),
    ("adult-intellectual-rehabilitation-record-rate", "100%", "(三) 成年智力残疾人…建档率达到100%"),
    ("intellectual-children-training-rate", "70%", "(三) 智力残疾儿童训练率达到70%"),
    ("intellectual-children-institution-training-rate", "40%", "(三) 机构康复训练率达到40%"),
    ("new-building-accessibility-rate", "100%", "(八) 新落成的…无障碍设施建设率达到100%"),
    ("federation-disabled-cadre-share", "15%", "(九) 市残联机关残疾人干部达15%以上"),
    ("counties-with-information-system-rate", "60%", "(十二) 政务信息管理系统覆盖到60%的县(市)"),
    ("counties-with-local-entry-rate", "60%", "(十二) 60%的县(市)实现业务数据本地录入"),
    ("counties-with-statistics-rate", "90%", "(十二) 实现统计数据覆盖90%的县(市)"),
    ("talent-pool", None, "(九) 人才库 市级不少于80人,区、县(市)不少于30人"),
]

ZHEJIANG_ROWS = [
    ("330000000000", "浙江省", 1, "000000000000"),
    ("330600000000", "绍兴市", 2, "330000000000"),
    ("330604000000", "上虞区", 3, "330600000000"),
]


async def test_every_seed_target_is_in_the_catalogue_and_on_the_seeded_plan(
    rollback: FastAPI,
) -> None:
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(
            session, [mappers.DivisionRow(*row) for row in [*DIVISIONS, *ZHEJIANG_ROWS]]
        )
        root = Principal(subject="root", roles=frozenset({auth.ADMIN}), region="000000000000")
        await define_seed_plans(session, root)
        catalogue = {row.code: row for row in (await session.scalars(select(Indicator))).all()}
        targets = {
            row.indicator_code: row
            for row in (
                await session.scalars(select(PlanTarget).where(PlanTarget.plan_code == "sy-13th"))
            ).all()
        }
    missing = [code for code, *_ in SEED_004 if code not in catalogue]
    assert missing == []
    for code, measure, figure, words in SEED_004:
        indicator = catalogue[code]
        assert indicator.name_zh, code
        if measure is not None:  # the 0002 derived ones have no measure
            assert (indicator.kind, indicator.measure) == ("reported", measure), code
        assert indicator.unit in ("percent", "count", "person_times"), code
        target = targets.get(code)
        assert target is not None, f"{code}: {words}"
        assert (target.comparator, target.final_value) == ("ge", figure), f"{code}: {words}"
    # Nothing on the plan that the seed does not state.
    assert set(targets) == {code for code, *_ in SEED_004}
    for code, stated, words in SEED_003:
        assert code in catalogue, words
        if stated is not None:
            assert catalogue[code].measure == "ratio", code
            assert catalogue[code].source == "003", code
            assert stated in catalogue[code].description, f"{code}: {words}"
