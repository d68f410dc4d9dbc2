"""The roster's columns (Chinese headers and their aliases) and the template to fill in."""

from __future__ import annotations

import io

from canlian.common.spreadsheets import SafeCsvWriter
from canlian.common.tabular_import import Column

ROSTER_COLUMNS = (
    Column("name", ("姓名",)),
    Column("citizen_id", ("公民身份号码", "身份证号码", "身份证号")),
    Column("phone", ("联系电话", "电话", "手机号码"), required=False),
    Column("kind", ("人员类别",), required=False),
    Column("division_code", ("档案所属区划", "所属区划", "区划代码"), required=False),
    Column("disability_relation", ("残疾人或亲属", "是否残疾人或亲属", "身份")),
    Column("disability_category", ("残疾类别",), required=False),
    Column("disability_grade", ("残疾等级",), required=False),
    Column("education", ("文化程度", "学历"), required=False),
    Column("organisation_id", ("组织编号",)),
    Column("post", ("岗位",), required=False),
    Column("selection_method", ("选聘方式",)),
    Column("contract_start", ("合同开始日期", "合同开始")),
    Column("contract_end", ("合同结束日期", "合同结束"), required=False),
    Column("public_welfare_post", ("公益性岗位", "是否公益性岗位")),
    Column("social_work_post", ("社工岗位", "是否社工岗位"), required=False),
    Column("monthly_allowance_yuan", ("月补贴(元)", "月补贴(元)", "月补贴", "误工补贴")),
    Column("social_insurance_subsidy", ("社保补贴", "社会保险补贴"), required=False),
    Column("status", ("状态", "在岗状态"), required=False),
)

_TEMPLATE_EXAMPLE = {
    "name": "张三",
    "citizen_id": "11010519491231002X",
    "phone": "13800000000",
    "kind": "专职委员",
    "division_code": "",
    "disability_relation": "残疾人",
    "disability_category": "肢体",
    "disability_grade": "3",
    "education": "高中",
    "organisation_id": "(组织登记中的组织编号)",
    "post": "专职委员",
    "selection_method": "公开考试",
    "contract_start": "2025-01-01",
    "contract_end": "2027-12-31",
    "public_welfare_post": "否",
    "social_work_post": "否",
    "monthly_allowance_yuan": "100",
    "social_insurance_subsidy": "否",
    "status": "在岗",
}


def roster_template() -> bytes:
    """A CSV with the Chinese headers the import reads and one example line (UTF-8 with BOM,
    so Excel opens it correctly)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow([column.aliases[0] for column in ROSTER_COLUMNS])
    writer.writerow([_TEMPLATE_EXAMPLE[column.field] for column in ROSTER_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
