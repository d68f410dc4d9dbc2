"""Rollups, the indicator catalogue with every indicator of DOMAIN.md §6 and seed 004, plans,
targets and reported values.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "metrics"

# code, Chinese name, English name, unit, numerator, denominator, factor, source, description
DERIVED = [
    ("grassroots-organisation-coverage", "村(社区)残协覆盖率", "Villages and communities covered by an association", "percent", "association_coverage.village", "divisions.village", 100.0, "000, 001", "基层残疾人组织全覆盖:有残协覆盖的村(社区)占村(社区)总数的比例 / villages covered by at least one association"),
    ("committee-member-staffing", "乡镇、村专职委员配备率", "Townships and villages with a full-time committee member", "percent", "committee_member.township+committee_member.village", "divisions.township+divisions.village", 100.0, "000, 003", "专职委员全配备:有在岗专职委员的乡镇和村(社区)占总数的比例 / each township and village needs one"),
    ("township-committee-member-staffing", "乡镇专职委员配备率", "Townships with a full-time committee member", "percent", "committee_member.township", "divisions.township", 100.0, "000, 003", "有在岗专职委员的乡镇(街道)比例"),
    ("village-committee-member-staffing", "村(社区)专职委员配备率", "Villages with a full-time committee member", "percent", "committee_member.village", "divisions.village", 100.0, "000, 003", "有在岗专职委员的村(社区)比例"),
    ("township-full-time-chair", "乡镇残联专职理事长配备率", "Township federations with a full-time chair", "percent", "federations.township_full_time_chair", "federations.township", 100.0, "000, 004", "乡镇(街道)残联专职理事长配备率,十二五目标 80% 以上"),
    ("disabled-cadre-in-leadership", "市县残联班子配备残疾人干部比例", "City and county federation leaderships with a disabled cadre", "percent", "federations.city_county_disabled_cadre", "federations.city_county", 100.0, "000, 002", "市州、县市区残联领导班子全部配备 1 名残疾人干部"),
    ("committee-members-public-welfare-posts", "乡镇、社区专职委员纳入公益性岗位比例", "Township and community committee members in public-welfare posts", "percent", "committee_members.public_welfare_post", "committee_members.township_community", 100.0, "000", "乡镇(街道)、社区专职委员全部纳入政府公益性岗位"),
    ("village-allowance-compliance", "村专职委员误工补贴达标率", "Village committee members with an allowance at or above the regional minimum", "percent", "committee_members.allowance_compliant", "committee_members.village_posts", 100.0, "000", "村专职委员误工补贴每人每月不低于地区标准(甘肃 100 元)"),
    ("committee-members", "专职委员人数", "Full-time committee members", "count", "committee_members.active", None, 1.0, "004", "乡镇(街道)、村居(社区)在岗专职委员人数,上虞目标 120 名以上"),
    ("workers-trained", "残疾人工作者培训人次", "Disability workers trained (person-times)", "person_times", "members.training_person_times", None, 1.0, "000, 004", "残疾人工作者培训人次,上虞目标 500 人次以上;五年内普遍轮训一次"),
    ("talent-pool", "优秀残疾人人才库人数", "Talent pool of outstanding disabled persons", "count", "members.talent_pool", None, 1.0, "003", "市级不少于 80 人,县级不少于 30 人"),
    ("registered-volunteers", "注册助残志愿者人数", "Registered disability-support volunteers", "count", "volunteers.registered", None, 1.0, "000, 004", "甘肃目标 30 万人,上虞目标 650 名"),
    ("persons-helped-by-volunteers", "志愿助残受助残疾人人次", "Disabled persons helped by volunteers (person-times)", "person_times", "volunteers.person_times", None, 1.0, "000", "已确认服务记录中的受助残疾人人次,甘肃目标 100 万人次"),
    ("sign-language-volunteers", "培训手语志愿者人数", "Trained sign-language volunteers", "count", "volunteers.sign_language_trained", None, 1.0, "004", "完成手语培训的在册志愿者,上虞目标 100 名以上"),
    ("volunteer-service-hours", "志愿助残服务时长(小时)", "Confirmed volunteer service hours", "hours", "volunteers.service_minutes", None, 1.0 / 60.0, "000, 004", "已确认服务记录的时长"),
    ("valid-cards", "持有效残疾人证人数", "Holders of a valid disability card", "count", "cards.valid", None, 1.0, "000", "有效残疾人证数(每人至多一张有效证)"),
    ("smart-card-use-rate", "智能化残疾人证使用率", "Smart disability card use rate", "percent", "cards.valid_smart", "cards.valid", 100.0, "004", "有效证中智能化残疾人证的比例,上虞目标 2020 年 100%"),
    ("cards-issued-to-eligible", "残疾人证应发尽发率", "Eligible applicants issued a card", "percent", "applications.issued", "applications.eligible", 100.0, "000", "评定审核通过的申请中已发证的比例(应发尽发)"),
    ("association-office-rate", "残协有办公场所比例", "Associations with an office", "percent", "associations.office", "associations", 100.0, "003", "有残协且有办公场所(某县达 99.5%)"),
    ("association-activity-room-rate", "残协有活动室比例", "Associations with an activity room", "percent", "associations.activity_room", "associations", 100.0, "003", "有活动室的残协比例(某县达 95.3%)"),
    ("village-paid-committee-member-coverage", "有专职委员且落实补贴的村(社区)比例", "Villages with a committee member paid the allowance", "percent", "committee_member_paid.village", "divisions.village", 100.0, "003", "有专职委员并落实补贴的村(社区)比例(某县达 98.4%)"),
    ("association-five-haves", "残协“五有”达标率", "Associations with sign, seal, staff, funds and work", "percent", "associations.five_haves", "associations", 100.0, "003", "有牌子、有章子、有人员、有经费、有工作"),
    ("special-associations-three-in-place", "专门协会“三落实”比例", "Special associations with funds, premises and staff", "percent", "special_associations.three_in_place", "special_associations", 100.0, "000", "专门协会经费、场地、人员三落实"),
    ("demonstration-sites", "残疾人组织示范点数", "Demonstration sites", "count", "organisations.demonstration_site", None, 1.0, "000, 003", "规范化建设示范点"),
]

# Seed 004's table: figures other departments report per region and year.
REPORTED = [
    ("subsistence-subsidy-coverage", "残疾人享受低保和领取生活补贴目标人群覆盖率", "Subsistence allowance and living subsidy coverage of the target group"),
    ("nursing-subsidy-coverage", "重度和精神、智力残疾人领取护理补贴目标人群覆盖率", "Nursing subsidy coverage of severely, mentally and intellectually disabled persons"),
    ("housing-renovation-subsidy-coverage", "残疾人危房改造补贴覆盖率", "Dilapidated-housing renovation subsidy coverage"),
    ("rehabilitation-assistance-coverage", "在康复中心接受康复训练的残疾人享受康复救助覆盖率", "Rehabilitation assistance coverage of persons trained in rehabilitation centres"),
    ("pension-insurance-rate", "城乡残疾人参加居民养老保险比例", "Disabled persons in residents' pension insurance"),
    ("medical-insurance-rate", "城乡残疾人参加医疗保险比例", "Disabled persons in medical insurance"),
    ("supplementary-insurance-rate", "城乡残疾人参加大病医疗和意外伤害补充商业保险比例", "Disabled persons with supplementary serious-illness and accident insurance"),
    ("basic-rehabilitation-coverage", "残疾人基本康复服务覆盖率", "Basic rehabilitation service coverage"),
    ("child-rehabilitation-coverage", "0-6岁残疾儿童康复服务覆盖率", "Rehabilitation coverage of disabled children aged 0-6"),
    ("income-ratio", "残疾人家庭人均可支配收入占社会平均的比例", "Disposable income per head of disabled persons' households relative to the average"),
    ("compulsory-education-rate", "学龄残疾儿童接受义务教育比例", "School-age disabled children in compulsory education"),
    ("culture-sports-participation", "残疾人文化体育活动参与率", "Participation of disabled persons in cultural and sports activities"),
    ("employment-rate", "有就业能力和就业愿望的残疾人就业率", "Employment rate of disabled persons able and willing to work"),
]


def upgrade() -> None:
    op.create_table(
        "divisions",
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent_code", sa.String(12), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_divisions"),
        schema=SCHEMA,
    )
    op.create_index("ix_divisions_parent_code", "divisions", ["parent_code"], schema=SCHEMA)
    op.create_table(
        "entity_states",
        sa.Column("entity_key", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("contribution", sa.JSON(), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entity_key", name="pk_entity_states"),
        schema=SCHEMA,
    )
    op.create_table(
        "counters",
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("counter", sa.String(100), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("division_code", "counter", name="pk_counters"),
        schema=SCHEMA,
    )
    op.create_table(
        "division_tallies",
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("tally", sa.String(100), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("division_code", "tally", name="pk_division_tallies"),
        schema=SCHEMA,
    )
    op.create_table(
        "daily_changes",
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("counter", sa.String(100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("division_code", "counter", "day", name="pk_daily_changes"),
        schema=SCHEMA,
    )
    op.create_table(
        "parked_events",
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("dataschema", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(100), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("parked_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_parked_events"),
        schema=SCHEMA,
    )
    op.create_index("ix_parked_events_parked_at", "parked_events", ["parked_at"], schema=SCHEMA)
    indicators = op.create_table(
        "indicators",
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("numerator", sa.String(400), nullable=True),
        sa.Column("denominator", sa.String(400), nullable=True),
        sa.Column("factor", sa.Float(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("built_in", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_indicators"),
        schema=SCHEMA,
    )
    op.create_table(
        "plans",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("midterm_year", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_plans"),
        schema=SCHEMA,
    )
    op.create_index("ix_plans_division_code", "plans", ["division_code"], schema=SCHEMA)
    op.create_table(
        "plan_targets",
        sa.Column("id", BigIntegerKey, autoincrement=True, nullable=False),
        sa.Column("plan_code", sa.String(40), nullable=False),
        sa.Column("indicator_code", sa.String(60), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("comparator", sa.String(2), nullable=False),
        sa.Column("final_value", sa.Float(), nullable=False),
        sa.Column("midterm_value", sa.Float(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_targets"),
        sa.ForeignKeyConstraint(
            ["plan_code"],
            [f"{SCHEMA}.plans.code"],
            name="fk_plan_targets_plan_code_plans",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            [f"{SCHEMA}.indicators.code"],
            name="fk_plan_targets_indicator_code_indicators",
        ),
        sa.UniqueConstraint(
            "plan_code",
            "indicator_code",
            "division_code",
            name="uq_plan_targets_plan_code_indicator_code_division_code",
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_plan_targets_division_code", "plan_targets", ["division_code"], schema=SCHEMA
    )
    op.create_table(
        "reported_values",
        sa.Column("indicator_code", sa.String(60), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("plan_code", sa.String(40), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "indicator_code", "division_code", "year", name="pk_reported_values"
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            [f"{SCHEMA}.indicators.code"],
            name="fk_reported_values_indicator_code_indicators",
        ),
        sa.ForeignKeyConstraint(
            ["plan_code"], [f"{SCHEMA}.plans.code"], name="fk_reported_values_plan_code_plans"
        ),
        schema=SCHEMA,
    )
    now = datetime.now(UTC)
    rows = []
    for position, (code, name_zh, name_en, unit, numerator, denominator, factor, source, text) in enumerate(DERIVED, start=1):
        rows.append(
            {
                "code": code, "name_zh": name_zh, "name_en": name_en, "kind": "derived",
                "unit": unit, "numerator": numerator, "denominator": denominator,
                "factor": factor, "description": text, "source": source,
                "position": position, "built_in": True, "created_at": now,
            }
        )
    for position, (code, name_zh, name_en) in enumerate(REPORTED, start=len(DERIVED) + 1):
        rows.append(
            {
                "code": code, "name_zh": name_zh, "name_en": name_en, "kind": "reported",
                "unit": "percent", "numerator": None, "denominator": None, "factor": 1.0,
                "description": "由相关部门按区划、年度填报 / reported by the department in charge",
                "source": "004", "position": position, "built_in": True, "created_at": now,
            }
        )
    op.bulk_insert(indicators, rows)


def downgrade() -> None:
    for table in (
        "reported_values",
        "plan_targets",
        "plans",
        "indicators",
        "parked_events",
        "daily_changes",
        "division_tallies",
        "counters",
        "entity_states",
        "divisions",
    ):
        op.drop_table(table, schema=SCHEMA)
