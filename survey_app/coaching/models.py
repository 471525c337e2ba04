"""Regions, their pool of coaches and mentors, matches and the sessions held."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    orm,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..models import Participant, new_id, today, utcnow
from ..statuses import MatchStatus, one_of


class Region(Model):
    """A region's own data: its authorities, which of them neighbour which, and its pool."""

    __tablename__ = "regions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    authorities: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Pairs of authority names; a coach is never from the participant's own or a neighbouring one.
    neighbours: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    talent_retention_days: Mapped[int] = mapped_column(Integer, default=730)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    supporters: Mapped[list[Supporter]] = orm.relationship(
        back_populates="region", cascade="all, delete-orphan", order_by="Supporter.name"
    )


class Supporter(Model):
    """A coach and/or mentor in a region's pool."""

    __tablename__ = "supporters"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    authority: Mapped[str] = mapped_column(String(200))
    coach: Mapped[bool] = mapped_column(Boolean, default=False)
    mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    strengths: Mapped[list[str]] = mapped_column(JSON, default=list)
    strengths_source: Mapped[str] = mapped_column(String(20), default="self_declared")
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    training: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region] = orm.relationship(back_populates="supporters")
    matches: Mapped[list[SupportMatch]] = orm.relationship(
        back_populates="supporter", cascade="all, delete-orphan"
    )

    @property
    def roles(self) -> list[str]:
        """'coach' and/or 'mentor'."""
        return [role for role, on in (("coach", self.coach), ("mentor", self.mentor)) if on]


class SupportMatch(Model):
    """A participant matched with a supporter as their coach or mentor, as confirmed."""

    __tablename__ = "support_matches"
    __table_args__ = (CheckConstraint(one_of("status", MatchStatus), name="status_known"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    supporter_id: Mapped[str] = mapped_column(
        ForeignKey("supporters.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=MatchStatus.ACTIVE)
    # The priorities the supporter's strengths covered when the match was confirmed.
    covered: Mapped[list[str]] = mapped_column(JSON, default=list)
    confirmed_on: Mapped[date] = mapped_column(Date, default=today)
    ended_on: Mapped[date | None] = mapped_column(Date)

    participant: Mapped[Participant] = orm.relationship()
    supporter: Mapped[Supporter] = orm.relationship(back_populates="matches")
    sessions: Mapped[list[SupportSession]] = orm.relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="SupportSession.held_on"
    )


class SupportSession(Model):
    """One coaching or mentoring session held, counted against the programme's offer."""

    __tablename__ = "support_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[str] = mapped_column(
        ForeignKey("support_matches.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))

    match: Mapped[SupportMatch] = orm.relationship(back_populates="sessions")


def programme_settings(settings: dict[str, Any] | None) -> dict[str, Any]:
    """A campaign's programme settings (region, sessions offered, sponsors, talent pool)."""
    found = dict((settings or {}).get("programme") or {})
    found.setdefault("region_id", None)
    found.setdefault("sessions_offered", 3)
    found.setdefault("sponsor_required", False)
    found.setdefault("talent_pool", False)
    return found
