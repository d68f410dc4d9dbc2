"""Ids answer strings: the kit's output type for sequence keys."""

import pytest
from pydantic import BaseModel, ValidationError

from canlian.common.ids import WireId


class _Read(BaseModel):
    id: WireId


def test_an_integer_key_answers_a_string() -> None:
    assert _Read(id=42).model_dump(mode="json") == {"id": "42"}
    assert _Read(id="42").id == "42"


def test_a_flag_is_no_id() -> None:
    with pytest.raises(ValidationError):
        _Read(id=True)


def test_the_schema_names_a_string() -> None:
    assert _Read.model_json_schema()["properties"]["id"]["type"] == "string"
