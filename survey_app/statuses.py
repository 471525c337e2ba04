"""Every status, kind and role a row can hold: one enum each, and the CHECK the database keeps.

The members are strings (`StrEnum`), so they compare equal to what is stored and to the words
templates use. A new value goes here and in a migration that widens the CHECK constraint.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a signed-in user may do."""

    ADMIN = "admin"
    COMMISSIONER = "commissioner"


class CampaignKind(StrEnum):
    """A 360 of participants rated by others, or a research survey of respondents."""

    THREE_SIXTY = "360"
    SURVEY = "survey"


class CampaignStatus(StrEnum):
    """A campaign's life: links work only while it is open."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class WindowStatus(StrEnum):
    """A participant's feedback window; closing it mixes and freezes (docs/design.md §3.1)."""

    OPEN = "open"
    CLOSED = "closed"


class InvitationStatus(StrEnum):
    """Where a link stands: nominations are proposed, then approved (invited) or rejected."""

    PROPOSED = "proposed"
    REJECTED = "rejected"
    INVITED = "invited"
    STARTED = "started"
    COMPLETED = "completed"
    DECLINED = "declined"


# Nominations waiting for approval, or rejected, have no link: nobody was asked yet.
NOT_INVITED: tuple[str, ...] = (InvitationStatus.PROPOSED, InvitationStatus.REJECTED)
# Answered or declined: the link takes no more answers.
FINISHED: tuple[str, ...] = (InvitationStatus.COMPLETED, InvitationStatus.DECLINED)
# Asked and not finished: reminders and fresh links go to these.
WAITING: tuple[str, ...] = (InvitationStatus.INVITED, InvitationStatus.STARTED)


class MessageKind(StrEnum):
    """What an outbox message is."""

    INVITATION = "invitation"
    REMINDER = "reminder"
    MATCH = "match"
    SPONSOR = "sponsor"
    TALENT_POOL = "talent_pool"


class LinkKind(StrEnum):
    """Whose link a replaced link was."""

    INVITATION = "invitation"
    PARTICIPANT = "participant"
    OPEN = "open"


class BatchStatus(StrEnum):
    """An import batch: previewed (pending), imported, then perhaps undone or replaced."""

    PENDING = "pending"
    IMPORTED = "imported"
    UNDONE = "undone"
    REPLACED = "replaced"


class SponsorStatus(StrEnum):
    """A sponsor's answer to their nomination."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class MatchStatus(StrEnum):
    """A coach or mentor match: active until ended."""

    ACTIVE = "active"
    ENDED = "ended"


class InstrumentFormat(StrEnum):
    """The kind of file an instrument version was uploaded as."""

    YAML = "yaml"
    XLSFORM = "xlsform"


def one_of(column: str, values: type[StrEnum]) -> str:
    """The SQL of a CHECK constraint that `column` holds one of the enum's values."""
    return f"{column} IN (" + ", ".join(f"'{v.value}'" for v in values) + ")"
