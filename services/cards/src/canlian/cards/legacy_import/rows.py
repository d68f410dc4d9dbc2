"""The columns of a legacy card register and one row as officials type it (Chinese category,
grade and generation names accepted)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from canlian.common.citizen_id import CitizenId
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.cards import (
    CardGeneration,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.tabular_import import Column, ImportDate

IMPORT_COLUMNS = (
    Column("citizen_id", ("公民身份号码", "身份证号", "身份证号码")),
    Column("name", ("姓名",)),
    Column("card_number", ("残疾人证号", "证号", "残疾证号")),
    Column("category", ("残疾类别", "类别")),
    Column("grade", ("残疾等级", "等级")),
    Column("issued_on", ("发证日期",)),
    Column("division_code", ("区划代码", "户籍地区划代码", "管理地区划代码")),
    Column("valid_until", ("有效期至",), required=False),
    Column("generation", ("证件类型",), required=False),
    Column("phone", ("联系电话",), required=False),
)

_CATEGORY_NAMES = {
    "视力": 1,
    "听力": 2,
    "言语": 3,
    "肢体": 4,
    "智力": 5,
    "精神": 6,
    "多重": 7,
}

_GRADE_NAMES = {"一": 1, "二": 2, "三": 3, "四": 4}

_GENERATION_NAMES = {
    "第二代": "second_generation",
    "二代": "second_generation",
    "智能化": "smart",
    "智能": "smart",
}


def _category_cell(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().removesuffix("残疾")
        return _CATEGORY_NAMES.get(text, text)
    return value


def _grade_cell(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().removesuffix("级")
        return _GRADE_NAMES.get(text, text)
    return value


def _generation_cell(value: object) -> object:
    if value is None:
        return CardGeneration.SECOND_GENERATION.value
    if isinstance(value, str):
        text = value.strip().removesuffix("残疾人证").removesuffix("证")
        return _GENERATION_NAMES.get(text, text)
    return value


class ImportRow(BaseModel):
    """One register row as officials type it (Chinese category and grade names accepted)."""

    citizen_id: CitizenId
    name: str = Field(min_length=1, max_length=50)
    card_number: str = Field(min_length=20, max_length=20)
    category: Annotated[DisabilityCategory, BeforeValidator(_category_cell)]
    grade: Annotated[DisabilityGrade, BeforeValidator(_grade_cell)]
    issued_on: ImportDate
    division_code: KnownDivisionCode
    valid_until: ImportDate | None = None
    generation: Annotated[CardGeneration, BeforeValidator(_generation_cell)] = (
        CardGeneration.SECOND_GENERATION
    )
    phone: str | None = Field(default=None, pattern=r"^[0-9+\- ]{7,20}$")
