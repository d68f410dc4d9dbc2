"""Every write of an existing object names the version it was made against (If-Match).

Walks every service's operations: a PUT, PATCH or DELETE, and a POST on `/{id}/<verb>` (a
state transition), must take the kit's `IfMatch` dependency (documented as the `If-Match`
header with 412 and 428). The exceptions are listed below, each with its reason: creates of a
sub-resource, and writes still open (a known gap, to be closed; the test fails once one is
closed, so the list only shrinks).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings

SERVICES = installed_services()

# A POST on `/{id}/<segment>` that creates something under the object rather than changing it.
CREATES = {
    # A request names no version of the card: the card changes only once the other county
    # accepts (that step takes the card's If-Match); an open request is a 409.
    ("cards", "POST /v1/cards/{card_id}/transfer-requests"),
    # New records of an appointment or a member, none changing the one above (an assessment
    # decides the appointment's next step, so it takes the appointment's If-Match).
    ("members", "POST /v1/members/{member_id}/appointments"),
    ("members", "POST /v1/members/{member_id}/trainings"),
    # A new submission version of a region's year (a waiting one already is a 409).
    ("metrics", "POST /v1/plans/{plan}/submissions"),
    # An acceptance inspection of an organisation: a new record (a re-inspection replaces the
    # current one and takes its If-Match).
    ("org-registry", "POST /v1/organisations/{organisation_id}/inspections"),
    # A new term of an organisation.
    ("org-registry", "POST /v1/organisations/{organisation_id}/terms"),
    # Invitations, honours and trainings: new rows, the need or volunteer unchanged.
    ("volunteers", "POST /v1/needs/{need_id}/invitations"),
    ("volunteers", "POST /v1/volunteers/{volunteer_id}/honours"),
    ("volunteers", "POST /v1/volunteers/{volunteer_id}/trainings"),
}

# Writes of existing objects still taken without If-Match: open gaps (issue 17, item 2).
OPEN = {
    # Create-or-replace of values without a version column yet.
    ("members", "PUT /v1/allowance-minimums/{division_code}/{post_level}"),
    ("volunteers", "PUT /v1/star-policies/{division_code}"),
    ("metrics", "PUT /v1/plans/{plan}/targets"),
    ("metrics", "DELETE /v1/plans/{plan}/targets"),
    ("metrics", "PUT /v1/plans/{plan}/submission-deadlines"),
    ("metrics", "POST /v1/plans/{plan}/reported-values"),
}

_TRANSITION = re.compile(r"/\{[^}/]+\}/[a-z][a-z-]*$")


def _writes_existing(method: str, path: str) -> bool:
    if method in ("put", "patch", "delete"):
        return True
    return method == "post" and _TRANSITION.search(path) is not None


def _takes_if_match(operation: dict[str, Any]) -> bool:
    return any(
        parameter.get("in") == "header"
        and parameter.get("name") == "If-Match"
        and "412" in operation["responses"]
        and "428" in operation["responses"]
        for parameter in operation.get("parameters", [])
    )


def _writes(tmp_path: Path) -> dict[tuple[str, str], bool]:
    """(service, "METHOD path") of every write of an existing object: whether it takes If-Match."""
    found: dict[tuple[str, str], bool] = {}
    for descriptor in SERVICES:
        module = importlib.import_module(f"{descriptor.package}.app")
        settings = PlatformSettings(canlian_data_dir=tmp_path / descriptor.name)
        schema: dict[str, Any] = module.create_app(settings).openapi()
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                if _writes_existing(method, path):
                    key = (descriptor.name, f"{method.upper()} {path}")
                    found[key] = _takes_if_match(operation)
    return found


@pytest.fixture(scope="module")
def writes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bool]:
    return _writes(tmp_path_factory.mktemp("preconditions"))


def test_every_write_of_an_existing_object_takes_if_match(
    writes: dict[tuple[str, str], bool],
) -> None:
    missing = sorted(key for key, guarded in writes.items() if not guarded)
    assert [key for key in missing if key not in CREATES | OPEN] == []


def test_the_exceptions_name_routes_that_exist_and_still_lack_it(
    writes: dict[tuple[str, str], bool],
) -> None:
    assert sorted((CREATES | OPEN) - writes.keys()) == []
    # A gap closed (or a create given If-Match) leaves the list.
    assert sorted(key for key in CREATES | OPEN if writes[key]) == []


def test_the_walk_finds_the_transitions() -> None:
    assert _writes_existing("post", "/v1/institutions/{institution_id}/revoke")
    assert _writes_existing("post", "/v1/me/needs/{need_id}/accept")
    assert not _writes_existing("post", "/v1/institutions")
    assert not _writes_existing("post", "/v1/persons/lookup")
    assert not _writes_existing("get", "/v1/cards/{card_id}")
