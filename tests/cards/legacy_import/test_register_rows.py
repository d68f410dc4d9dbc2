"""How register cells are read, without a database."""

import pytest
from pydantic import ValidationError

from canlian.cards.legacy_import.rows import ImportRow
from canlian.common.events.cards import CardGeneration

VECTOR = "11010519491231002X"  # the GB 11643 test vector


def test_register_cells_accept_the_words_officials_type() -> None:
    row = ImportRow.model_validate(
        {
            "citizen_id": VECTOR.lower(),
            "name": "张三",
            "card_number": VECTOR + "63",
            "category": "精神残疾",
            "grade": "三级",
            "issued_on": "2020-01-02",
            "division_code": "110105",
            "generation": "智能化残疾人证",
        }
    )
    assert (row.citizen_id, int(row.category), int(row.grade)) == (VECTOR, 6, 3)
    assert row.generation is CardGeneration.SMART
    assert row.division_code == "110105000000"
    blank = ImportRow.model_validate({**row.model_dump(), "generation": None})
    assert blank.generation is CardGeneration.SECOND_GENERATION
    with pytest.raises(ValidationError) as refused:
        ImportRow.model_validate({**row.model_dump(), "category": "八", "grade": "零级"})
    assert {error["loc"][0] for error in refused.value.errors()} == {"category", "grade"}
