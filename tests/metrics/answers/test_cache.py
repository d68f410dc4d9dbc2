"""The answer cache's rules: found only at its version, bounded in bytes, least recently
used out first, emptied when the version moves."""

from canlian.metrics.answers.cache import AnswerCache


def test_an_answer_is_found_only_at_the_version_it_was_kept_at() -> None:
    cache = AnswerCache(10_000)
    cache.put("a", 7, b"{}")
    assert cache.get("a", 7) == b"{}"
    assert cache.get("a", 8) is None
    assert cache.get("b", 7) is None


def test_the_bytes_held_stay_within_the_bound_dropping_the_least_recently_used() -> None:
    cache = AnswerCache(1_300)  # three answers of 200 bytes with their keys, not four
    body = b"x" * 200
    for key in "abc":
        cache.put(key, 1, body)
    assert cache.get("a", 1) == body  # a is now the most recently used
    cache.put("d", 1, body)
    assert cache.size <= 1_300
    assert len(cache) == 3
    assert cache.get("b", 1) is None
    assert cache.get("a", 1) == body
    assert cache.get("d", 1) == body


def test_an_answer_larger_than_the_bound_is_not_kept_and_a_key_kept_again_counts_once() -> None:
    cache = AnswerCache(1_000)
    cache.put("huge", 1, b"x" * 2_000)
    assert len(cache) == 0
    assert cache.size == 0
    cache.put("a", 1, b"x" * 100)
    first = cache.size
    cache.put("a", 2, b"y" * 100)
    assert cache.size == first
    assert len(cache) == 1
    assert cache.get("a", 2) == b"y" * 100


def test_a_newer_version_empties_the_cache_and_an_older_one_changes_nothing() -> None:
    cache = AnswerCache(10_000)
    assert cache.moved_to(5)
    cache.put("a", 5, b"{}")
    assert not cache.moved_to(5)
    assert not cache.moved_to(4)  # a reader whose snapshot is older
    assert cache.get("a", 5) == b"{}"
    assert cache.moved_to(6)
    assert len(cache) == 0
    assert cache.size == 0


def test_a_cache_of_no_bytes_keeps_nothing() -> None:
    cache = AnswerCache(0)
    cache.put("a", 1, b"{}")
    assert cache.get("a", 1) is None
