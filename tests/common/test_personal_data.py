from pathlib import Path

import pytest

from canlian.common.personal_data import (
    PersonalDataKeyMissing,
    PersonalDataProtector,
    mask_citizen_id,
    mask_name,
    mask_phone,
    protector_from_settings,
)
from canlian.common.settings import PlatformSettings


def test_encryption_round_trips_and_never_repeats_ciphertext(tmp_path: Path) -> None:
    protector = protector_from_settings(PlatformSettings(canlian_data_dir=tmp_path))
    first = protector.encrypt("11010519491231002X")
    second = protector.encrypt("11010519491231002X")
    assert first != second
    assert "11010519491231002X" not in first
    assert protector.decrypt(first) == protector.decrypt(second) == "11010519491231002X"


def test_encrypting_many_values_at_once_gives_what_encrypt_gives(tmp_path: Path) -> None:
    protector = protector_from_settings(PlatformSettings(canlian_data_dir=tmp_path))
    values = ["11010519491231002X", "张三", "11010519491231002X", ""]
    tokens = protector.encrypt_many(values)
    assert [protector.decrypt(token) for token in tokens] == values
    assert tokens[0] != tokens[2]  # a nonce of its own for each value
    assert len({token.partition(":")[2][:16] for token in tokens}) == len(values)
    assert {token.partition(":")[0] for token in tokens} == {
        protector.encrypt("x").partition(":")[0]
    }
    assert protector.encrypt_many([]) == []


def test_index_is_deterministic_and_keyed(tmp_path: Path) -> None:
    one = protector_from_settings(PlatformSettings(canlian_data_dir=tmp_path / "a"))
    again = protector_from_settings(PlatformSettings(canlian_data_dir=tmp_path / "a"))
    other = protector_from_settings(PlatformSettings(canlian_data_dir=tmp_path / "b"))
    assert one.index("x") == again.index("x")
    assert one.index("x") != other.index("x")
    assert one.index("x") != one.index("y")


def test_tampered_ciphertext_is_refused() -> None:
    protector = PersonalDataProtector(b"k" * 32, b"i" * 32)
    token = protector.encrypt("secret")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(Exception):  # noqa: B017, PT011 - cryptography raises InvalidTag
        protector.decrypt(tampered)


def test_production_needs_explicit_keys(tmp_path: Path) -> None:
    # Settings built past validation (as a caller may): the protector still refuses.
    settings = PlatformSettings.model_construct(
        canlian_data_dir=tmp_path, canlian_environment="production"
    )
    with pytest.raises(PersonalDataKeyMissing, match="CANLIAN_PII_KEY"):
        protector_from_settings(settings)


def test_masks() -> None:
    assert mask_citizen_id("11010519491231002X") == "11****************"
    assert mask_citizen_id("1101051949123100201" + "3") == "11" + "*" * 16 + "13"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"
