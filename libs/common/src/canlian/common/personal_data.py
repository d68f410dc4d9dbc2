"""Personal identifiers at rest and on the way out.

Identifiers are stored encrypted (AES-256-GCM, random nonce, key id in the token so keys can
rotate) with a keyed hash (HMAC-SHA256) beside them for look-ups and uniqueness; responses
and logs show them masked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from canlian.common.settings import PlatformSettings

_KEY_ID = "k1"


class PersonalDataKeyMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class PersonalDataProtector:
    encryption_key: bytes
    index_key: bytes

    @cached_property
    def _cipher(self) -> AESGCM:
        # Built once: a bulk import encrypts two or three values per row.
        return AESGCM(self.encryption_key)

    def encrypt(self, plaintext: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._cipher.encrypt(nonce, plaintext.encode(), _KEY_ID.encode())
        return f"{_KEY_ID}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def encrypt_many(self, plaintexts: Sequence[str]) -> list[str]:
        """`encrypt` of each value, their random nonces read from the system in one go (a
        bulk import encrypts two or three values per row)."""
        nonces = secrets.token_bytes(12 * len(plaintexts))
        cipher = self._cipher
        associated = _KEY_ID.encode()
        prefix = f"{_KEY_ID}:"
        encode = base64.urlsafe_b64encode
        tokens = []
        for start, plaintext in zip(range(0, len(nonces), 12), plaintexts, strict=True):
            nonce = nonces[start : start + 12]
            sealed = cipher.encrypt(nonce, plaintext.encode(), associated)
            tokens.append(prefix + encode(nonce + sealed).decode())
        return tokens

    def decrypt(self, token: str) -> str:
        key_id, _, body = token.partition(":")
        raw = base64.urlsafe_b64decode(body)
        return self._cipher.decrypt(raw[:12], raw[12:], key_id.encode()).decode()

    def seal(self, data: bytes, context: str) -> bytes:
        """Bytes encrypted as a whole (an uploaded register waiting for its import job),
        bound to `context` (the job's id) so that sealed bytes cannot be moved to another."""
        nonce = secrets.token_bytes(12)
        return nonce + self._cipher.encrypt(nonce, data, f"{_KEY_ID}:{context}".encode())

    def unseal(self, sealed: bytes, context: str) -> bytes:
        return self._cipher.decrypt(sealed[:12], sealed[12:], f"{_KEY_ID}:{context}".encode())

    @cached_property
    def _index_start(self) -> hmac.HMAC:
        return hmac.new(self.index_key, digestmod=hashlib.sha256)

    def index(self, value: str) -> str:
        """Deterministic keyed hash: equal identifiers give equal indexes, nothing else leaks."""
        keyed = self._index_start.copy()  # the key's pads hashed once, not per value
        keyed.update(value.encode())
        return keyed.hexdigest()


def protector_from_settings(settings: PlatformSettings) -> PersonalDataProtector:
    """Keys from the settings; in embedded mode generated once under the data directory."""
    encryption = settings.canlian_pii_key
    index = settings.canlian_pii_index_key
    if encryption and index:
        return PersonalDataProtector(_decode_key(encryption), _decode_key(index))
    if settings.canlian_environment == "production":
        missing = "CANLIAN_PII_KEY" if not encryption else "CANLIAN_PII_INDEX_KEY"
        raise PersonalDataKeyMissing(f"{missing} must be set in production")
    keys = settings.data_dir / "keys"
    return PersonalDataProtector(
        _local_key(keys / "pii-encryption.key"), _local_key(keys / "pii-index.key")
    )


def _decode_key(text: str) -> bytes:
    key = base64.b64decode(text)
    if len(key) != 32:
        raise ValueError("a personal-data key must be 32 bytes, base64-encoded")
    return key


def _local_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fresh = path.with_suffix(f".{os.getpid()}.tmp")
        fresh.write_bytes(base64.b64encode(secrets.token_bytes(32)))
        fresh.chmod(0o600)
        # First writer wins when several services start at once.
        try:
            os.link(fresh, path)
        except FileExistsError:
            pass
        finally:
            fresh.unlink()
    return _decode_key(path.read_text())


def mask_citizen_id(value: str) -> str:
    """62****************: the province and nothing else of the number.

    A masked record also shows the village of residence (the number's digits 1-6), the sex
    (the parity of digit 17) and in places the birth year (digits 7-10). Any further digit
    shown multiplies with those: with the last four (the old mask) a number fell out of a
    look-up endpoint in under 200 guesses. With the province alone, a number matching
    everything a record shows is one of ~180,000 (birth day x sequence x sex digit), which
    the per-principal limit on look-ups turns into years of guessing. A card number
    (the 18 characters and the category and grade digits) keeps its last two, which say
    what the card says anyway."""
    text = value.strip()
    if len(text) < 8:
        return "*" * len(text)
    if len(text) == 20:  # a disability card number: citizen ID + category + grade
        return text[:2] + "*" * 16 + text[18:]
    return text[:2] + "*" * (len(text) - 2)


def mask_phone(value: str) -> str:
    digits = value.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str) -> str:
    """张** : the family name stays (two characters for compound names of four)."""
    name = value.strip()
    if not name:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * max(len(name) - keep, 1)
