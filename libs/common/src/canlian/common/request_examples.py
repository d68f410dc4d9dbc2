"""An example of every request body, for the OpenAPI document and the docs page.

A model may carry its own (`json_schema_extra={"examples": [...]}`); every other body gets one
built from its JSON schema here, with the values a county clerk in Lanzhou would type (the
vocabulary below, by field name) and each type's plainest valid value otherwise. A test feeds
every example of every service back through the route's pydantic model, so an example that
no longer validates fails there.
"""

from __future__ import annotations

import re
from typing import Any

# 城关区, Lanzhou: a county-level division every seed and test knows.
COUNTY = "620102000000"

_VOCABULARY: dict[str, Any] = {
    "name": "王秀英",
    "citizen_id": "620102198001010017",
    "phone": "13909310123",
    "division_code": COUNTY,
    "residence_division_code": COUNTY,
    "region": COUNTY,
    "code": COUNTY,
    "covered_divisions": ["620102001000"],
    "reason": "材料不全,请补充后重新提交",
    "note": "经核实,材料齐全",
    "remarks": "工作认真,群众满意",
    "basis": "甘残联发〔2024〕12号",
    "assessor": "李医生",
    "organiser": "兰州市残疾人联合会",
    "awarded_by": "甘肃省残疾人联合会",
    "provider": "兰州市残疾人联合会",
    "course": "专职委员业务培训",
    "title": "陪同视力残疾人到医院复诊",
    "description": "每周二上午陪同前往兰州大学第一医院",
    "conclusion": "主要指标均已达到规划目标,残疾人基本公共服务覆盖率稳步提高。",
    "certificate_no": "GS-2025-0012",
    "card_number": "62010219800101001742",
    "organisation_id": "1",
    "volunteer_id": "1",
    "station_id": "1",
    "team_id": "1",
    "record_id": "1",
    "need_id": "1",
    "household_id": "hh-620102-0001",
    "member_id": "1",
    "platform_id": "pf-620102-0001",
    "visit_id": "vs-620102-0001",
    "client_id": "phone-20250301-0001",
    "person_id": 1,
    "institution_id": 1,
    "application_id": 1,
    "volunteer_ids": ["1"],
    "year": 2025,
    "start_year": 2021,
    "end_year": 2025,
    "midterm_year": 2023,
    "hours": 8,
    "persons": 1,
    "volunteers_needed": 2,
    "monthly_allowance_yuan": "800.00",
    "monthly_minimum_yuan": "600.00",
    "performance_score": "92.5",
    "evaluation_score": "90",
    "thresholds_hours": [100, 300, 600, 1000, 1500],
    "starts_at": "2025-03-04T09:00:00+08:00",
    "ends_at": "2025-03-04T11:00:00+08:00",
    "starts_on": "2023-01-01",
    "ends_on": "2027-12-31",
    "contract_start": "2025-01-01",
    "contract_end": "2027-12-31",
    "name_zh": "残疾人基本康复服务覆盖率",
    "name_en": "Basic rehabilitation service coverage",
    "form_number": "残联统1表",
    "issuing_authority": "中国残疾人联合会",
    "reporting_unit": "兰州市城关区残疾人联合会",
    "unit_head": "张建国",
    "statistics_head": "刘芳",
    "preparer": "陈静",
}

