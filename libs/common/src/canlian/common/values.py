"""Field types for the values people type: names and titles, phones, dates, amounts.

Each is an `Annotated` pydantic type that normalises or refuses, with zh/en texts:

- `HumanText` (and `human_text(max_length)`): NFC-normalised, trimmed, not blank, printable
  (no NUL or other control characters, no bidi overrides or isolates, no zero-width or other
  invisible format characters, no line breaks), at most 200 characters by default. For
  names of people, organisations, plans, stations and teams, titles.
- `MultilineText` (bounded: `Annotated[str, Multiline(500)]`, or `multiline_text(500)`): free
  text that keeps its line breaks, for notes, reasons, remarks, conclusions, descriptions.
  NFC-normalised, CRLF and CR as LF, tab and LF kept; NUL and other control characters, bidi
  overrides and isolates, zero-width and other invisible format characters refused; trimmed;
  at most 4000 characters by default; blank refused unless `required=False` (optional fields).
- `Phone`: a mainland mobile (11 digits from 1[3-9]), a landline with its area code
  (0931-8123456, 0931 8123456) or an international number (+86 ...); spaces and hyphens
  between digit groups are dropped.
- `SaneDate`: a date from 1900-01-01 to 2100-12-31.
- `FiniteDecimal` / `FiniteFloat`: numbers, never NaN or Infinity.
- `fixed_places(n)`: a `Decimal` carried with exactly n decimal places ("120" -> "120.00"), so
  that an answer says an amount as every later read of its NUMERIC column does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from canlian.common import validation_messages
from canlian.common.i18n import Message

DEFAULT_TEXT_LENGTH = 200
DEFAULT_MULTILINE_LENGTH = 4000
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# Unicode categories refused anywhere in a human text: controls (Cc: NUL, newline, tab ...),
# format characters (Cf: bidi overrides U+202A-U+202E and isolates U+2066-U+2069, zero-width
# U+200B-U+200D, U+2060, U+FEFF, soft hyphen ...), surrogates, private use, unassigned, and
# the line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

validation_messages.register(
    "human_text",
    Message(zh="文本无效:{reason_zh}", en="Invalid text: {reason}"),
)
validation_messages.register(
    "multiline_text",
    Message(zh="文本无效:{reason_zh}", en="Invalid text: {reason}"),
)
validation_messages.register(
    "phone", Message(zh="电话号码格式不正确", en="Not a valid phone number")
)
validation_messages.register(
    "date_out_of_range",
    Message(
        zh="日期应在 {earliest} 至 {latest} 之间",
        en="The date must lie between {earliest} and {latest}",
    ),
)
validation_messages.register(
    "finite_number", Message(zh="应为有限的数字", en="Must be a finite number")
)


def _text_error(reason: str, reason_zh: str) -> PydanticCustomError:
    return PydanticCustomError(
        "human_text", "Invalid text: {reason}", {"reason": reason, "reason_zh": reason_zh}
    )


def clean_text(value: Any, max_length: int = DEFAULT_TEXT_LENGTH) -> str:
    """The normalised text, or a pydantic error saying what is wrong with it."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    text = unicodedata.normalize("NFC", value)
    refused = next(
        (character for character in text if unicodedata.category(character) in _REFUSED_CATEGORIES),
        None,
    )
    if refused is not None:
        code = f"U+{ord(refused):04X}"
        raise _text_error(
            f"holds the invisible or control character {code}",
            f"含有不可见字符或控制字符 {code}",
        )
    text = " ".join(text.split())  # trimmed, runs of white space as one space
    if not text:
        raise _text_error("must not be blank", "不能为空白")
    if len(text) > max_length:
        raise _text_error(
            f"must have at most {max_length} characters", f"长度不能超过 {max_length}"
        )
    return text


def human_text(max_length: int = DEFAULT_TEXT_LENGTH) -> Any:
    """A `HumanText` of at most `max_length` characters (after normalising)."""
    return Annotated[
        str, BeforeValidator(lambda value: clean_text(value, max_length)), HUMAN_TEXT_FORMAT
    ]


# The formats name the types in the OpenAPI documents (clients and fuzzers generate valid ones).
HUMAN_TEXT_FORMAT = Field(json_schema_extra={"format": "human-text"})
HumanText = Annotated[str, BeforeValidator(clean_text), HUMAN_TEXT_FORMAT]

