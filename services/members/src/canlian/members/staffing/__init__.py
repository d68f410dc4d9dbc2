"""Staffing of the places that need a committee member: vacancies, the per-township summary,
posts still held at dissolved organisations."""
