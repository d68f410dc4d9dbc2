"""Moving the business date in a test: `canlian.common.business_day.china_today()` answers a
later day for every module that calls it (they all read the clock through that module), while
the wall clock, the database's and the tokens' times stay as they are."""

from __future__ import annotations

import types
from datetime import date, datetime, timedelta, tzinfo

import pytest

from canlian.common import business_day


def advance_business_date(monkeypatch: pytest.MonkeyPatch, days: int) -> date:
    """Make the business date `days` later than today (China time); the new date."""
    real = datetime

    def later(tz: tzinfo | None = None) -> datetime:
        return real.now(tz) + timedelta(days=days)

    monkeypatch.setattr(business_day, "datetime", types.SimpleNamespace(now=later))
    return business_day.china_today()
