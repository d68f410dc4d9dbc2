"""Valid values for the formats the kit's value types name in the OpenAPI documents
(`citizen-id`, `division-code`, `phone`, `mobile-phone`, `human-text`, `multiline-text`), so
that the fuzzer's creations succeed and its workflows reach the objects they create.
Schemathesis still sends its own invalid values besides. Imported by the tests, and by the
schemathesis command as its hooks module (SCHEMATHESIS_HOOKS)."""

from __future__ import annotations

from datetime import date

import schemathesis
from hypothesis import strategies as st

from canlian.common import citizen_id

PLACES = [
    "620000000000",  # 甘肃省
    "620100000000",  # 兰州市
    "620102000000",  # 城关区
    "620102001000",
    "620102001001",
    "620102003004",
    "640000000000",  # 宁夏
    "640104000000",  # 兴庆区
    "640104100000",
    "640104100201",
]


def _citizen_id(area: str, born: date, sequence: int) -> str:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + citizen_id.check_digit(first17)


# Printable text, Chinese and Latin, not blank: what a person types.
_WORDS = st.text(
    alphabet=st.sampled_from("残联康复服务中心张李王 abcXYZ0123-·,。"), min_size=2, max_size=20
).filter(lambda text: len("".join(text.split())) >= 2)

schemathesis.openapi.format(
    "citizen-id",
    st.builds(
        _citizen_id,
        st.sampled_from(["620102", "620103", "640104"]),
        st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
        st.integers(min_value=0, max_value=999),
    ),
)
schemathesis.openapi.format("division-code", st.sampled_from(PLACES))
schemathesis.openapi.format("phone", st.sampled_from(["13912345678", "0931-8123456"]))
schemathesis.openapi.format("mobile-phone", st.sampled_from(["13912345678", "15800001111"]))
schemathesis.openapi.format("human-text", _WORDS)
schemathesis.openapi.format(
    "multiline-text", st.lists(_WORDS, min_size=1, max_size=3).map("\r\n".join)
)
