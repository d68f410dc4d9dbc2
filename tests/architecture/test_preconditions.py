"""Every write of an existing object names the version it was made against (If-Match).

Walks every service's operations: a PUT, PATCH or DELETE, and a POST anywhere under a path
parameter (a state transition `/{id}/<verb>`, or a write into an object's collection such as
`/{plan}/reported-values/upload`), must take the kit's `IfMatch` dependency (documented as the
`If-Match` header with 412 and 428). A create-or-replace takes it too and asks for it only
when it replaces (`Precondition.check_if_present`, `check_collection`). The only exceptions
are creates of a sub-resource, each with its reason; there is no list of open gaps (the
create-or-replace writes once listed as such escaped the rule that way, and the upload under
`/{plan}/reported-values/` escaped the walk, which saw only `/{id}/<verb>`).
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
    # A nomination in a commendation round: a new record, the round unchanged (the decision
    # on it takes the nomination's If-Match).
    ("org-registry", "POST /v1/commendation-rounds/{round_id}/nominations"),
    # A new term of an organisation.
    ("org-registry", "POST /v1/organisations/{organisation_id}/terms"),
    # Invitations, honours and trainings: new rows, the need or volunteer unchanged.
    ("volunteers", "POST /v1/needs/{need_id}/invitations"),
    ("volunteers", "POST /v1/volunteers/{volunteer_id}/honours"),
    ("volunteers", "POST /v1/volunteers/{volunteer_id}/trainings"),
}

# A POST below a path parameter: it writes into an existing object (or creates under it).
_UNDER_AN_OBJECT = re.compile(r"/\{[^}/]+\}/")


def _writes_existing(method: str, path: str) -> bool:
    if method in ("put", "patch", "delete"):
        return True
    return method == "post" and _UNDER_AN_OBJECT.search(path) is not None


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
    assert [key for key in missing if key not in CREATES] == []


def test_the_exceptions_name_routes_that_exist_and_still_lack_it(
    writes: dict[tuple[str, str], bool],
) -> None:
    assert sorted((CREATES) - writes.keys()) == []
    # A create given If-Match leaves the list.
    assert sorted(key for key in CREATES if writes[key]) == []


def test_the_walk_finds_the_transitions() -> None:
    assert _writes_existing("post", "/v1/institutions/{institution_id}/revoke")
    assert _writes_existing("post", "/v1/me/needs/{need_id}/accept")
    assert _writes_existing("post", "/v1/plans/{plan}/reported-values/upload")
    assert not _writes_existing("post", "/v1/institutions")
    assert not _writes_existing("post", "/v1/persons/lookup")
    assert not _writes_existing("get", "/v1/cards/{card_id}")
    assert not _writes_existing("post", "/v1/imports/roster")
