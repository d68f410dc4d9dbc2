"""The OpenAPI document speaks both languages: every operation and every field of the
volunteers API is described in Chinese and English."""

import re
from pathlib import Path
from typing import Any

from canlian.common.settings import PlatformSettings
from canlian.volunteers.app import create_app

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}")
FASTAPI_OWN = {"HTTPValidationError", "ValidationError"}


def _bilingual(text: str) -> bool:
    return bool(CHINESE.search(text) and ENGLISH.search(text))


def _spec(tmp_path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = create_app(PlatformSettings(canlian_data_dir=tmp_path)).openapi()
    return spec


def test_every_operation_is_versioned_and_described_in_both_languages(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    undescribed = [
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        if path.startswith("/v1/")
        for method, operation in operations.items()
        if not _bilingual(f"{operation.get('summary', '')} {operation.get('description', '')}")
    ]
    assert undescribed == []
    assert all(
        path.startswith(("/v1/", "/healthz", "/readyz", "/metrics", "/events/"))
        for path in spec["paths"]
    )


def test_every_field_is_described_in_both_languages(tmp_path: Path) -> None:
    schemas = _spec(tmp_path)["components"]["schemas"]
    undescribed = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        if name not in FASTAPI_OWN
        for field, field_schema in schema.get("properties", {}).items()
        if not _bilingual(field_schema.get("description", ""))
    ]
    assert undescribed == []
