"""Class 13, kit part (bad values stored): free text - notes, reasons, remarks - keeps its
line breaks and tabs, but refuses what a name refuses: NUL and other controls, bidi
overrides and isolates, zero-width and other invisible characters; it is NFC, trimmed and
bounded."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from canlian.common import validation_messages
from canlian.common.values import (
    DEFAULT_MULTILINE_LENGTH,
    Multiline,
    MultilineText,
    multiline_text,
)


class Body(BaseModel):
    note: MultilineText = "说明"
    short: multiline_text(10) = "短"  # type: ignore[valid-type]
    reason: Annotated[str, Multiline(500, min_length=2)] = "原因"
    remarks: Annotated[str, Multiline(20, required=False)] | None = None


HOSTILE = {
    "NUL": "第一行\x00第二行",
    "bell": "提醒\x07",
    "escape (terminal colours)": "\x1b[31m红字",
    "vertical tab": "上\x0b下",
    "form feed": "上\x0c下",
    "delete": "删\x7f",
    "C1 next line": "上\x85下",
    "bidi override RLO": "\u202e已批准",
    "bidi embedding LRE": "\u202a文字",
    "bidi isolate": "甲\u2066乙\u2069",
    "right-to-left mark": "甲\u200f乙",
    "zero-width space": "同\u200b意",
    "zero-width joiner": "同\u200d意",
    "word joiner": "同\u2060意",
    "byte-order mark": "\ufeff说明",
    "soft hyphen": "说\u00admin",
    "line separator": "上\u2028下",
    "paragraph separator": "上\u2029下",
    "private use": "说\ue000明",
    "unassigned": "说\U000e0fff明",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_free_text_refuses_control_bidi_and_invisible_characters(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Body(note=text)
    error = refused.value.errors()[0]
    assert error["loc"] == ("note",)
    assert error["type"] == "multiline_text"
    assert validation_messages.render(dict(error), "zh").startswith("文本无效:含有不可见字符")
    assert "U+" in validation_messages.render(dict(error), "en")


def test_free_text_keeps_line_breaks_and_tabs() -> None:
    text = "第一条:已核实。\n第二条:\t补充材料\n\n第三条:同意"
    assert Body(note=text).note == text


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("第一行\r\n第二行", "第一行\n第二行"),
        ("第一行\r第二行", "第一行\n第二行"),
        ("甲\r\n\r\n乙\r", "甲\n\n乙"),
    ],
)
def test_crlf_and_cr_become_line_feeds(given: str, stored: str) -> None:
    assert Body(note=given).note == stored


def test_free_text_is_nfc_and_trimmed_but_keeps_inner_spacing() -> None:
    assert Body(note="  \n e\u0301cole  du village \n\t").note == "\u00e9cole  du village"


def test_free_text_is_bounded_after_normalising() -> None:
    assert Body(note="字" * DEFAULT_MULTILINE_LENGTH).note == "字" * DEFAULT_MULTILINE_LENGTH
    # CRLF counts as one character once it is a line feed.
    assert len(Body(note="字\r\n" * 2000).note) == DEFAULT_MULTILINE_LENGTH - 1
    for field, text in [
        ("note", "字" * (DEFAULT_MULTILINE_LENGTH + 1)),
        ("note", "字" * 100_000),
        ("short", "十一个字的一段说明文字"),
        ("reason", "长" * 501),
    ]:
        with pytest.raises(ValidationError) as refused:
            Body(**{field: text})
        error = refused.value.errors()[0]
        assert error["type"] == "multiline_text"
        assert "长度不能超过" in validation_messages.render(dict(error), "zh")


def test_a_smaller_lower_bound_holds_on_the_cleaned_text() -> None:
    with pytest.raises(ValidationError) as refused:
        Body(reason="  好 \n")
    assert refused.value.errors()[0]["type"] == "string_too_short"
    assert Body(reason=" 同意 ").reason == "同意"


@pytest.mark.parametrize("blank", ["", "   ", "\n\n", "\r\n\t ", "\u3000"])
def test_blank_text_is_refused_where_required_and_empty_where_optional(blank: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Body(note=blank)
    error = refused.value.errors()[0]
    assert error["type"] == "multiline_text"
    assert validation_messages.render(dict(error), "en") == "Invalid text: must not be blank"
    assert Body(remarks=blank).remarks == ""
    assert Body(remarks=None).remarks is None


@pytest.mark.parametrize("value", [1, 1.5, True, ["说明"], {"zh": "说明"}])
def test_free_text_must_be_a_string(value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        Body(note=value)
    assert refused.value.errors()[0]["type"] == "string_type"


def test_the_bounds_are_published_in_the_schema() -> None:
    properties = Body.model_json_schema()["properties"]
    assert properties["note"]["maxLength"] == DEFAULT_MULTILINE_LENGTH
    assert properties["short"]["maxLength"] == 10
    assert (properties["reason"]["minLength"], properties["reason"]["maxLength"]) == (2, 500)
    assert properties["note"]["format"] == "multiline-text"
    assert {"type": "string", "maxLength": 20, "format": "multiline-text"} in properties["remarks"][
        "anyOf"
    ]
