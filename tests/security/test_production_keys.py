"""In production a service refuses to start without real personal-data keys: a missing,
short, malformed or published demo key stops it with one line naming the setting."""

import base64
import os
import secrets
import subprocess
import sys

import pytest

from canlian.common.settings import KNOWN_DEMO_KEYS, PlatformSettings

GOOD = base64.b64encode(secrets.token_bytes(32)).decode()
OTHER = base64.b64encode(secrets.token_bytes(32)).decode()
DEMO = sorted(KNOWN_DEMO_KEYS)


def _start_cards(**env: str) -> subprocess.CompletedProcess[str]:
    """Build the cards app as uvicorn's factory would, in production."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CANLIAN_")}
    return subprocess.run(
        [sys.executable, "-c", "from canlian.cards.app import create_app; create_app()"],
        env={**clean, "CANLIAN_ENVIRONMENT": "production", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "setting", "reason"),
    [
        ({"CANLIAN_PII_INDEX_KEY": OTHER}, "CANLIAN_PII_KEY", "must be set in production"),
        ({"CANLIAN_PII_KEY": GOOD}, "CANLIAN_PII_INDEX_KEY", "must be set in production"),
        (
            {"CANLIAN_PII_KEY": base64.b64encode(secrets.token_bytes(16)).decode(),
             "CANLIAN_PII_INDEX_KEY": OTHER},
            "CANLIAN_PII_KEY",
            "is 16 bytes",
        ),
        ({"CANLIAN_PII_KEY": GOOD, "CANLIAN_PII_INDEX_KEY": "not base64!"},
         "CANLIAN_PII_INDEX_KEY", "must be base64"),
        ({"CANLIAN_PII_KEY": DEMO[0], "CANLIAN_PII_INDEX_KEY": OTHER}, "CANLIAN_PII_KEY",
         "published demo key"),
        ({"CANLIAN_PII_KEY": GOOD, "CANLIAN_PII_INDEX_KEY": DEMO[1]}, "CANLIAN_PII_INDEX_KEY",
         "published demo key"),
        ({"CANLIAN_PII_KEY": base64.b64encode(b"k" * 32).decode(),
          "CANLIAN_PII_INDEX_KEY": OTHER}, "CANLIAN_PII_KEY", "not random"),
    ],
    ids=["missing", "missing-index", "short", "malformed", "demo", "demo-index", "repeated"],
)  # fmt: skip
def test_production_refuses_bad_keys_naming_the_setting(
    env: dict[str, str], setting: str, reason: str
) -> None:
    result = _start_cards(**env)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"canlian: invalid setting {setting}: "), line
    assert reason in line


def test_production_starts_with_real_keys() -> None:
    result = _start_cards(CANLIAN_PII_KEY=GOOD, CANLIAN_PII_INDEX_KEY=OTHER)
    assert result.returncode == 0, result.stderr


def test_other_environments_keep_their_generated_keys() -> None:
    for environment in ("embedded", "development"):
        settings = PlatformSettings(canlian_environment=environment)
        assert settings.canlian_pii_key is None
