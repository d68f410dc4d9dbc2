"""The caller's language: zh-CN by default, English when the request asks for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Language = Literal["zh", "en"]


def negotiate_language(accept_language: str | None) -> Language:
    """Pick zh or en from an Accept-Language header, honouring q-values; zh when unsure."""
    if not accept_language:
        return "zh"
    best: tuple[float, Language] = (-1.0, "zh")
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and quality > best[0]:
            best = (quality, "zh" if primary == "zh" else "en")
    return best[1]


@dataclass(frozen=True, slots=True)
class Message:
    """A text in both languages; `{name}` placeholders are filled from keyword arguments."""

    zh: str
    en: str

    def render(self, language: Language, **params: Any) -> str:
        template = self.zh if language == "zh" else self.en
        return template.format(**params) if params else template
