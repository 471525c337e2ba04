"""The instrument library's work: storing uploaded versions, who may add them, what campaigns use.

Numbering: the library numbers versions itself. A new key starts at version 1; a new upload of a
key already in the library (bundled or uploaded) becomes one above the highest version there is,
bundled included, and the file's own `version:` is replaced with that number. An upload whose
validated data equals the latest version's (the version number aside) stores nothing.

Ownership: a key belongs to whoever uploaded its first version; they and administrators may add
versions. A bundled key can be versioned by administrators only: a commissioner's edit of a
bundled instrument would otherwise become what every commissioner's next campaign launches on.
To adapt a bundled instrument, a commissioner uploads it under a key of their own.
Everyone signed in sees the whole library and may launch a campaign on any instrument in it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from instruments import Instrument, InstrumentError
from instruments.upload import parse_upload
from instruments.yaml_lines import with_lines

from ..admin.audit_log import record_event
from ..extensions import db
from ..models import InstrumentVersion, User
from ..statuses import InstrumentFormat, Role
from .store import bundled, plain, snapshot_instrument

XLSFORM_SUFFIXES = (".xlsx",)


class LibraryError(ValueError):
    """A library request that cannot be carried out, with a message for the person."""


@dataclass(frozen=True)
class Added:
    """What an upload did: stored `version`, or found it the same as version `unchanged`."""

    key: str
    version: int
    stored: InstrumentVersion | None
    file_version: int | None = None  # the file's own `version:` when the library renumbered it

    @property
    def unchanged(self) -> bool:
        """True when nothing was stored because the latest version has the same content."""
        return self.stored is None

    def sentence(self) -> str:
        """What the upload did, as the web page says it."""
        if self.stored is None:
            return f"Nothing stored: the file is the same as version {self.version}."
        text = f"Stored version {self.version} of {self.key}."
        if self.file_version is not None:
            text += f" The file said version {self.file_version}: the library numbers versions."
        return text

    def describe(self) -> str:
        """'key vN stored' or 'unchanged: same as vN'."""
        if self.stored is None:
            return f"unchanged: same as v{self.version}"
        text = f"{self.key} v{self.version} stored"
        if self.file_version is not None:
            text += f" (the file said version {self.file_version}; the library numbers versions)"
        return text


@dataclass(frozen=True)
class Version:
    """One version of an instrument as the library lists it, bundled or uploaded."""

    key: str
    version: int
    title: str
    kind: str
    data: dict[str, Any]
    bundled: bool
    stored: InstrumentVersion | None = None

    @property
    def instrument(self) -> Instrument:
        """The validated instrument of this version."""
        return bundled()[self.key] if self.bundled else snapshot_instrument(self.data)


def source_format(filename: str) -> InstrumentFormat:
    """XLSForm for a workbook, YAML otherwise."""
    suffix = PurePath(filename).suffix.lower()
    return InstrumentFormat.XLSFORM if suffix in XLSFORM_SUFFIXES else InstrumentFormat.YAML


def stored_versions(key: str) -> list[InstrumentVersion]:
    """Every uploaded version of a key, oldest first."""
    return list(
        db.session.scalars(
            select(InstrumentVersion)
            .where(InstrumentVersion.key == key)
            .order_by(InstrumentVersion.version)
        )
    )


def versions_of(key: str) -> list[Version]:
    """Every version of a key, bundled one first, then uploads, oldest first."""
    return _versions(key, stored_versions(key))


def _versions(key: str, stored: list[InstrumentVersion]) -> list[Version]:
    found = []
    if key in bundled():
        instrument = bundled()[key]
        found.append(
            Version(
                key,
                instrument.version,
                instrument.title,
                instrument.kind,
                plain(instrument.raw),
                bundled=True,
            )
        )
    found += [
        Version(s.key, s.version, s.title, s.kind, s.data, bundled=False, stored=s) for s in stored
    ]
    return found


def find_version(key: str, version: int) -> Version | None:
    """One version of a key, or None."""
    return next((v for v in versions_of(key) if v.version == version), None)


def previous_version(versions: list[Version], version: int) -> Version | None:
    """The version before this one among a key's `versions` (oldest first), or None."""
    earlier = [v for v in versions if v.version < version]
    return earlier[-1] if earlier else None


