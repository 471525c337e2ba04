"""The restricted talent register: named self-nominations and consenting programme participants."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..models import new_id

SOURCES = ("skills_audit", "programme")


class TalentEntry(Model):
    """One person who asked to be in a region's talent pool, with the consent they gave.

    It is the only place a skills-audit respondent's name is kept, and it is not linked to their
    answers: no invitation, no response, and only the day (no time) it was made.
    """

    __tablename__ = "talent_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    current_role: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20))
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    # Erasing the participant erases this entry too (survey_app/talent/services.py).
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_text: Mapped[str] = mapped_column(Text)
    consented_on: Mapped[date] = mapped_column(Date)
    keep_until: Mapped[date] = mapped_column(Date)
    # The person's own link to see or withdraw their entry (only its hash).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    offers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
