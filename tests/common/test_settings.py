import subprocess
import sys


def run_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "from canlian.common.settings import PlatformSettings, load_settings;"
        "load_settings(PlatformSettings)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_invalid_setting_fails_with_one_line_naming_it() -> None:
    result = run_with({"DATABASE_URL": "mysql://nope"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0]


def test_bad_broker_address_names_the_setting() -> None:
    result = run_with({"KAFKA_BOOTSTRAP_SERVERS": "localhost"})
    assert result.returncode == 2
    assert "KAFKA_BOOTSTRAP_SERVERS" in result.stderr


def test_libpq_urls_are_accepted_with_the_async_driver() -> None:
    from canlian.common.settings import PlatformSettings

    settings = PlatformSettings(database_url="postgresql://u@h/db")
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
