"""Department indicators that add up: a reported value carries its numerator and denominator
(counts per county, summed upward), each reported indicator says how it is measured (ratio,
count or plain value), and the catalogue holds every target of seed 004's eight tables and
the measurable targets of seed 003 that it lacked (docs/department-indicators.md lists each
with its seed line).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"

# The reported indicators of 0002: ratios of counts, except the income ratio (a ratio of two
# averages, which no sum of counties gives).
EXISTING = {
    "subsistence-subsidy-coverage": "ratio",
    "nursing-subsidy-coverage": "ratio",
    "housing-renovation-subsidy-coverage": "ratio",
    "rehabilitation-assistance-coverage": "ratio",
    "pension-insurance-rate": "ratio",
    "medical-insurance-rate": "ratio",
    "supplementary-insurance-rate": "ratio",
    "basic-rehabilitation-coverage": "ratio",
    "child-rehabilitation-coverage": "ratio",
    "income-ratio": "plain",
    "compulsory-education-rate": "ratio",
    "culture-sports-participation": "ratio",
    "employment-rate": "ratio",
}

# code, Chinese name, English name, unit, measure, seed line, target as the seed states it.
NEW = [
    # Seed 004 (一) 生活保障提升计划
    ("subsistence-allowance-eligible-rate", "符合条件残疾人纳入最低生活保障比例(应保尽保)", "Eligible disabled persons in the subsistence allowance", "percent", "ratio", "004 (一)1", "两类应保尽保"),
    ("hardship-living-subsidy-rate", "符合条件的残疾人享受困难残疾人生活补贴比例", "Eligible disabled persons receiving the hardship living subsidy", "percent", "ratio", "004 (一)2", "98%以上"),
    ("nursing-subsidy-recipients", "享受残疾人护理补贴人数", "Recipients of the nursing subsidy", "count", "count", "004 (一)3", "5425人"),
    ("institutional-care-persons", "机构托养、庇护照料总人数", "Persons in institutional care or sheltered day care", "count", "count", "004 (一)3", "300名"),
    ("rural-dilapidated-housing-eliminated", "农村困难残疾人家庭危房户消除比例", "Dilapidated homes of poor rural disabled households eliminated", "percent", "ratio", "004 (一)4", "全面消除"),
    ("homeless-households-assisted", "无房残疾人户纳入全面救助保障计划比例", "Homeless disabled households in the assistance scheme", "percent", "ratio", "004 (一)4", "全部纳入"),
    # Seed 004 (二) 医疗康复提升计划
    ("school-age-rehabilitation-education-rate", "7—18周岁残疾儿童少年享受康复教育补助比例", "Disabled children aged 7-18 receiving the rehabilitation education subsidy", "percent", "ratio", "004 (二)1②", "98%"),
    ("cochlear-implant-children", "获人工耳蜗补助的听力残疾儿童数", "Hearing-impaired children subsidised for a cochlear implant", "count", "count", "004 (二)1③", "350名"),
    ("poor-rehabilitation-assistance-share", "贫困残疾人康复训练救助比例", "Share of rehabilitation training costs covered for poor disabled persons", "percent", "plain", "004 (二)2", "100%"),
    ("other-rehabilitation-assistance-share", "其他残疾人康复训练救助比例", "Share of rehabilitation training costs covered for other disabled persons", "percent", "plain", "004 (二)2", "50%"),
    ("assistive-action-service-rate", "助听、助明、助行目标人群康复服务比例", "Hearing, sight and mobility action: target group served", "percent", "ratio", "004 (二)3", "90%"),
    ("assistive-action-beneficiaries", "助听、助明、助行惠及残疾人数", "Persons served by the hearing, sight and mobility action", "count", "count", "004 (二)3", "1000名"),
    ("psychiatric-medication-service-rate", "精神残疾人服药医疗救助服务比例", "Mentally disabled persons covered for basic antipsychotic medication", "percent", "ratio", "004 (二)4", "100%"),
    ("psychiatric-medication-beneficiaries", "精神残疾人服药救助惠及人数", "Mentally disabled persons helped with medication", "count", "count", "004 (二)4", "2400多名"),
    # Seed 004 (三) 残疾人素质提升计划
    ("preschool-enrolment-rate", "学前三年残疾儿童入园率", "Disabled children in the three pre-school years enrolled", "percent", "ratio", "004 (三)1", "90%"),
    ("upper-secondary-enrolment-rate", "接受高中段教育的残疾学生入学率", "Disabled students in upper-secondary education", "percent", "ratio", "004 (三)3", "85%"),
    ("vocational-training-persons", "每年参加职业技能培训残疾人数", "Disabled persons in vocational skills training a year", "count", "count", "004 (三)4", "400名以上"),
    # Seed 004 (四) 就业帮扶提升计划
    ("committee-units-employing-disabled", "至少安排1名残疾人就业的残工委成员单位比例", "Committee member units employing at least one disabled person", "percent", "ratio", "004 (四)2", "50%"),
    ("quota-employment", "按比例安排残疾人就业人数", "Disabled persons employed under the quota", "count", "count", "004 (四)2", "1600人"),
    ("concentrated-employment", "残疾人集中就业人数", "Disabled persons in concentrated employment", "count", "count", "004 (四)3", "1000人"),
    ("public-welfare-post-employment", "公益性岗位安排残疾人就业人数", "Disabled persons in public-welfare posts", "count", "count", "004 (四)4", "120人"),
    ("self-employment", "残疾人个体创业和自谋职业人数", "Self-employed disabled persons", "count", "count", "004 (四)5", "800人"),
    ("e-commerce-employment", "残疾人电商就业人数", "Disabled persons employed in e-commerce", "count", "count", "004 (四)6", "100人"),
    ("poverty-relief-bases", "残疾人扶贫基地数", "Poverty-relief bases for disabled persons", "count", "count", "004 (四)7", "15家"),
    ("poverty-relief-base-employment", "扶贫基地稳定就业残疾人数", "Disabled persons in stable work at poverty-relief bases", "count", "count", "004 (四)7", "150人"),
    ("poverty-relief-base-households", "扶贫基地辐射带动增收残疾人户数", "Disabled households whose income the bases raise", "count", "count", "004 (四)7", "350户"),
    # Seed 004 (五) 文化健身提升计划
    ("provincial-culture-sports-bases", "省级残疾人文化体育示范基地数", "Provincial culture and sports demonstration bases", "count", "count", "004 (五)1", "1个"),
    ("city-culture-sports-bases", "市级残疾人文化体育示范基地数", "City-level culture and sports demonstration bases", "count", "count", "004 (五)1", "2个"),
    ("sports-instructors-trained", "培训残疾人体育健身指导员人数", "Disability sports instructors trained", "count", "count", "004 (五)2", "10名"),
    ("culture-tutors-trained", "培训残疾人文化辅导员人数", "Culture tutors trained", "count", "count", "004 (五)2", "5名"),
    ("special-arts-talents-trained", "培训特殊艺术人才人数", "Special arts talents trained", "count", "count", "004 (五)2", "100人以上"),
    ("annual-arts-performances", "每年大型残疾人文艺演出场次", "Large disability arts performances a year", "count", "count", "004 (五)3", "每年一场以上"),
    # Seed 004 (六) 权益保障提升计划
    ("legal-aid-stations", "残疾人法律救助工作站数", "Legal aid stations for disabled persons", "count", "count", "004 (六)1", "健全完善"),
    ("hotline-12385", "12385残疾人服务热线开通(1 为已开通)", "12385 disability hotline open (1 = open)", "count", "plain", "004 (六)2", "开通"),
    ("accessibility-demonstration-county", "创成无障碍环境示范县(市、区)(1 为创成)", "Accessible-environment demonstration county achieved (1 = yes)", "count", "plain", "004 (六)3", "争创"),
    ("home-accessibility-renovations", "实施家庭无障碍改造残疾人户数", "Disabled households whose homes were made accessible", "count", "count", "004 (六)4", "100户(正文另称300户)"),
    ("sign-language-broadcasts", "手语新闻和手语天气预报播出(1 为播出)", "Sign-language news and weather forecast broadcast (1 = yes)", "count", "plain", "004 (六)5", "办好"),
    ("accessibility-satisfaction", "残疾人对无障碍环境满意率", "Disabled persons satisfied with the accessible environment", "percent", "plain", "004 (六)正文4", "90%以上"),
    # Seed 004 (七) 社会助残服务能力提升计划
    ("demonstration-rehabilitation-institutions", "示范性公办残疾人专业康复机构数", "Demonstration public rehabilitation institutions", "count", "count", "004 (七)1", "1家"),
    ("new-care-facilities", "新增托养设施数", "New residential care facilities", "count", "count", "004 (七)2", "1个"),
    ("new-care-beds", "新增托养床位数", "New residential care beds", "count", "count", "004 (七)2", "100张"),
    ("provincial-sheltered-centres", "省级示范庇护中心数", "Provincial demonstration sheltered centres", "count", "count", "004 (七)2", "一家"),
    ("new-rehabilitation-professionals", "新增残疾人康复医疗专业技术人才数", "New rehabilitation medical professionals", "count", "count", "004 (七)3", "10名"),
    ("new-rehabilitation-physicians", "新增康复医师数", "New rehabilitation physicians", "count", "count", "004 (七)3", "4名"),
    ("new-rehabilitation-therapists", "新增康复治疗师数", "New rehabilitation therapists", "count", "count", "004 (七)3", "6名"),
    ("care-nursing-staff", "托养服务护理专业初级人才数", "Junior care nursing professionals", "count", "count", "004 (七)3", "30名"),
    ("sign-language-professionals", "手语专业人才数", "Sign-language professionals", "count", "count", "004 (七)3", "3名"),
    ("senior-sign-language-professionals", "高级手语专业人才数", "Senior sign-language professionals", "count", "count", "004 (七)3", "1名"),
    ("intermediate-sign-language-professionals", "中级手语专业人才数", "Intermediate sign-language professionals", "count", "count", "004 (七)3", "2名"),
    ("rights-professionals", "维护残疾人合法权益复合型人才数", "Rights-protection professionals", "count", "count", "004 (七)3", "2名"),
    ("culture-sports-professionals", "残疾人文化体育事业专业人才数", "Culture and sports professionals", "count", "count", "004 (七)3", "5名"),
    ("caring-awards", "“爱心系列”评选次数", "Caring series awards held", "count", "count", "004 (七)4", "每2年1次"),
    ("self-reliance-awards", "“自强系列”评选次数", "Self-reliance series awards held", "count", "count", "004 (七)5", "五年内1次"),
    ("disability-support-organisations", "培育助残社会组织数", "Disability-support social organisations fostered", "count", "count", "004 (七)7", "5个"),
    ("rehabilitation-care-beds-per-hundred", "每百名残疾人康复和集中托养床位数", "Rehabilitation and residential care beds per 100 disabled persons", "count", "plain", "004 (七)正文1", "3张以上"),
    ("township-sheltered-institutions-rate", "人口1万以上乡镇(街道)有残疾人庇护机构比例", "Townships over 10,000 people with a sheltered institution", "percent", "ratio", "004 (七)正文1", "至少1家"),
    # Seed 004 发展目标 (prose before the headline table)
    ("moderate-prosperity-attainment", "残疾人全面小康实现程度", "Attainment of moderate prosperity for disabled persons", "percent", "plain", "004 二(三)", "96%以上"),
    # Seed 003 (三) 残疾人康复工作目标 and the targets after it
    ("rehabilitation-service-rate", "残疾人康复服务率", "Disabled persons receiving rehabilitation services", "percent", "ratio", "003 (三)", "70%"),
    ("rehabilitation-record-rate", "残疾人康复建档率", "Disabled persons with a rehabilitation record", "percent", "ratio", "003 (三)", "70%"),
    ("deaf-children-mainstream-rate", "聋儿进入普幼普小率", "Deaf children in mainstream kindergartens and primary schools", "percent", "ratio", "003 (三)", "70%以上"),
    ("health-centres-with-rehabilitation-rate", "设立残疾人康复机构的社区卫生服务中心、乡镇医疗卫生机构比例", "Community and township health centres with a rehabilitation unit", "percent", "ratio", "003 (三)", "70%"),
    ("rehabilitation-coordinator-rate", "配备社区残疾人康复协调员的居委会、村委会比例", "Residents' and village committees with a rehabilitation coordinator", "percent", "ratio", "003 (三)", "70%"),
    ("adult-intellectual-rehabilitation-record-rate", "成年智力残疾人康复训练建档率", "Adults with intellectual disability with a rehabilitation training record", "percent", "ratio", "003 (三)", "100%"),
    ("intellectual-children-training-rate", "有康复需要的智力残疾儿童训练率", "Intellectually disabled children in need who are trained", "percent", "ratio", "003 (三)", "70%"),
    ("intellectual-children-institution-training-rate", "智力残疾儿童机构康复训练率", "Intellectually disabled children trained in an institution", "percent", "ratio", "003 (三)", "40%"),
    ("new-building-accessibility-rate", "新落成公共建筑、居住建筑、道路、公园景区无障碍设施建设率", "New public buildings, housing, roads and parks built accessible", "percent", "ratio", "003 (八)", "100%"),
    ("federation-disabled-cadre-share", "市残联机关残疾人干部比例", "Disabled cadres among the city federation's staff", "percent", "ratio", "003 (九)", "15%以上"),
    ("counties-with-information-system-rate", "政务信息管理系统覆盖的县(市)比例", "Counties covered by the federation's information system", "percent", "ratio", "003 (十二)", "60%"),
    ("counties-with-local-entry-rate", "业务数据本地录入的县(市)比例", "Counties entering business data locally", "percent", "ratio", "003 (十二)", "60%"),
    ("counties-with-statistics-rate", "统计数据覆盖的县(市)比例", "Counties whose statistics are transmitted and summed", "percent", "ratio", "003 (十二)", "90%"),
]


def upgrade() -> None:
    op.add_column("indicators", sa.Column("measure", sa.String(10), nullable=True), schema=SCHEMA)
    op.add_column(
        "reported_values", sa.Column("numerator", sa.BigInteger(), nullable=True), schema=SCHEMA
    )
    op.add_column(
        "reported_values", sa.Column("denominator", sa.BigInteger(), nullable=True), schema=SCHEMA
    )
    bind = op.get_bind()
    bind.execute(
        sa.text(f"UPDATE {SCHEMA}.indicators SET measure = 'plain' WHERE kind = 'reported'")
    )
    for code, measure in EXISTING.items():
        bind.execute(
            sa.text(f"UPDATE {SCHEMA}.indicators SET measure = :measure WHERE code = :code"),
            {"code": code, "measure": measure},
        )
    position = int(
        bind.scalar(sa.text(f"SELECT coalesce(max(position), 0) FROM {SCHEMA}.indicators")) or 0
    )
    now = datetime.now(UTC)
    for offset, (code, name_zh, name_en, unit, measure, line, figure) in enumerate(NEW, start=1):
        bind.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.indicators (code, name_zh, name_en, kind, unit, measure, "
                "numerator, denominator, factor, description, source, position, built_in, "
                "created_at) VALUES (:code, :name_zh, :name_en, 'reported', :unit, :measure, "
                "NULL, NULL, :factor, :description, :source, :position, true, :now) "
                "ON CONFLICT (code) DO NOTHING"
            ),
            {
                "code": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "unit": unit,
                "measure": measure,
                "factor": 1.0,
                "description": f"种子 {line}:{figure} / seed {line}: {figure}",
                "source": line.split(" ")[0],
                "position": position + offset,
                "now": now,
            },
        )


def downgrade() -> None:
    bind = op.get_bind()
    codes = [row[0] for row in NEW]
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.plan_targets WHERE indicator_code = ANY(:codes)"),
        {"codes": codes},
    )
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.reported_values WHERE indicator_code = ANY(:codes)"),
        {"codes": codes},
    )
    bind.execute(
        sa.text(f"DELETE FROM {SCHEMA}.indicators WHERE code = ANY(:codes)"), {"codes": codes}
    )
    op.drop_column("reported_values", "denominator", schema=SCHEMA)
    op.drop_column("reported_values", "numerator", schema=SCHEMA)
    op.drop_column("indicators", "measure", schema=SCHEMA)
