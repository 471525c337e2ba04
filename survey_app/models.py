"""Database models. The anonymity rules (docs/design.md §3) shape Invitation, Response, Answer."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    orm,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column

from .extensions import Model
from .statuses import (
    BatchStatus,
    CampaignKind,
    CampaignStatus,
    InstrumentFormat,
    InvitationStatus,
    LinkKind,
    MessageKind,
    Role,
    WindowStatus,
    one_of,
)


def new_id() -> str:
    """A random UUID4 as text: ids never reveal order or count."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """The current time in UTC, naive (stored as UTC everywhere)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in UTC: the only time precision a response keeps."""
    return datetime.now(UTC).date()


class User(Model):
    """A commissioner or administrator who signs in."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="role_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.COMMISSIONER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session cookie; raised by sign-out, a password change or disabling, so each
    # session of the account (a copied cookie too) stops at its next request.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    reset_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.role == Role.ADMIN


class SignInThrottle(Model):
    """Failed sign-ins counted per email address (known or not) and per client address.

    The key is an HMAC, so the table does not list the addresses people tried.
    """

    __tablename__ = "sign_in_throttles"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class Campaign(Model):
    """One run of an instrument, with the snapshot of the instrument version it launched with."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(one_of("kind", CampaignKind), name="kind_known"),
        CheckConstraint(one_of("status", CampaignStatus), name="status_known"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    instrument_key: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    instrument_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    codebooks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default=CampaignStatus.DRAFT)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    open_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What the answering pages are built from, as one fingerprint computed by the database: a
    # link's request loads it instead of the 25 KB snapshot and finds the parsed instrument and
    # its cached pages by it (survey_app/campaigns/services.py, respond/page_cache.py).
    config_digest: Mapped[str] = column_property(
        func.md5(cast(instrument_snapshot, Text) + "|" + func.coalesce(cast(settings, Text), "")),
        deferred=True,
    )

    owner: Mapped[User] = orm.relationship()
    participants: Mapped[list[Participant]] = orm.relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )

    @property
    def is_360(self) -> bool:
        """True for a 360 campaign (participants rated by others), False for a survey."""
        return self.kind == CampaignKind.THREE_SIXTY

    @property
    def is_open(self) -> bool:
        """True while links work."""
        return self.status == CampaignStatus.OPEN and (
            self.closes_on is None or self.closes_on >= today()
        )


class CampaignShare(Model):
    """Another commissioner's access to a campaign."""

    __tablename__ = "campaign_shares"
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    can_see_names: Mapped[bool] = mapped_column(Boolean, default=False)


class Participant(Model):
    """A 360 participant (the person being assessed), reached by a personal link."""

    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint(one_of("window_status", WindowStatus), name="window_status_known"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    current_role: Mapped[str] = mapped_column(String(200), default="")
    aspired_role: Mapped[str] = mapped_column(String(64), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    report_released: Mapped[bool] = mapped_column(Boolean, default=False)
    development_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The feedback window: raters answer while it is open; closing it mixes the sealed answers
    # and freezes the report (docs/design.md §3.1, §3.3). A closed window never reopens.
    window_status: Mapped[str] = mapped_column(String(10), default=WindowStatus.OPEN)
    window_closes_on: Mapped[date | None] = mapped_column(Date)
    # The same person in an earlier campaign, as confirmed by a commissioner who can see both.
    earlier_participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )

    campaign: Mapped[Campaign] = orm.relationship(back_populates="participants")
    invitations: Mapped[list[Invitation]] = orm.relationship(
        back_populates="participant", cascade="all, delete-orphan"
    )


class Invitation(Model):
    """A personal link to answer: a rater, the participant's self-assessment, or a respondent.

    `sealed` holds the draft, then the submitted answers, encrypted with a key that is not in the
    database (survey_app/mixing/sealing.py); the mix wipes it, after which the invitation only
    knows that it was completed. Nominations start as 'proposed' and get a working link only
    once approved.
    """

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(one_of("status", InvitationStatus), name="status_known"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    relationship: Mapped[str | None] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=InvitationStatus.INVITED)
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    draft_page: Mapped[int | None] = mapped_column(Integer)
    claim_hash: Mapped[str | None] = mapped_column(String(64))
    resume_code_hash: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20), default="commissioner")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    participant: Mapped[Participant | None] = orm.relationship(back_populates="invitations")
    campaign: Mapped[Campaign] = orm.relationship(viewonly=True)


