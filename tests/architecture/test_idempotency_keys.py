"""One rule for a POST without a path parameter (a create, a batch, an action on a whole
collection such as `/v1/needs/escalations`): it takes `Idempotency-Key`, not If-Match (it
names no object whose version it could match). A retry with the same key and request answers
the first answer and writes nothing more; the same key with another body or query is a 422
`idempotency-key-reused` problem (canlian.common.idempotency; docs/service-guide.md, "Batch
POSTs"). The exceptions are reads sent as POST (so personal data stays out of URLs and logs)
and the caller's own object (`/me/...`), which takes If-Match; each with its reason.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings

SERVICES = installed_services()

READS = {
    # The policy values in force for a region and date: computed, nothing written.
    ("org-registry", "POST /v1/policies/in-force"),
    ("members", "POST /v1/policies/in-force"),
    ("needs", "POST /v1/policies/in-force"),
    # Lookups by citizen ID: the ID travels in the body, never in a URL; nothing written
    # but the audit line of the lookup.
    ("members", "POST /v1/members/lookup"),
    ("cards", "POST /v1/persons/lookup"),
    # Verifying a card number: answers valid or not (rate-limited), nothing written.
    ("cards", "POST /v1/verifications"),
}

OWN_OBJECT = {
    # The volunteer's own record (`me`), one object: a transition with its If-Match.
    ("volunteers", "POST /v1/me/leave"),
    ("volunteers", "POST /v1/me/rejoin"),
}


def _header(operation: dict[str, Any], name: str) -> bool:
    return any(
        parameter.get("in") == "header" and parameter.get("name") == name
        for parameter in operation.get("parameters", [])
    )


def _collection_posts(tmp_path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for descriptor in SERVICES:
        module = importlib.import_module(f"{descriptor.package}.app")
        settings = PlatformSettings(canlian_data_dir=tmp_path / descriptor.name)
        schema: dict[str, Any] = module.create_app(settings).openapi()
        for path, item in schema["paths"].items():
            if "post" in item and "{" not in path:
                found[(descriptor.name, f"POST {path}")] = item["post"]
    return found


@pytest.fixture(scope="module")
def posts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    return _collection_posts(tmp_path_factory.mktemp("idempotency"))


def test_every_post_without_a_path_parameter_takes_an_idempotency_key(
    posts: dict[tuple[str, str], dict[str, Any]],
) -> None:
    missing = sorted(
        key
        for key, operation in posts.items()
        if key not in READS | OWN_OBJECT and not _header(operation, "Idempotency-Key")
    )
    assert missing == []
    # Not If-Match: there is no object version to match.
    guarded = sorted(
        key
        for key, operation in posts.items()
        if key not in OWN_OBJECT and _header(operation, "If-Match")
    )
    assert guarded == []


def test_the_batches_are_among_them(posts: dict[tuple[str, str], dict[str, Any]]) -> None:
    batches = sorted(
        key for key in posts if key[1].endswith(("/batch", "/service-records/reviews"))
    )
    assert batches == [
        ("needs", "POST /v1/me/visits/batch"),
        ("needs", "POST /v1/visits/batch"),
        ("volunteers", "POST /v1/me/service-records/batch"),
        ("volunteers", "POST /v1/service-records/reviews"),
    ]
    assert all(_header(posts[key], "Idempotency-Key") for key in batches)


def test_the_exceptions_name_routes_that_exist_and_still_need_them(
    posts: dict[tuple[str, str], dict[str, Any]],
) -> None:
    assert sorted((READS | OWN_OBJECT) - posts.keys()) == []
    # A read that starts taking a key, or the own object that loses If-Match, leaves the list.
    assert sorted(key for key in READS if _header(posts[key], "Idempotency-Key")) == []
    assert sorted(key for key in OWN_OBJECT if not _header(posts[key], "If-Match")) == []
