import pytest

from canlian.common.i18n import negotiate_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh"),
        ("", "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr, en;q=0.5", "en"),
        ("de", "zh"),
        ("zh;q=0.3, en;q=0.7", "en"),
    ],
)
def test_negotiation(header: str | None, language: str) -> None:
    assert negotiate_language(header) == language
