"""Class 8, services part (existence oracles in conflicts): a 409 about a value that is taken
says only that it is taken when the record holding it lies outside the caller's region; no
id, no division, nothing to probe other regions with. Inside the caller's scope it may name
the record."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from canlian.cards.cards.models import Card
from canlian.common import auth, citizen_id
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, runtime_of
from tests.cards.conftest import Desk

pytestmark = pytest.mark.postgres

CHENGGUAN = "620102000000"  # 兰州市城关区
QILIHE = "620103000000"  # 兰州市七里河区


def _citizen_id(sequence: int) -> str:
    first17 = f"62010219850505{sequence:03d}"
    return first17 + citizen_id.check_digit(first17)


def _clerk(settings: PlatformSettings, county: str) -> dict[str, str]:
    return bearer(settings, roles=[auth.OFFICIAL], region=county, subject=f"clerk-{county}")


def _member(number: str, division_code: str) -> dict[str, object]:
    return {
        "kind": "federation_staff",
        "division_code": division_code,
        "name": "李四",
        "citizen_id": number,
        "disability_relation": "none",
    }


def _says_nothing_of(problem: httpx.Response, *secrets: str) -> None:
    body = problem.json()
    # No extension member (an id, a division): the standard members only.
    assert set(body) <= {"type", "title", "status", "detail", "instance", "request_id"}
    for secret in secrets:
        assert secret not in body["detail"] + body["title"], secret


async def test_an_archive_entry_of_another_county_is_only_taken(
    members_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    number = _citizen_id(1)
    home = _clerk(postgres_settings, CHENGGUAN)
    first = await members_client.post(
        "/v1/members", json=_member(number, "620102001001"), headers=home
    )
    assert first.status_code == 201
    member_id = str(first.json()["id"])
    # Inside the scope: the entry is named, to add the appointment to it.
    again = await members_client.post(
        "/v1/members", json=_member(number, "620102001002"), headers=home
    )
    assert again.status_code == 409
    assert again.json()["member_id"] == str(member_id)
    # Outside it: taken, and nothing else.
    neighbour = _clerk(postgres_settings, QILIHE)
    elsewhere = await members_client.post(
        "/v1/members", json=_member(number, "620103001001"), headers=neighbour
    )
    assert elsewhere.status_code == 409
    assert elsewhere.json()["type"].endswith("/already-in-archive")
    _says_nothing_of(elsewhere, member_id, "620102", "城关")
    english = await members_client.post(
        "/v1/members",
        json=_member(number, "620103001001"),
        headers={**neighbour, "Accept-Language": "en"},
    )
    assert "another region" in english.json()["detail"]
    _says_nothing_of(english, member_id, "620102")


async def test_a_person_of_another_county_is_only_taken(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    number = _citizen_id(2)
    person = await Desk(cards_client, _clerk(postgres_settings, CHENGGUAN)).register(number)
    neighbour = _clerk(postgres_settings, QILIHE)
    elsewhere = await cards_client.post(
        "/v1/persons",
        json={"citizen_id": number, "name": "李四", "residence_division_code": "620103001001"},
        headers=neighbour,
    )
    assert elsewhere.status_code == 409
    assert elsewhere.json()["type"].endswith("/person-registered-elsewhere")
    _says_nothing_of(elsewhere, str(person["id"]), "620102")


async def test_a_valid_card_managed_elsewhere_is_not_named(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings, cards_app: FastAPI
) -> None:
    desk = Desk(cards_client, _clerk(postgres_settings, CHENGGUAN))
    card = await desk.card_for(_citizen_id(3))
    person_id = card["person_id"]
    # The card is managed by another county now (e.g. a transfer whose person row stayed).
    async with runtime_of(cards_app).database.session() as session:
        stored = await session.get(Card, int(card["id"]))
        assert stored is not None
        stored.division_code = "620103001001"
    application = await desk.approved_application(person_id)
    issued = await desk.issue(application["id"])
    assert issued.status_code == 409
    assert issued.json()["type"].endswith("/person-has-valid-card")
    _says_nothing_of(issued, f"{card['id']}", "620103")


def _register_csv(number: str, division_code: str) -> bytes:
    header = ["公民身份号码", "姓名", "残疾人证号", "残疾类别", "残疾等级", "发证日期", "区划代码"]
    row = [number, "李四", f"{number}42", "4", "2", "2025-01-02", division_code]
    return ("\n".join(",".join(line) for line in (header, row)) + "\n").encode()


async def test_a_register_import_says_only_taken_of_another_countys_person(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    """A dry run of a register is many look-ups at once: of a person of another county it
    says "registered elsewhere", never whether they hold a card, and never adds to them."""
    neighbour = Desk(cards_client, _clerk(postgres_settings, QILIHE), home="620103001001")
    holder = _citizen_id(4)
    await neighbour.card_for(holder)
    no_card = _citizen_id(5)
    await neighbour.register(no_card)
    home = _clerk(postgres_settings, CHENGGUAN)
    for number, dry_run in ((holder, "true"), (no_card, "false")):
        report = await cards_client.post(
            "/v1/imports/cards",
            files={"file": ("register.csv", _register_csv(number, "620102003004"), "text/csv")},
            params={"dry_run": dry_run, "all_or_nothing": "false"},
            headers=home,
        )
        assert report.status_code in (200, 201), report.text
        body = report.json()
        assert body["imported_rows"] == 0
        reasons = [error["reason"] for error in body["errors"]]
        assert len(reasons) == 1
        assert "其他地区" in reasons[0]
        assert "有效残疾人证" not in reasons[0]