# In free text only these two controls are kept: a tab and the line feed (after CRLF and CR
# have become LF). The line and paragraph separators (Zl, Zp) stay refused: a stored note
# breaks its lines one way only.
_KEPT_IN_MULTILINE = frozenset("\t\n")
_LINE_ENDINGS = re.compile(r"\r\n?")


def _multiline_error(reason: str, reason_zh: str) -> PydanticCustomError:
    return PydanticCustomError(
        "multiline_text", "Invalid text: {reason}", {"reason": reason, "reason_zh": reason_zh}
    )


def clean_multiline_text(
    value: Any, max_length: int = DEFAULT_MULTILINE_LENGTH, *, required: bool = True
) -> str:
    """The normalised free text (line breaks kept), or a pydantic error saying what is wrong
    with it. With `required=False` blank text is the empty string instead of an error."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    too_long = _multiline_error(
        f"must have at most {max_length} characters", f"长度不能超过 {max_length}"
    )
    if len(value) > 4 * max_length:  # refused before the work of normalising it
        raise too_long
    text = _LINE_ENDINGS.sub("\n", unicodedata.normalize("NFC", value))
    refused = next(
        (
            character
            for character in text
            if character not in _KEPT_IN_MULTILINE
            and unicodedata.category(character) in _REFUSED_CATEGORIES
        ),
        None,
    )
    if refused is not None:
        code = f"U+{ord(refused):04X}"
        raise _multiline_error(
            f"holds the invisible or control character {code}",
            f"含有不可见字符或控制字符 {code}",
        )
    text = text.strip()
    if not text and required:
        raise _multiline_error("must not be blank", "不能为空白")
    if len(text) > max_length:
        raise too_long
    return text


@dataclass(frozen=True)
class Multiline:
    """`Annotated[str, Multiline(500)]`: free text cleaned by `clean_multiline_text` with its
    bounds in the published schema (maxLength, minLength). The bounds live here rather than
    in `Field(...)` so that a nullable field (`... | None`) keeps them on the text itself."""

    max_length: int = DEFAULT_MULTILINE_LENGTH
    min_length: int | None = None
    required: bool = True

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        text = core_schema.str_schema(max_length=self.max_length, min_length=self.min_length)
        return core_schema.no_info_before_validator_function(
            lambda value: clean_multiline_text(value, self.max_length, required=self.required),
            text,
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "format": "multiline-text"}


def multiline_text(
    max_length: int = DEFAULT_MULTILINE_LENGTH,
    *,
    min_length: int | None = None,
    required: bool = True,
) -> Any:
    """A `MultilineText` of at most `max_length` characters (after normalising); with
    `required=False` blank text is accepted as the empty string."""
    return Annotated[str, Multiline(max_length, min_length, required)]


MultilineText = Annotated[str, Multiline()]

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
_INTERNATIONAL = re.compile(r"\+[1-9]\d{6,14}")
_SEPARATORS = re.compile(r"(?<=\d)[ -](?=\d)")


def parse_phone(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise PydanticCustomError("phone", "Not a valid phone number")
    text = _SEPARATORS.sub("", str(value).strip())
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text) or _INTERNATIONAL.fullmatch(text):
        return text
    raise PydanticCustomError("phone", "Not a valid phone number")


Phone = Annotated[str, BeforeValidator(parse_phone), Field(json_schema_extra={"format": "phone"})]


def _sane_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError(
            "date_out_of_range",
            "The date must lie between {earliest} and {latest}",
            {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )
    return value


SaneDate = Annotated[date, AfterValidator(_sane_date)]


def _finite(value: Any) -> Any:
    if isinstance(value, Decimal) and not value.is_finite():
        raise PydanticCustomError("finite_number", "Must be a finite number")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise PydanticCustomError("finite_number", "Must be a finite number")
    return value


FiniteDecimal = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(_finite)]


def fixed_places(places: int) -> Any:
    """An `Annotated` marker for a `Decimal` field: the value padded to `places` decimal places
    (a field's `decimal_places` already refuses more)."""
    exponent = Decimal(1).scaleb(-places)

    def pad(value: Decimal) -> Decimal:
        return value.quantize(exponent)

    return AfterValidator(pad)


FiniteFloat = Annotated[float, Field(allow_inf_nan=False), AfterValidator(_finite)]
