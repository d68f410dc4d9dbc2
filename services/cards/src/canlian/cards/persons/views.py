"""A person as the API shows it: masked."""

from __future__ import annotations

from canlian.cards.persons import service
from canlian.cards.persons.models import Person
from canlian.cards.persons.schemas import PersonRead
from canlian.common.personal_data import PersonalDataProtector


def person_view(pii: PersonalDataProtector, person: Person) -> PersonRead:
    shown = service.masked(pii, person)
    return PersonRead(
        id=person.id,
        citizen_id_masked=shown.citizen_id,
        name_masked=shown.name,
        phone_masked=shown.phone,
        sex="male" if person.sex == "male" else "female",
        residence_division_code=person.residence_division_code,
        version=person.version,
        created_at=person.created_at,
    )
