"""A problem's divisions named beside their codes (鄂托克旗(150624000000)) in the services
that keep the registry's names; a code whose name is not known stays a code."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table

from canlian.common import divisions
from canlian.common.db.database import Database
from canlian.common.division_names.repository import names_of
from canlian.common.division_words import label

logger = logging.getLogger("canlian.division_names")

DIVISION_PARAMETERS = frozenset({"division_code", "region", "scope", "county"})
"""The problem parameters that hold a division code, by the services' naming."""

NATION_NAME = "全国"


def _division_codes(params: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in DIVISION_PARAMETERS & params.keys():
        value = params[key]
        if isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit():
            found[key] = value
    return found


class DivisionNames:
    """Names a problem's division parameters from the service's `division_names` table."""

    def __init__(self, database: Database, table: Table) -> None:
        self.database = database
        self.table = table

    async def labelled(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters with each division code as `name(code)`; unchanged when no name is
        known or the names cannot be read (a problem must still be answered)."""
        codes = _division_codes(params)
        if not codes:
            return dict(params)
        try:
            async with self.database.read_session() as session:
                names = await names_of(session, self.table, set(codes.values()))
        except Exception as error:  # the problem is answered with codes alone
            logger.warning("division names unavailable: %s", type(error).__name__)
            names = {}
        names.setdefault(divisions.NATION, NATION_NAME)
        return {**params, **{key: label(code, names.get(code)) for key, code in codes.items()}}
