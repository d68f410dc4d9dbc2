"""Ids on the wire are strings, whatever the column holds.

A service keyed by a sequence answers its ids as decimal strings (`"42"`), as the services
keyed by random ids do: clients keep ids opaque, and a key may change its kind later without
changing the contract. `WireId` is the output field type: it takes the row's integer (or a
string) and answers the string.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema


def _as_text(value: object) -> object:
    # bool is an int too, and never an id.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


WireId = Annotated[
    str,
    BeforeValidator(_as_text),
    Field(description="编号(字符串)/ id, a string", examples=["42"]),
]


# A request body's reference to a sequence-keyed row: documented as the string the answers
# give, and (pydantic's lax mode) taken as "42" or 42 alike.
RequestId = Annotated[
    int,
    Field(ge=1, le=2**62),
    WithJsonSchema(
        {"type": "string", "pattern": "^[1-9][0-9]{0,18}$", "examples": ["42"]},
        mode="validation",
    ),
]