def library() -> dict[str, list[Version]]:
    """Every key in the library, bundled first then uploaded by key, with all its versions."""
    grouped: dict[str, list[InstrumentVersion]] = {}
    every = select(InstrumentVersion).order_by(InstrumentVersion.key, InstrumentVersion.version)
    for stored in db.session.scalars(every):  # one query for the whole library
        grouped.setdefault(stored.key, []).append(stored)
    keys = list(bundled()) + [key for key in grouped if key not in bundled()]
    return {key: _versions(key, grouped.get(key, [])) for key in keys}


def latest(key: str) -> Version | None:
    """The highest version of a key, or None when the library has no such key."""
    found = versions_of(key)
    return found[-1] if found else None


def launchable() -> dict[str, Version]:
    """The latest version of every instrument, by key: what a new campaign may launch on."""
    return {key: found[-1] for key, found in library().items()}


def owner_id(key: str) -> int | None:
    """The id of whoever uploaded a key's first version (None: bundled, or the account is gone)."""
    if key in bundled():
        return None
    return db.session.scalar(
        select(InstrumentVersion.uploaded_by)
        .where(InstrumentVersion.key == key)
        .order_by(InstrumentVersion.version)
        .limit(1)
    )


def may_version(user: User | None, key: str) -> bool:
    """Admins may version any key; commissioners a new key or one they first uploaded."""
    if user is None or user.role not in (Role.ADMIN, Role.COMMISSIONER):
        return False
    if user.is_admin:
        return True
    if key in bundled():
        return False
    exists = db.session.scalar(
        select(func.count()).select_from(InstrumentVersion).where(InstrumentVersion.key == key)
    )
    return not exists or owner_id(key) == user.id


def refusal(user: User | None, key: str) -> str:
    """Why this user may not add a version of `key`."""
    if user is None:
        return "Sign in as a commissioner or administrator to add instruments."
    if key in bundled():
        return (
            f"'{key}' is a bundled instrument: only an administrator can add a version of it. "
            "To adapt it, change the file's 'key:' to one of your own and upload it again."
        )
    return (
        f"'{key}' belongs to another commissioner: only they or an administrator can add a "
        "version of it. Change the file's 'key:' to upload it as an instrument of your own."
    )


def add_version(
    user: User | None, content: bytes, filename: str, command_line: bool = False
) -> Added:
    """Validate an uploaded file and store it as the key's next version (or say it is unchanged).

    Raises InstrumentError listing every located problem, LibraryError when the user may not.
    `command_line` without a user is the server's operator, with an administrator's rights.
    """
    instrument = _parse(content, filename)
    key = instrument.key
    if not (command_line and user is None) and not may_version(user, key):
        raise LibraryError(refusal(user, key))
    data = plain(instrument.raw)
    current = latest(key)
    if current is not None and {**current.data, "version": 0} == {**data, "version": 0}:
        return Added(key, current.version, None)
    number = current.version + 1 if current else 1
    file_version = instrument.version if instrument.version != number else None
    data["version"] = number
    stored = InstrumentVersion(
        key=key,
        version=number,
        title=instrument.title[:200],
        kind=instrument.kind,
        source_format=source_format(filename),
        filename=PurePath(filename).name[:200],
        content=content,
        data=data,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user.id if user else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(stored)
    except IntegrityError:  # another upload of the key took this number first (unique key+version)
        raise LibraryError(
            f"Someone else added version {number} of '{key}' a moment ago: "
            "look at it in the library, then upload your file again if it is still needed."
        ) from None
    record_event("instrument_added", detail=f"{key} v{number} from {stored.filename}", user=user)
    return Added(key, number, stored, file_version)


def _parse(content: bytes, filename: str) -> Instrument:
    """parse_upload, with each problem of a YAML file also given its line and column."""
    try:
        return parse_upload(content, filename)
    except InstrumentError as error:
        if source_format(filename) != InstrumentFormat.YAML:
            raise
        text = content.decode("utf-8", errors="replace")
        raise InstrumentError(with_lines(error.problems, text)) from None


def problems_of(error: InstrumentError) -> list[dict[str, str]]:
    """Every problem of a refused upload as location, code, message and hint."""
    return [
        {"location": p.location, "code": p.code, "message": p.message, "hint": p.hint}
        for p in error.problems
    ]


def export_bytes(data: dict[str, Any], fmt: str) -> bytes:
    """A version's data as a YAML file or an XLSForm workbook (InstrumentError: XLSForm cannot)."""
    if fmt == "yaml":
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        return text.encode("utf-8")
    if fmt == "xlsform":
        from instruments.xlsform_export import instrument_to_xlsform  # loads openpyxl

        return instrument_to_xlsform(data)
    raise LibraryError(f"unknown format '{fmt}': use yaml or xlsform")