# Field names whose value depends on the body they are in.
_BY_MODEL: dict[tuple[str, str], Any] = {
    ("InstitutionCreate", "name"): "兰州市第二人民医院",
    ("InstitutionCreate", "division_code"): "620100000000",
    ("OrganisationCreate", "name"): "城关区张掖路街道残疾人联合会",
    ("StationCreate", "name"): "城关区张掖路街道助残志愿服务站",
    ("TeamCreate", "name"): "张掖路街道阳光助残志愿服务队",
    ("PlanCreate", "name"): "兰州市“十四五”残疾人保障和发展规划",
    ("PlanCreate", "code"): "lz-14th",
    ("IndicatorCreate", "code"): "rehabilitation-coverage",
    ("IndicatorCreate", "kind"): "reported",
    ("IndicatorCreate", "description"): "得到基本康复服务的持证残疾人占持证残疾人的比例",
    ("TrainingCreate", "title"): "助残志愿服务基础培训",
    ("HonourCreate", "title"): "优秀助残志愿者",
    ("NeedClosing", "note"): "已陪同完成复诊",
    ("TransferRejection", "reason"): "该残疾人户籍未迁入本区",
    ("TargetSet", "indicator"): "rehabilitation-coverage",
    ("TargetSet", "final_value"): 95,
    ("ReportedValueSubmit", "value"): 85.5,
    ("DivisionChangeCreate", "name"): "兰州新区",
    ("OrganisationUpdate", "name"): "城关区张掖路街道残疾人联合会",
    ("TransferRequestCreate", "reason"): "户籍已迁至七里河区,申请转出",
    ("TransferRequestCreate", "division_code"): "620103000000",
    ("CardTransfer", "division_code"): "620102001000",
    ("TransferWithdrawal", "reason"): "申请人暂缓迁出",
    ("Leaving", "reason"): "外出务工,暂停志愿服务",
    ("Declining", "reason"): "当天另有安排",
    ("RecordRejection", "reason"): "签到时间与需求时间不符",
    ("SubmissionReturn", "reason"): "请核对康复服务人数,与上季度差异较大",
    ("DissolutionCreate", "reason"): "行政区划调整,并入张掖路街道",
    ("AppointmentCreate", "reason"): "经公开招考聘用",
    ("TransitionCreate", "reason"): "试用期满,考核合格",
    ("ReviewCreate", "reason"): "材料齐全,评定结论明确",
    ("ReviewDecision", "reason"): "服务时长属实",
    ("ReportedValueSubmit", "indicator"): "assistive-device-adaptation-rate",
}

_MAX_ITEMS = 1


def example_of(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value valid against `schema` (refs resolved in `components`)."""
    return _value(schema, components, model="", field="", depth=0)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> tuple[dict[str, Any], str]:
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return schema, ""
    name = ref.rsplit("/", 1)[-1]
    resolved: dict[str, Any] = components.get(name, {})
    return resolved, name


def _typed(value: Any, schema: dict[str, Any]) -> Any:
    """A vocabulary value in the field's own type: an id is a string where the field says so."""
    kinds = {schema.get("type")} | {o.get("type") for o in schema.get("anyOf", [])}
    if "string" in kinds and not isinstance(value, str):
        return str(value)
    if "integer" in kinds and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _value(
    schema: dict[str, Any], components: dict[str, Any], *, model: str, field: str, depth: int
) -> Any:
    schema, name = _resolve(schema, components)
    if depth > 6:
        return None
    if examples := schema.get("examples"):
        return examples[0]
    if (model, field) in _BY_MODEL:
        return _BY_MODEL[(model, field)]
    if "enum" in schema:
        return schema["enum"][0]
    if field in _VOCABULARY and schema.get("type") != "object":
        return _typed(_VOCABULARY[field], schema)
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        options = [o for o in schema.get(key, []) if o.get("type") != "null"]
        if options:
            return _value(options[0], components, model=model, field=field, depth=depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return _object(schema, components, name or model, depth)
    if kind == "array":
        items = schema.get("items", {})
        count = max(_MAX_ITEMS, int(schema.get("minItems", 0)))
        return [
            _value(items, components, model=model, field=field, depth=depth + 1)
            for _ in range(count)
        ]
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return _number(schema)
    return _string(schema)


def _object(schema: dict[str, Any], components: dict[str, Any], model: str, depth: int) -> Any:
    required = set(schema.get("required", []))
    result: dict[str, Any] = {}
    for field, property_schema in schema.get("properties", {}).items():
        # Optional fields only where the vocabulary knows a value a clerk would fill in.
        if field not in required and field not in _VOCABULARY and (model, field) not in _BY_MODEL:
            continue
        result[field] = _value(
            property_schema, components, model=model, field=field, depth=depth + 1
        )
    return result


def _number(schema: dict[str, Any]) -> int | float:
    low = float(schema.get("minimum", schema.get("exclusiveMinimum", 0)))
    value = max(1.0, low + (1 if "exclusiveMinimum" in schema else 0))
    high = schema.get("maximum")
    if high is not None:
        value = min(value, float(high))
    return int(value) if value.is_integer() else value


def _string(schema: dict[str, Any]) -> str:
    if schema.get("format") == "date":
        return "2025-03-01"
    if schema.get("format") == "date-time":
        return "2025-03-01T09:00:00+08:00"
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, "example"):
        return "a1"
    return "示例"
