"""Class 5, services part (formula injection): the members roster export writes formula-like
text (a name, an organisation id from the registry) as text cells; the roster template and
the cards demo register are written with the kit's CSV writer. The cards service has no
spreadsheet report (its reports are JSON)."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from canlian.cards import cli as cards_cli
from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.common.spreadsheets import SafeCsvWriter
from canlian.members.app import apply_organisation_events
from canlian.members.roster import template as roster_template_module
from canlian.members.roster.template import roster_template
from canlian.testing.services import bearer, runtime_of
from tests.members.conftest import (
    VILLAGE,
    appointment_body,
    member_body,
    organisation_event,
)

pytestmark = pytest.mark.postgres

ORGANISATION = '=HYPERLINK("http://evil.example/","x")'
NAME = "=1+2+3"


async def test_the_roster_export_stores_formula_like_text_as_text(
    members_client: httpx.AsyncClient, members_app: FastAPI, postgres_settings: PlatformSettings
) -> None:
    async with runtime_of(members_app).database.session() as session:
        await apply_organisation_events(session, [organisation_event(ORGANISATION)])
    clerk = bearer(postgres_settings, roles=[auth.OFFICIAL], region="620102000000")
    member = await members_client.post(
        "/v1/members", json=member_body(91, name=NAME, division_code=VILLAGE), headers=clerk
    )
    assert member.status_code == 201, member.text
    appointed = await members_client.post(
        f"/v1/members/{member.json()['id']}/appointments",
        json=appointment_body(ORGANISATION),
        headers=clerk,
    )
    assert appointed.status_code == 201, appointed.text
    exported = await members_client.get("/v1/exports/roster", headers=clerk)
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    header, line = list(sheet.iter_rows(min_row=1, max_row=2))
    cells = {str(h.value): cell for h, cell in zip(header, line, strict=True)}
    for column, value in (("姓名", "=1****"), ("组织编号", ORGANISATION)):
        assert cells[column].value == value
        assert cells[column].data_type == "s", column
    assert cells["月补贴(元)"].data_type == "n"


def test_the_roster_template_and_the_sample_register_use_the_safe_csv_writer() -> None:
    rows = list(csv.reader(io.StringIO(roster_template().decode("utf-8-sig"))))
    assert len(rows) == 2
    # Both CSV writers of these services are the kit's (formula-like text gets a quote).
    assert vars(cards_cli).get("SafeCsvWriter") is SafeCsvWriter
    assert vars(roster_template_module).get("SafeCsvWriter") is SafeCsvWriter
