"""The day a change journals on (pure): the event's own day, or the earlier business date it
states; a restatement re-journals exactly the days it touches."""

from datetime import date

from canlian.metrics.contributions.mappers import BusinessDates
from canlian.metrics.rollups import timeline

C = {("620102000000", "cards.valid"): 1}
TODAY = date(2026, 12, 4)


def test_an_event_without_a_business_date_journals_on_its_own_day() -> None:
    steps = timeline.restate([], TODAY, C, BusinessDates())
    assert steps == [(TODAY, C)]
    assert timeline.journal(steps) == {("620102000000", "cards.valid", TODAY): 1}


def test_an_imported_card_journals_on_its_issue_date_and_never_after_the_event() -> None:
    issued = date(2018, 5, 1)
    assert timeline.restate([], TODAY, C, BusinessDates(since=issued, origin=issued)) == [
        (issued, C)
    ]
    # A business date after the event's own day would move the live totals: it is the event's.
    later = date(2027, 1, 1)
    assert timeline.restate([], TODAY, C, BusinessDates(since=later)) == [(TODAY, C)]


def test_an_imported_expired_card_counts_from_issue_until_the_day_after_its_validity() -> None:
    issued, ended = date(2018, 5, 1), date(2023, 5, 1)
    steps = timeline.restate([], TODAY, {}, BusinessDates(since=ended, origin=issued, earlier=C))
    assert steps == [(issued, C), (ended, {})]
    assert timeline.journal(steps) == {
        ("620102000000", "cards.valid", issued): 1,
        ("620102000000", "cards.valid", ended): -1,
    }


def test_a_later_state_keeps_the_earlier_steps_and_replaces_what_follows_its_date() -> None:
    moved = {("620103000000", "cards.valid"): 1}
    old = [(date(2018, 5, 1), C), (date(2025, 1, 1), {})]
    steps = timeline.restate(old, TODAY, moved, BusinessDates(since=date(2024, 3, 1)))
    assert steps == [(date(2018, 5, 1), C), (date(2024, 3, 1), moved)]


def test_a_correction_of_the_start_re_journals_both_days() -> None:
    old = [(date(2018, 5, 1), C)]
    for corrected in (date(2019, 3, 1), date(2017, 3, 1)):
        new = timeline.restate(old, TODAY, C, BusinessDates(since=corrected, origin=corrected))
        assert new == [(corrected, C)]
        assert timeline.rejournal(new, old) == {
            ("620102000000", "cards.valid", date(2018, 5, 1)): -1,
            ("620102000000", "cards.valid", corrected): 1,
        }


def test_steps_are_stored_and_read_back() -> None:
    steps = [(date(2018, 5, 1), C), (date(2023, 5, 1), {})]
    stored = timeline.encode_steps(steps)
    assert stored == [["2018-05-01", {"620102000000|cards.valid": 1}], ["2023-05-01", None]]
    assert timeline.decode_steps(stored, {}) == steps


def test_a_tally_yields_presence_only_while_its_divisions_gate_is_open() -> None:
    """Present from the day the tally turns positive, off while the gate (LEFT_OUT) is
    closed, back on the day it opens; a gate alone yields nothing."""
    jan, mar, jun = date(2024, 1, 1), date(2024, 3, 1), date(2024, 6, 1)
    assert timeline.presence_journal(0, {jan: 1}) == {jan: 1}
    assert timeline.presence_journal(0, {jan: 1}, 0, {mar: 1, jun: -1}) == {
        jan: 1,
        mar: -1,
        jun: 1,
    }
    # Closed from before the tally: nothing until the gate opens.
    assert timeline.presence_journal(0, {mar: 1}, 1, {jun: -1}) == {jun: 1}
    assert +timeline.presence_journal(0, {}, 0, {mar: 1}) == {}