class Response(Model):
    """A submitted, anonymous set of answers, written only by the mix (docs/design.md §3.1).

    No invitation id, name, email, address or exact time: only the campaign, whom it is about, the
    group it is reported in (decided from those who answered) and the day of its batch. A batch is
    written in one transaction in random order, so neither ids, system columns nor row order
    tell its members apart.
    """

    __tablename__ = "responses"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    relationship: Mapped[str | None] = mapped_column(String(30))
    submitted_on: Mapped[date] = mapped_column(Date, default=today)
    source: Mapped[str] = mapped_column(String(10), default="link")

    answers: Mapped[list[Answer]] = orm.relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Model):
    """One stored value of one item; multiple choice keeps one row per chosen option."""

    __tablename__ = "answers"
    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    value: Mapped[str] = mapped_column(Text)


class Message(Model):
    """An invitation or reminder: sent by SMTP when configured, otherwise kept in the outbox.

    The body never holds a working link: it keeps a placeholder, and the link is made fresh when
    the message is sent or revealed (docs/design.md §3.1).
    """

    __tablename__ = "messages"
    __table_args__ = (CheckConstraint(one_of("kind", MessageKind), name="kind_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[str | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Model):
    """Who signed in, exported or viewed a report, and when (never what a rater said)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(50))
    campaign_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str] = mapped_column(String(500), default="")


class FrozenReport(Model):
    """A participant's 360 report, computed once when their feedback window closed."""

    __tablename__ = "frozen_reports"
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    computed_on: Mapped[date] = mapped_column(Date, default=today)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class CohortReportStore(Model):
    """A campaign's cohort report, computed in the background and served as a lookup.

    `data_version` goes up with every change to what the cohort is built from (in the same
    transaction as the change); `computed_version` is the version `data` was computed from, so
    a job never stores an older result over a newer one and the page can say an update is
    waiting. `data` holds participant ids and figures, never names (applied per viewer).
    """

    __tablename__ = "cohort_reports"
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    data_version: Mapped[int] = mapped_column(Integer, default=1)
    computed_version: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime | None] = mapped_column(DateTime)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReplacedLink(Model):
    """A link replaced by a newer one: only its hash, so the old link can say what happened.

    Never a working link (docs/design.md §3.1): the hash of a token that no longer opens
    anything, its campaign, what kind of link it was and the day it was replaced.
    """

    __tablename__ = "replaced_links"
    __table_args__ = (CheckConstraint(one_of("kind", LinkKind), name="kind_known"),)
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # a LinkKind
    replaced_on: Mapped[date] = mapped_column(Date, default=today)


class ImportBatch(Model):
    """One upload of responses collected elsewhere: previewed, then imported, maybe undone.

    Its responses carry `source` as theirs, so the batch can be undone. While pending it keeps the
    upload's question columns (never its identifying ones) for the preview; importing clears them.
    """

    __tablename__ = "import_batches"
    __table_args__ = (
        CheckConstraint(one_of("status", BatchStatus), name="status_known"),
        UniqueConstraint("campaign_id", "source", name="uq_import_batches_campaign_source"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=BatchStatus.PENDING)
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    tool: Mapped[str] = mapped_column(String(40), default="")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    staged: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)

    creator: Mapped[User | None] = orm.relationship()


class ImportMapping(Model):
    """A commissioner's saved mapping from another tool's columns and answers to an instrument."""

    __tablename__ = "import_mappings"
    __table_args__ = (
        UniqueConstraint(
            "owner_id", "instrument_key", "name", name="uq_import_mappings_owner_instrument_name"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    instrument_key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    columns: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    labels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class InstrumentVersion(Model):
    """One uploaded version of an instrument: the file as sent and the validated data it became.

    `data` is the normalised instrument (`Instrument.raw`) a campaign snapshots; versions are
    never changed once stored (survey_app/library/services.py numbers them).
    """

    __tablename__ = "instrument_versions"
    __table_args__ = (
        CheckConstraint(one_of("kind", CampaignKind), name="kind_known"),
        CheckConstraint(one_of("source_format", InstrumentFormat), name="source_format_known"),
        UniqueConstraint("key", "version", name="uq_instrument_versions_key_version"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    source_format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(200), default="")
    # The file as uploaded, kept for the record; never needed to list or launch, so not loaded.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    uploader: Mapped[User | None] = orm.relationship()
