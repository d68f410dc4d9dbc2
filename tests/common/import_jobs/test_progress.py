"""Rows done out of rows in all, from the importers' own callbacks: never backwards, below the
total until the end, phases weighed alike."""

import pytest
from cryptography.exceptions import InvalidTag

from canlian.common.import_jobs.kinds import ProgressTracker, percent
from canlian.common.personal_data import PersonalDataProtector


def test_phases_each_take_their_share_of_the_rows() -> None:
    tracker = ProgressTracker(300, ("validate", "import", "events"))
    tracker("validate", 150, 300)
    assert tracker.rows_done == 50
    tracker("import", 0, 10)
    assert tracker.rows_done == 100
    tracker("validate", 10, 300)  # a late call of an earlier phase does not go back
    assert tracker.rows_done == 100
    tracker("events", 10, 10)
    assert tracker.rows_done == 299  # 100% only when the run has ended
    tracker("unknown", 1, 1)
    assert tracker.rows_done == 299
    tracker.finish(298)
    assert (tracker.rows_done, tracker.rows_total) == (298, 298)


def test_without_phases_the_rows_read_count_and_a_short_estimate_grows() -> None:
    tracker = ProgressTracker(100)
    tracker("import", 60, None)
    assert tracker.rows_done == 60
    tracker("import", 150, None)
    assert (tracker.rows_done, tracker.rows_total) == (149, 150)
    unknown = ProgressTracker(None)
    unknown("import", 42, None)
    assert (unknown.rows_done, unknown.rows_total) == (42, None)


def test_percent() -> None:
    assert percent(0, None, False) == 0.0
    assert percent(1, 3, False) == 33.3
    assert percent(5, 3, False) == 99.9  # all rows read, the report not yet written
    assert percent(3, 3, False) == 99.9
    assert percent(0, 0, True) == 100.0


def test_a_sealed_upload_opens_only_with_its_own_job_id() -> None:
    protector = PersonalDataProtector(b"k" * 32, b"i" * 32)
    sealed = protector.seal(b"620102198001010011", "job-1")
    assert b"620102198001010011" not in sealed
    assert protector.unseal(sealed, "job-1") == b"620102198001010011"
    with pytest.raises(InvalidTag):
        protector.unseal(sealed, "job-2")
