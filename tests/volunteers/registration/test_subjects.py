"""Which token subjects can be volunteer ids (no database)."""

import pytest

from canlian.volunteers.registration.problems import SubjectNotUsable
from canlian.volunteers.registration.service import validate_subject


@pytest.mark.parametrize("subject", ["", "a" * 65, "王", "a b", "x/y"])
def test_unusable_token_subjects_are_refused(subject: str) -> None:
    with pytest.raises(SubjectNotUsable):
        validate_subject(subject)


def test_usable_token_subjects_pass() -> None:
    assert validate_subject("idp-2f9.c_1") == "idp-2f9.c_1"
