"""Settings of the cards service."""

from __future__ import annotations

from canlian.common.settings import PlatformSettings


class CardsSettings(PlatformSettings):
    pass
