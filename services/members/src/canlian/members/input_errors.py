"""The invalid-input problem that names its field, shared by the concepts whose rules the roster
import re-checks row by row (archive, organisations, appointments, training)."""

from __future__ import annotations

from typing import ClassVar

from canlian.common.errors import InvalidInput


class MembersInputError(InvalidInput):
    """`field` names the input a problem is about, for the import's row report."""

    field: ClassVar[str] = "-"
