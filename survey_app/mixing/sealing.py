"""Sealed answers: a draft or a submitted set of answers, encrypted on its invitation.

AES-256-GCM with a random nonce; the ciphertext is bound to its invitation's id, so a sealed value
copied onto another invitation does not open. The key is never stored in the database: it comes
from ANSWER_KEY (comma-separated; the first seals, every one opens, so keys can be rotated) or,
when that is unset, is derived from SECRET_KEY. Plaintext is compressed and padded to a multiple
of BLOCK bytes, so the stored size says little about how much someone wrote (docs/design.md §3.1).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zlib
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

FORMAT = b"\x01"
BLOCK = 4096
NONCE_BYTES = 12
KEY_ID_BYTES = 4
HEADER = len(FORMAT) + KEY_ID_BYTES + NONCE_BYTES


class SealError(ValueError):
    """A sealed value that cannot be opened with any configured key."""


@lru_cache(maxsize=8)
def _derive(secret: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"survey-app", info=b"sealed answers v1"
    ).derive(secret.encode("utf-8"))


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"key id|" + key).digest()[:KEY_ID_BYTES]


def answer_keys() -> list[bytes]:
    """The configured keys, sealing key first."""
    configured = current_app.config.get("ANSWER_KEY") or ""
    secrets = [s.strip() for s in configured.split(",") if s.strip()]
    return [_derive(s) for s in (secrets or [current_app.config["SECRET_KEY"]])]


def seal(payload: dict[str, Any], bound_to: str) -> bytes:
    """Encrypt `payload` (plain JSON data) for the record whose id is `bound_to`."""
    key = answer_keys()[0]
    plain = zlib.compress(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    )
    framed = struct.pack(">I", len(plain)) + plain
    padded = framed + bytes(-(len(framed) + HEADER + 16) % BLOCK)
    nonce = os.urandom(NONCE_BYTES)
    return (
        FORMAT + _key_id(key) + nonce + AESGCM(key).encrypt(nonce, padded, bound_to.encode("utf-8"))
    )


def unseal(blob: bytes, bound_to: str) -> dict[str, Any]:
    """The payload sealed for `bound_to`; SealError if no configured key opens it."""
    blob = bytes(blob)
    if len(blob) < HEADER + 16 or blob[:1] != FORMAT:
        raise SealError("not a sealed value")
    key_id, nonce = blob[1 : 1 + KEY_ID_BYTES], blob[1 + KEY_ID_BYTES : HEADER]
    for key in answer_keys():
        if _key_id(key) != key_id:
            continue
        try:
            padded = AESGCM(key).decrypt(nonce, blob[HEADER:], bound_to.encode("utf-8"))
        except InvalidTag as error:
            raise SealError("the sealed value was altered or belongs to another record") from error
        (length,) = struct.unpack(">I", padded[:4])
        return json.loads(zlib.decompress(padded[4 : 4 + length]))
    raise SealError("sealed with a key that is no longer configured (see ANSWER_KEY)")
