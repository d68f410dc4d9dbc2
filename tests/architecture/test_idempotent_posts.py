"""Every POST that is not on an object (no path parameter before its last segment: a create,
a batch, an import) takes `Idempotency-Key`: a client retrying after a lost answer sends the
same key and gets the first answer, and the effect happens once. Writes of an existing
object take If-Match instead (tests/architecture/test_preconditions.py).

The exceptions below each say why a retry needs no key; there is no list of open gaps."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings

NO_KEY = {
    # Reads sent as POST so that a citizen ID or card number stays out of URLs and logs.
    ("members", "POST /v1/members/lookup"),
    ("cards", "POST /v1/persons/lookup"),
    ("cards", "POST /v1/verifications"),
    # The caller's own record changes state: it names the version (If-Match) instead.
    ("volunteers", "POST /v1/me/leave"),
    ("volunteers", "POST /v1/me/rejoin"),
    # Runs of a daily job asked for now: a second run finds nothing left to do.
    ("cards", "POST /v1/cards/expire-due"),
    ("needs", "POST /v1/needs/escalations"),
    ("org-registry", "POST /v1/policies/in-force"),
    ("members", "POST /v1/policies/in-force"),
    ("needs", "POST /v1/policies/in-force"),
    # Parked events go back to their consumer, whose inbox applies each once.
    ("metrics", "POST /v1/parked-events/replay"),
}

_UNDER_AN_OBJECT = re.compile(r"/\{[^}/]+\}/")


def _takes_key(operation: dict[str, Any]) -> bool:
    return any(
        parameter.get("in") == "header" and parameter.get("name") == "Idempotency-Key"
        for parameter in operation.get("parameters", [])
    )


@pytest.fixture(scope="module")
def posts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bool]:
    """(service, "POST path") of every POST not on an object: whether it takes the key."""
    root = tmp_path_factory.mktemp("idempotent-posts")
    found: dict[tuple[str, str], bool] = {}
    for descriptor in installed_services():
        module = importlib.import_module(f"{descriptor.package}.app")
        settings = PlatformSettings(canlian_data_dir=Path(root) / descriptor.name)
        schema: dict[str, Any] = module.create_app(settings).openapi()
        for path, item in schema["paths"].items():
            operation = item.get("post")
            if operation is not None and not _UNDER_AN_OBJECT.search(path):
                found[(descriptor.name, f"POST {path}")] = _takes_key(operation)
    return found


def test_every_post_not_on_an_object_takes_an_idempotency_key(
    posts: dict[tuple[str, str], bool],
) -> None:
    assert len(posts) >= 30
    missing = sorted(key for key, keyed in posts.items() if not keyed and key not in NO_KEY)
    assert missing == []


def test_the_exceptions_name_routes_that_exist_and_take_no_key(
    posts: dict[tuple[str, str], bool],
) -> None:
    assert sorted(NO_KEY - posts.keys()) == []
    assert sorted(key for key in NO_KEY if posts[key]) == []


def test_the_batches_take_it(posts: dict[tuple[str, str], bool]) -> None:
    for key in [
        ("needs", "POST /v1/visits/batch"),
        ("needs", "POST /v1/me/visits/batch"),
        ("volunteers", "POST /v1/me/service-records/batch"),
        ("volunteers", "POST /v1/service-records/reviews"),
    ]:
        assert posts[key], key
