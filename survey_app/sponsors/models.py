"""A participant's sponsor, who confirms the nomination by their own link."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, orm
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..models import Participant, new_id, today
from ..statuses import SponsorStatus, one_of


class Sponsor(Model):
    """The DCS or nominated senior leader sponsoring one participant (seed 002_*, Appendix C)."""

    __tablename__ = "sponsors"
    __table_args__ = (CheckConstraint(one_of("status", SponsorStatus), name="status_known"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(200), default="")
    # Only the hash of the sponsor's link is kept; it is cleared once they have decided.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=SponsorStatus.REQUESTED)
    requested_on: Mapped[date] = mapped_column(Date, default=today)
    decided_on: Mapped[date | None] = mapped_column(Date)

    participant: Mapped[Participant] = orm.relationship()
